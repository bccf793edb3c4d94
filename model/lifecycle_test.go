package model_test

import (
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// twoPages is an ideal-mode session over HTTP/1.1 with one connection: a
// document of Ob bytes, think, then a second document of Ob bytes.
func twoPages(think sim.Time) model.Config {
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: kRTT / 2, Up: kR, Down: kR}
	cfg.Page = model.SyntheticPage(kOb, 0, nil)
	page2 := model.Page{Resources: []model.Resource{{Path: "/page2.html", Type: model.HTML, Size: kOb, Parent: -1}}}
	cfg.Visits = []model.Visit{{Think: think, Page: page2}}
	cfg.ApplyIdeal()
	cfg.HTTP.Protocol, cfg.HTTP.Parallel = model.HTTP11, 1
	cfg.Server.IdleTimeout = 5 * sim.Second // Apache's KeepAliveTimeout
	cfg.Browser.IdleTimeout = 60 * sim.Second
	return cfg
}

func mustRun(t *testing.T, cfg model.Config) (model.Result, []trace.Record) {
	t.Helper()
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, log.Records)
	return res, log.Records
}

// TestIdleReuse: a second page within the server's keep-alive timeout
// reuses the warm connection, RTT + Ob/R; after it, the server has closed
// the connection and the page pays exactly one more RTT for a handshake.
func TestIdleReuse(t *testing.T) {
	for _, tc := range []struct {
		think sim.Time
		conns int
		want  sim.Time
	}{
		{1 * sim.Second, 1, kRTT + tOb},    // reused: request and response only
		{10 * sim.Second, 2, 2*kRTT + tOb}, // closed by the server at 5 s: a new handshake
	} {
		res, _ := mustRun(t, twoPages(tc.think))
		if res.Pages != 2 || len(res.PageLoads) != 2 || !res.Complete {
			t.Fatalf("think %v: pages %d, loads %v, complete %v", tc.think, res.Pages, res.PageLoads, res.Complete)
		}
		if got := res.PageLoads[1]; got != tc.want || res.Connections != tc.conns {
			t.Errorf("think %v: second page %v over %d connections, want %v over %d", tc.think, got, res.Connections, tc.want, tc.conns)
		}
	}
}

// TestCloseRace: the second request leaves just as the server's idle
// timer closes the connection. The server's response was written at
// 1.5·RTT, so it closes at 1.5·RTT + 5 s; the browser sends at that very
// instant (think = 5 s − Ob/R − RTT/2 after page 1 ended at 2·RTT + Ob/R).
// The FIN reaches the browser half an RTT later, with the request still
// unanswered: the request is retried on a new connection (a handshake
// and a request: 2·RTT + Ob/R more), so page 2 takes 2.5·RTT + Ob/R
// instead of RTT + Ob/R: the race cost 1.5·RTT.
//
// An HTTP/2 server writes its response a frame at a time, each when the
// frame before it has all but left (h2.go, pump): the last frame of the
// 20,000-byte document follows the 16,384-byte first one when that
// frame's twelfth and last segment starts on the wire, 11·S/R after the
// first, so its idle timer starts 11·S/R later and the browser's think
// time is that much longer for the same race.
func TestCloseRace(t *testing.T) {
	think := 5*sim.Second - tOb - kRTT/2
	const sr = 1460 * 8 * sim.Second / sim.Time(kR) // S/R = 1.168 ms
	for _, tc := range []struct {
		name  string
		proto model.Protocol
		close model.IdleClose
		retry bool
		why   string   // in the retry's note
		later sim.Time // when the server's last frame is written, after the response began
	}{
		{"FIN, retry", model.HTTP11, model.CloseFIN, true, "FIN crossed", 0},
		{"408, retry", model.HTTP11, model.Close408, true, "408", 0},
		{"FIN, no retry", model.HTTP11, model.CloseFIN, false, "", 0},
		{"HTTP/2 GOAWAY, retry", model.HTTP2, model.CloseFIN, true, "GOAWAY", 11 * sr},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := twoPages(think + tc.later)
			cfg.HTTP.Protocol = tc.proto
			cfg.Server.IdleClose, cfg.Browser.Retry = tc.close, tc.retry
			res, recs := mustRun(t, cfg)
			if !tc.retry {
				if res.FailedRequests != 1 || res.Complete {
					t.Errorf("failed %d, complete %v; want 1 failed request and an incomplete session", res.FailedRequests, res.Complete)
				}
				return
			}
			if res.RetriedRequests != 1 || res.FailedRequests != 0 || !res.Complete {
				t.Fatalf("retried %d, failed %d, complete %v", res.RetriedRequests, res.FailedRequests, res.Complete)
			}
			if got, want := res.PageLoads[1], 5*kRTT/2+tOb; got != want {
				t.Errorf("second page %v, want 2.5·RTT + Ob/R = %v", got, want)
			}
			// Resent once the new connection is up: half an RTT for the FIN
			// to arrive, one RTT of handshake.
			if res.RaceCost != 3*kRTT/2 {
				t.Errorf("race cost %v, want 1.5·RTT", res.RaceCost)
			}
			var why string
			for _, r := range recs {
				if r.Kind == trace.RequestRetried {
					why = r.Note
				}
			}
			if !strings.Contains(why, tc.why) {
				t.Errorf("retry reason %q does not mention %q", why, tc.why)
			}
		})
	}
}

