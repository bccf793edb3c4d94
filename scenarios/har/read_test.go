package har_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/har"
)

func readFile(t *testing.T, name string) *har.Recording {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rec, err := har.Read(f)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// parents lists each entry as "url<-parent url (how)".
func parents(p har.RecordedPage) []string {
	var out []string
	for _, e := range p.Entries {
		from := ""
		if e.Parent >= 0 {
			from = p.Entries[e.Parent].URL
		}
		out = append(out, fmt.Sprintf("%s<-%s (%s) %s %d %s", e.URL, from, e.ParentBy, e.Type, e.Size, e.HTTPVersion))
	}
	return out
}

func TestReadDialects(t *testing.T) {
	for _, tc := range []struct {
		file  string
		want  []string
		conns int
		from  string
	}{
		{"chrome.har", []string{
			"https://www.example.com/<- (document) html 9000 h2",                                   // _transferSize, headersSize -1: kept whole
			"https://www.example.com/site.css<-https://www.example.com/ (initiator) css 5000 h2",   // object with url
			"https://cdn.example.net/app.js<-https://www.example.com/ (initiator) js 50000 h2",     // _transferSize less headersSize 300
			"https://api.example.org/data<-https://cdn.example.net/app.js (initiator) json 700 h3", // stack.parent.callFrames
		}, 3, "connection"},
		{"firefox.har", []string{
			"https://www.example.com/<- (document) html 9300 h2",
			"https://fonts.example.net/a.woff2<-https://www.example.com/ (document) font 24000 h2", // content.size
		}, 2, "connect"}, // every id is the port, "443"
		{"fiddler.har", []string{
			"http://old.example.com/<- (document) html 0 HTTP/1.1",
			"https://new.example.com/<-http://old.example.com/ (redirect) html 5000 HTTP/1.1", // Location header
			"https://new.example.com/logo.png<-https://new.example.com/ (document) img 8000 HTTP/1.1",
		}, 2, "connect"},
		// WebPageTest (www/har/HttpArchiveGenerator.php): HAR 1.1, no
		// connection but _socket, httpVersion empty for HTTP/2 and
		// _protocol instead, connect counting ssl, offsets in the
		// dates; the first view and the repeat view are two pages.
		{"webpagetest.har", []string{
			"http://example.org/<- (document) html 0 HTTP/1.1",
			"https://example.org/<-http://example.org/ (redirect) html 18000 h2",
			"https://example.org/site.css<-https://example.org/ (initiator) css 6000 h2", // bodySize 0, content.size 6000
			"https://cdn.example.net/lib.js?v=3<-https://example.org/ (initiator) js 64000 h2",
			"https://cdn.example.net/beacon.json<-https://cdn.example.net/lib.js?v=3 (initiator) json 300 h2",
		}, 3, "connection"},
		// sitespeed.io's Browsertime (chrome-har): connection ids,
		// _initiator a URL, _initiator_detail JSON in a string, h3, an
		// entry from the cache, and an initiator that is not in the file.
		{"sitespeed.har", []string{
			"https://shop.example.com/<- (document) html 13250 h2",
			"https://shop.example.com/app.css<-https://shop.example.com/ (initiator) css 9800 h2",
			"https://static.example.com/font.woff2<-https://shop.example.com/app.css (initiator) font 31200 h3",
			"https://shop.example.com/logo.png<-https://shop.example.com/ (initiator) img 7000 h2",
			"https://api.example.com/cart<-https://shop.example.com/ (document) json 900 HTTP/1.1",
		}, 3, "connection"}, // the cached logo's connection "0" is none
	} {
		t.Run(tc.file, func(t *testing.T) {
			rec := readFile(t, tc.file)
			if pages := map[string]int{"webpagetest.har": 2}[tc.file]; len(rec.Pages) != max(pages, 1) {
				t.Fatalf("%d pages", len(rec.Pages))
			}
			got := parents(rec.Pages[0])
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			for _, e := range rec.Pages[0].Entries {
				if want := strings.HasSuffix(e.URL, "/logo.png") && tc.file == "sitespeed.har"; (e.FromCache != "") != want {
					t.Errorf("%s: from the cache %q, want %v", e.URL, e.FromCache, want)
				}
			}
			r := rec.Pages[0].Recorded()
			if r.Connections != tc.conns || r.ConnectionsFrom != tc.from {
				t.Errorf("connections %d by %s, want %d by %s", r.Connections, r.ConnectionsFrom, tc.conns, tc.from)
			}
		})
	}
}

// entryJSON is a minimal entry; extra is spliced into it.
func entryJSON(url, start, extra string) string {
	return `{"startedDateTime": "` + start + `", "request": {"method": "GET", "url": "` + url + `"},
	 "response": {"status": 200, "content": {"size": 1000, "mimeType": "text/html"}, "bodySize": -1},
	 "timings": {"connect": -1, "wait": 50, "receive": 10}` + extra + `}`
}

func logJSON(pages string, entries ...string) string {
	return `{"log": {"version": "1.2", "creator": {"name": "t"}, "pages": ` + pages + `, "entries": [` + strings.Join(entries, ",") + `]}}`
}

// TestReadInitiators covers the other dialects' initiator shapes:
// WebPageTest (_initiator a URL string, _initiator_detail JSON inside a
// string, _socket) and chrome-har / sitespeed.io (_initiator a URL).
func TestReadInitiators(t *testing.T) {
	const t0, t1, t2 = "2026-03-01T10:00:00Z", "2026-03-01T10:00:00.1Z", "2026-03-01T10:00:00.2Z"
	doc := entryJSON("https://a.test/", t0, `, "_socket": 7`)
	for _, tc := range []struct {
		name, child string
		want        string
	}{
		{"chrome-har URL string", entryJSON("https://a.test/x.js", t2, `, "_initiator": "https://a.test/s.css"`), "https://a.test/s.css (initiator)"},
		{"WebPageTest detail JSON in a string", entryJSON("https://a.test/x.js", t2,
			`, "_initiator": "", "_initiator_detail": "{\"type\": \"script\", \"stack\": {\"callFrames\": [{\"url\": \"https://a.test/s.css\", \"lineNumber\": \"0\"}]}}"`), "https://a.test/s.css (initiator)"},
		{"none: the document", entryJSON("https://a.test/x.js", t2, `, "_initiator": {"type": "other"}`), "https://a.test/ (document)"},
		{"unknown URL: the document", entryJSON("https://a.test/x.js", t2, `, "_initiator": "https://elsewhere.test/"`), "https://a.test/ (document)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := har.Read(strings.NewReader(logJSON("null", doc, entryJSON("https://a.test/s.css", t1, ""), tc.child)))
			if err != nil {
				t.Fatal(err)
			}
			p := rec.Pages[0]
			e := p.Entries[2]
			if got := p.Entries[e.Parent].URL + " (" + e.ParentBy + ")"; got != tc.want {
				t.Errorf("parent %s, want %s", got, tc.want)
			}
			if p.Entries[0].Connection != "7" {
				t.Errorf("_socket read as connection %q", p.Entries[0].Connection)
			}
		})
	}
	// A child recorded before its initiator is moved after it.
	rec, err := har.Read(strings.NewReader(logJSON("null", doc,
		entryJSON("https://a.test/font.woff", t1, `, "_initiator": "https://a.test/s.css"`),
		entryJSON("https://a.test/s.css", t2, ""))))
	if err != nil {
		t.Fatal(err)
	}
	if got := rec.Pages[0].Entries[2]; got.URL != "https://a.test/font.woff" || rec.Pages[0].Entries[got.Parent].URL != "https://a.test/s.css" {
		t.Errorf("not reordered: %v", parents(rec.Pages[0]))
	}
}

