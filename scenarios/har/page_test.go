package har_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/har"
)

const ms = time.Millisecond

// resources lists each simulated resource as
// "host path type size think <-parent path", host "" for HTTP.Host.
func resources(c model.Config) []string {
	var out []string
	for _, r := range c.Page.Resources {
		host, from := "", ""
		if r.Origin > 0 {
			host = c.Origins[r.Origin-1].Host
		}
		if r.Parent >= 0 {
			from = c.Page.Resources[r.Parent].Path
		}
		out = append(out, fmt.Sprintf("%s%s %s %d %s <-%s", host, r.Path, r.Type, r.Size, r.Think, from))
	}
	return out
}

// origins lists each extra origin as "host tls h2".
func origins(c model.Config) []string {
	var out []string
	for _, o := range c.Origins {
		out = append(out, fmt.Sprintf("%s %s %v", o.Host, o.TLS.Version, o.HTTP2))
	}
	return out
}

// TestSimulateFixtures maps the dialect fixtures. Think times are wait
// less the estimated RTT (the median connect less ssl: 40 ms in chrome
// and fiddler, the mean of 40 and 30 in firefox); DNS is the median of
// the dns times above 0.
func TestSimulateFixtures(t *testing.T) {
	for _, tc := range []struct {
		file      string
		host      string
		tls       model.TLSVersion
		resources []string
		origins   []string
		rtt       time.Duration
		dns       time.Duration // 0: off
	}{
		{"chrome.har", "www.example.com", model.TLS13, []string{
			"/ html 9000 40.5ms <-",                      // wait 80.5 − 40
			"/site.css css 5000 10ms <-/",                // wait 50 − 40, parser initiator
			"cdn.example.net/app.js js 50000 0s <-/",     // wait 24 < 40: no think time
			"api.example.org/data json 700 0s <-/app.js", // initiator from the stack's parent
		}, []string{"cdn.example.net 1.3 true", "api.example.org 1.3 true"}, // h3 runs as HTTP/2
			40 * ms, 10 * ms}, // dns 20, 10, 5
		{"firefox.har", "www.example.com", model.TLS13, []string{
			"/ html 9300 45ms <-",                          // wait 80 − 35
			"fonts.example.net/a.woff2 font 24000 5ms <-/", // wait 40 − 35
		}, []string{"fonts.example.net 1.3 true"}, 35 * ms, 10 * ms}, // dns 12, 8
		// The main host is the document's, new.example.com; the redirect
		// from old.example.com, the first request, is on an origin.
		{"fiddler.har", "new.example.com", model.TLS13, []string{
			"old.example.com/ html 0 20ms <-", // the 301, wait 60 − 40
			"/ html 5000 60ms <-/",            // its target, after it
			"/logo.png img 8000 0s <-/",       // no initiator: the document
		}, []string{"old.example.com none false"}, 40 * ms, 10 * ms},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p := readFile(t, tc.file).Pages[0]
			s, err := p.Simulate(model.DefaultConfig(), har.PageOptions{})
			if err != nil {
				t.Fatal(err)
			}
			c := s.Config
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			if c.HTTP.Host != tc.host || c.TLS.Version != tc.tls {
				t.Errorf("main host %s TLS %s, want %s %s", c.HTTP.Host, c.TLS.Version, tc.host, tc.tls)
			}
			if got := resources(c); strings.Join(got, "\n") != strings.Join(tc.resources, "\n") {
				t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.resources, "\n"))
			}
			if got := origins(c); strings.Join(got, ";") != strings.Join(tc.origins, ";") {
				t.Errorf("origins %q, want %q", got, tc.origins)
			}
			if s.ThinkRTT != tc.rtt || 2*c.Link.Delay != tc.rtt {
				t.Errorf("think RTT %s, link RTT %s, want %s", s.ThinkRTT, 2*c.Link.Delay, tc.rtt)
			}
			if c.DNS.Enabled != (tc.dns > 0) || c.DNS.RTT != tc.dns {
				t.Errorf("DNS %+v, want RTT %s", c.DNS, tc.dns)
			}
			if c.Link.Down != model.DefaultConfig().Link.Down {
				t.Errorf("no transfer of 64 KiB: the bandwidth is base's, not %s", c.Link.Down)
			}
			if len(s.Skipped) != 0 {
				t.Errorf("skipped %v", s.Skipped)
			}
			// The page survives a scenario's settings, which write it as
			// YAML and read it back, as --rtt and a sweep's grid do.
			sc := &scenarios.Scenario{Name: tc.file, Config: c}
			sc2, err := sc.With(scenarios.Setting{Where: "--seed", Field: "seed", Value: "2"})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := resources(sc2.Config), resources(c); strings.Join(got, "\n") != strings.Join(want, "\n") {
				t.Errorf("after With:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			if got, want := origins(sc2.Config), origins(c); strings.Join(got, ";") != strings.Join(want, ";") {
				t.Errorf("origins after With %q, want %q", got, want)
			}
		})
	}
}

