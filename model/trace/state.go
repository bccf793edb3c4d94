package trace

import (
	"fmt"
	"strings"
)

// State is the short word a record carries in its State field: a TCP
// state for StateChanged, why the window changed for CwndChanged, the
// limit that ended the run for RunStopped, the TLS version for TLSStarted
// and TLSDone, how a SYN timeout backed off for Retransmit. Each kind has
// its own group of constants below; [State.String] is the word the CSV and
// JSON Lines traces write, and only that word is saved, so the numbering
// may change between versions.
//
// One typed word, rather than strings compared wherever a record is read,
// lets the compiler find a misspelt state, and lets a saved trace be
// checked as it is read.
type State uint8

// NoState is a record that carries no State: most kinds, or a window
// change of a trace that does not say why.
const NoState State = 0

// TCP states (RFC 9293 §3.3.2), of StateChanged records.
const (
	Closed State = iota + 1
	Listen
	SynSent
	SynReceived
	Established
	FinWait1
	FinWait2
	CloseWait
	Closing
	LastAck
	TimeWait
	// QUIC connection states, of a QUIC connection's StateChanged
	// records: the end began its handshake (the client's first Initial
	// sent, the server's received), completed it (RFC 9001 §4.1.1), or
	// closed (CONNECTION_CLOSE, RFC 9000 §10.2, or the idle timeout,
	// §10.1). QUIC has no handshake of its own before TLS's, and no
	// TIME-WAIT.
	QUICHandshake
	QUICOpen
	QUICClosed
)

// Why a congestion window changed: the State of a CwndChanged record.
const (
	CwndInitial        State = iota + QUICClosed + 1 // the connection's initial window (RFC 6928); Note names the loss recovery (RecoveryRACK or RecoveryNewReno)
	CwndSynLost                                      // one segment: the SYN or SYN-ACK was retransmitted (RFC 6928 §2)
	CwndSlowStart                                    // grown by an ACK below ssthresh (RFC 5681 §3.1)
	CwndAvoidance                                    // grown by an ACK at or above ssthresh (RFC 5681 §3.1)
	CwndFastRetransmit                               // third duplicate ACK: ssthresh halved, cwnd = ssthresh + 3 (RFC 5681 §3.2)
	CwndRecovery                                     // inflated by one segment per further duplicate ACK (RFC 6582 §3.2 step 4)
	CwndPartialAck                                   // a partial ACK deflated it (RFC 6582 §3.2 step 4)
	CwndRecovered                                    // a full ACK ended fast recovery (RFC 6582 §3.2 step 3)
	CwndTimeout                                      // retransmission timeout: one segment (RFC 5681 §3.1)
	CwndRestart                                      // slow-start restart after an idle period (RFC 5681 §4.1)
	CwndHyStart                                      // slow start ended early: the round trip grew or an ACK train spanned half of it (Linux tcp_cubic HyStart)
	CwndLoss                                         // SACKs showed a loss: ssthresh cut, recovery begins (RFC 6675, RFC 8985; Linux tcp_enter_recovery)
	CwndPRR                                          // proportional rate reduction in recovery (RFC 6937)
	CwndProbeLoss                                    // a tail loss probe repaired a loss: cwnd = ssthresh at once (RFC 8985 §7.4.2)
	CwndUndo                                         // a timeout or recovery proved spurious: the window is restored (RFC 3522, RFC 5682)
	CwndAppLimited                                   // not used up for an RTO: halfway to what was used (RFC 2861 §3, Linux tcp_cwnd_application_limited)
	CwndQUICLoss                                     // QUIC declared packets lost: a recovery period, ssthresh and cwnd cut (RFC 9002 §7.3.2: to half; quic-go: to 0.7)
	CwndPersistent                                   // QUIC's persistent congestion: every packet over a long span lost, cwnd to the minimum, 2 datagrams (RFC 9002 §7.6.2)
)

// What ended a run early: the State of a RunStopped record. The first
// three are the names of a scenario's limits fields.
const (
	StopMaxTime   State = iota + CwndPersistent + 1 // limits.max_time
	StopMaxEvents                                   // limits.max_events
	StopMaxMemory                                   // limits.max_memory: the model's state passed its share
	StopTraceFull                                   // the trace kept in memory was full (the terminal UI's budget)
)

