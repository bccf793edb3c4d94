package main

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/sim"
)

// The protocols, short.
const (
	h10  = model.HTTP10
	h11  = model.HTTP11
	pipe = model.HTTP11Pipelined
	h2   = model.HTTP2
	h3   = model.HTTP3
)

// Cells used by several lessons.
var (
	colLoad  = lessonCol{"page load", func(_ *testing.T, r *lessonRun) string { return loadText(r.res.PageLoad) }}
	colMean  = lessonCol{"mean page load", func(_ *testing.T, r *lessonRun) string { return loadText(r.res.PageLoad) }}
	colConns = lessonCol{"connections", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.Connections) }}
)

// connections is "1 connection", "6 connections".
func connections(n int) string {
	if n == 1 {
		return "1 connection"
	}
	return strconv.Itoa(n) + " connections"
}

func loadText(d time.Duration) string {
	if d < 0 {
		return "none loaded"
	}
	return uiTime(d)
}

func cellLoad(_ *testing.T, r *lessonRun) string { return loadText(r.res.PageLoad) }

// page is page n's load time (one client), or how it ended.
func page(r *lessonRun, n int) (time.Duration, bool) {
	for _, o := range r.res.Outcomes {
		if o.Page == n && o.Client <= 1 {
			return o.End - o.Start, o.Outcome == trace.Loaded
		}
	}
	return 0, false
}

func pageText(r *lessonRun, n int) string {
	d, ok := page(r, n)
	if !ok {
		return "failed"
	}
	return uiTime(d)
}

func pageCol(n int) lessonCol {
	return lessonCol{fmt.Sprintf("page %d", n), func(_ *testing.T, r *lessonRun) string { return pageText(r, n) }}
}

// loadOf is page n's load time, failing the test if it did not load.
func loadOf(t *testing.T, r *lessonRun, n int) time.Duration {
	t.Helper()
	d, ok := page(r, n)
	if !ok {
		t.Fatalf("%s: page %d did not load", r.p, n)
	}
	return d
}

// rtt is the run's round-trip time.
func rtt(r *lessonRun) time.Duration { return time.Duration(2 * r.cfg.Link.Delay) }

// lessonSpecs are the lessons of docs/lessons.md, in its order.
func lessonSpecs() []lessonSpec {
	return []lessonSpec{
		webpageLesson(), textbookLesson(), holLesson(), holUnderLossLesson(), tlsLesson(), lossyLesson(),
		idleReuseLesson(), closeRaceLesson(), exhaustionLesson(), timeWaitLesson(),
		proxyLesson(), tcpKeepaliveLesson(), tlsCPULesson(), realPageLesson(),
	}
}

func webpageLesson() lessonSpec {
	return lessonSpec{
		name: "webpage",
		cols: []lessonCol{colLoad, colConns, {"packets", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.Packets) }}},
		tries: []lessonTry{
			{flag: "--rtt 300ms"}, {flag: "--bandwidth 100Mbps"}, {flag: "--bandwidth 1Mbps"},
		},
		tryCell: cellLoad,
		check: func(t *testing.T, f *lessonFacts) {
			d := f.designed
			for _, p := range []model.Protocol{h11, pipe, h2} {
				if d(p).res.PageLoad >= d(h10).res.PageLoad {
					t.Errorf("webpage: %s is not faster than HTTP/1.0, as docs/lessons.md says", p)
				}
			}
			if n := len(d(h10).res.Resources); d(h10).res.Connections != n {
				t.Errorf("webpage: HTTP/1.0 opened %d connections for %d files; the page says one per file", d(h10).res.Connections, n)
			}
			if d(h11).res.Connections != d(h11).cfg.HTTP.Parallel || d(h2).res.Connections != 1 {
				t.Errorf("webpage: HTTP/1.1 opened %d connections (http.parallel %d), HTTP/2 %d; the page says http.parallel and one",
					d(h11).res.Connections, d(h11).cfg.HTTP.Parallel, d(h2).res.Connections)
			}
			if slices.MinFunc(model.Protocols, func(a, b model.Protocol) int { return cmp.Compare(d(a).res.PageLoad, d(b).res.PageLoad) }) != h11 {
				t.Errorf("webpage: HTTP/1.1 keep-alive is not the fastest, as docs/lessons.md says")
			}
			if slices.MinFunc(model.Protocols, func(a, b model.Protocol) int { return cmp.Compare(f.run(0, a).res.PageLoad, f.run(0, b).res.PageLoad) }) != h2 {
				t.Errorf("webpage: at --rtt 300ms HTTP/2 is not the fastest, as docs/lessons.md says")
			}
			var lo, hi time.Duration
			for _, p := range model.Protocols {
				base := d(p).res.PageLoad
				if slow := f.run(0, p).res.PageLoad; slow <= 2*base {
					t.Errorf("webpage: --rtt 300ms: %s takes %v, not more than twice %v", p, slow, base)
				}
				if fast := f.run(1, p).res.PageLoad; fast*5 < base*4 {
					t.Errorf("webpage: --bandwidth 100Mbps: %s takes %v, more than a fifth less than %v", p, fast, base)
				}
				thin := f.run(2, p).res.PageLoad
				if lo == 0 || thin < lo {
					lo = thin
				}
				hi = max(hi, thin)
			}
			if (hi-lo)*20 >= lo {
				t.Errorf("webpage: --bandwidth 1Mbps: the protocols take %v to %v, not within 5 %%", lo, hi)
			}
		},
	}
}

// textbookRTTs is the textbook's count of round trips in a run: its page
// load less the time its files take to cross the link, over the RTT (an
// exact whole number in ideal mode with one connection at a time).
func textbookRTTs(r *lessonRun) (k int64, exact bool) {
	bits := int64(0)
	for _, rt := range r.res.Resources {
		bits += 8 * int64(rt.Bytes)
	}
	transmit := time.Duration(bits * int64(time.Second) / int64(r.cfg.Link.Down))
	rest := r.res.PageLoad - transmit
	return int64(rest / rtt(r)), rest%rtt(r) == 0
}