// entry is a HAR entry for url starting ms after 10:00, with status,
// mime type, bodySize, timings and any further fields.
func entry(url string, at, status int, mime string, size int, timings, extra string) string {
	start := time.Date(2026, 3, 1, 10, 0, 0, at*1e6, time.UTC).Format(time.RFC3339Nano)
	return fmt.Sprintf(`{"startedDateTime": %q, "request": {"method": "GET", "url": %q, "httpVersion": "HTTP/1.1"},
	 "response": {"status": %d, "httpVersion": "HTTP/1.1", "content": {"size": %d, "mimeType": %q}, "bodySize": %d, "headers": []},
	 "timings": {%s}%s}`, start, url, status, size, mime, size, timings, extra)
}

const net = `"connect": 20, "wait": 50, "receive": 10`

func TestSimulateSkips(t *testing.T) {
	doc := entry("https://a.test/", 0, 200, "text/html", 1000, `"dns": 4, "connect": 30, "ssl": 10, "wait": 70, "receive": 10`, "")
	for _, tc := range []struct {
		name      string
		entries   []string
		resources []string
		skipped   []string
		origins   []string
	}{
		{"data: URL", []string{doc, entry("data:image/png;base64,iVBORw0KGgo=", 5, 200, "image/png", 8, "", "")},
			[]string{"/ html 1000 50ms <-"}, []string{"log.entries[1] data:image/png;base64,iVBORw0KGgo=: a data: URL, not fetched over HTTP"}, nil},
		{"from the cache", []string{doc, entry("https://a.test/c.css", 5, 200, "text/css", 300, `"wait": 0, "receive": 1`, `, "_fromCache": "memory"`)},
			[]string{"/ html 1000 50ms <-"}, []string{`log.entries[1] https://a.test/c.css: from the browser's cache (_fromCache "memory"), no request made`}, nil},
		{"blocked", []string{doc, entry("https://ads.test/x.js", 5, 0, "", 0, `"blocked": -1, "wait": -1, "receive": 0`, "")},
			[]string{"/ html 1000 50ms <-"}, []string{"log.entries[1] https://ads.test/x.js: blocked: status 0 and no timings, no request made"}, nil},
		{"cancelled", []string{doc, entry("https://a.test/big.bin", 5, 0, "", 0, net, "")},
			[]string{"/ html 1000 50ms <-"}, []string{"log.entries[1] https://a.test/big.bin: no response (status 0: cancelled or failed)"}, nil},
		{"a URL twice: the first kept, the second's children under it", []string{doc,
			entry("https://a.test/s.css", 5, 200, "text/css", 300, net, ""),
			entry("https://a.test/s.css", 6, 200, "text/css", 300, net, ""),
			entry("https://a.test/f.woff2", 90, 200, "font/woff2", 500, net, `, "_initiator": "https://a.test/s.css"`)},
			[]string{"/ html 1000 50ms <-", "/s.css css 300 30ms <-/", "/f.woff2 font 500 30ms <-/s.css"},
			[]string{"log.entries[2] https://a.test/s.css: the same URL as log.entries[1], which is kept"}, nil},
		{"a skipped parent's children go to its parent", []string{doc,
			entry("https://a.test/app.js", 5, 0, "", 0, net, ""),
			entry("https://a.test/d.json", 90, 200, "application/json", 50, net, `, "_initiator": "https://a.test/app.js"`)},
			[]string{"/ html 1000 50ms <-", "/d.json json 50 30ms <-/"},
			[]string{"log.entries[1] https://a.test/app.js: no response (status 0: cancelled or failed)"}, nil},
		{"query strings kept, fragments not", []string{doc,
			entry("https://a.test/p?id=1&x=%20", 5, 200, "image/gif", 40, net, ""),
			entry("https://a.test/p?id=2#top", 6, 200, "image/gif", 41, net, "")},
			[]string{"/ html 1000 50ms <-", "/p?id=1&x=%20 img 40 30ms <-/", "/p?id=2 img 41 30ms <-/"}, nil, nil},
		{"one host, two schemes and a port", []string{doc,
			entry("http://a.test/old", 5, 200, "text/plain", 10, net, ""),
			entry("https://a.test:8443/x", 6, 200, "text/plain", 11, net, "")},
			[]string{"/ html 1000 50ms <-", "a.test:80/old other 10 30ms <-/", "a.test:8443/x other 11 30ms <-/"}, nil,
			[]string{"a.test:80 none false", "a.test:8443 1.3 false"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := simulateLog(t, tc.entries...)
			if err := s.Config.Validate(); err != nil {
				t.Fatal(err)
			}
			if got := resources(s.Config); strings.Join(got, "\n") != strings.Join(tc.resources, "\n") {
				t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.resources, "\n"))
			}
			var skipped []string
			for _, k := range s.Skipped {
				skipped = append(skipped, k.String())
			}
			if strings.Join(skipped, "\n") != strings.Join(tc.skipped, "\n") {
				t.Errorf("skipped:\n%s\nwant:\n%s", strings.Join(skipped, "\n"), strings.Join(tc.skipped, "\n"))
			}
			if got := origins(s.Config); tc.origins != nil && strings.Join(got, ";") != strings.Join(tc.origins, ";") {
				t.Errorf("origins %q, want %q", got, tc.origins)
			}
			if len(s.Entries) != len(s.Config.Page.Resources) {
				t.Errorf("%d entries for %d resources", len(s.Entries), len(s.Config.Page.Resources))
			}
		})
	}
}

