package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
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