func textbookLesson() lessonSpec {
	return lessonSpec{
		name: "textbook",
		cols: []lessonCol{colLoad, colConns, {"round trips (page load less the files' transmission, over the RTT)", func(_ *testing.T, r *lessonRun) string {
			k, exact := textbookRTTs(r)
			if !exact {
				return "not a whole number"
			}
			return strconv.FormatInt(k, 10)
		}}},
		tries:   []lessonTry{{flag: "--parallel 5"}, {flag: "--parallel 10"}, {flag: "--rtt 300ms"}},
		tryCell: cellLoad,
		check: func(t *testing.T, f *lessonFacts) {
			objects := int64(len(f.designed(h10).res.Resources) - 1)
			for _, c := range []struct {
				p    model.Protocol
				want int64
			}{{h10, 2 * (objects + 1)}, {h11, objects + 2}, {pipe, 3}, {h2, 3}} {
				for _, try := range []int{-1, 2} { // as designed, and at 300 ms
					if k, exact := textbookRTTs(f.run(try, c.p)); !exact || k != c.want {
						t.Errorf("textbook (try %d): %s takes %d round trips (whole: %v), the textbook's count is %d", try, c.p, k, exact, c.want)
					}
				}
			}
			for k := 0; k < 2; k++ {
				if f.run(k, h2).res.PageLoad != f.designed(h2).res.PageLoad {
					t.Errorf("textbook: --parallel changes HTTP/2's page load; the page says it always uses one connection")
				}
			}
			ten := func(p model.Protocol) *lessonRun { return f.run(1, p) }
			if ten(h10).res.PageLoad != ten(h11).res.PageLoad || int64(ten(h11).res.Connections) != objects {
				t.Errorf("textbook --parallel 10: HTTP/1.0 %v, HTTP/1.1 %v over %d connections; the page says the same, over a connection per object",
					ten(h10).res.PageLoad, ten(h11).res.PageLoad, ten(h11).res.Connections)
			}
		},
	}
}

// icons are hol-blocking's small files.
func icons(r *lessonRun) []trace.ResourceTiming {
	var out []trace.ResourceTiming
	for _, rt := range r.res.Resources {
		if strings.HasPrefix(rt.Path, "/icon") {
			out = append(out, rt)
		}
	}
	return out
}

func holLesson() lessonSpec {
	lastIcon := func(r *lessonRun) time.Duration {
		var last time.Duration
		for _, rt := range icons(r) {
			last = max(last, rt.LastByte)
		}
		return last
	}
	return lessonSpec{
		name: "hol-blocking",
		cols: []lessonCol{colLoad, colConns,
			{"first icon complete", func(t *testing.T, r *lessonRun) string { return uiTime(r.resource(t, "/icon1.png").LastByte) }},
			{"last icon complete", func(_ *testing.T, r *lessonRun) string { return uiTime(lastIcon(r)) }},
			{"image complete", func(t *testing.T, r *lessonRun) string { return uiTime(r.resource(t, "/hero.jpg").LastByte) }},
		},
		tries: []lessonTry{{flag: "--bandwidth 100Mbps"}},
		tryCell: func(t *testing.T, r *lessonRun) string {
			return "first icon " + uiTime(r.resource(t, "/icon1.png").LastByte) + ", image " + uiTime(r.resource(t, "/hero.jpg").LastByte) + ", page " + uiTime(r.res.PageLoad)
		},
		check: func(t *testing.T, f *lessonFacts) {
			for _, try := range []int{-1, 0} {
				run := func(p model.Protocol) *lessonRun { return f.run(try, p) }
				for _, p := range []model.Protocol{h11, pipe, h2} {
					img := run(p).resource(t, "/hero.jpg")
					for _, icon := range icons(run(p)) {
						if p != h2 && icon.FirstByte < img.LastByte {
							t.Errorf("hol-blocking (try %d): %s's %s starts at %v, before the image ends at %v; the page says the icons wait for all of it", try, p, icon.Path, icon.FirstByte, img.LastByte)
						}
						if p == h2 && icon.LastByte >= img.LastByte {
							t.Errorf("hol-blocking (try %d): HTTP/2's %s is complete at %v, not before the image (%v)", try, icon.Path, icon.LastByte, img.LastByte)
						}
					}
				}
				if a, b := run(pipe).res.PageLoad, run(h2).res.PageLoad; (a-b)*50 > b || (b-a)*50 > b {
					t.Errorf("hol-blocking (try %d): pipelined %v and HTTP/2 %v are not within 2 %%, as the page says", try, a, b)
				}
				if run(h11).res.PageLoad <= run(pipe).res.PageLoad {
					t.Errorf("hol-blocking (try %d): HTTP/1.1 without pipelining is not slower than with it", try)
				}
			}
		},
	}
}

