package tui

import (
	"fmt"
	"strconv"

	"github.com/keepalive-sim/keepalive/model/trace"
)

func explainTLS(r *trace.Record, ctx *ExplainContext) string {
	how := ""
	if r.Note != "" {
		how = " (" + r.Note + ")"
	}
	name := "TLS"
	if v := r.State.String(); v != "" {
		name += " " + v
	}
	if ctx.QUIC {
		return fmt.Sprintf("%s handshake%s starts inside QUIC's on connection %d: one round trip sets up the connection and its encryption together, before the first request (with 0-RTT data, the request goes with the ClientHello)", name, how, r.Conn)
	}
	trips := "one more round trip"
	if r.State == trace.TLS12 && r.Note != trace.TLSResumed {
		trips = "two more round trips"
	}
	return fmt.Sprintf("%s handshake%s starts on connection %d: %s before the first request", name, how, r.Conn, trips)
}

func explainRequest(r *trace.Record, ctx *ExplainContext) string {
	what := orWord(r.Label, "a request")
	switch {
	case ctx.QUIC && ctx.Earlier > 0:
		return fmt.Sprintf("%s sent as stream %d on connection %d: HTTP/3 gives each request a QUIC stream of its own, delivered apart from the others", what, r.Stream, r.Conn)
	case ctx.QUIC:
		return fmt.Sprintf("%s sent as stream %d, the first of connection %d, a new QUIC connection", what, r.Stream, r.Conn)
	case r.Stream > 0:
		return fmt.Sprintf("%s sent as stream %d on connection %d: HTTP/2 multiplexes every request on one connection", what, r.Stream, r.Conn)
	case ctx.Earlier > 0 && ctx.Protocol == trace.HTTP11Pipelined:
		return fmt.Sprintf("%s sent on connection %d (reused, pipelined: no waiting for a handshake or for earlier responses)", what, r.Conn)
	case ctx.Earlier > 0:
		return fmt.Sprintf("%s sent on connection %d (reused: no handshake needed)", what, r.Conn)
	}
	return fmt.Sprintf("%s sent on connection %d, a new connection that had to be opened first", what, r.Conn)
}

func explainLoaded(r *trace.Record, ctx *ExplainContext) string {
	took := r.At
	if ctx.Since > 0 {
		took = ctx.Since
	}
	s := "page loaded in " + fmtTime(took)
	if ctx.Pages > 1 && r.Page > 0 {
		s = pageWord(r.Page) + " loaded in " + fmtTime(took)
	}
	if ctx.RTT > 0 {
		s += " = " + rtts(took, ctx.RTT)
	}
	switch {
	case ctx.NewConns < 0: // several clients: the page's connections are not known
	case ctx.Retried > 0:
		s += fmt.Sprintf(": %s retried after its connection closed under it", pluralOf(ctx.Retried, "request was", "requests were"))
	case ctx.NewConns == 0 && ctx.Protocol != trace.NoProtocol:
		s += ": every request went on connections already open — no handshake"
	case ctx.Protocol == trace.HTTP10:
		s += fmt.Sprintf(": every object paid for its own connection (%s)", pluralOf(ctx.NewConns, "handshake", "handshakes"))
	case ctx.Protocol == trace.HTTP2:
		s += fmt.Sprintf(": every request shared %s", pluralOf(ctx.NewConns, "multiplexed connection", "multiplexed connections"))
	case ctx.Protocol == trace.HTTP11Pipelined:
		s += fmt.Sprintf(": requests were pipelined on %s", pluralOf(ctx.NewConns, "new connection", "new connections"))
	case ctx.Protocol == trace.HTTP11:
		s += fmt.Sprintf(": %s opened, then reused", pluralOf(ctx.NewConns, "connection", "connections"))
	}
	return s
}

