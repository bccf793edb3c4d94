package model_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// BenchmarkPageLoad loads a page once per op in each protocol and reports
// the engine events per load and the cost per event beside the cost per
// load. "webpage" is the built-in default page; "objects=50" is 50 objects
// of 10 KB. The trace buffer is reused between loads, as a batch worker
// does.
func BenchmarkPageLoad(b *testing.B) {
	pages := []struct {
		name string
		page model.Page
	}{
		{"webpage", newsPage()},
		{"objects=50", model.SyntheticPage(20_000, 50, []int{10_000})},
	}
	for _, pg := range pages {
		for _, p := range model.Protocols {
			b.Run(pg.name+"/"+p.String(), func(b *testing.B) {
				cfg := model.DefaultConfig()
				cfg.Page = pg.page
				cfg.HTTP.Protocol = p
				var events uint64
				log := &trace.Log{}
				b.ReportAllocs()
				for b.Loop() {
					log.Reset()
					res, err := model.Run(cfg, log)
					if err != nil || !res.Complete {
						b.Fatal(err)
					}
					events += res.Events
				}
				perLoad := float64(events) / float64(b.N)
				b.ReportMetric(perLoad, "events/load")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(events), "ns/event")
			})
		}
	}
}

// BenchmarkManyObjects is the cost per packet of a page of 50 and of
// 10,000 objects of 10 KB (the most a scenario allows; run's default
// size, so that both pages send about as many packets per object), with
// no trace kept, as a sweep runs: the work per packet must not grow with
// the number of requests queued (docs/performance.md, "Large pages").
// One op is one page load. Besides ns/packet it reports allocations per
// packet and per resource (issue 17's targets).
func BenchmarkManyObjects(b *testing.B) {
	for _, objects := range []int{50, 10_000} {
		for _, p := range model.Protocols {
			b.Run(fmt.Sprintf("objects=%d/%s", objects, p), func(b *testing.B) {
				cfg := model.DefaultConfig()
				cfg.Page = model.SyntheticPage(20_000, objects, []int{10_000})
				cfg.HTTP.Protocol = p
				var packets int
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for b.Loop() {
					res, err := model.Run(cfg, nil)
					if err != nil || !res.Complete {
						b.Fatal(err, res.Stopped)
					}
					packets += res.Packets
				}
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(packets), "ns/packet")
				// Issue 17's second measure: allocations per packet and per
				// request, the whole process's (the loop is all it runs).
				allocs := float64(after.Mallocs - before.Mallocs)
				b.ReportMetric(allocs/float64(packets), "allocs/packet")
				b.ReportMetric(allocs/float64(b.N*(objects+1)), "allocs/resource")
				b.ReportMetric(float64(packets)/float64(b.N), "packets/load")
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(objects+1)), "ns/resource")
			})
		}
	}
}
