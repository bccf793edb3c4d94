package trace

import (
	"strconv"
	"strings"
)

// The words of Note and Label that a reader of the trace acts on. Notes
// and labels are mostly plain words for a person ("random loss", "GET
// /a.png"), so the fields stay strings; these closed sets are named here
// so that the model that writes them and the UI that reads them share one
// spelling.

// Why a segment was sent again: the Note of a Retransmit record.
const (
	RetxFastRetransmit = "fast retransmit" // three duplicate ACKs (RFC 5681 §3.2)
	RetxTimeout        = "timeout"         // the retransmission timer expired (RFC 6298 §5.4)
	RetxPartialAck     = "partial ACK"     // a partial ACK in NewReno's fast recovery (RFC 6582 §3.2)
	RetxLost           = "lost"            // RACK marked the segment lost (RFC 8985 §6.2)
	RetxAfterTimeout   = "after timeout"   // every unacknowledged segment after a timeout (RFC 8985 §6.3)
	RetxTailLossProbe  = "tail loss probe" // a probe for a lost tail (RFC 8985 §7)
	RetxSynTimeout     = "SYN timeout"     // the SYN or SYN-ACK went unanswered (RFC 6298 §5.7); State may be SynLinear
	RetxQUICLost       = "QUIC lost"       // QUIC declared a packet lost: 3 later packets or 9/8 RTT (RFC 9002 §6.1); its frames are queued again
	RetxQUICProbe      = "QUIC probe"      // QUIC's probe timeout sent the oldest data in flight again (RFC 9002 §6.2.4)
)

// How a sender repairs losses: the Note of the CwndInitial record that
// starts each of its windows.
const (
	RecoveryRACK    = "rack"    // SACK, RACK-TLP, PRR, as Linux does (RFC 8985)
	RecoveryNewReno = "newreno" // duplicate ACKs and NewReno (RFC 6582)
	RecoveryQUIC    = "quic"    // QUIC's packet and time thresholds and probe timeout (RFC 9002 §6)
)

// HyStartQUIC is the Note of a QUIC sender's CwndHyStart record: quic-go's
// hybrid slow start (Chromium's), which compares the round trips of each
// round's first 8 packets with the path's minimum, where Linux's TCP
// HyStart also times ACK trains.
const HyStartQUIC = "quic-go-hystart"

// The rule by which a window grew: the Note of a CwndChanged record of
// CwndSlowStart (the first three) or CwndAvoidance (the others). They are
// the rules' names in a scenario file too (tcp.slow_start, tcp.avoidance).
const (
	GrowthRFC5681      = "rfc5681"       // cwnd += min(N, SMSS) per ACK (RFC 5681 §3.1)
	GrowthABC          = "abc"           // cwnd += min(N, 2·SMSS) per ACK (RFC 3465)
	GrowthLinux        = "linux"         // every segment acknowledged (Linux tcp_slow_start)
	GrowthReno         = "reno"          // SMSS·SMSS/cwnd per ACK (RFC 5681 eq. 3)
	GrowthByteCounting = "byte-counting" // a segment per window of data acknowledged (RFC 3465)
	GrowthCubic        = "cubic"         // the cubic curve of RFC 9438
	GrowthQUIC         = "rfc9002"       // QUIC NewReno: in slow start each acknowledged packet's bytes, in congestion avoidance a datagram per window acknowledged (RFC 9002 §7.3.1, §7.3.3)
)

// How a TLS handshake goes: the Note of a TLSStarted record.
const (
	TLSFull    = "full"    // a full handshake
	TLSResumed = "resumed" // a resumed session (RFC 8446 §2.2, RFC 5077)
)

// The Labels of TCP keep-alive's packets (RFC 9293 §3.8.4).
const (
	ProbeLabel    = "keep-alive probe"
	ProbeAckLabel = "keep-alive ACK"
)

// WindowUpdateLabel begins the Label of an HTTP/2 WINDOW_UPDATE frame
// (RFC 9113 §6.9), which grants the sender more flow-control window:
// WindowUpdate spells what it grants. A bare "WINDOW_UPDATE" says
// neither the stream nor the increment.
const WindowUpdateLabel = "WINDOW_UPDATE"

// WindowUpdate is the Label of a WINDOW_UPDATE frame with increment inc
// on stream (0: the connection's window, RFC 9113 §6.9):
// "WINDOW_UPDATE stream 3 +3145728", "WINDOW_UPDATE connection +7864320".
func WindowUpdate(stream, inc int) string {
	on := "connection"
	if stream > 0 {
		on = "stream " + strconv.Itoa(stream)
	}
	return WindowUpdateLabel + " " + on + " +" + strconv.Itoa(inc)
}

// ParseWindowUpdate reads a label WindowUpdate wrote; ok is false for
// any other label, a bare "WINDOW_UPDATE" too.
func ParseWindowUpdate(label string) (stream, inc int, ok bool) {
	rest, found := strings.CutPrefix(label, WindowUpdateLabel+" ")
	if !found {
		return 0, 0, false
	}
	if s, found := strings.CutPrefix(rest, "stream "); found {
		num, tail, _ := strings.Cut(s, " ")
		if stream, ok = digits(num); !ok || stream == 0 {
			return 0, 0, false
		}
		rest = tail
	} else if rest, found = strings.CutPrefix(rest, "connection "); !found {
		return 0, 0, false
	}
	num, found := strings.CutPrefix(rest, "+")
	inc, ok = digits(num)
	// An increment is 1 to 2³¹−1 (RFC 9113 §6.9).
	if !found || !ok || inc < 1 || inc > 1<<31-1 {
		return 0, 0, false
	}
	return stream, inc, true
}

// digits reads a decimal number of at most 10 digits, nothing else.
func digits(s string) (int, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