// TestRaceRequestIsReset: the request that crossed the FIN reaches a
// closed socket, and the server answers it at once with a reset (and
// every later segment of that connection too).
func TestRaceRequestIsReset(t *testing.T) {
	_, recs := mustRun(t, twoPages(5*sim.Second-tOb-kRTT/2))
	var requestAt, rstAt sim.Time = -1, -1
	for _, r := range recs {
		if r.Kind == trace.PacketArrived && r.Label == "GET /page2.html" && requestAt < 0 {
			requestAt = r.At
		}
		if r.Kind == trace.PacketSent && r.Dir == trace.Down && r.Flags&trace.RST != 0 && rstAt < 0 {
			rstAt = r.At
		}
	}
	if requestAt < 0 || rstAt != requestAt {
		t.Errorf("request reached the closed server at %v, first reset sent at %v", requestAt, rstAt)
	}
}

// TestWarmWindow: on a reused connection, RFC 5681's slow-start restart
// after idle (§4.1; the RFC profile) drops the window back to the
// initial 10 segments; with it off the window stays large and the second
// page loads faster.
func TestWarmWindow(t *testing.T) {
	load := map[model.Restart]sim.Time{}
	for _, restart := range []model.Restart{model.RestartRFC5681, model.RestartOff} {
		cfg := model.DefaultConfig()
		cfg.TCP = model.RFCTCP()
		cfg.Page = model.SyntheticPage(400_000, 0, nil)
		cfg.Visits = []model.Visit{{Think: 3 * sim.Second, Page: model.Page{Resources: []model.Resource{
			{Path: "/next.html", Type: model.HTML, Size: 400_000, Parent: -1}}}}}
		cfg.HTTP.Parallel = 1
		cfg.TCP.Restart = restart
		res, recs := mustRun(t, cfg)
		if res.Connections != 1 {
			t.Fatalf("%v: %d connections, want the warm one reused", restart, res.Connections)
		}
		// The server's cwnd when page 2's response starts (its server
		// answers 0.25 ms after the request arrives).
		var at, asked sim.Time
		for _, r := range recs {
			if r.Kind == trace.PacketArrived && r.Label == "GET /next.html" {
				asked = r.At
			}
			if asked > 0 && at == 0 && r.Kind == trace.PacketSent && r.Dir == trace.Down && r.Len > 0 {
				at = r.At
			}
		}
		cwnd := cwndAt(recs, 1, trace.Down, at)
		if restart == model.RestartOff && cwnd <= 10*1460 || restart == model.RestartRFC5681 && cwnd != 10*1460 {
			t.Errorf("%v: cwnd %d segments when page 2 starts", restart, cwnd/1460)
		}
		load[restart] = res.PageLoads[1]
	}
	if load[model.RestartOff] >= load[model.RestartRFC5681] {
		t.Errorf("warm window %v not faster than restarted %v", load[model.RestartOff], load[model.RestartRFC5681])
	}
}