// TestSimulateOptions: the timing rule, the TLS given, the link
// estimate, DNS off, and the first entry that cannot be simulated.
func TestSimulateOptions(t *testing.T) {
	p := readFile(t, "fiddler.har").Pages[0]
	s, err := p.Simulate(model.DefaultConfig(), har.PageOptions{ByTiming: true, TLS: &model.TLSConfig{Version: model.TLS12}})
	if err != nil {
		t.Fatal(err)
	}
	// logo.png started after the document ended: its parent by timing is
	// still the document (it finished last before the logo started).
	if r := s.Config.Page.Resources[2]; r.Parent != 1 || s.Config.TLS.Version != model.TLS12 || s.Config.Origins[0].TLS.Version != model.NoTLS {
		t.Errorf("logo parent %d, TLS %s on https, %s on http", r.Parent, s.Config.TLS.Version, s.Config.Origins[0].TLS.Version)
	}
	if p.Entries[2].ParentBy != "document" {
		t.Error("ByTiming changed the caller's page")
	}

	// Four 100 KB bodies in 80, 160, 100 and 40 ms: 10 Mbit/s, the 0.75
	// quantile (TestEstimateLink); no dns times: DNS off; no connect:
	// the base's RTT for the think time.
	var es []string
	for i, rx := range []int{80, 160, 100, 40} {
		es = append(es, entry(fmt.Sprintf("http://b.test/%d", i), i, 200, "image/jpeg", 100_000, fmt.Sprintf(`"wait": 130, "receive": %d`, rx), ""))
	}
	rec, err := har.Read(strings.NewReader(logJSON("null", es...)))
	if err != nil {
		t.Fatal(err)
	}
	base := model.DefaultConfig()
	s, err = rec.Pages[0].Simulate(base, har.PageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config
	if c.Link.Down != 10*model.Mbps || c.Link.Up != 10*model.Mbps || s.Link.BandwidthSamples != 4 || c.Link.Delay != base.Link.Delay || s.Link.RTTSamples != 0 {
		t.Errorf("link %+v, estimate %+v", c.Link, s.Link)
	}
	if c.DNS.Enabled || s.DNSSamples != 0 {
		t.Errorf("DNS %+v with no dns times", c.DNS)
	}
	if th := c.Page.Resources[1].Think; th != 30*ms || s.ThinkRTT != 100*ms { // 130 − the base's 100 ms
		t.Errorf("think %s, RTT %s", th, s.ThinkRTT)
	}

	// The first request from the cache: nothing to start the page with.
	rec, err = har.Read(strings.NewReader(logJSON("null",
		entry("https://a.test/", 0, 200, "text/html", 10, net, `, "_fromCache": "disk"`), entry("https://a.test/x", 1, 200, "text/html", 10, net, ""))))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rec.Pages[0].Simulate(base, har.PageOptions{})
	var re *har.ReadError
	if !errors.As(err, &re) || re.Path != "log.entries[0]" || !strings.Contains(err.Error(), "cannot be simulated: from the browser's cache") {
		t.Errorf("error %v", err)
	}
}

// bigHAR is a generated 1,000-entry page on 12 hosts (issue 14's "10 MB
// files with 1,000+ entries" in shape, not in padding): each host's
// first entry looks it up and connects, half the hosts speak h2, bodies
// run from 2 to 100 KB, and every entry after the document names an
// earlier one as its initiator.
func bigHAR() []byte {
	var es []string
	for i := range 1000 {
		host := i % 12
		url := fmt.Sprintf("https://h%d.test/r%d?v=%d", host, i, i%7)
		if i == 0 {
			url = "https://h0.test/"
		}
		timings := `"dns": -1, "connect": -1, "ssl": -1, "wait": 30, "receive": 8`
		if i < 12 {
			timings = `"dns": 12, "connect": 70, "ssl": 30, "wait": 30, "receive": 8`
		}
		version, mime := "HTTP/1.1", "image/png"
		if host%2 == 0 {
			version = "h2"
		}
		switch i % 5 {
		case 0:
			mime = "application/javascript"
		case 1:
			mime = "text/css"
		}
		if i == 0 {
			mime = "text/html"
		}
		extra := fmt.Sprintf(`, "connection": "%d"`, i%40)
		if i > 0 {
			p := i / 3
			purl := fmt.Sprintf("https://h%d.test/r%d?v=%d", p%12, p, p%7)
			if p == 0 {
				purl = "https://h0.test/"
			}
			extra += fmt.Sprintf(`, "_initiator": %q`, purl)
		}
		size := 2000 + (i*7919)%98000
		start := time.Date(2026, 3, 1, 10, 0, 0, i*2_000_000, time.UTC).Format(time.RFC3339Nano)
		es = append(es, fmt.Sprintf(`{"startedDateTime": %q, "request": {"method": "GET", "url": %q, "httpVersion": %q},
	 "response": {"status": 200, "httpVersion": %q, "content": {"size": %d, "mimeType": %q}, "bodySize": %d, "headers": []},
	 "timings": {%s}%s}`, start, url, version, version, size, mime, size, timings, extra))
	}
	return []byte(logJSON("null", es...))
}

// BenchmarkSimulate1000 imports a 1,000-entry HAR and simulates it over
// the four protocols, as "keepalive run --har" does (issue 14: under 2 s
// on these machines; docs/performance.md has the figure).
func BenchmarkSimulate1000(b *testing.B) {
	data := bigHAR()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		rec, err := har.Read(strings.NewReader(string(data)))
		if err != nil {
			b.Fatal(err)
		}
		s, err := rec.Pages[0].Simulate(model.DefaultConfig(), har.PageOptions{})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Config.Page.Resources) != 1000 || len(s.Config.Origins) != 11 {
			b.Fatalf("%d resources on %d origins", len(s.Config.Page.Resources), 1+len(s.Config.Origins))
		}
		for _, p := range model.Protocols {
			cfg := s.Config
			cfg.HTTP.Protocol = p
			res, err := model.Run(cfg, nil)
			if err != nil {
				b.Fatal(err)
			}
			if !res.Summary.Complete {
				b.Fatalf("%s did not load the page", p)
			}
		}
	}
}

