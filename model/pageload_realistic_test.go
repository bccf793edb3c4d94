package model_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// newsPage is a page like the built-in "webpage": an HTML document, a
// stylesheet referencing a font, a script and ten images.
func newsPage() model.Page {
	p := model.Page{Resources: []model.Resource{
		{Path: "/index.html", Type: model.HTML, Size: 30_000, Parent: -1},
		{Path: "/style.css", Type: model.CSS, Size: 25_000, Parent: 0},
		{Path: "/app.js", Type: model.JS, Size: 60_000, Parent: 0},
		{Path: "/font.woff2", Type: model.Font, Size: 40_000, Parent: 1},
	}}
	for i, size := range []int{8_000, 12_000, 20_000, 35_000, 60_000, 15_000, 9_000, 25_000, 40_000, 18_000} {
		p.Resources = append(p.Resources, model.Resource{Path: "/img" + string(rune('0'+i)) + ".jpg", Type: model.Image, Size: size, Parent: 0})
	}
	return p
}

// runPage runs a one-page configuration (mustRun) and checks that every
// resource of a complete load arrived whole.
func runPage(t *testing.T, cfg model.Config) (model.Result, []trace.Record) {
	t.Helper()
	res, recs := mustRun(t, cfg)
	if res.Complete {
		for i, r := range res.Resources {
			if want := cfg.Page.Resources[i].Size; r.Bytes != want || r.LastByte < 0 {
				t.Fatalf("%s: resource %s got %d bytes (last byte %v), want %d", cfg.HTTP.Protocol, r.Path, r.Bytes, r.LastByte, want)
			}
		}
	}
	return res, recs
}

// TestRealisticConnections: HTTP/1.0 opens a connection per resource,
// keep-alive at most Parallel, HTTP/2 exactly one; HTTP/1.0 is slowest.
func TestRealisticConnections(t *testing.T) {
	load := map[model.Protocol]sim.Time{}
	for _, p := range model.Protocols {
		cfg := model.DefaultConfig()
		cfg.Page = newsPage()
		cfg.HTTP.Protocol = p
		res, _ := runPage(t, cfg)
		if !res.Complete {
			t.Fatalf("%v: page did not complete", p)
		}
		n := len(cfg.Page.Resources)
		switch p {
		case model.HTTP10:
			if res.Connections != n {
				t.Errorf("http1.0 opened %d connections for %d resources", res.Connections, n)
			}
		case model.HTTP11, model.HTTP11Pipelined:
			if res.Connections > cfg.HTTP.Parallel || res.Connections < 2 {
				t.Errorf("%v opened %d connections, want 2..%d", p, res.Connections, cfg.HTTP.Parallel)
			}
		case model.HTTP2:
			if res.Connections != 1 {
				t.Errorf("http2 opened %d connections", res.Connections)
			}
		}
		load[p] = res.PageLoad
	}
	for _, p := range model.Protocols[1:] {
		if load[p] >= load[model.HTTP10] {
			t.Errorf("%v took %v, not less than http1.0's %v", p, load[p], load[model.HTTP10])
		}
	}
}

// TestHeadOfLineBlocking: behind a large first response, pipelined small
// responses wait for it; HTTP/2 interleaves and delivers them first.
func TestHeadOfLineBlocking(t *testing.T) {
	page := model.Page{Resources: []model.Resource{
		{Path: "/index.html", Type: model.HTML, Size: 5_000, Parent: -1},
		{Path: "/big.jpg", Type: model.Image, Size: 1_000_000, Parent: 0},
		{Path: "/a.png", Type: model.Image, Size: 3_000, Parent: 0},
		{Path: "/b.png", Type: model.Image, Size: 3_000, Parent: 0},
	}}
	for _, tc := range []struct {
		proto   model.Protocol
		blocked bool
	}{
		{model.HTTP11Pipelined, true},
		{model.HTTP2, false},
	} {
		cfg := model.DefaultConfig()
		cfg.Page = page
		cfg.HTTP.Protocol, cfg.HTTP.Parallel = tc.proto, 1
		res, _ := runPage(t, cfg)
		big := res.Resources[1].LastByte
		for _, small := range res.Resources[2:] {
			if got := small.LastByte > big; got != tc.blocked {
				t.Errorf("%v: %s done at %v, big image at %v; blocked = %v, want %v", tc.proto, small.Path, small.LastByte, big, got, tc.blocked)
			}
		}
	}
}

// TestSlowResponseBlocksPipeline: a first response that needs 500 ms of
// server think time holds back the ready responses behind it.
func TestSlowResponseBlocksPipeline(t *testing.T) {
	page := model.SyntheticPage(5_000, 3, []int{2_000})
	page.Resources[1].Think = 500 * sim.Millisecond
	for _, p := range []model.Protocol{model.HTTP11Pipelined, model.HTTP2} {
		cfg := model.DefaultConfig()
		cfg.Page = page
		cfg.HTTP.Protocol, cfg.HTTP.Parallel = p, 1
		res, _ := runPage(t, cfg)
		slow, fast := res.Resources[1].LastByte, res.Resources[2].LastByte
		if (fast > slow) != (p == model.HTTP11Pipelined) {
			t.Errorf("%v: fast response at %v, slow one at %v", p, fast, slow)
		}
	}
}