// noTLS is the run again without TLS: the webpage scenario.
func noTLS(t *testing.T, r *lessonRun) time.Duration {
	t.Helper()
	cfg := r.cfg
	cfg.TLS.Version, cfg.TLS.Resume, cfg.TLS.EarlyData = model.NoTLS, false, false
	res, err := model.Run(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return res.PageLoad
}

// firstTLS is how long the run's first TLS handshake took.
func firstTLS(r *lessonRun) time.Duration {
	var start time.Duration = -1
	for _, x := range r.recs {
		switch {
		case x.Kind == trace.TLSStarted && start < 0:
			start = x.At
		case x.Kind == trace.TLSDone && start >= 0:
			return x.At - start
		}
	}
	return 0
}

func tlsLesson() lessonSpec {
	return lessonSpec{
		name: "tls",
		cols: []lessonCol{colLoad, colConns,
			{"TLS handshakes", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.TLSHandshakes) }},
			{"without TLS (`--tls none`)", func(t *testing.T, r *lessonRun) string {
				if r.p == h3 {
					return "— (QUIC always runs TLS 1.3)"
				}
				return uiTime(noTLS(t, r))
			}},
			{"what TLS cost", func(t *testing.T, r *lessonRun) string {
				if r.p == h3 {
					return "— (one handshake, QUIC's and TLS's)"
				}
				return uiTime(r.res.PageLoad - noTLS(t, r))
			}},
			{"first TLS handshake took", func(_ *testing.T, r *lessonRun) string { return uiTime(firstTLS(r)) }},
		},
		tries: []lessonTry{
			{flag: "--tls 1.2"}, {flag: "--tls-resume"},
			{set: []scenarios.Setting{{Field: "tls.resume", Value: "true"}, {Field: "tls.early_data", Value: "true"}}},
		},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return uiTime(r.res.PageLoad) + " (first handshake " + uiTime(firstTLS(r)) + ")"
		},
		check: func(t *testing.T, f *lessonFacts) {
			if open := opening(f); open.recs[open.hits[0].Record].At != open.recs[open.hits[1].Record].At {
				t.Errorf("tls: the first two moments are at different times; the page says they share one")
			}
			cost := map[model.Protocol]time.Duration{}
			for _, p := range model.Protocols {
				r := f.designed(p)
				if r.res.TLSHandshakes != r.res.Connections {
					t.Errorf("tls: %s: %d TLS handshakes for %d connections; the page says one each", p, r.res.TLSHandshakes, r.res.Connections)
				}
				cost[p] = r.res.PageLoad - noTLS(t, r)
				if f.run(0, p).res.PageLoad <= r.res.PageLoad {
					t.Errorf("tls: %s is not slower with TLS 1.2", p)
				}
				if d := f.run(1, p).res.PageLoad - r.res.PageLoad; d*10 > rtt(r) || -d*10 > rtt(r) {
					t.Errorf("tls: --tls-resume changes %s's page load by %v, a tenth of a round trip or more; the page says it saves no round trip", p, d)
				}
				early := f.run(2, p).res.PageLoad
				if p == h2 && early != r.res.PageLoad {
					t.Errorf("tls: early data changes HTTP/2's page load (%v, %v); the page says its one connection has nothing to resume", early, r.res.PageLoad)
				}
				if p != h2 && early >= f.run(1, p).res.PageLoad {
					t.Errorf("tls: early data does not speed %s up", p)
				}
			}
			if !(cost[h10] > cost[h11] && cost[h11] > cost[h2] && cost[pipe] > cost[h2]) {
				t.Errorf("tls: TLS costs %v; the page says HTTP/1.0 most, then HTTP/1.1, HTTP/2 least", cost)
			}
			if r := rtt(f.designed(h2)); cost[h2] < r || cost[h2]*5 > r*6 {
				t.Errorf("tls: TLS costs HTTP/2 %v, not about one round trip (%v)", cost[h2], r)
			}
			// HTTP/3: one handshake, QUIC's with TLS 1.3 inside, whatever
			// --tls says; its first request a round trip in, against two for
			// HTTP/2; nothing to resume on its one connection.
			r3 := f.designed(h3)
			if r3.res.TLSHandshakes != 1 || r3.res.Connections != 1 {
				t.Errorf("tls: HTTP/3: %d TLS handshakes on %d connections; the page says one on one", r3.res.TLSHandshakes, r3.res.Connections)
			}
			for k := range 3 {
				if got := f.run(k, h3).res.PageLoad; got != r3.res.PageLoad {
					t.Errorf("tls (try %d): HTTP/3's page load changes (%v, %v); the page says --tls, resumption and early data leave its one QUIC connection alone", k, got, r3.res.PageLoad)
				}
			}
			if hs := firstTLS(r3); hs < rtt(r3) || hs*10 > rtt(r3)*11 {
				t.Errorf("tls: HTTP/3's handshake takes %v, not about one round trip", hs)
			}
			if r3.res.PageLoad >= f.designed(h2).res.PageLoad {
				t.Errorf("tls: HTTP/3 (%v) is not faster than HTTP/2 (%v)", r3.res.PageLoad, f.designed(h2).res.PageLoad)
			}
			for k, want := range map[int]time.Duration{-1: 1, 0: 2} { // round trips of TLS 1.3's and 1.2's handshake
				for _, p := range model.Protocols {
					r := f.run(k, p)
					if hs := firstTLS(r); hs < want*rtt(r) || hs*10 > want*rtt(r)*11 {
						t.Errorf("tls (try %d): %s's first TLS handshake takes %v, not about %d round trips", k, p, hs, want)
					}
				}
			}
		},
	}
}

// lossySeeds is how many seeds lossy's means are taken over.
const lossySeeds = 20

// seedLoads runs the lesson's protocol p with seeds 1 to lossySeeds,
// once for the whole test.
var seedLoads = sync.OnceValue(func() map[model.Protocol][]time.Duration {
	sc, err := scenarios.Builtin("lossy")
	if err != nil {
		panic(err)
	}
	out := map[model.Protocol][]time.Duration{}
	for _, p := range model.Protocols {
		for seed := uint64(1); seed <= lossySeeds; seed++ {
			cfg := sc.Config
			cfg.HTTP.Protocol, cfg.Seed = p, seed
			res, err := model.Run(cfg, nil)
			if err != nil {
				panic(err)
			}
			out[p] = append(out[p], res.PageLoad)
		}
	}
	return out
})

func seedMean(p model.Protocol) time.Duration {
	var sum time.Duration
	for _, d := range seedLoads()[p] {
		sum += d
	}
	return sum / lossySeeds
}

// synWait is how long the run's first SYN timeout waited: from the
// first SYN (or SYN-ACK) its side sent on the connection to the resend;
// 0 if none.
func synWait(r *lessonRun) time.Duration {
	for _, x := range r.recs {
		if x.Kind != trace.Retransmit || x.Note != trace.RetxSynTimeout {
			continue
		}
		for _, s := range r.recs {
			if s.Kind == trace.PacketSent && s.Conn == x.Conn && s.Dir == x.Dir && s.Flags&trace.SYN != 0 {
				return x.At - s.At
			}
		}
	}
	return 0
}