// TestBrowserIdleTimeout: the browser closes its idle connection first
// when its timeout is the shorter one, and the next page opens a new one.
func TestBrowserIdleTimeout(t *testing.T) {
	cfg := twoPages(3 * sim.Second)
	cfg.Browser.IdleTimeout = 2 * sim.Second
	res, recs := mustRun(t, cfg)
	var who trace.Dir
	for _, r := range recs {
		if r.Kind == trace.IdleTimeout && who == 0 {
			who = r.Dir
		}
	}
	if who != trace.Up || res.Connections != 2 || res.PageLoads[1] != 2*kRTT+tOb {
		t.Errorf("first to time out %v, connections %d, second page %v", who, res.Connections, res.PageLoads[1])
	}
}

// TestMaxRequests: a server that closes after 3 requests per connection
// makes a keep-alive browser open more connections.
func TestMaxRequests(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(5_000, 8, []int{2_000})
	cfg.HTTP.Parallel = 1
	cfg.Server.MaxRequests = 3
	res, _ := mustRun(t, cfg)
	if res.Connections != 3 || !res.Complete || res.RetriedRequests != 0 {
		t.Errorf("connections %d, complete %v, retried %d; want 9 requests over 3 connections", res.Connections, res.Complete, res.RetriedRequests)
	}
}

// TestTimeWaitAccounting: HTTP/1.0's server closes every connection, so
// TIME-WAIT sockets pile up on the server; keep-alive leaves few.
func TestTimeWaitAccounting(t *testing.T) {
	peak := map[model.Protocol]int{}
	for _, p := range []model.Protocol{model.HTTP10, model.HTTP11} {
		cfg := model.DefaultConfig()
		cfg.Page = newsPage()
		cfg.HTTP.Protocol = p
		res, _ := mustRun(t, cfg)
		peak[p] = res.TimeWaitPeakServer
		if p == model.HTTP10 && res.TimeWaitPeakServer != len(cfg.Page.Resources) {
			t.Errorf("http1.0: server TIME-WAIT peak %d, want one per resource (%d)", res.TimeWaitPeakServer, len(cfg.Page.Resources))
		}
	}
	if peak[model.HTTP11] >= peak[model.HTTP10] {
		t.Errorf("keep-alive server TIME-WAIT peak %d, not below HTTP/1.0's %d", peak[model.HTTP11], peak[model.HTTP10])
	}
}

// TestServerCapacity: with a fixed arrival rate and connection limit, a
// longer keep-alive timeout keeps idle connections in the server's slots:
// more clients wait or are refused, but each page needs fewer handshakes.
func TestServerCapacity(t *testing.T) {
	type outcome struct {
		waitOrRefused     float64
		handshakesPerPage float64
		idleSlotSeconds   float64
	}
	got := map[sim.Time]outcome{}
	for _, timeout := range []sim.Time{1 * sim.Second, 15 * sim.Second} {
		cfg := model.DefaultConfig()
		cfg.Page = model.SyntheticPage(10_000, 2, []int{5_000})
		cfg.Visits = []model.Visit{{Think: 3 * sim.Second, Page: model.SyntheticPage(10_000, 2, []int{5_000})}}
		cfg.Visits[0].Page.Resources[0].Path = "/page2.html"
		cfg.HTTP.Parallel = 1
		cfg.Clients = model.ClientsConfig{Count: 30, Rate: 5}
		cfg.Server.MaxConnections, cfg.Server.Backlog = 4, 4
		cfg.Server.IdleTimeout = timeout
		cfg.Browser.IdleTimeout = 60 * sim.Second
		res, _ := mustRun(t, cfg)
		got[timeout] = outcome{
			waitOrRefused:     res.BacklogWait.Seconds() + float64(res.RefusedConnections),
			handshakesPerPage: float64(res.Connections) / float64(res.Pages),
			idleSlotSeconds:   res.IdleSlot.Seconds(),
		}
	}
	short, long := got[1*sim.Second], got[15*sim.Second]
	if long.waitOrRefused <= short.waitOrRefused {
		t.Errorf("waiting+refused: %v with a 15 s timeout, not above %v with 1 s", long.waitOrRefused, short.waitOrRefused)
	}
	if long.handshakesPerPage >= short.handshakesPerPage {
		t.Errorf("handshakes per page: %v with 15 s, not below %v with 1 s", long.handshakesPerPage, short.handshakesPerPage)
	}
	if long.idleSlotSeconds <= short.idleSlotSeconds {
		t.Errorf("idle slot-seconds: %v with 15 s, not above %v with 1 s", long.idleSlotSeconds, short.idleSlotSeconds)
	}
}

