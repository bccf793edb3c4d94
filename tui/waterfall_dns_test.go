package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestLookupRows: each host's lookup in testdata/hosts.jsonl is drawn on
// the row of the first resource that waited for it, from its DNSStarted
// record to its DNSDone, and no other row draws one.
func TestLookupRows(t *testing.T) {
	lessons := []Lesson{hostsLesson(t), dnsOneHostLesson(t)}
	for _, tc := range []struct {
		lesson, run int
		host, path  string // the lookup, and the row that draws it
	}{
		{0, 0, "www.example.com", "/index.html"}, // the document: the first lookup
		{0, 0, "cdn.example.com", "/app.js"},     // found in the document
		{0, 0, "fonts.example.net", "/a.woff2"},  // found in the style sheet
		{0, 1, "www.example.com", "/index.html"},
		{0, 1, "cdn.example.com", "/app.js"},
		{0, 1, "fonts.example.net", "/a.woff2"},
		// One host, no ConnHost records: its one lookup is the document's.
		{1, 0, "www.example.com", "/index.html"},
	} {
		l := &lessons[tc.lesson]
		run := &l.Runs[tc.run]
		ix := newRunIndex(run, l.Params.RTT)
		start, done := time.Duration(-1), time.Duration(-1)
		for _, r := range run.Records {
			switch {
			case r.Kind == trace.DNSStarted && r.Label == tc.host && start < 0:
				start = r.At
			case r.Kind == trace.DNSDone && r.Label == tc.host && done < 0:
				done = r.At
			}
		}
		found := false
		for i, res := range run.Summary.Resources {
			lk := ix.lookupOf(i)
			switch {
			case res.Path == tc.path && (lk == nil || lk.host != tc.host):
				t.Errorf("%s %s: no lookup of %s on its row (%+v)", run.Protocol, tc.path, tc.host, lk)
			case res.Path == tc.path:
				found = true
				if lk.start != start || lk.done != done {
					t.Errorf("%s %s: lookup %v–%v, the records say %v–%v", run.Protocol, tc.path, lk.start, lk.done, start, done)
				}
			case lk != nil && lk.host == tc.host:
				t.Errorf("%s %s: draws %s's lookup too", run.Protocol, res.Path, tc.host)
			}
		}
		if !found {
			t.Errorf("%s: no resource %s", run.Protocol, tc.path)
		}
		if n := len(ix.dns); n != run.Summary.DNSLookups {
			t.Errorf("%s: %d lookups indexed, the summary counts %d", run.Protocol, n, run.Summary.DNSLookups)
		}
	}
}

// TestWithLookup: a row's lookup comes after its queued phase, which it
// is part of, and before the rest, up to the playhead; on a page zoomed
// to, on that page's clock.
func TestWithLookup(t *testing.T) {
	const ms = time.Millisecond
	queued, connect := segment{phaseQueued, 0, 30 * ms}, segment{phaseConnect, 30 * ms, 80 * ms}
	lk := &dnsLookup{host: "cdn.example.com", start: 0, done: 30 * ms}
	for _, tc := range []struct {
		name  string
		segs  []segment
		l     *dnsLookup
		shift time.Duration
		at    time.Duration
		want  []segment
	}{
		{"none", []segment{queued, connect}, nil, 0, time.Second, []segment{queued, connect}},
		{"done", []segment{queued, connect}, lk, 0, time.Second, []segment{queued, {phaseDNS, 0, 30 * ms}, connect}},
		{"looking up", []segment{{phaseQueued, 0, 10 * ms}}, lk, 0, 10 * ms, []segment{{phaseQueued, 0, 10 * ms}, {phaseDNS, 0, 10 * ms}}},
		{"not yet", nil, &dnsLookup{start: 20 * ms, done: 50 * ms}, 0, 10 * ms, nil},
		{"no answer", []segment{queued}, &dnsLookup{start: 0, done: -1}, 0, 40 * ms, []segment{queued, {phaseDNS, 0, 40 * ms}}},
		{"page 2's clock", []segment{queued}, &dnsLookup{start: 5 * time.Second, done: 5*time.Second + 30*ms}, 5 * time.Second, time.Second,
			[]segment{queued, {phaseDNS, 0, 30 * ms}}},
	} {
		got := withLookup(append([]segment(nil), tc.segs...), tc.l, tc.shift, tc.at)
		if len(got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
			continue
		}
		for k := range got {
			if got[k] != tc.want[k] {
				t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
				break
			}
		}
	}
}