func lossyLesson() lessonSpec {
	return lessonSpec{
		name: "lossy",
		cols: []lessonCol{
			{"page load (seed 1)", cellLoad}, colConns,
			{"packets lost", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.Drops) }},
			{"retransmissions", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.Retransmissions) }},
			{"a lost SYN or SYN-ACK was sent again after", func(_ *testing.T, r *lessonRun) string {
				if w := synWait(r); w > 0 {
					return uiTime(w)
				}
				return "none lost"
			}},
			{fmt.Sprintf("mean page load, seeds 1–%d", lossySeeds), func(_ *testing.T, r *lessonRun) string { return uiTime(seedMean(r.p)) }},
			{fmt.Sprintf("slowest of seeds 1–%d", lossySeeds), func(_ *testing.T, r *lessonRun) string {
				return uiTime(slicesMax(seedLoads()[r.p]))
			}},
		},
		tries:   []lessonTry{{flag: "--seed 2"}, {flag: "--seed 3"}},
		tryCell: cellLoad,
		check: func(t *testing.T, f *lessonFacts) {
			slowest := func(load func(model.Protocol) time.Duration) model.Protocol {
				worst := h10
				for _, p := range model.Protocols {
					if load(p) > load(worst) {
						worst = p
					}
				}
				return worst
			}
			if p := slowest(func(p model.Protocol) time.Duration { return f.designed(p).res.PageLoad }); p != h10 {
				t.Errorf("lossy: with seed 1 the slowest is %s; the page says HTTP/1.0", p)
			}
			if p := slowest(seedMean); p != h2 {
				t.Errorf("lossy: on average the slowest is %s; the page says HTTP/2", p)
			}
			if seedMean(h10) <= seedMean(h11) {
				t.Errorf("lossy: on average HTTP/1.0 is not slower than HTTP/1.1")
			}
			for _, p := range model.Protocols {
				if w := synWait(f.designed(p)); w != 0 && w != time.Duration(f.designed(p).cfg.TCP.InitialRTO) {
					t.Errorf("lossy: %s's lost SYN waited %v, not tcp.initial_rto", p, w)
				}
			}
			// The page's sweep gives the table's means.
			dir := t.TempDir()
			mustRun(t, "sweep", "--scenario", "lossy", "--replicates", strconv.Itoa(lossySeeds),
				"--out", filepath.Join(dir, "lossy-runs.csv"), "--summary", filepath.Join(dir, "lossy-summary.csv"))
			data, err := os.ReadFile(filepath.Join(dir, "lossy-summary.csv"))
			if err != nil {
				t.Fatal(err)
			}
			rows := readCSV(t, string(data))
			seen := 0
			for _, row := range rows[1:] {
				p, err := model.ParseProtocol(row[slices.Index(rows[0], "protocol")])
				if err != nil || row[slices.Index(rows[0], "metric")] != "page_load_ms" {
					continue
				}
				seen++
				mean, _ := strconv.ParseFloat(row[slices.Index(rows[0], "mean")], 64)
				if want := float64(seedMean(p)) / 1e6; mean-want > 1e-3 || want-mean > 1e-3 {
					t.Errorf("lossy: the sweep's mean page load for %s is %v ms, the table's %v ms", p, mean, want)
				}
			}
			if seen != len(model.Protocols) {
				t.Errorf("lossy: the sweep's summary has %d page_load_ms rows", seen)
			}
			if synWait(f.designed(h10)) == 0 {
				t.Errorf("lossy: HTTP/1.0 loses no SYN with seed 1; the page shows one")
			}
		},
	}
}

func slicesMax(ds []time.Duration) time.Duration {
	var m time.Duration
	for _, d := range ds {
		m = max(m, d)
	}
	return m
}

func idleReuseLesson() lessonSpec {
	return lessonSpec{
		name: "idle-reuse",
		cols: []lessonCol{pageCol(1), pageCol(2), pageCol(3), colConns},
		tries: []lessonTry{
			{set: []scenarios.Setting{{Field: "tcp.restart", Value: "off"}}},
			{set: []scenarios.Setting{{Field: "server.idle_timeout", Value: "15s"}}},
		},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return "page 2 " + pageText(r, 2) + ", page 3 " + pageText(r, 3) + ", " + connections(r.res.Connections)
		},
		check: func(t *testing.T, f *lessonFacts) {
			for _, p := range model.Protocols {
				r, off, long := f.designed(p), f.run(0, p), f.run(1, p)
				p2, p3 := loadOf(t, r, 2), loadOf(t, r, 3)
				switch {
				case p == h10 && p2 != p3:
					t.Errorf("idle-reuse: HTTP/1.0's pages 2 and 3 take %v and %v; the page says the same", p2, p3)
				case p != h10 && p2 >= p3:
					t.Errorf("idle-reuse: %s's page 2 (%v) is not faster than page 3 (%v)", p, p2, p3)
				}
				if p == h10 {
					continue
				}
				if loadOf(t, off, 2) >= p2 || loadOf(t, off, 3) != p3 {
					t.Errorf("idle-reuse: tcp.restart off: %s's page 2 %v (was %v), page 3 %v (was %v); the page says page 2 faster, page 3 the same",
						p, loadOf(t, off, 2), p2, loadOf(t, off, 3), p3)
				}
				if loadOf(t, long, 3) >= p3 || long.res.Connections >= r.res.Connections {
					t.Errorf("idle-reuse: server.idle_timeout 15s: %s's page 3 %v (was %v) over %d connections (was %d); the page says faster, fewer",
						p, loadOf(t, long, 3), p3, long.res.Connections, r.res.Connections)
				}
				if p == h11 && loadOf(t, long, 3) != loadOf(t, long, 2) {
					t.Errorf("idle-reuse: server.idle_timeout 15s: HTTP/1.1's page 3 %v is not page 2's %v", loadOf(t, long, 3), loadOf(t, long, 2))
				}
			}
		},
	}
}

// hasMoment reports whether the moment named name happens in run r.
func hasMoment(f *lessonFacts, r *lessonRun, name string) bool {
	for _, h := range r.hits {
		if f.sc.Moments[h.Moment].Name == name {
			return true
		}
	}
	return false
}