// TestSimulateOriginDelay: a host whose fastest handshake is slower than
// the main host's is that much farther, half each way. Handshakes of 40,
// 45, 40 (a.test, the main host: 40 ms at fastest), 100 (far.test) and
// 30 ms (near.test), each alone on the link: far.test is (100 − 40) / 2 =
// 30 ms farther; near.test, faster, gets none. busy.test's 200 ms
// handshake overlapped a download (a.test/5.jpg's), so says nothing of
// its distance: none either. The link's RTT is the median of all six
// handshakes (30, 40, 40, 45, 100, 200): 42.5 ms.
func TestSimulateOriginDelay(t *testing.T) {
	s := simulateLog(t,
		entry("https://a.test/", 0, 200, "text/html", 1000, `"connect": 40, "wait": 50, "receive": 10`, ""),
		entry("https://a.test/1.js", 300, 200, "text/javascript", 1000, `"connect": 45, "wait": 50, "receive": 10`, ""),
		entry("https://a.test/2.js", 600, 200, "text/javascript", 1000, `"connect": 40, "wait": 50, "receive": 10`, ""),
		entry("https://far.test/3.js", 900, 200, "text/javascript", 1000, `"connect": 100, "wait": 110, "receive": 10`, ""),
		entry("https://near.test/4.js", 1200, 200, "text/javascript", 1000, `"connect": 30, "wait": 40, "receive": 10`, ""),
		entry("https://a.test/5.jpg", 1500, 200, "image/jpeg", 90000, `"wait": 40, "receive": 400`, ""),
		entry("https://busy.test/6.js", 1600, 200, "text/javascript", 1000, `"connect": 200, "wait": 40, "receive": 10`, ""),
	)
	if s.Link.RTT != 42500*time.Microsecond || s.Config.Link.Delay != s.Link.RTT/2 {
		t.Fatalf("link RTT %v, delay %v", s.Link.RTT, s.Config.Link.Delay)
	}
	// far.test's wait of 110 ms is its round trip (42.5 + 2 × 30 =
	// 102.5 ms) and 7.5 ms of think time.
	if th := s.Config.Page.Resources[3].Think; th != 7500*time.Microsecond {
		t.Errorf("far.test's think time %v, want 7.5ms", th)
	}
	want := map[string]time.Duration{"far.test": 30 * ms, "near.test": 0, "busy.test": 0}
	for _, o := range s.Config.Origins {
		if d, ok := want[o.Host]; !ok || o.Delay != d {
			t.Errorf("%s: delay %v, want %v", o.Host, o.Delay, d)
		}
	}
}

