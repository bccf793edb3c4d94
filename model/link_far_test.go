package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestFarPacketsDoNotAllocate: a farther origin's packets propagate on a
// lane of the link made once, not on a callback made per packet, so a
// run with origins.delay allocates about as much as one without, and
// neither allocates per packet (a closure over the packet in onWire
// moved every packet to the heap, far or not).
func TestFarPacketsDoNotAllocate(t *testing.T) {
	run := func(delay sim.Time) (allocs float64, packets int) {
		cfg := model.DefaultConfig()
		cfg.Page = model.SyntheticPage(20_000, 10, []int{100_000})
		cfg.Origins = []model.OriginConfig{{Host: "cdn.example.com", Delay: delay, Server: cfg.Server, TLS: cfg.TLS, HTTP2: true}}
		for i := 1; i < len(cfg.Page.Resources); i++ {
			cfg.Page.Resources[i].Origin = 1
		}
		allocs = testing.AllocsPerRun(3, func() {
			res, err := model.Run(cfg, trace.Discard{})
			if err != nil || !res.Complete {
				t.Fatalf("complete %v, %v", res.Complete, err)
			}
			packets = res.Packets
		})
		return allocs, packets
	}
	near, _ := run(0)
	far, packets := run(20 * sim.Millisecond)
	if far-near > float64(packets)/10 || near > float64(packets) {
		t.Errorf("%.0f allocations with the origin 20 ms farther, %.0f without, for %d packets", far, near, packets)
	}
}