func closeRaceLesson() lessonSpec {
	count := func(head string, n func(*lessonRun) int) lessonCol {
		return lessonCol{head, func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(n(r)) }}
	}
	return lessonSpec{
		name: "close-race",
		cols: []lessonCol{pageCol(1), pageCol(2), colConns,
			count("retried requests", func(r *lessonRun) int { return r.res.RetriedRequests }),
			count("failed requests", func(r *lessonRun) int { return r.res.FailedRequests }),
			{"race cost", func(_ *testing.T, r *lessonRun) string { return uiTime(r.res.RaceCost) }},
		},
		tries: []lessonTry{
			{set: []scenarios.Setting{{Field: "server.idle_close", Value: "408"}}},
			{set: []scenarios.Setting{{Field: "browser.retry", Value: "false"}}},
			{think: 4700 * sim.Millisecond},
			{think: 5000 * sim.Millisecond},
		},
		tryProtos: []model.Protocol{h10, h11, h2},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return fmt.Sprintf("page 2 %s, %s, %d retried", pageText(r, 2), connections(r.res.Connections), r.res.RetriedRequests)
		},
		check: func(t *testing.T, f *lessonFacts) {
			d := f.designed
			if r := d(h11).res; r.RetriedRequests != 1 || r.FailedRequests != 0 || r.RaceCost <= rtt(d(h11)) {
				t.Errorf("close-race: HTTP/1.1 retried %d, failed %d, race cost %v; the page says one retry, more than a round trip", r.RetriedRequests, r.FailedRequests, r.RaceCost)
			}
			var order []string
			for _, h := range d(h11).hits {
				if n := f.sc.Moments[h.Moment].Name; n == "retry" || n == "rst" {
					order = append(order, n)
				}
			}
			at := func(r *lessonRun, name string) (time.Duration, int) {
				for _, h := range r.hits {
					if f.sc.Moments[h.Moment].Name == name {
						return r.recs[h.Record].At, r.recs[h.Record].Conn
					}
				}
				t.Fatalf("close-race: no moment %s in %s", name, r.p)
				return 0, 0
			}
			retry, conn := at(d(h11), "retry")
			finArrived := d(h11).count(func(x *trace.Record) bool {
				return x.Kind == trace.PacketArrived && x.Conn == conn && x.Dir == trace.Down && x.Flags&trace.FIN != 0 && x.At <= retry
			})
			if finArrived == 0 {
				t.Errorf("close-race: the retry at %v comes before the server's FIN reaches the browser; the page says the FIN told it", retry)
			}
			if fin, _ := at(d(h2), "fin"); fin <= d(h2).resource(t, "/next.html").RequestSent {
				t.Errorf("close-race: HTTP/2's FIN at %v is not after page 2's request, as the page says", fin)
			}
			if !slices.Equal(order, []string{"retry", "rst"}) {
				t.Errorf("close-race: HTTP/1.1's moments come %v; the page says the retry comes before the RST", order)
			}
			if d(h2).res.RetriedRequests != 0 || d(h2).res.Connections != 1 || loadOf(t, d(h2), 2) >= loadOf(t, d(h11), 2) {
				t.Errorf("close-race: HTTP/2 retried %d over %d connections; the page says it reuses its connection, faster", d(h2).res.RetriedRequests, d(h2).res.Connections)
			}
			for k := -1; k < 4; k++ {
				if r := f.run(k, h10).res; r.RetriedRequests != 0 || r.FailedRequests != 0 || r.Connections != 2 {
					t.Errorf("close-race (try %d): HTTP/1.0 retried %d, failed %d, %d connections; the page says it never races", k, r.RetriedRequests, r.FailedRequests, r.Connections)
				}
			}
			if r := f.run(0, h11); !hasMoment(f, r, "408") || r.res.RetriedRequests != 1 {
				t.Errorf("close-race: idle_close 408: HTTP/1.1 retried %d (408 moment: %v); the page says the 408 is sent and the request still retried", r.res.RetriedRequests, hasMoment(f, r, "408"))
			}
			if r := f.run(1, h11); !hasMoment(f, r, "failed") || r.res.FailedRequests != 1 || r.res.PagesFailed != 1 {
				t.Errorf("close-race: retry false: HTTP/1.1 failed %d requests, %d pages; the page says page 2 fails", r.res.FailedRequests, r.res.PagesFailed)
			}
			if r := f.run(2, h11).res; r.RetriedRequests != 0 || r.Connections != 1 {
				t.Errorf("close-race: think 4.7s: HTTP/1.1 retried %d over %d connections; the page says it reuses", r.RetriedRequests, r.Connections)
			}
			if r := f.run(3, h11).res; r.RetriedRequests != 0 || r.Connections != 2 {
				t.Errorf("close-race: think 5s: HTTP/1.1 retried %d over %d connections; the page says a new connection, no race", r.RetriedRequests, r.Connections)
			}
			late := f.run(3, h11)
			sent := late.resource(t, "/next.html").RequestSent
			if late.count(func(x *trace.Record) bool {
				return x.Kind == trace.PacketArrived && x.Dir == trace.Down && x.Flags&trace.FIN != 0 && x.At < sent
			}) == 0 {
				t.Errorf("close-race: think 5s: page 2's request at %v comes before the server's FIN arrives; the page says after", sent)
			}
			if p := openingOf(f, 2).p; p != h2 {
				t.Errorf("close-race: think 4.7s opens on %s; the page says http2", p)
			}
		},
	}
}

func exhaustionLesson() lessonSpec {
	slowest := func(r *lessonRun) time.Duration { return slicesMax(r.res.PageLoads) }
	return lessonSpec{
		name: "server-exhaustion",
		cols: []lessonCol{colMean,
			{"slowest page", func(_ *testing.T, r *lessonRun) string { return uiTime(slowest(r)) }},
			colConns,
			{"refused SYNs", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.RefusedConnections) }},
			{"backlog wait (total)", func(_ *testing.T, r *lessonRun) string { return fmt.Sprintf("%.0f s", r.res.BacklogWait.Seconds()) }},
			{"idle slot-seconds", func(_ *testing.T, r *lessonRun) string { return fmt.Sprintf("%.0f", r.res.IdleSlot.Seconds()) }},
		},
		tries: []lessonTry{{set: []scenarios.Setting{{Field: "server.idle_timeout", Value: "5s"}}}},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return fmt.Sprintf("mean %s, slowest %s, %d refused, %s", uiTime(r.res.PageLoad), uiTime(slowest(r)), r.res.RefusedConnections, connections(r.res.Connections))
		},
		check: func(t *testing.T, f *lessonFacts) {
			d := f.designed
			if slowest(d(h10)) >= time.Second || slowest(d(h11)) < 10*time.Second {
				t.Errorf("server-exhaustion: slowest pages %v (HTTP/1.0), %v (HTTP/1.1); the page says under a second, and tens of seconds", slowest(d(h10)), slowest(d(h11)))
			}
			if d(h11).res.RefusedConnections == 0 || d(h10).res.RefusedConnections != 0 || d(h2).res.RefusedConnections != 0 {
				t.Errorf("server-exhaustion: refused SYNs %d, %d, %d (HTTP/1.0, 1.1, 2); the page says only HTTP/1.1's", d(h10).res.RefusedConnections, d(h11).res.RefusedConnections, d(h2).res.RefusedConnections)
			}
			closedBy := func(r *lessonRun, side trace.Dir) int {
				return r.count(func(x *trace.Record) bool { return x.Kind == trace.IdleTimeout && x.Dir == side })
			}
			if r := d(h11); closedBy(r, trace.Down) != 0 || closedBy(r, trace.Up) != r.res.Connections {
				t.Errorf("server-exhaustion: HTTP/1.1: the server's idle timer fires %d times, the browsers' %d for %d connections; the page says the browsers close every one",
					closedBy(r, trace.Down), closedBy(r, trace.Up), r.res.Connections)
			}
			if d(h10).res.IdleSlot != 0 {
				t.Errorf("server-exhaustion: HTTP/1.0 holds idle slots (%v)", d(h10).res.IdleSlot)
			}
			if n := d(h2).cfg.Clients.Count; d(h2).res.Connections != n {
				t.Errorf("server-exhaustion: HTTP/2 opened %d connections for %d visitors; the page says one each", d(h2).res.Connections, n)
			}
			for _, h := range d(h11).hits {
				if f.sc.Moments[h.Moment].Name != "slot-frees" {
					continue
				}
				r := &d(h11).recs[h.Record]
				if d(h11).count(func(x *trace.Record) bool {
					return x.Kind == trace.IdleTimeout && x.Dir == trace.Up && x.Conn == r.Conn && x.At <= r.At
				}) == 0 {
					t.Errorf("server-exhaustion: the slot freed at %v was not closed by the browser's idle timeout, as the page says", r.At)
				}
			}
			short, long := f.run(0, h11).res, d(h11).res
			if short.RefusedConnections != 0 || long.PageLoad < 10*time.Second || short.PageLoad >= 10*time.Second {
				t.Errorf("server-exhaustion: a 5 s timeout: %d refused, mean %v (was %v); the page says none, a few seconds (tens)", short.RefusedConnections, short.PageLoad, long.PageLoad)
			}
			if short.RefusedConnections >= long.RefusedConnections || short.PageLoad >= long.PageLoad || short.Connections <= long.Connections || short.IdleSlot >= long.IdleSlot {
				t.Errorf("server-exhaustion: a 5 s timeout: %d refused, mean %v, %d connections, idle %v; the page says fewer, faster, more, less", short.RefusedConnections, short.PageLoad, short.Connections, short.IdleSlot)
			}
		},
	}
}

