package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
)

// TestNoAllocationPerPacket: in steady state a transfer allocates
// nothing per packet (issue 17). A one-object page of 10 MB takes about
// 9,400 packets more than one of 1 MB; over HTTP/1.x the allocations
// may differ only by the few times a buffer grows with the window. Over
// HTTP/2 each DATA frame is a message (16,384 bytes, RFC 9113 §6.5.2's
// default SETTINGS_MAX_FRAME_SIZE), about one per eleven packets, and
// nothing more.
func TestNoAllocationPerPacket(t *testing.T) {
	const small, large = 1_000_000, 10_000_000
	for _, tc := range []struct {
		p     model.Protocol
		extra float64 // allocations allowed for the larger transfer's extra bytes
	}{
		{model.HTTP10, 32},
		{model.HTTP11, 32},
		{model.HTTP11Pipelined, 32},
		{model.HTTP2, (large-small)/16_384 + 32},
	} {
		t.Run(tc.p.String(), func(t *testing.T) {
			allocs := func(size int) (float64, int) {
				cfg := model.DefaultConfig()
				cfg.Page = model.SyntheticPage(size, 0, nil)
				cfg.HTTP.Protocol = tc.p
				var packets int
				n := testing.AllocsPerRun(2, func() {
					res, err := model.Run(cfg, nil)
					if err != nil || !res.Complete {
						t.Fatal(err, res.Stopped)
					}
					packets = res.Packets
				})
				return n, packets
			}
			a, pa := allocs(small)
			b, pb := allocs(large)
			if pb-pa < 9_000 {
				t.Fatalf("%d packets for %d bytes, %d for %d: the larger transfer should take about 9,400 more", pa, small, pb, large)
			}
			if b-a > tc.extra {
				t.Errorf("%v allocations for %d bytes (%d packets), %v for %d (%d packets): %v more, want at most %v",
					a, small, pa, b, large, pb, b-a, tc.extra)
			}
		})
	}
}
