package tui

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// proxyRun is HTTP/2 through a proxy that opens a new connection to the
// origin per request: one browser connection, eight to the origin (the
// case where the UI once showed 9 connections and "keepalive run" 1 + 8).
// proxy-http2.jsonl is "keepalive run --scenario proxy-hop --protocol
// http2 --trace" with every resource made 3KB, its header line removed
// (the commands are in testdata/gen/main.go).
func proxyRun(t testing.TB) Run {
	recs := readTrace(t, "proxy-http2.jsonl")
	return Run{Protocol: trace.HTTP2, Records: recs, Summary: trace.Summarize(recs)}
}

// TestCountersAreTheIndexs: at the end of each fixture run, every counter
// the status line shows stands at the shared trace.Index's count, which
// is the Summary's ("keepalive run"'s) too; an index built apart over the
// same records agrees; and each TIME-WAIT the ladder explains holds for
// as long as the index measured, or to the end for the sockets the index
// leaves in TIME-WAIT.
func TestCountersAreTheIndexs(t *testing.T) {
	runs := basicLesson(t).Runs
	runs = append(runs, lossyLesson(t).Runs...)
	runs = append(runs, proxyRun(t))
	runs = append(runs, hostsLesson(t).Runs...)
	runs = append(runs, dnsOneHostLesson(t).Runs...)
	for _, run := range runs {
		ix := newRunIndex(&run, 0)
		c, s := ix.shared.Counts(), run.Summary
		end := ix.tallyAt(ix.recs.Time(ix.recs.Len() - 1))
		for _, tc := range []struct {
			what             string
			tui, index, summ int
		}{
			{"connections", end.opened, c.Connections, s.Connections},
			{"origin connections", end.origin, c.OriginConnections, s.OriginConnections},
			{"TLS handshakes", end.tls, c.TLSHandshakes, s.TLSHandshakes},
			{"handshakes", end.handshakes, c.Established, c.Established},
			{"resources done", end.done, c.ResourcesDone, c.ResourcesDone},
			{"DNS lookups", end.dns, c.DNSLookups, s.DNSLookups},
		} {
			if tc.tui != tc.index || tc.index != tc.summ {
				t.Errorf("%s: %s: the UI counts %d, the index %d, the summary %d", run.Protocol, tc.what, tc.tui, tc.index, tc.summ)
			}
		}
		apart := trace.NewIndex()
		for i := range run.Records {
			apart.Add(&run.Records[i])
		}
		if apart.Counts() != c {
			t.Errorf("%s: an index of the same records counts %+v, the UI's %+v", run.Protocol, apart.Counts(), c)
		}
		var ended, open int
		for i := range ix.recs.Len() {
			if r := ix.rec(i); r.Kind == trace.StateChanged && r.State == trace.TimeWait {
				switch h, ok := ix.held[i]; {
				case !ok || h == 0:
					t.Errorf("%s: the TIME-WAIT of record %d holds for %v", run.Protocol, i, h)
				case h < 0:
					open++
				default:
					ended++
				}
			}
		}
		if still := ix.shared.TimeWait(trace.Up) + ix.shared.TimeWait(trace.Down); open != still {
			t.Errorf("%s: %d TIME-WAITs last to the end, the index has %d sockets in it", run.Protocol, open, still)
		}
		if run.Protocol == trace.HTTP2 && c.OriginConnections > 0 && (c.Connections != 1 || c.OriginConnections != 8 || ended+open == 0) {
			t.Errorf("proxy: %d connections (+%d to the origin), %d TIME-WAITs; want 1 (+8) and some", c.Connections, c.OriginConnections, ended+open)
		}
	}
}

// TestPageFactsAreTheOutcomes: the facts a "page loaded" line states are
// the page's outcome in the run's Summary.
func TestPageFactsAreTheOutcomes(t *testing.T) {
	for _, run := range append(basicLesson(t).Runs, proxyRun(t)) {
		ix := newRunIndex(&run, 0)
		var facts []pageFact
		for i := range ix.recs.Len() {
			if f, ok := ix.pageFacts[i]; ok {
				facts = append(facts, f)
			}
		}
		outs := run.Summary.Outcomes
		if len(facts) != len(outs) || len(outs) == 0 {
			t.Fatalf("%s: %d page facts, %d outcomes", run.Protocol, len(facts), len(outs))
		}
		for i, o := range outs {
			if want := (pageFact{took: o.Took(), conns: o.Connections, retried: o.Retried}); facts[i] != want {
				t.Errorf("%s: page %d: the UI says %+v, the summary %+v", run.Protocol, i+1, facts[i], want)
			}
		}
	}
}