func timeWaitLesson() lessonSpec {
	return lessonSpec{
		name: "time-wait",
		cols: []lessonCol{colConns,
			{"TIME-WAIT sockets at once, server", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.TimeWaitPeakServer) }},
			{"TIME-WAIT sockets at once, clients", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.TimeWaitPeakClient) }},
		},
		tries: []lessonTry{{set: []scenarios.Setting{{Field: "server.idle_timeout", Value: "10s"}}}},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return fmt.Sprintf("server %d, clients %d", r.res.TimeWaitPeakServer, r.res.TimeWaitPeakClient)
		},
		check: func(t *testing.T, f *lessonFacts) {
			for k := -1; k < 1; k++ {
				for _, p := range model.Protocols {
					r := f.run(k, p).res
					server := p == h10 || k == 0
					if server && (r.TimeWaitPeakServer == 0 || r.TimeWaitPeakClient != 0) || !server && (r.TimeWaitPeakServer != 0 || r.TimeWaitPeakClient == 0) {
						t.Errorf("time-wait (try %d): %s: TIME-WAIT server %d, clients %d; the page says all on the %s", k, p, r.TimeWaitPeakServer, r.TimeWaitPeakClient, map[bool]string{true: "server", false: "clients"}[server])
					}
				}
			}
			open := opening(f)
			if n := len(open.hits); n != 4 || open.recs[open.hits[3].Record].At-open.recs[open.hits[2].Record].At != time.Duration(open.cfg.TCP.TimeWait) {
				t.Errorf("time-wait: moments 3 and 4 of %s are not tcp.time_wait apart, as the page says", open.p)
			}
			if r := f.designed(h10).res; r.TimeWaitPeakServer != r.Connections {
				t.Errorf("time-wait: HTTP/1.0: %d TIME-WAIT sockets at once for %d connections; the page says every one", r.TimeWaitPeakServer, r.Connections)
			}
		},
	}
}

func proxyLesson() lessonSpec {
	return lessonSpec{
		name: "proxy-hop",
		cols: []lessonCol{colLoad,
			{"browser–proxy connections", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.Connections) }},
			{"proxy–origin connections", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.OriginConnections) }},
		},
		tries: []lessonTry{{set: []scenarios.Setting{{Field: "proxy.protocol", Value: "http1.1"}}}},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return fmt.Sprintf("%s, %d to the origin", uiTime(r.res.PageLoad), r.res.OriginConnections)
		},
		check: func(t *testing.T, f *lessonFacts) {
			for _, p := range model.Protocols {
				r, pooled := f.designed(p).res, f.run(0, p).res
				if r.OriginConnections != len(r.Resources) {
					t.Errorf("proxy-hop: %s: %d origin connections for %d files; the page says one per file", p, r.OriginConnections, len(r.Resources))
				}
				if pooled.OriginConnections >= r.OriginConnections || pooled.PageLoad >= r.PageLoad {
					t.Errorf("proxy-hop: proxy.protocol http1.1: %s: %d origin connections, %v; the page says fewer and faster", p, pooled.OriginConnections, pooled.PageLoad)
				}
			}
			if d := f.designed; d(h11).res.Connections != d(h11).cfg.HTTP.Parallel || d(h2).res.Connections != 1 {
				t.Errorf("proxy-hop: the browser opened %d (HTTP/1.1) and %d (HTTP/2) connections to the proxy", d(h11).res.Connections, d(h2).res.Connections)
			}
		},
	}
}

// probes are the run's TCP keep-alive probes sent, and their ACKs that
// reached the prober.
func probes(r *lessonRun) (sent []time.Duration, answered int) {
	for _, x := range r.recs {
		switch {
		case x.Kind == trace.PacketSent && x.Describe() == "keep-alive probe":
			sent = append(sent, x.At)
		case x.Kind == trace.PacketArrived && x.Describe() == "keep-alive ACK":
			answered++
		}
	}
	return sent, answered
}

// ending is how tcp-keepalive's connection ends.
func ending(r *lessonRun) string {
	for _, x := range r.recs {
		switch {
		case x.Kind == trace.ConnFailed:
			return "given up at " + uiTime(x.At) + " (" + x.Note + ")"
		case x.Kind == trace.IdleTimeout && x.Dir == trace.Up:
			return "the browser's idle timeout, at " + uiTime(x.At)
		}
	}
	return "closed by the server after its response"
}

