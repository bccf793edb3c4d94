package tui_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/tui"
)

// explainCases has at least one record of every Kind, and the words its
// explanation must contain.
func explainCases() []struct {
	name string
	r    trace.Record
	ctx  tui.ExplainContext
	want string
} {
	rtt := 100 * time.Millisecond
	h10 := tui.ExplainContext{Protocol: trace.HTTP10, RTT: rtt}
	syn := trace.Record{Kind: trace.PacketSent, Conn: 2, Dir: trace.Up, Flags: trace.SYN, Label: "SYN"}
	synAck := trace.Record{Kind: trace.PacketArrived, Conn: 2, Dir: trace.Down, Flags: trace.SYN | trace.ACK}
	fin := trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Flags: trace.FIN | trace.ACK}
	get := trace.Record{Kind: trace.RequestSent, Conn: 2, Resource: 4, Label: "GET /img3.png"}
	data := trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Flags: trace.ACK, Seq: 1461, Len: 1460, Wire: 1500}
	cwnd := trace.Record{Kind: trace.CwndChanged, Conn: 1, Dir: trace.Down, Cwnd: 20 * 1460, Ssthresh: -1}
	ss := func(r trace.Record, rule string, acked int) trace.Record {
		r.State, r.Note, r.Len = trace.CwndSlowStart, rule, acked
		return r
	}
	return []struct {
		name string
		r    trace.Record
		ctx  tui.ExplainContext
		want string
	}{
		{"SYN sent", syn, h10, "SYN sent by the client"},
		{"SYN retransmitted", func() trace.Record { r := syn; r.Retx = true; return r }(), h10, "retransmission: SYN"},
		{"SYN arrived", trace.Record{Kind: trace.PacketArrived, Conn: 2, Dir: trace.Up, Flags: trace.SYN}, h10, "SYN for connection 2 arrived at the server: it answers with SYN-ACK"},
		{"SYN-ACK arrived", synAck, h10, "SYN-ACK arrived on connection 2: the handshake cost one round trip before any request could be sent"},
		{"FIN, HTTP/1.0", fin, h10, "FIN sent by the server on connection 1: HTTP/1.0 closes the connection after each response"},
		{"FIN, keep-alive", fin, tui.ExplainContext{Protocol: trace.HTTP11}, "FIN sent by the server"},
		{"data sent", data, h10, "DATA 1461–2920 sent by the server"},
		{"data arrived", func() trace.Record { r := data; r.Kind = trace.PacketArrived; return r }(), h10, "arrived at the client"},
		{"handshake ACK", trace.Record{Kind: trace.PacketSent, Dir: trace.Up, Flags: trace.ACK, Seq: 1, Ack: 1}, h10, "third packet"},
		{"request packet", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Len: 300, Label: "GET /a.css"}, h10, "request GET /a.css leaves the client"},
		{"dropped", trace.Record{Kind: trace.PacketDropped, Conn: 1, Dir: trace.Down, Seq: 1, Len: 1460, Note: "queue full"}, tui.ExplainContext{Resource: "/a.png"},
			"packet dropped (queue full): DATA 1–1460 of /a.png on connection 1 never arrives; the client sees a gap, and duplicate ACKs or a timeout make the server send it again"},
		{"ACK dropped", trace.Record{Kind: trace.PacketDropped, Conn: 1, Dir: trace.Up, Flags: trace.ACK, Ack: 2921, Note: "random loss"}, h10,
			"packet dropped (random loss): an ACK on connection 1 never arrives; a pure ACK is never resent: the next cumulative ACK covers it"},
		{"SYN dropped", trace.Record{Kind: trace.PacketDropped, Conn: 4, Dir: trace.Up, Flags: trace.SYN, Note: "random loss"}, h10, "the SYN of connection 4 never arrives; the client's SYN timer will send it again"},
		{"keep-alive probe", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Flags: trace.ACK, Label: trace.ProbeLabel}, tui.ExplainContext{Held: 45 * time.Second},
			"TCP keep-alive probe sent by the client on connection 1 after 45.000s of silence: the other side must answer it"},
		{"keep-alive answer", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Flags: trace.ACK, Label: "keep-alive ACK"}, h10, "its answer to the keep-alive probe"},
		{"data with its resource", data, tui.ExplainContext{Resource: "/img3.jpg"}, "DATA 1461–2920 of /img3.jpg sent by the server on connection 1 (1460 bytes)"},
		{"FIN at a reset socket", trace.Record{Kind: trace.PacketArrived, Conn: 1, Dir: trace.Up, Flags: trace.FIN | trace.ACK}, tui.ExplainContext{Before: trace.Closed},
			"FIN, ACK arrived at the server, which has already closed connection 1: it answers with RST"},
		{"RST at a reset socket", trace.Record{Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Flags: trace.RST}, tui.ExplainContext{Before: trace.Closed}, "another RST arrived at the client for connection 1, already closed there"},
		{"RST in TIME-WAIT", trace.Record{Kind: trace.PacketArrived, Conn: 4, Dir: trace.Up, Flags: trace.RST}, tui.ExplainContext{Before: trace.TimeWait},
			"RST arrived at the server, whose side of connection 4 is in TIME-WAIT: at the sequence number expected next it ends TIME-WAIT at once"},
		{"RST from a closed socket", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Flags: trace.RST}, tui.ExplainContext{Before: trace.Closed}, "connection 1 no longer exists there, so it answers what arrived with a reset"},
		{"RST that aborts", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Flags: trace.RST | trace.ACK}, tui.ExplainContext{Before: trace.Established}, "RST sent by the client: it aborts connection 1 at once"},
		{"RST after closing", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Flags: trace.RST | trace.ACK}, tui.ExplainContext{Before: trace.FinWait1},
			"RST sent by the server: data arrived on connection 1 after it had closed it, so it resets the connection (RFC 1122 §4.2.2.13)"},
		{"placeholder", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Flags: trace.PSH | trace.ACK, Len: 1, Label: "SETTINGS ACK"}, h10, "(negligible in ideal mode: no time on the wire)"},
		{"avoidance per round trip", func() trace.Record {
			r := cwnd
			r.State, r.Note, r.Ssthresh = trace.CwndAvoidance, "reno", 10*1460
			return r
		}(), tui.ExplainContext{Prev: 19 * 1460, PrevSsthresh: 10 * 1460, Growth: 20.0 / 19.5},
			"one segment per window of ACKs: RFC 5681's eq. 3; +0.50 segments over the last round trip"},
		{"initial cwnd", cwnd, tui.ExplainContext{}, "starts at 20 segments (the initial window)"},
		{"slow start, no cause recorded", cwnd, tui.ExplainContext{Prev: 10 * 1460, PrevSsthresh: -1}, "the server's cwnd on connection 1 grew to 20 segments in slow start"},
		{"slow start, RFC 5681", ss(cwnd, "rfc5681", 2920), tui.ExplainContext{Prev: 19 * 1460, PrevSsthresh: -1, Growth: 1.5},
			"the server's cwnd on connection 1 grew to 20 segments: in slow start each ACK adds the data it acknowledges, at most one segment: RFC 5681's cwnd += min(N, SMSS); this ACK acknowledged 2 segments and added 1 segment; ×1.50 over the last round trip"},
		{"slow start, Linux", ss(cwnd, "linux", 2920), tui.ExplainContext{Prev: 18 * 1460, PrevSsthresh: -1},
			"in slow start each ACK adds every segment it acknowledges, as Linux's tcp_slow_start does; this ACK acknowledged 2 segments and added 2 segments"},
		{"initial window", func() trace.Record { r := cwnd; r.State = trace.CwndInitial; return r }(), tui.ExplainContext{}, "the server's cwnd on connection 1 starts at 20 segments (the initial window)"},
		{"window after a lost SYN", func() trace.Record { r := cwnd; r.State, r.Cwnd = trace.CwndSynLost, 1460; return r }(), tui.ExplainContext{}, "starts at 1 segment: its handshake needed a retransmission, and RFC 6928 §2 then starts with one segment"},
		{"fast retransmit cut", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndFastRetransmit, 13*1460, 10*1460
			return r
		}(), tui.ExplainContext{Prev: 20 * 1460},
			"loss detected on connection 1: three duplicate ACKs, so the server's ssthresh drops to 10 segments, half the flight size, and cwnd to 13, ssthresh + 3, for fast recovery (RFC 5681 §3.2)"},
		{"timeout cut", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndTimeout, 1460, 10*1460
			return r
		}(), tui.ExplainContext{Prev: 20 * 1460},
			"retransmission timeout on connection 1: the server's cwnd falls to 1 segment and ssthresh to 10 segments"},
		{"HyStart", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndHyStart, 40*1448, 40*1448
			return r
		}(), tui.ExplainContext{MSS: 1448, Prev: 40 * 1448, PrevSsthresh: -1},
			"slow start ends on connection 1 before any loss: HyStart (Linux CUBIC) saw the path fill up — the round trip grew, or a round's ACKs spread over half of it — so the server's ssthresh becomes cwnd, 40 segments, and congestion avoidance takes over"},
		{"RACK loss", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndLoss, 40*1448, 28*1448
			return r
		}(), tui.ExplainContext{MSS: 1448, Prev: 40 * 1448, PrevSsthresh: -1},
			"loss detected on connection 1: RACK (RFC 8985) marked a segment lost — one sent after it was SACKed and it is still missing — so the server's ssthresh drops to 28 segments (0.70 of cwnd) and fast recovery begins"},
		{"QUIC loss", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndQUICLoss, 20*1280, 20*1280
			return r
		}(), tui.ExplainContext{MSS: 1280, Prev: 40 * 1280, PrevSsthresh: -1},
			"loss detected on connection 1: ACKs of later packets showed packets lost (3 packets or 9/8 of an RTT behind, RFC 9002 §6.1), so the server's ssthresh and cwnd fall to 20 segments (0.50 of cwnd) and a recovery period begins, in which further losses cut nothing more (RFC 9002 §7.3.2)"},
		{"QUIC persistent congestion", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndPersistent, 2*1280, 20*1280
			return r
		}(), tui.ExplainContext{MSS: 1280, Prev: 40 * 1280, PrevSsthresh: 40 * 1280},
			"persistent congestion on connection 1: every packet sent over more than three probe timeouts was lost, so the server's cwnd falls to 2 segments, the minimum of two datagrams, and slow start begins again (RFC 9002 §7.6.2)"},
		{"QUIC slow start", func() trace.Record {
			r := cwnd
			r.State, r.Note, r.Cwnd, r.Len = trace.CwndSlowStart, trace.GrowthQUIC, 34*1280, 2*1280
			return r
		}(), tui.ExplainContext{MSS: 1280, Prev: 32 * 1280, PrevSsthresh: -1},
			"the server's cwnd on connection 1 grew to 34 segments: QUIC's NewReno adds, in slow start, the bytes of every packet acknowledged and, in congestion avoidance, one datagram per window acknowledged (RFC 9002 §7.3.1, §7.3.3); this ACK acknowledged 2 segments and added 2 segments"},
		{"QUIC hybrid slow start", func() trace.Record {
			r := cwnd
			r.State, r.Note, r.Cwnd, r.Ssthresh = trace.CwndHyStart, trace.HyStartQUIC, 60*1280, 60*1280
			return r
		}(), tui.ExplainContext{MSS: 1280, Prev: 58 * 1280, PrevSsthresh: -1},
			"slow start ends on connection 1 before any loss: quic-go's hybrid slow start saw a round's first 8 round-trip samples (one per ACK) all exceed the path's minimum by more than an eighth of it (4 to 16 ms) — a queue is building — so the server's ssthresh becomes cwnd, 60 segments, and congestion avoidance takes over"},
		{"PRR", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndPRR, 33*1448, 28*1448
			return r
		}(), tui.ExplainContext{MSS: 1448, Prev: 34 * 1448, PrevSsthresh: 28 * 1448},
			"proportional rate reduction on connection 1 (RFC 6937): in fast recovery each ACK lets the server send in step with what it reports delivered, heading for ssthresh 28 segments; cwnd is 33 segments"},
		{"recovered, SACK", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndRecovered, 28*1448, 28*1448
			return r
		}(), tui.ExplainContext{MSS: 1448, SACK: true}, "fast recovery is over on connection 1: the server's cwnd is 28 segments, its ssthresh, and grows again from there"},
		{"probe repaired a loss", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndProbeLoss, 14*1448, 14*1448
			return r
		}(), tui.ExplainContext{MSS: 1448}, "the tail loss probe on connection 1 repaired a real loss: the server's cwnd and ssthresh fall to 14 segments at once (RFC 8985 §7.4.2)"},
		{"undo", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd, r.Ssthresh = trace.CwndUndo, 20*1448, -1
			return r
		}(), tui.ExplainContext{MSS: 1448}, "the server undoes its window cut on connection 1: the ACKs show that what it thought lost had arrived"},
		{"application-limited", func() trace.Record {
			r := cwnd
			r.State, r.Cwnd = trace.CwndAppLimited, 15*1448
			return r
		}(), tui.ExplainContext{MSS: 1448, Prev: 20 * 1448}, "the server's cwnd on connection 1 shrank to 15 segments: for a whole RTO it did not use its window, so Linux moves it halfway towards what it used (RFC 2861 §3)"},
		{"CUBIC growth", func() trace.Record {
			r := cwnd
			r.State, r.Note, r.Ssthresh = trace.CwndAvoidance, "cubic", 10*1460
			return r
		}(), tui.ExplainContext{Prev: 19 * 1460, PrevSsthresh: 10 * 1460}, "CUBIC grows the window along a cubic curve of the time since its last loss"},
		{"restart after idle", func() trace.Record { r := cwnd; r.State, r.Cwnd = trace.CwndRestart, 14600; return r }(), tui.ExplainContext{Prev: 30 * 1460}, "restarts slow start (RFC 5681 §4.1)"},
		{"avoidance", func() trace.Record { r := cwnd; r.Ssthresh = 10 * 1460; return r }(), tui.ExplainContext{Prev: 19 * 1460, PrevSsthresh: 10 * 1460}, "congestion avoidance"},
		{"loss", func() trace.Record { r := cwnd; r.Cwnd, r.Ssthresh = 13*1460, 10*1460; return r }(), tui.ExplainContext{Prev: 20 * 1460, PrevSsthresh: -1}, "loss detected"},
		{"inflation", func() trace.Record { r := cwnd; r.Cwnd, r.Ssthresh = 14*1460, 10*1460; return r }(), tui.ExplainContext{Prev: 13 * 1460, PrevSsthresh: 10 * 1460, Recovering: true}, "fast recovery"},
		{"unlimited cwnd", func() trace.Record { r := cwnd; r.Cwnd = -1; return r }(), tui.ExplainContext{}, "unlimited"},
		{"TIME-WAIT", trace.Record{Kind: trace.StateChanged, Conn: 1, Dir: trace.Down, State: trace.TimeWait}, tui.ExplainContext{Held: 60 * time.Second},
			"TIME-WAIT: the server, which closed connection 1 first, keeps its socket for 60.000s (2·MSL)"},
		{"short TIME-WAIT", trace.Record{Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.TimeWait}, tui.ExplainContext{Held: 1500 * time.Millisecond}, "keeps its socket for 1.500s (2·MSL)"},
		{"ESTABLISHED", trace.Record{Kind: trace.StateChanged, Conn: 3, Dir: trace.Up, State: trace.Established}, h10, "connection 3 is open"},
		{"other state", trace.Record{Kind: trace.StateChanged, Conn: 3, Dir: trace.Up, State: trace.NoState}, h10, "connection 3 at the client is now in a new state"},
		{"fast retransmit", trace.Record{Kind: trace.Retransmit, Conn: 1, Dir: trace.Down, Seq: 2921, Note: "fast retransmit"}, h10, "fast retransmit on connection 1: three duplicate ACKs"},
		{"SYN timeout", trace.Record{Kind: trace.Retransmit, Conn: 3, Dir: trace.Up, Note: trace.RetxSynTimeout}, tui.ExplainContext{Held: 3 * time.Second},
			"SYN timeout on connection 3: no SYN-ACK came back within 3.000s, so the client sends its SYN again and waits twice as long next time"},
		{"SYN-ACK timeout", trace.Record{Kind: trace.Retransmit, Conn: 3, Dir: trace.Down, Note: trace.RetxSynTimeout}, h10, "SYN-ACK timeout on connection 3: no ACK came back, so the server sends its SYN-ACK again"},
		{"timeout", trace.Record{Kind: trace.Retransmit, Conn: 1, Dir: trace.Down, Note: "timeout"}, h10, "retransmission timeout"},
		{"RACK retransmission", trace.Record{Kind: trace.Retransmit, Conn: 1, Dir: trace.Down, Seq: 4097, Note: "lost"}, h10,
			"the server resends byte 4097 on connection 1: RACK (RFC 8985) marked it lost, because a segment sent after it has been SACKed and this one is still missing"},
		{"after a timeout", trace.Record{Kind: trace.Retransmit, Conn: 1, Dir: trace.Down, Seq: 5545, Note: "after timeout"}, h10,
			"after the timeout every segment not acknowledged counts as lost"},
		{"tail loss probe", trace.Record{Kind: trace.Retransmit, Conn: 1, Dir: trace.Down, Seq: 13033, Note: "tail loss probe"}, h10,
			"tail loss probe on connection 1: no ACK came back for two round trips or more, so the server sends its last segment again, to draw an ACK that shows what is missing (RFC 8985 §7)"},
		{"Linux SYN timeout", trace.Record{Kind: trace.Retransmit, Conn: 3, Dir: trace.Up, Note: trace.RetxSynTimeout, State: trace.SynLinear}, tui.ExplainContext{Held: time.Second},
			"SYN timeout on connection 3: no SYN-ACK came back within 1.000s, so the client sends its SYN again and waits as long again: Linux keeps its first four SYN timeouts at the initial RTO (tcp_syn_linear_timeouts)"},
		{"ACK with SACK", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Flags: trace.ACK, Ack: 4097, Sack: "5545-8441"}, h10,
			"ACK sent by the client on connection 1: it has received every byte up to 4096; beyond a gap it has also received 5545–8440 (SACK, RFC 2018)"},
		{"ACK with D-SACK", trace.Record{Kind: trace.PacketArrived, Conn: 1, Dir: trace.Up, Flags: trace.ACK, Ack: 9889, Sack: "D:4097-5545"}, h10,
			"ACK arrived at the server on connection 1: bytes up to 9888 are delivered; 4097–5544 arrived twice (D-SACK, RFC 2883)"},
		{"dropped, SACK sender", trace.Record{Kind: trace.PacketDropped, Conn: 1, Dir: trace.Down, Seq: 1, Len: 1448, Note: "random loss"}, tui.ExplainContext{SACK: true},
			"the client sees a gap and SACKs what comes after it, and RACK, a tail loss probe or a timeout makes the server send it again"},
		{"conn failed", trace.Record{Kind: trace.ConnFailed, Conn: 1, Note: "too many SYN retries"}, h10, "connection 1 failed"},
		{"queued", trace.Record{Kind: trace.ResourceQueued, Resource: 3, Label: "/img2.png", Len: 5000}, h10, "/img2.png (5000 bytes) found in the page"},
		{"TLS", trace.Record{Kind: trace.TLSStarted, Conn: 1, State: trace.TLS12, Note: trace.TLSFull}, h10, "TLS 1.2 handshake (full) starts on connection 1: two more round trips"},
		{"TLS done", trace.Record{Kind: trace.TLSDone, Conn: 1}, h10, "TLS handshake done"},
		{"TLS inside QUIC", trace.Record{Kind: trace.TLSStarted, Conn: 1, State: trace.TLS13, Note: trace.TLSFull}, tui.ExplainContext{Protocol: trace.HTTP3, QUIC: true},
			"TLS 1.3 handshake (full) starts inside QUIC's on connection 1: one round trip sets up the connection and its encryption together, before the first request (with 0-RTT data, the request goes with the ClientHello)"},
		{"TLS over TCP in an HTTP/3 run", trace.Record{Kind: trace.TLSStarted, Conn: 1, State: trace.TLS13, Note: trace.TLSFull}, tui.ExplainContext{Protocol: trace.HTTP3},
			"TLS 1.3 handshake (full) starts on connection 1: one more round trip before the first request"},
		{"request, HTTP/3, first", get, tui.ExplainContext{Protocol: trace.HTTP3, QUIC: true}, "GET /img3.png sent as stream 0, the first of connection 2, a new QUIC connection"},
		{"request, HTTP/3", func() trace.Record { r := get; r.Stream = 8; return r }(), tui.ExplainContext{Protocol: trace.HTTP3, QUIC: true, Earlier: 2},
			"GET /img3.png sent as stream 8 on connection 2: HTTP/3 gives each request a QUIC stream of its own, delivered apart from the others"},
		{"request, reused", get, tui.ExplainContext{Protocol: trace.HTTP11, Earlier: 1}, "GET /img3.png sent on connection 2 (reused: no handshake needed)"},
		{"request, new", get, h10, "a new connection"},
		{"request, HTTP/2", func() trace.Record { r := get; r.Stream = 5; return r }(), tui.ExplainContext{Protocol: trace.HTTP2}, "stream 5"},
		{"first byte", trace.Record{Kind: trace.FirstByte, Conn: 2, Resource: 4, Label: "/img3.png"}, tui.ExplainContext{RTT: rtt, Since: rtt}, "first byte of /img3.png arrived on connection 2, 100.0ms after its request: 1.0 RTT waiting for the server (DevTools' Waiting)"},
		{"last byte", trace.Record{Kind: trace.LastByte, Resource: 4, Label: "/img3.png", Len: 5000}, h10, "/img3.png complete: 5000 bytes"},
		{"page loaded", trace.Record{At: 811800 * time.Microsecond, Kind: trace.PageLoaded}, h10, "page loaded in 811.8ms = 8.1 RTTs"},
		{"page started", trace.Record{Kind: trace.PageStarted, Page: 2}, h10, "page 2"},
		{"retried", trace.Record{Kind: trace.RequestRetried, Conn: 1, Resource: 2, Label: "/a.js", Note: "connection reset by peer"}, h10, "the request for /a.js died with connection 1: connection reset by peer; the browser sends it again on another connection"},
		{"request failed", trace.Record{Kind: trace.RequestFailed, Resource: 2, Label: "/a.js"}, h10, "gives up"},
		{"idle timeout", trace.Record{Kind: trace.IdleTimeout, Conn: 2, Dir: trace.Down, Note: "the server closes a keep-alive connection idle for 5s"}, h10, "connection 2: the server closes a keep-alive connection idle for 5s — keep-alive is not forever"},
		{"backlogged", trace.Record{Kind: trace.Backlogged, Conn: 2}, h10, "backlog"},
		{"accepted", trace.Record{Kind: trace.Accepted, Conn: 2}, h10, "worker takes connection 2"},
		{"refused", trace.Record{Kind: trace.Refused, Conn: 2}, h10, "drops the SYN"},
		{"slot released", trace.Record{Kind: trace.SlotReleased, Conn: 2}, h10, "freed its worker"},
		{"server busy", trace.Record{Kind: trace.ServerBusy, Conn: 2}, h10, "works on a request"},
		{"server busy before a request", trace.Record{Kind: trace.ServerBusy, Conn: 2, Note: "waiting for the first request"}, h10,
			"a server worker takes connection 2, waiting for the first request"},
		{"server idle", trace.Record{Kind: trace.ServerIdle, Conn: 2}, h10, "keep-alive's cost"},
		{"cached", trace.Record{Kind: trace.ResponseCached, Resource: 2, Label: "/a.js"}, h10, "cache"},
		{"origin connection", trace.Record{Kind: trace.OriginConn, Conn: 7}, h10, "proxy opens connection 7"},
		{"dns start", trace.Record{Kind: trace.DNSStarted, Label: "cdn.example.com"}, h10,
			"the browser asks for cdn.example.com's address before it can connect to it"},
		{"dns done", trace.Record{Kind: trace.DNSDone, Label: "cdn.example.com", Note: "looked up in 20ms"}, h10,
			"the browser has cdn.example.com's address (looked up in 20ms)"},
		{"connection host", trace.Record{Kind: trace.ConnHost, Conn: 4, Label: "cdn.example.com"}, h10,
			"the browser opens connection 4 to cdn.example.com"},
		{"cpu queued", trace.Record{Kind: trace.CPUQueued, Conn: 3, Label: trace.WorkFullTLS}, h10,
			"the server has work for connection 3 (TLS full handshake) and queues it for a processor core"},
		{"cpu started", trace.Record{Kind: trace.CPUStarted, Conn: 3, Label: trace.WorkAccept}, h10, "a server core starts on connection 3's accept"},
		{"cpu done", trace.Record{Kind: trace.CPUDone, Conn: 3, Label: trace.WorkRequest}, h10,
			"a server core finished connection 3's request: the next work in the queue may start"},
		{"memory: socket", trace.Record{Kind: trace.ServerMemory, Conn: 2, Len: 3712, Label: trace.MemSocket}, h10,
			"connection 2's socket in the server's kernel changes with its TCP state: the server now holds 3.6 KiB for its connections"},
		{"memory: accepted", trace.Record{Kind: trace.ServerMemory, Conn: 2, Len: 38522, Label: trace.MemConnOpened}, h10,
			"a worker takes connection 2 and the server allocates its state for it (buffers, goroutine; TLS and HTTP/2 when used): it now holds 37.6 KiB"},
		{"memory: closed", trace.Record{Kind: trace.ServerMemory, Conn: 2, Len: 256, Label: trace.MemConnClosed}, h10,
			"the server frees its state for connection 2: it now holds 256 B"},
		{"memory: stream", trace.Record{Kind: trace.ServerMemory, Conn: 1, Len: 2 << 20, Label: trace.MemStreamOpen}, h10,
			"the server starts answering a stream on connection 1 and holds its state: 2.0 MiB in all"},
		{"memory: stream done", trace.Record{Kind: trace.ServerMemory, Conn: 1, Len: 1 << 20, Label: trace.MemStreamDone}, h10,
			"the server is done with a stream on connection 1: it now holds 1.0 MiB"},
		{"memory: data", trace.Record{Kind: trace.ServerMemory, Conn: 1, Len: 40931, Label: trace.MemData}, h10,
			"the server's data sent and not yet acknowledged changes: it now holds 40.0 KiB for its connections"},
		{"page failed", trace.Record{Kind: trace.PageFailed, Page: 2, Note: "the request for /next.html failed: reset"}, tui.ExplainContext{Since: 42900 * time.Microsecond},
			"page 2 failed after 42.9ms: the request for /next.html failed: reset"},
		{"page unfinished", trace.Record{Kind: trace.PageUnfinished, Page: 3, Note: "never started: the run reached limits.max_time (1h0m0s)"}, h10,
			"page 3 never finished: never started: the run reached limits.max_time (1h0m0s)"},
		{"run stopped", trace.Record{Kind: trace.RunStopped, State: trace.StopMaxEvents, Note: "limits.max_events is 20"}, h10, "the run stopped here: limits.max_events is 20"},
		{"trace full", trace.Record{Kind: trace.RunStopped, State: trace.StopTraceFull, Note: "the trace kept in memory is full (3 records)"}, h10,
			"the run stopped here: the trace kept in memory is full (3 records); the terminal UI keeps only so much trace in memory (keepalive run --trace FILE records the whole run)"},
	}
}