func TestReadErrors(t *testing.T) {
	const t0 = "2026-03-01T10:00:00Z"
	ok := entryJSON("https://a.test/", t0, "")
	for _, tc := range []struct {
		name, in, want string
	}{
		{"truncated", `{"log": {"entries": [`, "not JSON"},
		{"not an object", `[1, 2]`, "a JSON array where a object belongs"},
		{"no log", `{"foo": 1}`, "log: missing"},
		{"no entries", `{"log": {"version": "1.2"}}`, "log.entries: missing"},
		{"empty entries", logJSON("[]"), "log.entries: empty"},
		{"version", `{"log": {"version": "2.0", "entries": [` + ok + `]}}`, `log.version: "2.0": only HAR 1.1 and 1.2`},
		{"size not a number", logJSON("[]", ok, entryJSON("https://a.test/b", t0, `, "_transferSize": "abc"`)), `log.entries[1]._transferSize: "abc" is not a number`},
		{"huge number", logJSON("[]", entryJSON("https://a.test/b", t0, `, "_transferSize": 1e400`)), `log.entries[0]._transferSize: 1e400 is not a number`},
		{"huge size", logJSON("[]", entryJSON("https://a.test/b", t0, `, "_transferSize": 1e15`)), `log.entries[0]._transferSize: 1e15 is not a size`},
		{"wrong type", logJSON("[]", `{"startedDateTime": "`+t0+`", "request": {"url": 5}}`), `log.entries[0].request.url: missing or not a string`},
		{"bad date", logJSON("[]", entryJSON("https://a.test/", "yesterday", "")), `log.entries[0].startedDateTime: "yesterday" is not a date`},
		{"unknown pageref", logJSON(`[{"id": "p1"}]`, entryJSON("https://a.test/", t0, `, "pageref": "p9"`)), `log.entries[0].pageref: "p9" is not the id`},
		{"initiator cycle", logJSON("[]", ok,
			entryJSON("https://a.test/x", t0, `, "_initiator": "https://a.test/y"`),
			entryJSON("https://a.test/y", t0, `, "_initiator": "https://a.test/x"`)), "form a cycle"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := har.Read(strings.NewReader(tc.in))
			var re *har.ReadError
			if !errors.As(err, &re) {
				t.Fatalf("error %v (%T), want a *har.ReadError", err, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
		})
	}
	big := bytes.Repeat([]byte(" "), har.MaxBytes+1)
	if _, err := har.Read(bytes.NewReader(big)); !errors.Is(err, har.ErrTooLarge) {
		t.Errorf("a file past MaxBytes: %v", err)
	}
}

func TestSizeOf(t *testing.T) {
	for _, tc := range []struct {
		body, transfer, heads, content int64
		want                           int64
		from                           string
	}{
		{5000, 5300, 300, 12000, 5000, "bodySize"},
		{-1, 5300, 300, 12000, 5000, "_transferSize"}, // head taken off
		{-1, 5300, -1, 12000, 5300, "_transferSize"},  // head unknown: kept
		{0, 0, 250, 12000, 12000, "content.size"},     // a 0 loses to a valid size
		{-1, -1, -1, -1, 0, ""},
		{0, 300, 300, 0, 0, ""}, // a 304: head only
	} {
		got, from := har.SizeOf(tc.body, tc.transfer, tc.heads, tc.content)
		if got != tc.want || from != tc.from {
			t.Errorf("SizeOf(%d, %d, %d, %d) = %d, %q; want %d, %q", tc.body, tc.transfer, tc.heads, tc.content, got, from, tc.want, tc.from)
		}
	}
}

func TestNormalizeVersion(t *testing.T) {
	for in, want := range map[string]string{
		"h2": "h2", "HTTP/2.0": "h2", "http/2.0": "h2", "spdy": "h2", "spdy/3.1": "h2", "HTTP/1.1": "HTTP/1.1",
		"http/1.1": "HTTP/1.1", "1.1": "HTTP/1.1", "1.0": "HTTP/1.0", "h3": "h3", "HTTP/3": "h3", "unknown": "", "junk": "", "": "",
	} {
		if got := har.NormalizeVersion(in); got != want {
			t.Errorf("NormalizeVersion(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestEstimateLink: chrome.har's three connects less their ssl are 40,
// 40 and 40 ms. Its one transfer of 64 KiB or more is app.js's 50,000
// bytes, under the floor, and its four bodies total 64,700 bytes, under
// MinPageBytes: no bandwidth.
func TestEstimateLink(t *testing.T) {
	p := readFile(t, "chrome.har").Pages[0]
	l := har.EstimateLink(&p, 0, 0)
	if l.RTT != 40*time.Millisecond || l.RTTSamples != 3 || !l.EstimatedRTT || l.Bandwidth != 0 || l.BandwidthFrom != "" || l.BandwidthSamples != 0 {
		t.Errorf("chrome.har: %+v", l)
	}
	// Four 200 KB bodies received in 80, 160, 100 and 40 ms: 20, 10, 16
	// and 40 Mbit/s; the 0.75 quantile (nearest rank, the 3rd of 4) is 20.
	// One after another (380 ms for 6.4 Mbit: 16.8 Mbit/s) the transfers'
	// estimate wins; all at once (160 ms: 40 Mbit/s), the page's.
	for _, tc := range []struct {
		name   string
		starts []int // ms
		want   int64
		from   string
	}{
		{"one after another", []int{0, 80, 240, 340}, 20_000_000, "transfers"},
		{"all at once", []int{0, 0, 0, 0}, 40_000_000, "page"},
	} {
		p = har.RecordedPage{}
		for i, ms := range []int{80, 160, 100, 40} {
			p.Entries = append(p.Entries, har.RecordedEntry{Size: 200_000, Start: time.Duration(tc.starts[i]) * time.Millisecond,
				Phases: har.Phases{Blocked: -1, DNS: -1, Connect: -1, SSL: -1, Receive: time.Duration(ms) * time.Millisecond}})
		}
		if l := har.EstimateLink(&p, 30*time.Millisecond, 0); l.Bandwidth != tc.want || l.BandwidthFrom != tc.from || l.EstimatedRTT || l.RTT != 30*time.Millisecond || l.BandwidthSamples != 4 {
			t.Errorf("%s: %+v, want %d from %s", tc.name, l, tc.want, tc.from)
		}
	}
	if e := (har.RecordedEntry{Phases: har.Phases{Wait: 50 * time.Millisecond}}); e.Think(40*time.Millisecond) != 10*time.Millisecond || e.Think(time.Second) != 0 {
		t.Error("think time is wait less the RTT, never below 0")
	}
}

func TestParentByTiming(t *testing.T) {
	p := readFile(t, "fiddler.har").Pages[0]
	har.ParentByTiming(&p)
	if e := p.Entries[2]; e.ParentBy != "timing" || e.Parent != 1 {
		t.Errorf("logo.png: parent %d by %s", e.Parent, e.ParentBy)
	}
	if r := p.Recorded(); r.PageLoadFrom != "entries" || r.PageLoad != 526543300 || len(r.Hosts) != 2 {
		// 10:00:00.1234567 to 10:00:00.65 (the logo's end).
		t.Errorf("recorded %+v", r)
	}
}

// writeRead writes runs as HAR (har.Write) and reads the file back
// (har.Read).
func writeRead(t *testing.T, rs []har.Run) *har.Recording {
	t.Helper()
	var b bytes.Buffer
	if err := har.Write(&b, rs, "test"); err != nil {
		t.Fatal(err)
	}
	rec, err := har.Read(&b)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestRoundTrip writes the default lesson and reads it back: each
// protocol's page has the run's resources, sizes, types and parents.
func TestRoundTrip(t *testing.T) {
	rs := runs(t, "webpage")
	rec := writeRead(t, rs)
	if len(rec.Pages) != len(rs) {
		t.Fatalf("%d pages, %d runs", len(rec.Pages), len(rs))
	}
	for i, run := range rs {
		page, want := rec.Pages[i], run.Config.Page.Resources
		if len(page.Entries) != len(want) {
			t.Fatalf("%s: %d entries, %d resources", run.Config.HTTP.Protocol, len(page.Entries), len(want))
		}
		byPath := map[string]har.RecordedEntry{}
		for _, e := range page.Entries {
			byPath[strings.TrimPrefix(e.URL, "http://"+run.Config.HTTP.Host)] = e
		}
		for _, r := range want {
			e, ok := byPath[r.Path]
			if !ok || e.Size != r.Size || e.Type != r.Type {
				t.Errorf("%s %s: read %+v, want size %d type %s", run.Config.HTTP.Protocol, r.Path, e, r.Size, r.Type)
				continue
			}
			parent := ""
			if e.Parent >= 0 {
				parent = strings.TrimPrefix(page.Entries[e.Parent].URL, "http://"+run.Config.HTTP.Host)
			}
			if wantParent := map[bool]string{true: "", false: want[max(r.Parent, 0)].Path}[r.Parent < 0]; parent != wantParent {
				t.Errorf("%s %s: parent %q, want %q", run.Config.HTTP.Protocol, r.Path, parent, wantParent)
			}
		}
		if got := page.Recorded(); got.Connections != run.Summary.Connections || got.Versions[0] != har.Version(run.Config.HTTP.Protocol) {
			t.Errorf("%s: recorded %+v, summary %d connections", run.Config.HTTP.Protocol, got, run.Summary.Connections)
		}
	}
}

func FuzzRead(f *testing.F) {
	for _, name := range []string{"chrome.har", "fiddler.har", "webpage.har"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(logJSON("null", entryJSON("https://a.test/", "2026-03-01T10:00:00Z", `, "_initiator": {"stack": {"parent": {"parent": {}}}}`))))
	f.Fuzz(func(t *testing.T, b []byte) {
		rec, err := har.Read(bytes.NewReader(b))
		if err != nil {
			var re *har.ReadError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is a %T, not a *har.ReadError", err, err)
			}
			return
		}
		for _, p := range rec.Pages {
			for i, e := range p.Entries {
				if e.Parent >= i {
					t.Fatalf("entry %d's parent %d does not come first", i, e.Parent)
				}
			}
			_ = p.Recorded()
			_ = har.EstimateLink(&p, 0, 0)
			// A page that Simulate takes makes a valid configuration;
			// one it refuses is refused as a ReadError.
			sim, err := p.Simulate(model.DefaultConfig(), har.PageOptions{})
			var re *har.ReadError
			switch {
			case err != nil && !errors.As(err, &re):
				t.Fatalf("Simulate: error %v is a %T, not a *har.ReadError", err, err)
			case err == nil:
				if verr := sim.Config.Validate(); verr != nil && !strings.Contains(verr.Error(), "link.") {
					// Only the link estimate may be out of the model's
					// range (a body over a day's worth of bandwidth);
					// the command line reports that as bad input.
					t.Fatalf("Simulate made an invalid configuration: %v", verr)
				}
			}
		}
	})
}

// BenchmarkRead reads a generated 1,000-entry HAR (issue 14: import and
// four simulations under 2 s; reading should take a few ms).
func BenchmarkRead(b *testing.B) {
	var es []string
	for i := range 1000 {
		start := time.Date(2026, 3, 1, 10, 0, 0, i*1_000_000, time.UTC).Format(time.RFC3339Nano)
		init := ""
		if i > 0 {
			init = fmt.Sprintf(`, "_initiator": "https://h%d.test/r%d", "connection": "%d"`, (i/2)%12, i/2, i%30)
		}
		es = append(es, entryJSON(fmt.Sprintf("https://h%d.test/r%d", i%12, i), start, init))
	}
	data := []byte(logJSON("null", es...))
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := har.Read(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestTypeOfInvertsTheModel: the Content-Type the model writes for each
// resource type (model.ResponseFields, which --har-out puts in its
// entries) reads back as that type, so a page keeps its types through
// --har-out and --har.
func TestTypeOfInvertsTheModel(t *testing.T) {
	for _, typ := range model.ResourceTypes {
		r := model.Resource{Path: "/x", Type: typ, Size: 1}
		mime := ""
		for _, f := range model.ResponseFields(&r) {
			if f.Name == "content-type" {
				mime = f.Value
			}
		}
		if mime == "" {
			t.Fatalf("%s: no content-type field", typ)
		}
		if got := har.TypeOf(mime, ""); got != typ {
			t.Errorf("%s: the model writes %q, which reads back as %s", typ, mime, got)
		}
	}
}