func tcpKeepaliveLesson() lessonSpec {
	return lessonSpec{
		name: "tcp-keepalive",
		cols: []lessonCol{colLoad,
			{"probes sent", func(_ *testing.T, r *lessonRun) string { s, _ := probes(r); return strconv.Itoa(len(s)) }},
			{"probes answered", func(_ *testing.T, r *lessonRun) string { _, a := probes(r); return strconv.Itoa(a) }},
			{"the connection ends", func(_ *testing.T, r *lessonRun) string { return ending(r) }},
		},
		tries:     []lessonTry{{set: []scenarios.Setting{{Field: "link.loss", Value: "0.5"}}}},
		tryProtos: []model.Protocol{h11, h2},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			s, a := probes(r)
			return fmt.Sprintf("page %s; %d probes, %d answered; %s", uiTime(r.res.PageLoad), len(s), a, ending(r))
		},
		check: func(t *testing.T, f *lessonFacts) {
			if s, _ := probes(f.designed(h10)); len(s) != 0 {
				t.Errorf("tcp-keepalive: HTTP/1.0 sends %d probes; the page says none", len(s))
			}
			r := f.designed(h11)
			s, a := probes(r)
			if len(s) < 2 || a != len(s) {
				t.Errorf("tcp-keepalive: HTTP/1.1 sends %d probes, %d answered", len(s), a)
			}
			// Each probe leaves tcp.keepalive_idle after the last packet
			// the browser received (Linux counts from it), and carries no
			// data.
			idle := time.Duration(r.cfg.TCP.KeepAliveIdle)
			afterSilence := func(r *lessonRun, first bool) {
				var heard time.Duration
				for _, x := range r.recs {
					switch {
					case x.Kind == trace.PacketArrived && x.Dir == trace.Down:
						heard = x.At
					case x.Kind == trace.PacketSent && x.Describe() == "keep-alive probe":
						if x.At-heard != idle || x.Len != 0 {
							t.Errorf("tcp-keepalive: %s's probe at %v comes %v after the last packet received, not tcp.keepalive_idle, or carries %d bytes", r.p, x.At, x.At-heard, x.Len)
						}
						if first {
							return
						}
					}
				}
			}
			afterSilence(r, false)
			lossy := f.run(0, h11)
			afterSilence(lossy, true)
			if p := openingOf(f, 0).p; p != h2 {
				t.Errorf("tcp-keepalive: link.loss 0.5 opens on %s; the page says http2", p)
			}
			s, _ = probes(lossy)
			retried := false
			for i := 1; i < len(s); i++ {
				retried = retried || s[i]-s[i-1] == time.Duration(lossy.cfg.TCP.KeepAliveInterval)
			}
			want := fmt.Sprintf("%d keep-alive probes unanswered", lossy.cfg.TCP.KeepAliveProbes)
			if len(s) == 0 || s[0] >= lossy.res.PageLoad {
				t.Errorf("tcp-keepalive: link.loss 0.5: HTTP/1.1's first probe does not leave before the page loads (%v); the page says it does", lossy.res.PageLoad)
			}
			if !retried || !strings.Contains(ending(lossy), want) {
				t.Errorf("tcp-keepalive: link.loss 0.5: HTTP/1.1 retries a probe after tcp.keepalive_interval: %v; ends %q, not %q", retried, ending(lossy), want)
			}
		},
	}
}

func tlsCPULesson() lessonSpec {
	util := func(r *lessonRun) float64 {
		v, err := strconv.ParseFloat(strings.TrimSuffix(percent(r.res, r.cfg), " %"), 64)
		if err != nil {
			return -1
		}
		return v
	}
	wait := func(r *lessonRun) time.Duration {
		return r.res.HandshakeQueue / time.Duration(max(1, r.res.CPUHandshakes))
	}
	return lessonSpec{
		name: "tls-cpu",
		cols: []lessonCol{colMean,
			{"TLS handshakes", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.TLSHandshakes) }},
			{"server CPU", func(_ *testing.T, r *lessonRun) string { return uiTime(r.res.ServerCPU) }},
			{"CPU utilisation", func(_ *testing.T, r *lessonRun) string { return percent(r.res, r.cfg) }},
			{"mean handshake wait for the core", func(_ *testing.T, r *lessonRun) string { return uiTime(wait(r)) }},
		},
		tries: []lessonTry{{flag: "--tls-resume"}, {set: []scenarios.Setting{{Field: "server.key", Value: "ecdsa-p256"}}}},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return "mean " + uiTime(r.res.PageLoad) + ", CPU " + percent(r.res, r.cfg)
		},
		check: func(t *testing.T, f *lessonFacts) {
			d := f.designed
			if !(util(d(h10)) > util(d(h11)) && util(d(h11)) > util(d(h2))) || !(d(h10).res.PageLoad > d(h11).res.PageLoad && d(h11).res.PageLoad > d(h2).res.PageLoad) {
				t.Errorf("tls-cpu: utilisation %v, %v, %v; the page says HTTP/1.0 highest and slowest, HTTP/2 lowest and fastest", util(d(h10)), util(d(h11)), util(d(h2)))
			}
			visitors := d(h10).cfg.Clients.Count
			files := len(d(h10).res.Resources)
			for p, want := range map[model.Protocol]int{h10: visitors * files, h11: visitors * d(h11).cfg.HTTP.Parallel, h2: visitors} {
				if d(p).res.TLSHandshakes != want {
					t.Errorf("tls-cpu: %s made %d TLS handshakes, not %d", p, d(p).res.TLSHandshakes, want)
				}
			}
			if wait(d(h2)) >= wait(d(h10)) {
				t.Errorf("tls-cpu: HTTP/2's handshakes wait %v, HTTP/1.0's %v", wait(d(h2)), wait(d(h10)))
			}
			if both := util(f.run(0, h11)); both >= util(d(h11)) || both >= util(f.run(0, h10)) {
				t.Errorf("tls-cpu: HTTP/1.1 with --tls-resume at %v %%; the page says less than either alone", both)
			}
			for k := 0; k < 2; k++ {
				if r := f.run(k, h10); util(r) >= util(d(h11)) || r.res.PageLoad >= d(h10).res.PageLoad {
					t.Errorf("tls-cpu (try %d): HTTP/1.0 at %v %% (HTTP/1.1 as designed: %v %%), %v; the page says below keep-alive's alone, and faster", k, util(r), util(d(h11)), r.res.PageLoad)
				}
			}
		},
	}
}

// servers is how many hosts of r's page have a server of their own: the
// connections HTTP/2 opens when it coalesces the others onto them.
func servers(r *lessonRun) int {
	n := 1
	for o := 1; o <= len(r.cfg.Origins); o++ {
		if r.cfg.ServerOf(o) == o {
			n++
		}
	}
	return n
}

