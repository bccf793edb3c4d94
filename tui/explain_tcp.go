package tui

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
)

func explainCwnd(r *trace.Record, ctx *ExplainContext) string {
	who := "the server's"
	if r.Dir == trace.Up {
		who = "the client's"
	}
	n := segs(r.Cwnd, ctx.MSS)
	switch {
	case r.Cwnd < 0:
		return fmt.Sprintf("%s cwnd is unlimited: congestion control never holds it back", who)
	case ctx.Prev == 0:
		return fmt.Sprintf("%s cwnd starts at %s segments (the initial window): that much may be in flight before an ACK returns", who, n)
	case r.Ssthresh >= 0 && (ctx.PrevSsthresh < 0 || r.Ssthresh < ctx.PrevSsthresh):
		return fmt.Sprintf("loss detected: %s ssthresh drops to %s segments and cwnd to %s: TCP halves its sending rate",
			who, segs(r.Ssthresh, ctx.MSS), n)
	case ctx.Recovering && r.Cwnd > ctx.Prev:
		return fmt.Sprintf("%s cwnd inflated to %s segments: in fast recovery each duplicate ACK lets one more segment out", who, n)
	case ctx.Recovering && r.Cwnd < ctx.Prev:
		return fmt.Sprintf("fast recovery is over: %s cwnd deflates to %s segments and grows again from there", who, n)
	case ctx.Prev > 0 && r.Cwnd < ctx.Prev:
		return fmt.Sprintf("%s cwnd fell to %s segments: after a loss or a long idle period TCP sends less at once", who, n)
	case r.Ssthresh < 0 || ctx.Prev < r.Ssthresh:
		return fmt.Sprintf("cwnd grew to %s segments: slow start doubles the window every round trip", n)
	}
	return fmt.Sprintf("cwnd grew to %s segments: congestion avoidance adds about one segment per round trip", n)
}

func explainState(r *trace.Record, ctx *ExplainContext) string {
	who := side(r.Dir)
	switch r.State {
	case "SYN-SENT":
		return fmt.Sprintf("SYN-SENT: the client opens connection %d; nothing can be requested on it for a round trip", r.Conn)
	case "SYN-RECEIVED":
		return fmt.Sprintf("SYN-RECEIVED: the server got the SYN for connection %d and answered it", r.Conn)
	case "ESTABLISHED":
		if r.Dir == trace.Up {
			return fmt.Sprintf("ESTABLISHED: connection %d is open at the client after one round trip; requests may flow", r.Conn)
		}
		return fmt.Sprintf("ESTABLISHED at the server: the handshake of connection %d is complete", r.Conn)
	case "FIN-WAIT-1":
		if r.Dir == trace.Down && ctx.Protocol == "http1.0" {
			return "FIN-WAIT-1: the server closes the connection after each response (HTTP/1.0)"
		}
		return fmt.Sprintf("FIN-WAIT-1: %s closed its side of connection %d and waits for the ACK", who, r.Conn)
	case "FIN-WAIT-2":
		return fmt.Sprintf("FIN-WAIT-2: %s's FIN was acknowledged; it waits for the other side's FIN", who)
	case "CLOSE-WAIT":
		return fmt.Sprintf("CLOSE-WAIT: the other side closed connection %d; %s will close it too", r.Conn, who)
	case "LAST-ACK":
		return fmt.Sprintf("LAST-ACK: %s sent its FIN and waits for the final ACK", who)
	case "CLOSING":
		return "CLOSING: both sides sent FIN at the same time"
	case "TIME-WAIT":
		return "TIME-WAIT: the side that closed first keeps the socket for 60 s (2·MSL) so late packets cannot confuse a new connection"
	case "CLOSED":
		return fmt.Sprintf("CLOSED: connection %d is gone at %s", r.Conn, who)
	case "LISTEN":
		return "LISTEN: the server waits for connections"
	}
	return fmt.Sprintf("connection %d at %s is now %s", r.Conn, who, orWord(r.State, "in a new state"))
}

func explainRetransmit(r *trace.Record) string {
	who := side(r.Dir)
	switch r.Note {
	case "fast retransmit":
		return fmt.Sprintf("fast retransmit: three duplicate ACKs told %s a segment was lost, so it resends byte %d at once instead of waiting for a timeout", who, r.Seq)
	case "timeout":
		return fmt.Sprintf("retransmission timeout: no ACK came back in time, so %s resends from byte %d and restarts slow start", who, r.Seq)
	case "SYN timeout":
		return fmt.Sprintf("SYN timeout: no SYN-ACK came back, so %s sends its SYN again (after 1 s, then twice as long each time)", who)
	}
	return fmt.Sprintf("%s retransmits from byte %d (%s)", who, r.Seq, orWord(r.Note, "lost data"))
}
