package tui

import (
	"fmt"
	"strconv"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// growthRules says in words what each slow-start and congestion-avoidance
// rule adds per ACK (the Note of a CwndChanged record of growth).
var growthRules = map[string]string{
	trace.GrowthRFC5681:      "in slow start each ACK adds the data it acknowledges, at most one segment: RFC 5681's cwnd += min(N, SMSS)",
	trace.GrowthABC:          "in slow start each ACK adds the data it acknowledges, at most two segments: RFC 3465's cwnd += min(N, 2·SMSS)",
	trace.GrowthLinux:        "in slow start each ACK adds every segment it acknowledges, as Linux's tcp_slow_start does",
	trace.GrowthReno:         "in congestion avoidance each ACK adds SMSS·SMSS/cwnd, one segment per window of ACKs: RFC 5681's eq. 3",
	trace.GrowthByteCounting: "in congestion avoidance each window of data acknowledged adds one segment: RFC 3465's byte counting",
	trace.GrowthCubic:        "in congestion avoidance CUBIC grows the window along a cubic curve of the time since its last loss, slowly near the window where it lost and faster away from it (RFC 9438)",
	trace.GrowthQUIC:         "QUIC's NewReno adds, in slow start, the bytes of every packet acknowledged and, in congestion avoidance, one datagram per window acknowledged (RFC 9002 §7.3.1, §7.3.3)",
}

func explainCwnd(r *trace.Record, ctx *ExplainContext) string {
	who := side(r.Dir) + "'s"
	on := onConn(r.Conn)
	n := segments(r.Cwnd, ctx.MSS)
	if r.Cwnd < 0 {
		return fmt.Sprintf("%s cwnd%s is unlimited: congestion control never holds it back", who, on)
	}
	switch r.State {
	case trace.CwndInitial:
		return fmt.Sprintf("%s cwnd%s starts at %s (the initial window): that much may be in flight before an ACK returns", who, on, n)
	case trace.CwndSynLost:
		return fmt.Sprintf("%s cwnd%s starts at %s: its handshake needed a retransmission, and RFC 6928 §2 then starts with one segment", who, on, n)
	case trace.CwndSlowStart, trace.CwndAvoidance:
		s := fmt.Sprintf("%s cwnd%s grew to %s", who, on, n)
		if rule, ok := growthRules[r.Note]; ok {
			s += ": " + rule
		}
		if r.Len > 0 && ctx.Prev > 0 && r.State == trace.CwndSlowStart {
			s += "; this ACK acknowledged " + segments(r.Len, ctx.MSS) + " and added " + segments(r.Cwnd-ctx.Prev, ctx.MSS)
		}
		switch {
		case ctx.Growth >= 1.005 && r.State == trace.CwndSlowStart:
			s += "; ×" + strconv.FormatFloat(ctx.Growth, 'f', 2, 64) + " over the last round trip"
		case ctx.Growth > 1 && r.State == trace.CwndAvoidance:
			// The per-round-trip gain depends on how many ACKs a window
			// brings (half as many with delayed ACKs): say what it was.
			before := int(float64(r.Cwnd) / ctx.Growth)
			s += "; +" + strconv.FormatFloat(float64(r.Cwnd-before)/float64(ctx.MSS), 'f', 2, 64) + " segments over the last round trip"
		}
		return s
	case trace.CwndFastRetransmit:
		return fmt.Sprintf("loss detected%s: three duplicate ACKs, so %s ssthresh drops to %s, half the flight size, and cwnd to %s, ssthresh + 3, for fast recovery (RFC 5681 §3.2)",
			on, who, segments(r.Ssthresh, ctx.MSS), segs(r.Cwnd, ctx.MSS))
	case trace.CwndRecovery:
		return fmt.Sprintf("%s cwnd%s inflated to %s: in fast recovery each duplicate ACK means a segment has left the network, so one more may go", who, on, n)
	case trace.CwndPartialAck:
		return fmt.Sprintf("a partial ACK%s: more than one segment was lost, so %s resends the next hole and cwnd deflates to %s", on, side(r.Dir), n)
	case trace.CwndRecovered:
		if ctx.SACK {
			return fmt.Sprintf("fast recovery is over%s: %s cwnd is %s, its ssthresh, and grows again from there", on, who, n)
		}
		return fmt.Sprintf("fast recovery is over%s: %s cwnd deflates to %s and grows again from there", on, who, n)
	case trace.CwndHyStart:
		if r.Note == trace.HyStartQUIC {
			return fmt.Sprintf("slow start ends%s before any loss: quic-go's hybrid slow start saw a round's first 8 round-trip samples (one per ACK) all exceed the path's minimum by more than an eighth of it (4 to 16 ms) — a queue is building — so %s ssthresh becomes cwnd, %s, and congestion avoidance takes over",
				on, who, n)
		}
		return fmt.Sprintf("slow start ends%s before any loss: HyStart (Linux CUBIC) saw the path fill up — the round trip grew, or a round's ACKs spread over half of it — so %s ssthresh becomes cwnd, %s, and congestion avoidance takes over",
			on, who, n)
	case trace.CwndLoss:
		return fmt.Sprintf("loss detected%s: RACK (RFC 8985) marked a segment lost — one sent after it was SACKed and it is still missing — so %s ssthresh drops to %s%s and fast recovery begins",
			on, who, segments(r.Ssthresh, ctx.MSS), fractionOf(r.Ssthresh, ctx.Prev))
	case trace.CwndPRR:
		return fmt.Sprintf("proportional rate reduction%s (RFC 6937): in fast recovery each ACK lets %s send in step with what it reports delivered, heading for ssthresh %s; cwnd is %s",
			on, side(r.Dir), segments(r.Ssthresh, ctx.MSS), n)
	case trace.CwndProbeLoss:
		return fmt.Sprintf("the tail loss probe%s repaired a real loss: %s cwnd and ssthresh fall to %s at once (RFC 8985 §7.4.2)", on, who, n)
	case trace.CwndUndo:
		return fmt.Sprintf("%s undoes its window cut%s: the ACKs show that what it thought lost had arrived (their timestamps predate its retransmission, RFC 3522, or D-SACKs report it twice, RFC 2883), so cwnd is back to %s and ssthresh %s",
			side(r.Dir), on, n, segments(r.Ssthresh, ctx.MSS))
	case trace.CwndAppLimited:
		return fmt.Sprintf("%s cwnd%s shrank to %s: for a whole RTO it did not use its window, so Linux moves it halfway towards what it used (RFC 2861 §3)", who, on, n)
	case trace.CwndTimeout:
		return fmt.Sprintf("retransmission timeout%s: %s cwnd falls to %s and ssthresh to %s, and slow start begins again",
			on, who, n, segments(r.Ssthresh, ctx.MSS))
	case trace.CwndQUICLoss:
		return fmt.Sprintf("loss detected%s: ACKs of later packets showed packets lost (3 packets or 9/8 of an RTT behind, RFC 9002 §6.1), so %s ssthresh and cwnd fall to %s%s and a recovery period begins, in which further losses cut nothing more (RFC 9002 §7.3.2)",
			on, who, segments(r.Ssthresh, ctx.MSS), fractionOf(r.Ssthresh, ctx.Prev))
	case trace.CwndPersistent:
		return fmt.Sprintf("persistent congestion%s: every packet sent over more than three probe timeouts was lost, so %s cwnd falls to %s, the minimum of two datagrams, and slow start begins again (RFC 9002 §7.6.2)",
			on, who, n)
	case trace.CwndRestart:
		return fmt.Sprintf("%s cwnd%s fell back to %s: it sent nothing for longer than its retransmission timeout, so it restarts slow start (RFC 5681 §4.1)", who, on, n)
	}
	return explainCwndGuess(r, ctx, who, on, n)
}

// fractionOf says what share of the window before a cut the new
// threshold is: ", 0.70 of cwnd".
func fractionOf(thresh, prev int) string {
	if prev <= 0 || thresh < 0 {
		return ""
	}
	return " (" + strconv.FormatFloat(float64(thresh)/float64(prev), 'f', 2, 64) + " of cwnd)"
}

// explainCwndGuess explains a window change of a trace that does not say
// why, from the windows before and after it.
func explainCwndGuess(r *trace.Record, ctx *ExplainContext, who, on, n string) string {
	switch {
	case ctx.Prev == 0:
		return fmt.Sprintf("%s cwnd%s starts at %s (the initial window): that much may be in flight before an ACK returns", who, on, n)
	case r.Ssthresh >= 0 && (ctx.PrevSsthresh < 0 || r.Ssthresh < ctx.PrevSsthresh):
		return fmt.Sprintf("loss detected%s: %s ssthresh drops to %s and cwnd to %s: TCP halves its sending rate",
			on, who, segments(r.Ssthresh, ctx.MSS), segs(r.Cwnd, ctx.MSS))
	case ctx.Recovering && r.Cwnd > ctx.Prev:
		return fmt.Sprintf("%s cwnd%s inflated to %s: in fast recovery each duplicate ACK lets one more segment out", who, on, n)
	case ctx.Recovering && r.Cwnd < ctx.Prev:
		return fmt.Sprintf("fast recovery is over%s: %s cwnd deflates to %s and grows again from there", on, who, n)
	case r.Cwnd < ctx.Prev:
		return fmt.Sprintf("%s cwnd%s fell to %s: after a loss or a long idle period TCP sends less at once", who, on, n)
	case r.Ssthresh < 0 || ctx.Prev < r.Ssthresh:
		return fmt.Sprintf("%s cwnd%s grew to %s in slow start", who, on, n)
	}
	return fmt.Sprintf("%s cwnd%s grew to %s in congestion avoidance", who, on, n)
}

func explainState(r *trace.Record, ctx *ExplainContext) string {
	who := side(r.Dir)
	switch r.State {
	case trace.QUICHandshake:
		if r.Dir == trace.Up {
			return fmt.Sprintf("the client opens QUIC connection %d: its first Initial packet carries the TLS ClientHello, so transport and TLS handshake share one round trip (RFC 9001 §4.1)", r.Conn)
		}
		return fmt.Sprintf("the server takes the first Initial packet of QUIC connection %d: it sends at most three times what it received until the client's address is validated (RFC 9000 §8.1)", r.Conn)
	case trace.QUICOpen:
		if r.Dir == trace.Up {
			return fmt.Sprintf("QUIC connection %d is open at the client: the server's Handshake flight has arrived, and requests may follow its Finished", r.Conn)
		}
		return fmt.Sprintf("the handshake of QUIC connection %d is complete at the server: the client's Finished arrived", r.Conn)
	case trace.QUICClosed:
		return fmt.Sprintf("QUIC connection %d is closed at %s: nothing more is sent on it, and QUIC keeps no TIME-WAIT", r.Conn, who)
	case trace.SynSent:
		return fmt.Sprintf("SYN-SENT: the client opens connection %d; nothing can be requested on it for a round trip", r.Conn)
	case trace.SynReceived:
		return fmt.Sprintf("SYN-RECEIVED: the server got the SYN for connection %d and answered it", r.Conn)
	case trace.Established:
		if r.Dir == trace.Up {
			return fmt.Sprintf("ESTABLISHED: connection %d is open at the client after one round trip; requests may flow", r.Conn)
		}
		return fmt.Sprintf("ESTABLISHED at the server: the handshake of connection %d is complete", r.Conn)
	case trace.FinWait1:
		if r.Dir == trace.Down && ctx.Protocol == trace.HTTP10 {
			return fmt.Sprintf("FIN-WAIT-1: the server closes connection %d after its response (HTTP/1.0)", r.Conn)
		}
		return fmt.Sprintf("FIN-WAIT-1: %s closed its side of connection %d and waits for the ACK", who, r.Conn)
	case trace.FinWait2:
		return fmt.Sprintf("FIN-WAIT-2: %s's FIN on connection %d was acknowledged; it waits for the other side's FIN", who, r.Conn)
	case trace.CloseWait:
		return fmt.Sprintf("CLOSE-WAIT: the other side closed connection %d; %s will close it too", r.Conn, who)
	case trace.LastAck:
		return fmt.Sprintf("LAST-ACK: %s sent its FIN on connection %d and waits for the final ACK", who, r.Conn)
	case trace.Closing:
		return fmt.Sprintf("CLOSING: both sides of connection %d sent FIN at the same time", r.Conn)
	case trace.TimeWait:
		held := "for 2·MSL"
		switch {
		case ctx.Held > 0:
			held = "for " + fmtTime(ctx.Held) + " (2·MSL)"
		case ctx.Held < 0:
			held = "to the end of the run (2·MSL)"
		}
		return fmt.Sprintf("TIME-WAIT: %s, which closed connection %d first, keeps its socket %s so that late packets cannot confuse a new connection", who, r.Conn, held)
	case trace.Closed:
		return fmt.Sprintf("CLOSED: connection %d is gone at %s", r.Conn, who)
	case trace.Listen:
		return "LISTEN: the server waits for connections"
	}
	return fmt.Sprintf("connection %d at %s is now %s", r.Conn, who, orWord(r.State.String(), "in a new state"))
}

func explainRetransmit(r *trace.Record, ctx *ExplainContext) string {
	who := side(r.Dir)
	switch r.Note {
	case trace.RetxQUICLost:
		return fmt.Sprintf("%s declares a packet of connection %d lost (%s): ACKs of packets sent 3 or more after it, or 9/8 of an RTT later, came back without it (RFC 9002 §6.1); its frames go again in a new packet", who, r.Conn, r.Label)
	case trace.RetxQUICProbe:
		return fmt.Sprintf("probe timeout on connection %d: no ACK came back in time, so %s sends the oldest data in flight again (%s) to draw one; the next timeout waits twice as long (RFC 9002 §6.2)", r.Conn, who, r.Label)
	case trace.RetxFastRetransmit:
		return fmt.Sprintf("fast retransmit on connection %d: three duplicate ACKs told %s a segment was lost, so it resends byte %d at once instead of waiting for a timeout", r.Conn, who, r.Seq)
	case trace.RetxTimeout:
		return fmt.Sprintf("retransmission timeout on connection %d: no ACK came back before the timer expired, so %s resends from byte %d and restarts slow start", r.Conn, who, r.Seq)
	case trace.RetxPartialAck:
		return fmt.Sprintf("%s resends byte %d on connection %d: a partial ACK in fast recovery showed that this segment was lost too", who, r.Seq, r.Conn)
	case trace.RetxLost:
		return fmt.Sprintf("%s resends byte %d on connection %d: RACK (RFC 8985) marked it lost, because a segment sent after it has been SACKed and this one is still missing", who, r.Seq, r.Conn)
	case trace.RetxAfterTimeout:
		return fmt.Sprintf("%s resends byte %d on connection %d: after the timeout every segment not acknowledged counts as lost, and they go again as the window regrows", who, r.Seq, r.Conn)
	case trace.RetxTailLossProbe:
		return fmt.Sprintf("tail loss probe on connection %d: no ACK came back for two round trips or more, so %s sends its last segment again, to draw an ACK that shows what is missing (RFC 8985 §7)", r.Conn, who)
	case trace.RetxSynTimeout:
		what, answer := "SYN", "SYN-ACK"
		if r.Dir == trace.Down {
			what, answer = "SYN-ACK", "ACK"
		}
		waited := ""
		if ctx.Held > 0 {
			waited = " within " + fmtTime(ctx.Held)
		}
		if r.State == trace.SynLinear {
			return fmt.Sprintf("%s timeout on connection %d: no %s came back%s, so %s sends its %s again and waits as long again: Linux keeps its first four SYN timeouts at the initial RTO (tcp_syn_linear_timeouts)",
				what, r.Conn, answer, waited, who, what)
		}
		return fmt.Sprintf("%s timeout on connection %d: no %s came back%s, so %s sends its %s again and waits twice as long next time (RFC 6298 §5.5)",
			what, r.Conn, answer, waited, who, what)
	}
	return fmt.Sprintf("%s retransmits from byte %d on connection %d (%s)", who, r.Seq, r.Conn, orWord(r.Note, "lost data"))
}