func realPageLesson() lessonSpec {
	return lessonSpec{
		name: "real-page",
		cols: []lessonCol{colLoad, colConns,
			{"DNS lookups", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.DNSLookups) }},
			{"TLS handshakes", func(_ *testing.T, r *lessonRun) string { return strconv.Itoa(r.res.TLSHandshakes) }},
		},
		tries: []lessonTry{
			{set: []scenarios.Setting{{Field: "http.coalesce", Value: "false"}}},
			{set: []scenarios.Setting{{Field: "dns.enabled", Value: "false"}}},
			{flag: "--rtt 300ms"},
		},
		tryCell: func(_ *testing.T, r *lessonRun) string {
			return uiTime(r.res.PageLoad) + ", " + connections(r.res.Connections)
		},
		check: func(t *testing.T, f *lessonFacts) {
			d := f.designed
			hosts := 1 + len(d(h10).cfg.Origins)
			files := len(d(h10).cfg.Page.Resources)
			for _, p := range model.Protocols {
				if d(p).res.DNSLookups != hosts {
					t.Errorf("real-page: %s made %d lookups; the page says one per host, %d", p, d(p).res.DNSLookups, hosts)
				}
				if d(p).res.TLSHandshakes != d(p).res.Connections {
					t.Errorf("real-page: %s: %d TLS handshakes for %d connections; the page says one each", p, d(p).res.TLSHandshakes, d(p).res.Connections)
				}
				if saved := d(p).res.PageLoad - f.run(1, p).res.PageLoad; saved <= 0 || 2*saved > time.Duration(hosts)*rtt(d(p)) {
					t.Errorf("real-page: %s saves %v without DNS; the page says something, but less than half the %d lookups' %v", p, saved, hosts, time.Duration(hosts)*rtt(d(p)))
				}
				if f.run(2, p).res.PageLoad < 2*d(p).res.PageLoad {
					t.Errorf("real-page: %s at --rtt 300ms takes %v, less than twice %v; the page says more than double", p, f.run(2, p).res.PageLoad, d(p).res.PageLoad)
				}
			}
			// A lookup, a TCP and a TLS 1.3 handshake, then the request: four
			// round trips to the document's first byte.
			if ttfb := d(h10).res.TTFB; ttfb < 4*rtt(d(h10)) || ttfb > 4*rtt(d(h10))+10*time.Millisecond {
				t.Errorf("real-page: the document's first byte at %v; the page says three round trips of setup, then the request's", ttfb)
			}
			if d(h10).res.Connections != files {
				t.Errorf("real-page: HTTP/1.0 opened %d connections for %d files; the page says one each", d(h10).res.Connections, files)
			}
			if c := d(h11).res.Connections; c >= files || c > hosts*d(h11).cfg.HTTP.Parallel {
				t.Errorf("real-page: keep-alive opened %d connections; the page says fewer than the %d files and at most %d per host", c, files, d(h11).cfg.HTTP.Parallel)
			}
			if c := d(h2).res.Connections; c != servers(d(h2)) || f.run(0, h2).res.Connections != hosts {
				t.Errorf("real-page: HTTP/2 opened %d connections (%d without coalescing); the page says one per server, %d, and one per host, %d, without", c, f.run(0, h2).res.Connections, servers(d(h2)), hosts)
			}
			for _, p := range []model.Protocol{h10, h11, pipe} {
				if d(h2).res.PageLoad >= d(p).res.PageLoad {
					t.Errorf("real-page: HTTP/2 (%v) is not faster than %s (%v); the page says it is the fastest", d(h2).res.PageLoad, p, d(p).res.PageLoad)
				}
			}
		},
	}
}

// firstRequest is when r's first request left.
func firstRequest(t *testing.T, r *lessonRun) time.Duration {
	t.Helper()
	for _, q := range r.recs {
		if q.Kind == trace.RequestSent {
			return q.At
		}
	}
	t.Fatalf("%s: no request", r.p)
	return 0
}

// repairWindow is r's first loss of a server packet and the arrival of
// the first retransmission after it.
func repairWindow(t *testing.T, r *lessonRun) (lost, repaired time.Duration) {
	t.Helper()
	lost, repaired = -1, -1
	for _, q := range r.recs {
		switch {
		case q.Kind == trace.PacketDropped && q.Dir == trace.Down && lost < 0:
			lost = q.At
		case q.Kind == trace.PacketArrived && q.Dir == trace.Down && q.Retx && lost >= 0 && repaired < 0:
			repaired = q.At
		}
	}
	if lost < 0 || repaired < 0 {
		t.Fatalf("%s: no server packet lost and repaired", r.p)
	}
	return lost, repaired
}

// holUnderLossLesson: one lost packet stalls every HTTP/2 stream, only
// its own over HTTP/3.
func holUnderLossLesson() lessonSpec {
	return lessonSpec{
		name: "hol-under-loss",
		cols: []lessonCol{colLoad, colConns,
			{"first request", func(t *testing.T, r *lessonRun) string { return uiTime(firstRequest(t, r)) }},
			{"first server loss", func(t *testing.T, r *lessonRun) string {
				lost, _ := repairWindow(t, r)
				return uiTime(lost)
			}},
			{"its repair arrives", func(t *testing.T, r *lessonRun) string {
				_, repaired := repairWindow(t, r)
				return uiTime(repaired)
			}},
		},
		tries:   []lessonTry{{flag: "--loss 0.02"}, {flag: "--loss 0"}},
		tryCell: func(_ *testing.T, r *lessonRun) string { return "page " + loadText(r.res.PageLoad) },
		check: func(t *testing.T, f *lessonFacts) {
			d2, d3 := f.designed(h2), f.designed(h3)
			rtt := time.Duration(2 * d2.cfg.Link.Delay)
			if a, b := firstRequest(t, d2), firstRequest(t, d3); a < 2*rtt || b >= 2*rtt || b < rtt {
				t.Errorf("hol-under-loss: first requests at %v (HTTP/2) and %v (HTTP/3); the page says two round trips against one", a, b)
			}
			if d3.res.PageLoad >= d2.res.PageLoad {
				t.Errorf("hol-under-loss: HTTP/3 %v is not faster than HTTP/2 %v as designed", d3.res.PageLoad, d2.res.PageLoad)
			}
			for _, r := range []*lessonRun{d2, d3} {
				if lost, repaired := repairWindow(t, r); repaired-lost <= rtt {
					t.Errorf("hol-under-loss: %s's first loss is repaired %v after it, within a round trip; the page says more", r.p, repaired-lost)
				}
			}
			// "--loss 0.02: HTTP/3's lead grows; --loss 0: the handshake's
			// round trip and a round trip of slow start fewer remain"
			lead := func(try int) time.Duration { return f.run(try, h2).res.PageLoad - f.run(try, h3).res.PageLoad }
			if !(lead(0) > lead(-1) && lead(-1) > lead(1)) {
				t.Errorf("hol-under-loss: HTTP/3's lead is %v at 2 %% loss, %v as designed, %v without loss; the page says it grows with loss", lead(0), lead(-1), lead(1))
			}
			if l := lead(1); l < rtt*19/10 || l > rtt*5/2 {
				t.Errorf("hol-under-loss: without loss HTTP/3 leads by %v; the page says by about two round trips (handshake, slow start)", l)
			}
		},
	}
}
