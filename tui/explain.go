package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// ExplainContext is what Explain needs to know beyond the record itself.
// The UI fills it from the run's index; zero values are always safe and
// make Explain say less rather than something untrue.
type ExplainContext struct {
	Protocol trace.Protocol // the run's protocol; NoProtocol if unknown
	// QUIC is whether the record's connection is a QUIC connection (an
	// HTTP/3 run's may be TCP: quic.discovery alt-svc).
	QUIC bool
	RTT  time.Duration // the lesson's round-trip time; 0 if unknown
	MSS  int           // bytes in a full segment; 0 means 1460
	// Earlier is, for RequestSent, how many requests were sent before it
	// on the same connection.
	Earlier int
	// Prev and PrevSsthresh are, for CwndChanged, the window and slow-start
	// threshold before the change, in bytes (-1: unlimited); Prev is 0
	// when this is the connection's first window.
	Prev, PrevSsthresh int
	// Recovering is, for CwndChanged of a trace without causes, whether
	// the sender was in fast recovery before the change.
	Recovering bool
	// Growth is, for a CwndChanged of slow start or congestion avoidance,
	// the window now over the window one round trip earlier; 0 when the
	// connection has less than a round trip of history.
	Growth float64
	// Since is, for FirstByte, the time since the request was sent and,
	// for LastByte, the time since the first byte arrived; 0 if unknown.
	// For PageLoaded and PageFailed it is how long the page took (since
	// its navigation start); 0 if unknown.
	Since time.Duration
	// NewConns and Retried are, for PageLoaded, how many connections the
	// page opened (-1: unknown, with several clients) and how many of its
	// requests were retried.
	NewConns, Retried int
	// Pages is how many pages the run's first client loads; above 1,
	// page records name their page.
	Pages int
	// Resource is, for a packet, the path of the resource whose bytes it
	// carries ("/img3.jpg"), "" when none or unknown.
	Resource string
	// Before is, for a packet, the TCP state of the connection at the
	// side that sends it (PacketSent) or receives it (PacketArrived) just
	// before; NoState if unknown.
	Before trace.State
	// SACK is whether the record's connection repairs losses as Linux
	// does (SACK, RACK-TLP) rather than by duplicate ACKs alone.
	SACK bool
	// Origin is whether the record's connection is one a proxy opened to
	// the origin server: its client is the proxy, its server the origin.
	Origin bool
	// Held is, for TIME-WAIT, how long the socket stays in it (-1: to the
	// end of the run); for a SYN timeout, how long the sender waited; for
	// a keep-alive probe, how long the connection had been silent. 0 if
	// unknown.
	Held time.Duration
}

// Explain says in plain words, for a student, what r means: "SYN-ACK
// arrived on connection 1: the handshake cost one round trip before any
// request could be sent". It covers every Kind and never returns "".
func Explain(r trace.Record, ctx ExplainContext) string {
	if ctx.MSS <= 0 {
		ctx.MSS = 1460
	}
	if ctx.Origin {
		return originHop(explain(r, ctx))
	}
	return explain(r, ctx)
}

// originHop renames the ends of a proxy's connection to the origin: its
// client is the proxy and its server the origin server.
func originHop(s string) string {
	return strings.NewReplacer("the client", "the proxy", "the server", "the origin server").Replace(s)
}