// TestSimulateCoalescedDistance: a host on another's server (its h2
// requests also went on that host's connection) is as far as that
// server, whatever its own slower handshake said: no delay of its own,
// and its think time is its wait less the server's round trip.
func TestSimulateCoalescedDistance(t *testing.T) {
	h2 := func(e string) string { return strings.ReplaceAll(e, `"HTTP/1.1"`, `"h2"`) }
	s := simulateLog(t,
		h2(entry("https://www.a.test/", 0, 200, "text/html", 1000, `"connect": 40, "wait": 50, "receive": 10`, `, "connection": "7"`)),
		h2(entry("https://static.a.test/1.js", 300, 200, "text/javascript", 1000, `"connect": 100, "wait": 150, "receive": 10`, `, "connection": "8"`)),
		h2(entry("https://static.a.test/2.js", 600, 200, "text/javascript", 1000, `"connect": -1, "wait": 150, "receive": 10`, `, "connection": "7"`)),
	)
	o := s.Config.Origins[0]
	if o.SameServer != "www.a.test" || o.Delay != 0 {
		t.Errorf("static.a.test: same_server %q, delay %v; want www.a.test and 0", o.SameServer, o.Delay)
	}
	// The link's RTT is the median of 40 and 100 ms: 70 ms.
	if th := s.Config.Page.Resources[2].Think; th != 150*ms-s.ThinkRTT {
		t.Errorf("think %v, want 150ms less %v", th, s.ThinkRTT)
	}
}