// pluralOf writes n with the singular or the plural form.
func pluralOf(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// explainLifecycle covers the browser's and the server's connection
// management: pages, retries, idle timeouts, the accept backlog and worker
// slots, the cache. It returns "" for other kinds.
func explainLifecycle(r *trace.Record) string {
	what := orWord(r.Label, fmt.Sprintf("resource %d", r.Resource))
	why := ""
	if r.Note != "" {
		why = ": " + r.Note
	}
	switch r.Kind {
	case trace.PageStarted:
		if r.Page > 1 {
			return fmt.Sprintf("the user navigates to page %d: connections still open may be reused", r.Page)
		}
		return "navigation starts: the browser begins loading the page"
	case trace.RequestRetried:
		conn := "its connection"
		if r.Conn > 0 {
			conn = "connection " + strconv.Itoa(r.Conn)
		}
		return fmt.Sprintf("the request for %s died with %s%s; the browser sends it again on another connection", what, conn, why)
	case trace.RequestFailed:
		if r.Conn == 0 {
			return fmt.Sprintf("the request for %s failed%s; the browser gives up on it", what, why)
		}
		return fmt.Sprintf("the request for %s died with connection %d%s; the browser gives up on it", what, r.Conn, why)
	case trace.IdleTimeout:
		if r.Dir == trace.Down {
			return fmt.Sprintf("connection %d%s — keep-alive is not forever", r.Conn, orWord(why, ": the server closes it"))
		}
		return fmt.Sprintf("connection %d%s", r.Conn, orWord(why, ": the browser closes it"))
	case trace.Backlogged:
		return fmt.Sprintf("every server worker is busy: connection %d waits in the accept backlog", r.Conn)
	case trace.Accepted:
		return fmt.Sprintf("a server worker takes connection %d", r.Conn)
	case trace.Refused:
		return fmt.Sprintf("the server's backlog is full: it drops the SYN of connection %d, and the client must wait for its SYN timeout", r.Conn)
	case trace.SlotReleased:
		return fmt.Sprintf("the server closed connection %d and freed its worker", r.Conn)
	case trace.ServerBusy:
		if r.Note != "" { // a worker took the connection: no request yet
			return fmt.Sprintf("a server worker takes connection %d, %s", r.Conn, r.Note)
		}
		return fmt.Sprintf("the server works on a request on connection %d", r.Conn)
	case trace.ServerIdle:
		return fmt.Sprintf("the server has answered everything on connection %d and keeps it open, holding a worker: keep-alive's cost to the server", r.Conn)
	case trace.ResponseCached:
		return fmt.Sprintf("%s is already in the browser's cache: no request needed", what)
	case trace.OriginConn:
		return fmt.Sprintf("the proxy opens connection %d to the origin server", r.Conn)
	case trace.DNSStarted:
		return fmt.Sprintf("the browser asks for %s's address before it can connect to it", r.Label)
	case trace.DNSDone:
		return fmt.Sprintf("the browser has %s's address (%s)", r.Label, r.Note)
	case trace.ConnHost:
		return fmt.Sprintf("the browser opens connection %d to %s", r.Conn, r.Label)
	case trace.CPUQueued:
		return fmt.Sprintf("the server has work for connection %d (%s) and queues it for a processor core", r.Conn, r.Label)
	case trace.CPUStarted:
		return fmt.Sprintf("a server core starts on connection %d's %s", r.Conn, r.Label)
	case trace.CPUDone:
		return fmt.Sprintf("a server core finished connection %d's %s: the next work in the queue may start", r.Conn, r.Label)
	case trace.ServerMemory:
		return explainMemory(r)
	}
	return ""
}

// explainMemory says what changed in the server's memory and what it
// holds now.
func explainMemory(r *trace.Record) string {
	held := memText(r.Len)
	switch r.Label {
	case trace.MemSocket:
		return fmt.Sprintf("connection %d's socket in the server's kernel changes with its TCP state: the server now holds %s for its connections", r.Conn, held)
	case trace.MemConnOpened:
		return fmt.Sprintf("a worker takes connection %d and the server allocates its state for it (buffers, goroutine; TLS and HTTP/2 when used): it now holds %s", r.Conn, held)
	case trace.MemConnClosed:
		return fmt.Sprintf("the server frees its state for connection %d: it now holds %s", r.Conn, held)
	case trace.MemStreamOpen:
		return fmt.Sprintf("the server starts answering a stream on connection %d and holds its state: %s in all", r.Conn, held)
	case trace.MemStreamDone:
		return fmt.Sprintf("the server is done with a stream on connection %d: it now holds %s", r.Conn, held)
	}
	return fmt.Sprintf("the server's data sent and not yet acknowledged changes: it now holds %s for its connections", held)
}