// TLS versions: the State of TLSStarted and TLSDone records.
const (
	TLS12 State = iota + StopTraceFull + 1 // TLS 1.2 (RFC 5246)
	TLS13                                  // TLS 1.3 (RFC 8446)
)

// SynLinear is the State of the Retransmit record of a SYN timeout that
// did not back off: Linux keeps its first SYN timeouts at the initial RTO
// (tcp_syn_linear_timeouts). A SYN timeout that backed off carries none.
const SynLinear State = TLS13 + 1

// lastState is the highest State.
const lastState = SynLinear

var stateNames = [...]string{
	Closed: "CLOSED", Listen: "LISTEN", SynSent: "SYN-SENT", SynReceived: "SYN-RECEIVED",
	Established: "ESTABLISHED", FinWait1: "FIN-WAIT-1", FinWait2: "FIN-WAIT-2",
	CloseWait: "CLOSE-WAIT", Closing: "CLOSING", LastAck: "LAST-ACK", TimeWait: "TIME-WAIT",
	QUICHandshake: "quic-handshake", QUICOpen: "quic-open", QUICClosed: "quic-closed",

	CwndInitial: "initial", CwndSynLost: "syn-lost", CwndSlowStart: "slow-start", CwndAvoidance: "avoidance",
	CwndFastRetransmit: "fast-retransmit", CwndRecovery: "fast-recovery", CwndPartialAck: "partial-ack",
	CwndRecovered: "recovered", CwndTimeout: "timeout", CwndRestart: "restart", CwndHyStart: "hystart",
	CwndLoss: "loss", CwndPRR: "prr", CwndProbeLoss: "probe-loss", CwndUndo: "undo", CwndAppLimited: "app-limited",
	CwndQUICLoss: "quic-loss", CwndPersistent: "persistent-congestion",

	StopMaxTime: "max_time", StopMaxEvents: "max_events", StopMaxMemory: "max_memory", StopTraceFull: "trace_full",

	TLS12: "1.2", TLS13: "1.3",

	SynLinear: "linear",
}

// String is the word a saved trace writes: "TIME-WAIT", "slow-start",
// "max_time"; "" for NoState.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return fmt.Sprintf("state(%d)", uint8(s))
}

// IsTCP reports whether s is a TCP state.
func (s State) IsTCP() bool { return s >= Closed && s <= TimeWait }

// Gone reports whether a state means the socket no longer takes data:
// CLOSED, or TIME-WAIT, which only acknowledges what arrives, or a
// closed QUIC connection.
func (s State) Gone() bool { return s == Closed || s == TimeWait || s == QUICClosed }

// AppClosed reports whether a TCP state means the application has closed
// its side and will read nothing more: FIN-WAIT-1, FIN-WAIT-2, CLOSING,
// LAST-ACK.
func (s State) AppClosed() bool {
	return s == FinWait1 || s == FinWait2 || s == Closing || s == LastAck
}

// states returns the group of states a record of kind k carries, lo to
// hi, and whether it may carry none.
func states(k Kind) (lo, hi State, none bool) {
	switch k {
	case StateChanged:
		return Closed, QUICClosed, false
	case CwndChanged:
		return CwndInitial, CwndPersistent, true // a trace may not say why
	case RunStopped:
		return StopMaxTime, StopTraceFull, false
	case TLSStarted, TLSDone:
		return TLS12, TLS13, true
	case Retransmit:
		return SynLinear, SynLinear, true
	}
	return NoState, NoState, true
}

// ParseState reads the State of a record of kind k as String writes it.
// A word outside the kind's group is an error that lists the group.
func ParseState(k Kind, s string) (State, error) {
	lo, hi, none := states(k)
	if s == "" {
		if none {
			return NoState, nil
		}
		return NoState, fmt.Errorf("a %s record needs a state (allowed: %s)", k, stateList(lo, hi))
	}
	for st := lo; st <= hi && st != NoState; st++ {
		if stateNames[st] == s {
			return st, nil
		}
	}
	if lo == NoState {
		return NoState, fmt.Errorf("state %q on a %s record, which carries none", s, k)
	}
	return NoState, fmt.Errorf("unknown state %q for a %s record (allowed: %s)", s, k, stateList(lo, hi))
}

func stateList(lo, hi State) string {
	var names []string
	for st := lo; st <= hi; st++ {
		names = append(names, stateNames[st])
	}
	return strings.Join(names, ", ")
}