// TestSimulateCoalescing: a host whose h2 requests went on another
// host's connection (the same connection id) shares that host's server
// and, with http.coalesce, its connection (RFC 9113 §9.1.1); ids that are
// Firefox's port, shared by every https host, prove nothing.
func TestSimulateCoalescing(t *testing.T) {
	// h2 is an entry over HTTP/2 on connection conn, which it opens
	// (connect 40 ms) or, after "+", reuses (connect -1).
	h2 := func(url string, at int, conn string) string {
		connect := `"connect": 40`
		if id, reused := strings.CutPrefix(conn, "+"); reused {
			conn, connect = id, `"connect": -1`
		}
		e := entry(url, at, 200, "text/css", 1000, connect+`, "wait": 50, "receive": 10`, `, "connection": "`+conn+`"`)
		return strings.ReplaceAll(e, `"HTTP/1.1"`, `"h2"`)
	}
	for _, tc := range []struct {
		name    string
		entries []string
		same    map[string]string // host → its same_server
	}{
		{"static on www's connection", []string{
			h2("https://www.a.test/", 0, "7"), h2("https://static.a.test/s.css", 1, "+7"), h2("https://cdn.b.test/x.js", 2, "9"),
		}, map[string]string{"static.a.test": "www.a.test"}},
		{"a chain ends at the first host", []string{
			h2("https://www.a.test/", 0, "7"), h2("https://cdn.a.test/1.js", 1, "8"), h2("https://cdn.a.test/2.js", 2, "+7"),
			h2("https://img.a.test/3.png", 3, "+8"),
		}, map[string]string{"cdn.a.test": "www.a.test", "img.a.test": "www.a.test"}},
		{"crossed connections make one group", []string{
			// a, then b on a's; c, then a on c's; b, then c on b's: one
			// server, the first-used host's, whatever order a map gives.
			h2("https://www.a.test/", 0, "1"),
			h2("https://a.b.test/1.js", 1, "7"), h2("https://b.b.test/1.js", 2, "+7"),
			h2("https://c.b.test/1.js", 3, "8"), h2("https://a.b.test/2.js", 4, "+8"),
			h2("https://b.b.test/2.js", 5, "9"), h2("https://c.b.test/2.js", 6, "+9"),
		}, map[string]string{"b.b.test": "a.b.test", "c.b.test": "a.b.test"}},
		{"Firefox's port as the id", []string{
			h2("https://www.a.test/", 0, "443"), h2("https://static.a.test/s.css", 1, "443"), h2("https://cdn.b.test/x.js", 2, "443"),
		}, map[string]string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := simulateLog(t, tc.entries...)
			got := map[string]string{}
			for _, o := range s.Config.Origins {
				if o.SameServer != "" {
					got[o.Host] = o.SameServer
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.same) || s.Config.HTTP.Coalesce != (len(tc.same) > 0) {
				t.Errorf("same_server %v, coalesce %v; want %v", got, s.Config.HTTP.Coalesce, tc.same)
			}
			if err := s.Config.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

// simulateLog reads a HAR of entries (logJSON, no pages) and simulates
// its page on the default configuration.
func simulateLog(t *testing.T, entries ...string) *har.Simulated {
	t.Helper()
	rec, err := har.Read(strings.NewReader(logJSON("null", entries...)))
	if err != nil {
		t.Fatal(err)
	}
	s, err := rec.Pages[0].Simulate(model.DefaultConfig(), har.PageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRoundTripRealPage: real-page's HTTP/2 load, written with --har-out
// and read back, is the same page (every resource on its host, with its
// size, type, parent and the offset in its parent where it was found,
// every host's TLS, HTTP/2 and coalescing) and, on the same link, loads
// within 2 % of the original: what remains is the think times, taken
// from waits that include the link's queueing.
func TestRoundTripRealPage(t *testing.T) {
	rs := runs(t, "real-page")
	rec := writeRead(t, rs)
	orig := rs[3].Config // HTTP/2, the fourth run
	if orig.HTTP.Protocol != model.HTTP2 {
		t.Fatalf("run 4 is %s", orig.HTTP.Protocol)
	}
	s, err := rec.Pages[3].Simulate(orig, har.PageOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config
	if len(s.Skipped) != 0 || len(c.Page.Resources) != len(orig.Page.Resources) || len(c.Origins) != len(orig.Origins) {
		t.Fatalf("%d resources on %d origins (skipped %v), want %d on %d", len(c.Page.Resources), len(c.Origins), s.Skipped, len(orig.Page.Resources), len(orig.Origins))
	}
	where := func(c *model.Config, r model.Resource) string {
		return c.SchemeOf(r.Origin) + "://" + c.HostOf(r.Origin) + r.Path
	}
	at := map[string]model.Resource{}
	for _, r := range c.Page.Resources {
		at[where(&c, r)] = r
	}
	for _, w := range orig.Page.Resources {
		r, ok := at[where(&orig, w)]
		parentOf := func(c *model.Config, r model.Resource) string {
			if r.Parent < 0 {
				return ""
			}
			return where(c, c.Page.Resources[r.Parent])
		}
		if !ok || r.Size != w.Size || r.Type != w.Type || r.Offset != w.Offset || parentOf(&c, r) != parentOf(&orig, w) {
			t.Errorf("%s: read back as %+v, want %+v", where(&orig, w), r, w)
		}
	}
	// The origins come in the order the file first names them.
	byHost := map[string]model.OriginConfig{}
	for _, o := range c.Origins {
		byHost[o.Host] = o
	}
	for _, w := range orig.Origins {
		o, ok := byHost[w.Host]
		if !ok || o.TLS.Version != w.TLS.Version || o.HTTP2 != w.HTTP2 || o.SameServer != w.SameServer || o.Delay != w.Delay {
			t.Errorf("%s: read back as %+v, want %+v", w.Host, o, w)
		}
	}
	if !c.HTTP.Coalesce {
		t.Error("coalescing lost")
	}
	c.Link = orig.Link
	res, err := model.Run(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.PageLoad, rs[3].Summary.PageLoad; got < want || 50*(got-want) > want {
		t.Errorf("read back and simulated on the same link: %v, the original %v", got, want)
	}
}
