package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// ExplainContext is what Explain needs to know beyond the record itself.
// The UI fills it from the run's index; zero values are always safe.
type ExplainContext struct {
	Protocol string        // the run's protocol, e.g. "http1.0"
	RTT      time.Duration // the lesson's round-trip time; 0 if unknown
	MSS      int           // bytes in a full segment; 0 means 1460
	// Earlier is, for RequestSent, how many requests were sent before it
	// on the same connection.
	Earlier int
	// Prev and PrevSsthresh are, for CwndChanged, the window and slow-start
	// threshold before the change, in bytes (-1: unlimited); Prev is 0
	// when this is the connection's first window.
	Prev, PrevSsthresh int
	// Recovering is, for CwndChanged, whether the sender was in fast
	// recovery before the change (a loss had cut ssthresh and cwnd has not
	// deflated yet).
	Recovering bool
	// Since is, for FirstByte, the time since the request was sent and,
	// for LastByte, the time since the first byte arrived; 0 if unknown.
	// For PageLoaded it is how long the page took (since its navigation
	// start); 0 if unknown.
	Since time.Duration
	// NewConns and Retried are, for PageLoaded, how many connections the
	// page opened (-1: unknown, with several clients) and how many of its
	// requests were retried.
	NewConns, Retried int
}

// Explain says in plain words, for a student, what r means: "SYN-ACK
// arrived: the handshake cost one round trip before any request could be
// sent". It covers every Kind and never returns "".
func Explain(r trace.Record, ctx ExplainContext) string {
	if ctx.MSS <= 0 {
		ctx.MSS = 1460
	}
	switch r.Kind {
	case trace.PacketSent:
		return explainSent(&r, &ctx)
	case trace.PacketArrived:
		return explainArrived(&r)
	case trace.PacketDropped:
		why := r.Note
		if why == "" {
			why = "lost"
		}
		return fmt.Sprintf("packet dropped (%s): %s on connection %d never arrives; TCP must notice the gap and send it again",
			why, r.Describe(), r.Conn)
	case trace.CwndChanged:
		return explainCwnd(&r, &ctx)
	case trace.StateChanged:
		return explainState(&r, &ctx)
	case trace.Retransmit:
		return explainRetransmit(&r)
	case trace.ConnFailed:
		return fmt.Sprintf("connection %d failed (%s): the browser gives up on it", r.Conn, orWord(r.Note, "no reason given"))
	case trace.ResourceQueued:
		if r.Resource == 1 {
			return fmt.Sprintf("navigation starts: the browser wants %s (%d bytes)", orWord(r.Label, "the page"), r.Len)
		}
		return fmt.Sprintf("%s (%d bytes) found in the page: the browser queues a request for it", orWord(r.Label, "a resource"), r.Len)
	case trace.TLSStarted:
		return explainTLS(&r)
	case trace.TLSDone:
		return fmt.Sprintf("TLS handshake done on connection %d: requests can now be sent, encrypted", r.Conn)
	case trace.RequestSent:
		return explainRequest(&r, &ctx)
	case trace.FirstByte:
		s := fmt.Sprintf("first byte of %s arrived", orWord(r.Label, "the response"))
		if ctx.Since > 0 {
			s += " " + fmtTime(ctx.Since) + " after its request"
			if ctx.RTT > 0 {
				s += " (" + rtts(ctx.Since, ctx.RTT) + " of waiting: time to first byte)"
			}
		}
		return s
	case trace.LastByte:
		s := fmt.Sprintf("%s complete: %d bytes", orWord(r.Label, "the response"), r.Len)
		if ctx.Since > 0 {
			s += ", downloaded in " + fmtTime(ctx.Since)
		}
		return s
	case trace.PageLoaded:
		return explainLoaded(&r, &ctx)
	case trace.PageFailed:
		took := r.At
		if ctx.Since > 0 {
			took = ctx.Since
		}
		return fmt.Sprintf("%s failed after %s: %s", pageWord(r.Page), fmtTime(took), orWord(r.Note, "a request failed"))
	case trace.PageUnfinished:
		return fmt.Sprintf("%s never finished: %s", pageWord(r.Page), orWord(r.Note, "the run ended first"))
	case trace.RunStopped:
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

// pageWord names a page of a visit: "page 2"; "the page" when unknown.
func pageWord(n int) string {
	if n <= 0 {
		return "the page"
	}
	return "page " + strconv.Itoa(n)
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
	return strconv.FormatFloat(float64(b)/float64(mss), 'f', 1, 64)
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

func explainSent(r *trace.Record, ctx *ExplainContext) string {
	by, to := side(r.Dir), other(r.Dir)
	prefix := ""
	if r.Retx {
		prefix = "retransmission: "
	}
	f := r.Flags
	switch {
	case f&trace.RST != 0:
		return fmt.Sprintf("%sRST sent by %s: connection %d is aborted", prefix, by, r.Conn)
	case f&trace.SYN != 0 && f&trace.ACK == 0:
		return fmt.Sprintf("%sSYN sent by %s: opening connection %d costs a round trip before a request can go out", prefix, by, r.Conn)
	case f&trace.SYN != 0:
		return fmt.Sprintf("%sSYN-ACK sent by %s: it accepts connection %d and waits for the last ACK", prefix, by, r.Conn)
	case f&trace.FIN != 0 && r.Dir == trace.Down && ctx.Protocol == "http1.0":
		return prefix + "FIN sent by the server: HTTP/1.0 closes the connection after each response"
	case f&trace.FIN != 0:
		return fmt.Sprintf("%sFIN sent by %s: it has nothing more to send on connection %d", prefix, by, r.Conn)
	case r.Len == 0 && r.Dir == trace.Up && r.Ack <= 1:
		return fmt.Sprintf("%sACK sent by the client: the handshake's third packet; the client may send its request right behind it", prefix)
	case r.Len == 0:
		return fmt.Sprintf("%sACK sent by %s: it has received every byte up to %d", prefix, by, r.Ack-1)
	}
	d := r.Describe()
	switch {
	case strings.HasPrefix(d, "ClientHello"):
		return fmt.Sprintf("%sClientHello sent: the client starts TLS on connection %d", prefix, r.Conn)
	case strings.HasPrefix(d, "ServerHello"):
		return fmt.Sprintf("%s%s sent: the server answers with its certificate and keys", prefix, d)
	case strings.HasPrefix(d, "DATA "):
		return fmt.Sprintf("%s%s sent by %s (%d bytes) on connection %d", prefix, d, by, r.Len, r.Conn)
	case r.Dir == trace.Up && isRequest(d):
		return fmt.Sprintf("%srequest %s leaves the client on connection %d (%d bytes)", prefix, d, r.Conn, r.Len)
	}
	return fmt.Sprintf("%s%s sent by %s to %s on connection %d (%d bytes)", prefix, d, by, to, r.Conn, r.Len)
}

func isRequest(label string) bool {
	for _, m := range []string{"GET ", "HEAD ", "POST ", "PUT "} {
		if strings.HasPrefix(label, m) {
			return true
		}
	}
	return false
}

func explainArrived(r *trace.Record) string {
	at := other(r.Dir)
	f := r.Flags
	switch {
	case f&trace.RST != 0:
		return fmt.Sprintf("RST arrived at %s: connection %d is gone", at, r.Conn)
	case f&trace.SYN != 0 && f&trace.ACK == 0:
		return fmt.Sprintf("SYN arrived at %s: it answers with SYN-ACK", at)
	case f&trace.SYN != 0:
		return "SYN-ACK arrived: the handshake cost one round trip before any request could be sent"
	case f&trace.FIN != 0:
		return fmt.Sprintf("FIN arrived at %s: %s has finished sending on connection %d", at, side(r.Dir), r.Conn)
	case r.Len == 0 && r.Dir == trace.Up && r.Ack <= 1:
		return "ACK arrived at the server: the handshake is complete on both sides"
	case r.Len == 0:
		return fmt.Sprintf("ACK arrived at %s: bytes up to %d are delivered, so it may send more", at, r.Ack-1)
	}
	d := r.Describe()
	switch {
	case r.Dir == trace.Up && isRequest(d):
		return fmt.Sprintf("request %s arrived at the server, which starts sending the response", d)
	case strings.HasPrefix(d, "200 ") || strings.HasPrefix(d, "HEADERS 200"):
		return fmt.Sprintf("the response's first segment arrived: %s", d)
	}
	return fmt.Sprintf("%s arrived at %s (%d bytes)", d, at, r.Len)
}