func TestExplain(t *testing.T) {
	for _, tc := range explainCases() {
		t.Run(tc.name, func(t *testing.T) {
			got := tui.Explain(tc.r, tc.ctx)
			if !strings.Contains(got, tc.want) {
				t.Errorf("Explain = %q\nwant it to contain %q", got, tc.want)
			}
		})
	}
}

// TestExplainEveryKind fails when trace gains a Kind that Explain does not
// put in plain words yet.
func TestExplainEveryKind(t *testing.T) {
	covered := map[trace.Kind]bool{}
	for _, tc := range explainCases() {
		covered[tc.r.Kind] = true
	}
	for k := trace.Kind(1); !strings.HasPrefix(k.String(), "kind("); k++ {
		if !covered[k] {
			t.Errorf("no explainCases entry for %s", k)
		}
		got := tui.Explain(trace.Record{Kind: k, Conn: 1}, tui.ExplainContext{})
		if got == "" || strings.Contains(got, k.String()+" event") {
			t.Errorf("Explain(%s) = %q: not explained", k, got)
		}
	}
}

func TestExplainNeverEmpty(t *testing.T) {
	for k := trace.Kind(0); k < 64; k++ {
		for _, r := range []trace.Record{
			{Kind: k},
			{Kind: k, Dir: trace.Down, Flags: trace.RST, Cwnd: 1, Ssthresh: 1},
			{Kind: k, Dir: trace.Up, Len: 10, Label: "HEADERS", Retx: true},
		} {
			if got := tui.Explain(r, tui.ExplainContext{Prev: 1}); got == "" {
				t.Errorf("Explain(%+v) = \"\"", r)
			}
		}
	}
}