func explain(r trace.Record, ctx ExplainContext) string {
	if ctx.Protocol == trace.HTTP3 {
		if s, ok := explainQUIC(&r); ok {
			return s
		}
	}
	switch r.Kind {
	case trace.PacketSent:
		return explainSent(&r, &ctx)
	case trace.PacketArrived:
		return explainArrived(&r, &ctx)
	case trace.PacketDropped:
		return explainDropped(&r, &ctx)
	case trace.CwndChanged:
		return explainCwnd(&r, &ctx)
	case trace.StateChanged:
		return explainState(&r, &ctx)
	case trace.Retransmit:
		return explainRetransmit(&r, &ctx)
	case trace.ConnFailed:
		return fmt.Sprintf("connection %d failed: %s; the browser gives up on it", r.Conn, orWord(r.Note, "no reason given"))
	case trace.ResourceQueued:
		if r.Resource == 1 {
			return fmt.Sprintf("navigation starts: the browser wants %s (%d bytes)", orWord(r.Label, "the page"), r.Len)
		}
		return fmt.Sprintf("%s (%d bytes) found in the page: the browser queues a request for it", orWord(r.Label, "a resource"), r.Len)
	case trace.TLSStarted:
		return explainTLS(&r, &ctx)
	case trace.TLSDone:
		return fmt.Sprintf("TLS handshake done on connection %d: requests can now be sent, encrypted", r.Conn)
	case trace.RequestSent:
		return explainRequest(&r, &ctx)
	case trace.FirstByte:
		s := fmt.Sprintf("first byte of %s arrived%s", orWord(r.Label, "the response"), onConn(r.Conn))
		if ctx.Since > 0 {
			s += ", " + fmtTime(ctx.Since) + " after its request"
			if ctx.RTT > 0 {
				s += ": " + rtts(ctx.Since, ctx.RTT) + " waiting for the server (DevTools' Waiting)"
			}
		}
		return s
	case trace.LastByte:
		s := fmt.Sprintf("%s complete%s: %d bytes", orWord(r.Label, "the response"), onConn(r.Conn), r.Len)
		if ctx.Since > 0 {
			s += ", downloaded in " + fmtTime(ctx.Since)
		}
		return s
	case trace.PageLoaded:
		return clientPrefix(r.Client) + explainLoaded(&r, &ctx)
	case trace.PageFailed:
		took := r.At
		if ctx.Since > 0 {
			took = ctx.Since
		}
		return fmt.Sprintf("%s%s failed after %s: %s", clientPrefix(r.Client), pageWord(r.Page), fmtTime(took), orWord(r.Note, "a request failed"))
	case trace.PageUnfinished:
		return fmt.Sprintf("%s%s never finished: %s", clientPrefix(r.Client), pageWord(r.Page), orWord(r.Note, "the run ended first"))
	case trace.RunStopped:
		if r.State == trace.StopTraceFull {
			// The terminal UI's own budget, not the scenario's limits.
			return "the run stopped here: " + orWord(r.Note, "the trace kept in memory is full") +
				"; the terminal UI keeps only so much trace in memory (keepalive run --trace FILE records the whole run)"
		}
		return "the run stopped here: " + orWord(r.Note, "a limit was reached")
	}
	if s := explainLifecycle(&r); s != "" {
		return s
	}
	return unexplained(&r)
}

// unexplained is what Explain says about a kind it does not know.
func unexplained(r *trace.Record) string {
	return fmt.Sprintf("%s event on connection %d", r.Kind, r.Conn)
}

// clientPrefix names the client of a record in a run of several: "client 3: ".
func clientPrefix(n int) string {
	if n <= 0 {
		return ""
	}
	return "client " + strconv.Itoa(n) + ": "
}

// pageWord names a page of a visit: "page 2"; "the page" when unknown.
func pageWord(n int) string {
	if n <= 0 {
		return "the page"
	}
	return "page " + strconv.Itoa(n)
}

// onConn is " on connection N", or "" for no connection.
func onConn(conn int) string {
	if conn <= 0 {
		return ""
	}
	return " on connection " + strconv.Itoa(conn)
}

func orWord(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// side names the end of a connection: Up is the client, Down the server.
func side(d trace.Dir) string {
	if d == trace.Down {
		return "the server"
	}
	return "the client"
}

// other names the far end of a packet's direction.
func other(d trace.Dir) string {
	if d == trace.Down {
		return "the client"
	}
	return "the server"
}

// segs writes a window of b bytes in segments: "4", "2.2", "unlimited".
func segs(b, mss int) string {
	if b < 0 {
		return "unlimited"
	}
	if b%mss == 0 {
		return strconv.Itoa(b / mss)
	}
	// One decimal, or two when one would print a whole number it is not.
	s := strconv.FormatFloat(float64(b)/float64(mss), 'f', 1, 64)
	if strings.HasSuffix(s, ".0") {
		s = strconv.FormatFloat(float64(b)/float64(mss), 'f', 2, 64)
	}
	return s
}

// segments writes segs with its noun: "1 segment", "2.5 segments", and
// an amount below a segment in bytes: "64 bytes".
func segments(b, mss int) string {
	switch n := segs(b, mss); {
	case b >= 0 && b < mss:
		return strconv.Itoa(b) + " bytes"
	case n == "1":
		return "1 segment"
	default:
		return n + " segments"
	}
}

// rtts writes d in round trips: "1.0 RTT", "8.1 RTTs".
func rtts(d, rtt time.Duration) string {
	n := float64(d) / float64(rtt)
	s := strconv.FormatFloat(n, 'f', 1, 64)
	if s == "1.0" {
		return s + " RTT"
	}
	return s + " RTTs"
}