// TestPhaseGlyphs: every phase has a glyph of its own, so that the
// waterfall reads without colour (NO_COLOR).
func TestPhaseGlyphs(t *testing.T) {
	seen := map[rune]phase{}
	for p := phase(0); p < numPhases; p++ {
		if q, ok := seen[p.glyph()]; ok {
			t.Errorf("%s and %s are both drawn %q", p.name(), q.name(), p.glyph())
		}
		seen[p.glyph()] = p
	}
}

// TestLookupLayers: the event list's layer filter puts a host's lookup
// with HTTP, the fetching of resources it is part of (as the waterfall
// draws it), and the host a connection is opened to with the
// connection's life cycle; the connection filter keeps that record with
// its connection's.
func TestLookupLayers(t *testing.T) {
	l := hostsLesson(t)
	ix := newRunIndex(&l.Runs[0], l.Params.RTT)
	for _, tc := range []struct {
		kind trace.Kind
		want eventLayer
	}{
		{trace.DNSStarted, layerHTTP},
		{trace.DNSDone, layerHTTP},
		{trace.ConnHost, layerLife},
	} {
		n := 0
		for i := range ix.recs.Len() {
			r := ix.rec(i)
			if r.Kind != tc.kind {
				continue
			}
			n++
			if got := ix.layerOf(i); got != tc.want {
				t.Errorf("%s %s: layer %s, want %s", r.Kind, r.Label, got.name(), tc.want.name())
			}
			if f := (eventFilter{conn: r.Conn}); r.Conn > 0 && !f.passes(ix, i) {
				t.Errorf("%s of c%d: not kept by the filter of its connection", r.Kind, r.Conn)
			}
		}
		if n == 0 {
			t.Errorf("no %s record in the fixture", tc.kind)
		}
	}
}

// TestLookupCounter: a run that looks names up counts, so far, the
// lookups answered, as its DNSDone records come (testdata/hosts.jsonl
// over HTTP/1.1: www.example.com at 30 ms, cdn.example.com at 375.3 ms,
// fonts.example.net at 492.7 ms), beside the handshakes; a run without
// lookups says nothing of DNS (TestCounterLine's goldens).
func TestLookupCounter(t *testing.T) {
	l := hostsLesson(t)
	ix := newRunIndex(&l.Runs[0], l.Params.RTT)
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{29 * time.Millisecond, "so far: 0 conns · 0 handshakes · 0 TLS · 0 DNS lookups · 0/5 resources done · 0.3 RTTs loading"},
		{30 * time.Millisecond, "so far: 1 conn · 0 handshakes · 0 TLS · 1 DNS lookup · 0/5 resources done · 0.3 RTTs loading"},
		{376 * time.Millisecond, "so far: 3 conns · 1 handshake · 0 TLS · 2 DNS lookups · 1/5 resources done · 3.8 RTTs loading"},
		{time.Second, "so far: 4 conns · 4 handshakes · 0 TLS · 3 DNS lookups · 5/5 resources done · 9.8 RTTs loading"},
	} {
		got := counterLine(ix, tc.at, 0)
		if got != tc.want {
			t.Errorf("at %v: %q\n want %q", tc.at, got, tc.want)
		}
		if width(got) > 98 {
			t.Errorf("at %v: %d cells, more than 100 columns leave the line", tc.at, width(got))
		}
	}
}

// TestHostsCostLine: on a page of three hosts the worker slots held are
// their servers' together, and the line says "server slots" (the HTTP/1.1
// run of testdata/hosts.jsonl: at 1 s its four connections, two to
// www.example.com and one to each other host, are all idle).
func TestHostsCostLine(t *testing.T) {
	l := hostsLesson(t)
	ix := newRunIndex(&l.Runs[0], l.Params.RTT)
	want := "now: browser 4 open (0 busy, 4 idle) · server slots 4 (0 busy, 4 idle)"
	if got := costLine(ix, time.Second); got != want {
		t.Errorf("%q\nwant %q", got, want)
	}
	one := dnsOneHostLesson(t)
	ix = newRunIndex(&one.Runs[0], one.Params.RTT)
	if got := costLine(ix, 500*time.Millisecond); !strings.Contains(got, " · server 1 ") {
		t.Errorf("a page of one host: %q, want its one server's slots", got)
	}
}