func ExampleExplain() {
	r := trace.Record{At: 100 * time.Millisecond, Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Flags: trace.SYN | trace.ACK}
	fmt.Println(tui.Explain(r, tui.ExplainContext{Protocol: trace.HTTP10, RTT: 100 * time.Millisecond}))
	// Output: SYN-ACK arrived on connection 1: the handshake cost one round trip before any request could be sent
}

// TestExplainPageLoadedFromFacts: the reason given for a page's load time
// comes from that page's own records, and the time is the page's own.
func TestExplainPageLoadedFromFacts(t *testing.T) {
	ms := time.Millisecond
	rec := trace.Record{At: 5500 * ms, Kind: trace.PageLoaded, Page: 2}
	for _, tc := range []struct {
		ctx  tui.ExplainContext
		want string
	}{
		{tui.ExplainContext{Protocol: trace.HTTP11, RTT: 100 * ms, Since: 200 * ms}, "page loaded in 200.0ms = 2.0 RTTs: every request went on connections already open — no handshake"},
		{tui.ExplainContext{Protocol: trace.HTTP11, RTT: 100 * ms, Since: 350 * ms, NewConns: 1, Retried: 1}, "page loaded in 350.0ms = 3.5 RTTs: 1 request was retried after its connection closed under it"},
		{tui.ExplainContext{Protocol: trace.HTTP10, RTT: 100 * ms, Since: 900 * ms, NewConns: 4}, "page loaded in 900.0ms = 9.0 RTTs: every object paid for its own connection (4 handshakes)"},
	} {
		if got := tui.Explain(rec, tc.ctx); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}

// TestExplainQUIC checks the sentences of a QUIC connection's records,
// read from the labels the model writes.
func TestExplainQUIC(t *testing.T) {
	ctx := tui.ExplainContext{Protocol: trace.HTTP3}
	for _, tc := range []struct {
		name string
		r    trace.Record
		want string
	}{
		{"client Initial", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Wire: 1228, Label: "Initial 1: CRYPTO PADDING"},
			"QUIC datagram sent by the client on connection 1 (1228 bytes with UDP and IP): Initial packet 1: the TLS ClientHello (or part of it) in CRYPTO frames, padding, so the datagram is at least 1,200 bytes (RFC 9000 §14.1)"},
		{"server flight", trace.Record{Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Wire: 1307, Label: "Initial 1: ACK CRYPTO + Handshake 0: CRYPTO"},
			"QUIC datagram arrived at the client on connection 1: Initial packet 1: the TLS ServerHello in CRYPTO frames, an ACK of the packets received; Handshake packet 0: the server's certificate, its signature and Finished (or part of them) in CRYPTO frames"},
		{"0-RTT request", trace.Record{Kind: trace.PacketSent, Conn: 2, Dir: trace.Up, Wire: 310, Label: "0-RTT 0: STREAM"},
			"QUIC datagram sent by the client on connection 2 (310 bytes with UDP and IP): 0-RTT packet 0: request bytes sent as 0-RTT data, before the handshake completes (RFC 9001 §4.6.1)"},
		{"retransmitted stream data", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Wire: 1308, Retx: true, Label: "1-RTT 77: STREAM"},
			"retransmission, in a new packet number (QUIC never resends a packet, only its frames): QUIC datagram sent by the server on connection 1 (1308 bytes with UDP and IP): 1-RTT packet 77: stream data: responses, each stream delivered on its own"},
		{"dropped", trace.Record{Kind: trace.PacketDropped, Conn: 1, Dir: trace.Down, Note: "random loss", Label: "1-RTT 20: STREAM"},
			"QUIC datagram dropped (random loss) on connection 1: 1-RTT packet 20: stream data: responses, each stream delivered on its own. The sender learns of it from the ACKs of later packets, or its probe timeout, and sends the frames again (RFC 9002 §6)"},
		{"handshake done", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Wire: 178, Label: "1-RTT 0: CRYPTO HANDSHAKE_DONE"},
			"QUIC datagram sent by the server on connection 1 (178 bytes with UDP and IP): 1-RTT packet 0: a TLS session ticket for a later 0-RTT connection, HANDSHAKE_DONE: the server confirms the handshake (RFC 9001 §4.1.2)"},
		{"server settings", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Wire: 183, Label: "1-RTT 0: CRYPTO HANDSHAKE_DONE STREAM(control)"},
			"QUIC datagram sent by the server on connection 1 (183 bytes with UDP and IP): 1-RTT packet 0: a TLS session ticket for a later 0-RTT connection, HTTP/3 control stream: SETTINGS when the connection opens, GOAWAY before an idle close (RFC 9114 §6.2.1), HANDSHAKE_DONE: the server confirms the handshake (RFC 9001 §4.1.2)"},
		{"max streams", trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Wire: 40, Label: "1-RTT 9: ACK MAX_STREAMS"},
			"QUIC datagram sent by the server on connection 1 (40 bytes with UDP and IP): 1-RTT packet 9: MAX_STREAMS: a request stream ended, so the client may open another (RFC 9000 §4.6), an ACK of the packets received"},
		{"state", trace.Record{Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.QUICOpen},
			"QUIC connection 1 is open at the client: the server's Handshake flight has arrived, and requests may follow its Finished"},
		{"lost", trace.Record{Kind: trace.Retransmit, Conn: 1, Dir: trace.Down, Note: trace.RetxQUICLost, Label: "1-RTT 20: STREAM"},
			"the server declares a packet of connection 1 lost (1-RTT 20: STREAM): ACKs of packets sent 3 or more after it, or 9/8 of an RTT later, came back without it (RFC 9002 §6.1); its frames go again in a new packet"},
	} {
		if got := tui.Explain(tc.r, ctx); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}