// TestDiscoveryByOffset: a reference at a byte offset is requested while
// its parent is still arriving; one without waits for the whole parent.
func TestDiscoveryByOffset(t *testing.T) {
	page := model.Page{Resources: []model.Resource{
		{Path: "/index.html", Type: model.HTML, Size: 200_000, Parent: -1},
		{Path: "/early.css", Type: model.CSS, Size: 1_000, Parent: 0, Offset: 2_000},
		{Path: "/late.js", Type: model.JS, Size: 1_000, Parent: 0},
		{Path: "/font.woff2", Type: model.Font, Size: 1_000, Parent: 1},
	}}
	cfg := model.DefaultConfig()
	cfg.Page = page
	res, _ := runPage(t, cfg)
	doc := res.Resources[0]
	if early := res.Resources[1].Queued; early >= doc.LastByte {
		t.Errorf("early.css queued at %v, document finished at %v", early, doc.LastByte)
	}
	if late := res.Resources[2].Queued; late != doc.LastByte {
		t.Errorf("late.js queued at %v, want when the document finished, %v", late, doc.LastByte)
	}
	if font := res.Resources[3]; font.Queued != res.Resources[1].LastByte {
		t.Errorf("font queued at %v, want when its stylesheet finished, %v", font.Queued, res.Resources[1].LastByte)
	}
}

// TestHTTP2FlowControl: with the protocol's initial 65,535-byte windows a
// large response needs WINDOW_UPDATEs and is slower than with Chrome's.
func TestHTTP2FlowControl(t *testing.T) {
	page := model.SyntheticPage(5_000, 1, []int{2_000_000})
	var loads []sim.Time
	for _, win := range []int{65535, 6 << 20} {
		cfg := model.DefaultConfig()
		cfg.Page = page
		cfg.HTTP.Protocol = model.HTTP2
		cfg.HTTP.StreamWindow, cfg.HTTP.ConnWindow = win, win
		res, recs := runPage(t, cfg)
		updates := 0
		for _, r := range recs {
			if r.Kind == trace.PacketSent && strings.HasPrefix(r.Label, "WINDOW_UPDATE") {
				updates++
			}
		}
		if win == 65535 && updates == 0 {
			t.Errorf("no WINDOW_UPDATE sent with a 64 KiB window")
		}
		loads = append(loads, res.PageLoad)
	}
	if loads[0] <= loads[1] {
		t.Errorf("64 KiB windows %v, not slower than 6 MiB windows %v", loads[0], loads[1])
	}
}

// TestHPACKShrinksRepeatedHeaders: on HTTP/2 the second and later requests
// cost far fewer header bytes than the first (RFC 7541 dynamic table).
func TestHPACKShrinksRepeatedHeaders(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(5_000, 5, []int{1_000})
	cfg.HTTP.Protocol = model.HTTP2
	_, recs := runPage(t, cfg)
	var sizes []int
	for _, r := range recs {
		if r.Kind == trace.PacketSent && r.Dir == trace.Up && strings.HasPrefix(r.Label, "GET ") {
			sizes = append(sizes, r.Len)
		}
	}
	if len(sizes) < 2 || sizes[0] < 200 || sizes[len(sizes)-1] > sizes[0]/4 {
		t.Errorf("HEADERS segment sizes %v: want a first of ≥ 200 bytes and later ones under a quarter of it", sizes)
	}
}

// TestLossyPageLoads drives every protocol and TLS version through loss:
// every page completes with every byte, and every invariant holds.
func TestLossyPageLoads(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		for _, p := range model.Protocols {
			for _, v := range []model.TLSVersion{model.NoTLS, model.TLS12, model.TLS13} {
				cfg := model.DefaultConfig()
				cfg.Page = newsPage()
				cfg.Link.Loss, cfg.Link.Buffer = 0.03, 30
				cfg.HTTP.Protocol, cfg.TLS.Version, cfg.TLS.Resume = p, v, seed%2 == 0 && v != model.NoTLS
				cfg.Seed = seed
				res, _ := runPage(t, cfg)
				if !res.Complete {
					t.Fatalf("seed %d %v tls %v: page did not complete", seed, p, v)
				}
			}
		}
	}
}

// TestRunDeterminism: the same configuration gives a byte-identical trace.
func TestRunDeterminism(t *testing.T) {
	enc := func(seed uint64) []byte {
		cfg := model.DefaultConfig()
		cfg.Page = newsPage()
		cfg.Link.Loss = 0.02
		cfg.HTTP.Protocol = model.HTTP2
		cfg.Seed = seed
		_, recs := runPage(t, cfg)
		var b bytes.Buffer
		if err := trace.WriteCSV(&b, recs); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if !bytes.Equal(enc(3), enc(3)) {
		t.Error("same seed, different traces")
	}
	if bytes.Equal(enc(3), enc(4)) {
		t.Error("different seeds with loss, same trace")
	}
}

// TestHTTP2MaxConcurrentStreams: the browser keeps no more streams open
// than the server's SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2).
func TestHTTP2MaxConcurrentStreams(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(5_000, 8, []int{20_000})
	cfg.HTTP.Protocol, cfg.HTTP.MaxStreams = model.HTTP2, 2
	res, recs := runPage(t, cfg)
	open, most := 0, 0
	for _, r := range recs {
		switch r.Kind {
		case trace.RequestSent:
			open++
			most = max(most, open)
		case trace.LastByte:
			open--
		}
	}
	if most != 2 || !res.Complete {
		t.Errorf("at most %d streams open (complete %v), want 2", most, res.Complete)
	}
}