// TestTCPKeepAliveProbes: SO_KEEPALIVE probes an idle connection and the
// peer answers, so the connection lives until the browser closes it;
// HTTP keep-alive is a different thing (it is about reusing the connection).
func TestTCPKeepAliveProbes(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Server.IdleTimeout = 0
	cfg.Browser.IdleTimeout = 590 * sim.Second
	cfg.TCP.KeepAlive, cfg.TCP.KeepAliveIdle, cfg.TCP.KeepAliveInterval = true, 60*sim.Second, 10*sim.Second
	res, recs := mustRun(t, cfg)
	probes := 0
	for _, r := range recs {
		// Both ends enable SO_KEEPALIVE here; count the browser's probes.
		if r.Kind == trace.PacketSent && r.Dir == trace.Up && r.Label == trace.ProbeLabel {
			probes++
		}
		if r.Kind == trace.ConnFailed {
			t.Errorf("connection failed: %s", r.Note)
		}
	}
	// The page ends about 0.3 s in; then a probe after every 60 s without
	// hearing from the server, up to the browser's close at 590 s.
	if probes != 9 || !res.Complete {
		t.Errorf("browser probes %d, complete %v; want 9", probes, res.Complete)
	}
}

// TestIdleSlotsStartAfterAResponse: a worker that waits for a first request
// (or a TLS handshake) is not idle; HTTP/1.0, which closes after each
// response, holds no idle slot at all.
func TestIdleSlotsStartAfterAResponse(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = newsPage()
	cfg.HTTP.Protocol = model.HTTP10
	cfg.TLS.Version = model.TLS13
	res, _ := mustRun(t, cfg)
	if res.IdleSlot != 0 {
		t.Errorf("HTTP/1.0 idle slot time %v, want 0", res.IdleSlot)
	}
}

// TestPipeliningPastTheRequestLimit: with pipelining on one connection, a
// server that closes after max_requests (nginx: 1000) answers the last
// one with "Connection: close" and lingers, reading and dropping what is
// pipelined behind it instead of resetting the connection; the browser
// sends those requests again on a new connection without spending its
// retry budget (RFC 9112 §9.6, §9.3.2). No request fails on a clean link.
func TestPipeliningPastTheRequestLimit(t *testing.T) {
	for _, objects := range []int{1001, 2001, 3001} {
		cfg := model.DefaultConfig()
		cfg.Page = model.SyntheticPage(20_000, objects, []int{1000})
		cfg.HTTP.Protocol, cfg.HTTP.Parallel = model.HTTP11Pipelined, 1
		res, recs := mustRun(t, cfg)
		if res.PagesLoaded != 1 || res.FailedRequests != 0 {
			t.Errorf("%d objects: %d pages loaded, %d requests failed; want the page and no failure", objects, res.PagesLoaded, res.FailedRequests)
		}
		resets := 0
		for _, r := range recs {
			if r.Kind == trace.PacketSent && r.Flags&trace.RST != 0 {
				resets++
			}
		}
		if resets != 0 {
			t.Errorf("%d objects: %d resets on a clean link", objects, resets)
		}
		if want := 1 + objects/cfg.Server.MaxRequests; res.Connections != want {
			t.Errorf("%d objects: %d connections, want %d", objects, res.Connections, want)
		}
	}
}
