package model_test

import (
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
