package sweep_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios/sweep"
	"github.com/keepalive-sim/keepalive/sim"
)

// BenchmarkSweep runs 1,000 page loads of a 50-object page (10 KB
// objects; 250 replicates × the four protocols) through the whole sweep
// engine (worker pool, CSV rows, ordered writer to io.Discard), with one
// and two workers. One op is the 1,000 loads; loads/s is the throughput.
// The garbage collector's target is keepalive sweep's, GOGC=400, unless
// GOGC is set (docs/performance.md).
//
//	go test ./scenarios/sweep -run xxx -bench Sweep -benchtime 5x -count 3
func BenchmarkSweep(b *testing.B) {
	const replicates = 250
	p, err := sweep.NewPlan(sweep.Spec{
		Set: []sweep.Set{
			{Flag: "--objects", Name: "objects", Value: "50"},
			{Flag: "--object-size", Name: "object-size", Value: "10KB"},
		},
		Replicates: replicates,
	})
	if err != nil {
		b.Fatal(err)
	}
	loads := p.Runs()
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(400))
	}
	for _, jobs := range []int{1, 2} {
		b.Run(fmt.Sprintf("jobs=%d", jobs), func(b *testing.B) {
			for b.Loop() {
				if _, err := sweep.Run(context.Background(), p, sweep.Options{Jobs: jobs, W: io.Discard}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(loads*b.N)/b.Elapsed().Seconds(), "loads/s")
		})
	}
}

// BenchmarkLoadCost shows how the cost of one page load grows: with the
// number of objects, the RTT and the bandwidth. One op is one load of
// each of the four protocols; it reports engine events and packets per
// load and µs per load, on a worker's reused trace buffer.
//
//	go test ./scenarios/sweep -run xxx -bench LoadCost -benchtime 200x -count 3
func BenchmarkLoadCost(b *testing.B) {
	for _, tc := range []struct {
		name      string
		objects   int
		rttMs     int
		bandwidth model.Rate
	}{
		{"objects=10", 10, 100, 10 * model.Mbps},
		{"objects=50", 50, 100, 10 * model.Mbps},
		{"objects=100", 100, 100, 10 * model.Mbps},
		{"objects=50/rtt=10ms", 50, 10, 10 * model.Mbps},
		{"objects=50/rtt=400ms", 50, 400, 10 * model.Mbps},
		{"objects=50/bw=1Mbps", 50, 100, 1 * model.Mbps},
		{"objects=50/bw=100Mbps", 50, 100, 100 * model.Mbps},
	} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := model.DefaultConfig()
			cfg.Page = model.SyntheticPage(20_000, tc.objects, []int{10_000})
			cfg.Link.Delay = sim.Time(tc.rttMs) * sim.Millisecond / 2
			cfg.Link.Up, cfg.Link.Down = tc.bandwidth, tc.bandwidth
			log := &trace.Log{}
			var events, packets uint64
			for b.Loop() {
				for _, p := range model.Protocols {
					cfg.HTTP.Protocol = p
					log.Reset()
					res, err := model.Run(cfg, log)
					if err != nil {
						b.Fatal(err)
					}
					events += res.Events
					packets += uint64(res.Packets)
				}
			}
			loads := float64(b.N * len(model.Protocols))
			b.ReportMetric(float64(events)/loads, "events/load")
			b.ReportMetric(float64(packets)/loads, "packets/load")
			b.ReportMetric(b.Elapsed().Seconds()*1e6/loads, "µs/load")
		})
	}
}
