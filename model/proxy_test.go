package model_test

import (
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestProxyHopByHop: persistence is per hop. In ideal mode with a
// store-and-forward proxy, serial requests (one connection per hop at a
// time), browser↔proxy RTT1 = 100 ms at R1 = 10 Mbit/s and proxy↔origin
// RTT2 = 20 ms at R2 = 100 Mbit/s, each object costs the browser hop
// (RTT1 + O/R1, plus RTT1 for a new connection) and the origin hop
// (RTT2 + O/R2, plus RTT2 for a new connection).
func TestProxyHopByHop(t *testing.T) {
	const m = 4
	rtt1, rtt2 := kRTT, 20*sim.Millisecond
	ob1, o1 := tOb, tO                                   // at 10 Mbit/s
	ob2, o2 := 1600*sim.Microsecond, 800*sim.Microsecond // at 100 Mbit/s
	for _, tc := range []struct {
		name               string
		front, back        model.Protocol
		conns, originConns int
		want               sim.Time
	}{
		{"keep-alive to the proxy, a connection per request to the origin", model.HTTP11, model.HTTP10, 1, m + 1,
			2*rtt1 + ob1 + 2*rtt2 + ob2 + m*(rtt1+o1+2*rtt2+o2)},
		{"a connection per request to the proxy, keep-alive to the origin", model.HTTP10, model.HTTP11, m + 1, 1,
			2*rtt1 + ob1 + 2*rtt2 + ob2 + m*(2*rtt1+o1+rtt2+o2)},
		{"keep-alive on both hops", model.HTTP11, model.HTTP11, 1, 1,
			2*rtt1 + ob1 + 2*rtt2 + ob2 + m*(rtt1+o1+rtt2+o2)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Link = model.LinkConfig{Delay: rtt1 / 2, Up: kR, Down: kR}
			cfg.Page = model.SyntheticPage(kOb, m, []int{kO})
			cfg.ApplyIdeal()
			cfg.HTTP.Protocol, cfg.HTTP.Parallel = tc.front, 1
			cfg.Proxy = model.DefaultProxy()
			cfg.Proxy.Enabled, cfg.Proxy.Protocol, cfg.Proxy.Parallel = true, tc.back, 1
			cfg.Proxy.Link = model.LinkConfig{Delay: rtt2 / 2, Up: 100 * model.Mbps, Down: 100 * model.Mbps}
			res, _ := mustRun(t, cfg)
			if !res.Complete || res.PageLoad != tc.want {
				t.Errorf("page load %v (complete %v), want %v", res.PageLoad, res.Complete, tc.want)
			}
			if res.Connections != tc.conns || res.OriginConnections != tc.originConns {
				t.Errorf("connections: %d browser→proxy, %d proxy→origin; want %d and %d",
					res.Connections, res.OriginConnections, tc.conns, tc.originConns)
			}
		})
	}
}

// TestProxyGivesUpWith502: a proxy that cannot reach the origin (its
// link at 1 bit/s: the SYNs never get through in time) answers 502 Bad
// Gateway, so the browser's request fails and the page with it. It used
// to relay the response "anyway", and the page counted as loaded.
func TestProxyGivesUpWith502(t *testing.T) {
	for _, p := range model.Protocols {
		cfg := model.DefaultConfig()
		cfg.HTTP.Protocol = p
		cfg.Proxy = model.DefaultProxy()
		cfg.Proxy.Enabled = true
		cfg.Proxy.Link.Up, cfg.Proxy.Link.Down = 1, 1
		log := &trace.Log{}
		res, err := model.Run(cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		if res.Complete || res.PagesFailed != 1 || res.PagesLoaded != 0 || res.FailedRequests != 1 {
			t.Errorf("%v: complete %v, %d failed, %d loaded pages, %d failed requests; want the page failed by one request",
				p, res.Complete, res.PagesFailed, res.PagesLoaded, res.FailedRequests)
		}
		var note string
		for _, r := range log.Records {
			if r.Kind == trace.RequestFailed {
				note = r.Note
			}
		}
		if !strings.HasPrefix(note, "the proxy answered 502 Bad Gateway: it could not reach the origin") {
			t.Errorf("%v: the failure says %q", p, note)
		}
	}
}

// TestProxyExtremes: the proxy links that crashed a run (index out of
// range in browser.skip) — 1 bit/s, loss 0.7 to 0.8 (7 of 10 seeds), a
// round trip of five minutes or more — now run, every page with an
// outcome, under every protocol.
func TestProxyExtremes(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*model.LinkConfig)
	}{
		{"1 bit/s", func(l *model.LinkConfig) { l.Up, l.Down = 1, 1 }},
		{"loss 0.7", func(l *model.LinkConfig) { l.Loss = 0.7 }},
		{"loss 0.8", func(l *model.LinkConfig) { l.Loss = 0.8 }},
		{"RTT 5 min", func(l *model.LinkConfig) { l.Delay = 150 * sim.Second }},
	} {
		for _, p := range model.Protocols {
			for seed := uint64(1); seed <= 10; seed++ {
				cfg := model.DefaultConfig()
				cfg.Page = model.SyntheticPage(20_000, 3, []int{10_000})
				cfg.HTTP.Protocol, cfg.Seed = p, seed
				cfg.Proxy = model.DefaultProxy()
				cfg.Proxy.Enabled = true
				tc.set(&cfg.Proxy.Link)
				res, err := model.Run(cfg, nil)
				if err != nil {
					t.Fatalf("%s, %v, seed %d: %v", tc.name, p, seed, err)
				}
				if res.PagesLoaded+res.PagesFailed+res.PagesUnfinished != res.Pages || res.Pages != 1 {
					t.Errorf("%s, %v, seed %d: %d pages, %d loaded, %d failed, %d unfinished", tc.name, p, seed,
						res.Pages, res.PagesLoaded, res.PagesFailed, res.PagesUnfinished)
				}
			}
		}
	}
}
