package har_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/har"
)

var update = flag.Bool("update", false, "rewrite the golden HAR under testdata/")

// TestPhases checks the split of DevTools phases into HAR's timings:
// each case's phases, and that blocked+connect+send+wait+receive (ssl
// inside connect) is the entry's time, queued to last byte.
func TestPhases(t *testing.T) {
	ms := func(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
	none := trace.ResourceTiming{DNSStart: -1, DNSEnd: -1, ConnectStart: -1, ConnectEnd: -1, TLSStart: -1, TLSEnd: -1}
	with := func(f func(*trace.ResourceTiming)) trace.ResourceTiming { r := none; f(&r); return r }
	tests := []struct {
		name string
		r    trace.ResourceTiming
		want har.Phases
		ok   bool
	}{
		{"new connection", with(func(r *trace.ResourceTiming) {
			r.Queued, r.ConnectStart, r.ConnectEnd, r.RequestSent, r.FirstByte, r.LastByte = 0, ms(1), ms(101), ms(101), ms(202), ms(300)
		}), har.Phases{Blocked: ms(1), DNS: -1, Connect: ms(100), SSL: -1, Wait: ms(101), Receive: ms(98)}, true},
		{"TLS", with(func(r *trace.ResourceTiming) {
			r.Queued, r.ConnectStart, r.ConnectEnd, r.TLSStart, r.TLSEnd = ms(5), ms(5), ms(105), ms(105), ms(305)
			r.RequestSent, r.FirstByte, r.LastByte = ms(305), ms(406), ms(407.5)
		}), har.Phases{DNS: -1, Connect: ms(300), SSL: ms(200), Wait: ms(101), Receive: ms(1.5)}, true},
		{"reused connection, queued behind others", with(func(r *trace.ResourceTiming) {
			r.Queued, r.RequestSent, r.FirstByte, r.LastByte = ms(200), ms(450), ms(550), ms(551)
		}), har.Phases{Blocked: ms(250), DNS: -1, Connect: -1, SSL: -1, Wait: ms(100), Receive: ms(1)}, true},
		{"stalled after the handshake", with(func(r *trace.ResourceTiming) {
			r.Queued, r.ConnectStart, r.ConnectEnd, r.RequestSent, r.FirstByte, r.LastByte = 0, ms(10), ms(110), ms(120), ms(220), ms(230)
		}), har.Phases{Blocked: ms(20), DNS: -1, Connect: ms(100), SSL: -1, Wait: ms(100), Receive: ms(10)}, true},
		{"connection opened before the request was queued", with(func(r *trace.ResourceTiming) {
			r.Queued, r.ConnectStart, r.ConnectEnd, r.TLSStart, r.TLSEnd = ms(50), ms(0), ms(100), ms(100), ms(200)
			r.RequestSent, r.FirstByte, r.LastByte = ms(200), ms(300), ms(310)
		}), har.Phases{DNS: -1, Connect: ms(150), SSL: ms(100), Wait: ms(100), Receive: ms(10)}, true},
		{"connection ready before the request was queued", with(func(r *trace.ResourceTiming) {
			r.Queued, r.ConnectStart, r.ConnectEnd = ms(150), ms(0), ms(100)
			r.RequestSent, r.FirstByte, r.LastByte = ms(150), ms(250), ms(260)
		}), har.Phases{DNS: -1, Connect: -1, SSL: -1, Wait: ms(100), Receive: ms(10)}, true},
		{"DNS lookup, then a new connection", with(func(r *trace.ResourceTiming) {
			r.Queued, r.DNSStart, r.DNSEnd, r.ConnectStart, r.ConnectEnd = ms(10), ms(10), ms(40), ms(40), ms(140)
			r.RequestSent, r.FirstByte, r.LastByte = ms(140), ms(240), ms(250)
		}), har.Phases{DNS: ms(30), Connect: ms(100), SSL: -1, Wait: ms(100), Receive: ms(10)}, true},
		{"a lookup under way when queued", with(func(r *trace.ResourceTiming) {
			r.Queued, r.DNSStart, r.DNSEnd, r.ConnectStart, r.ConnectEnd = ms(20), ms(10), ms(40), ms(45), ms(145)
			r.RequestSent, r.FirstByte, r.LastByte = ms(145), ms(245), ms(250)
		}), har.Phases{Blocked: ms(5), DNS: ms(20), Connect: ms(100), SSL: -1, Wait: ms(100), Receive: ms(5)}, true},
		{"unfinished", with(func(r *trace.ResourceTiming) { r.Queued, r.RequestSent, r.FirstByte, r.LastByte = 0, ms(1), -1, -1 }), har.Phases{}, false},
		{"cached", with(func(r *trace.ResourceTiming) {
			r.Cached, r.Queued, r.RequestSent, r.FirstByte, r.LastByte = true, 0, -1, -1, ms(1)
		}), har.Phases{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := har.PhasesOf(tc.r)
			if ok != tc.ok || got != tc.want {
				t.Fatalf("PhasesOf = %+v, %v; want %+v, %v", got, ok, tc.want, tc.ok)
			}
			for _, d := range []time.Duration{got.Blocked, got.Send, got.Wait, got.Receive} {
				if d < 0 {
					t.Errorf("a negative phase: %+v", got)
				}
			}
			if ok && got.Time() != tc.r.LastByte-tc.r.Queued {
				t.Errorf("time %v, want queued to last byte %v", got.Time(), tc.r.LastByte-tc.r.Queued)
			}
		})
	}
}

// millis reads a HAR time (trace.Millis) back as a duration, exactly.
func millis(t *testing.T, n json.Number) time.Duration {
	t.Helper()
	s := string(n)
	if s == "-1" {
		return -1
	}
	whole, frac, _ := strings.Cut(s, ".")
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	if err1 != nil || err2 != nil {
		t.Fatalf("bad HAR time %q", s)
	}
	return time.Duration(w)*time.Millisecond + time.Duration(f)
}

func runs(t *testing.T, name string, settings ...scenarios.Setting) []har.Run {
	t.Helper()
	sc, err := scenarios.Resolve(name)
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.With(settings...); err != nil {
		t.Fatal(err)
	}
	var out []har.Run
	for _, p := range model.Protocols {
		cfg := sc.Config
		cfg.HTTP.Protocol = p
		res, err := model.Run(cfg, nil)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, har.Run{Config: cfg, Summary: res.Summary})
	}
	return out
}

// TestEntriesAgreeWithTrace checks every entry of real runs (with TLS,
// and on a multi-page scenario) against its ResourceTiming: its start,
// its timings summing to its time, its connection.
func TestEntriesAgreeWithTrace(t *testing.T) {
	for _, tc := range []struct {
		name     string
		scenario string
		settings []scenarios.Setting
	}{
		{"webpage", "webpage", nil},
		{"webpage over TLS 1.3", "webpage", []scenarios.Setting{{Field: "tls.version", Value: "1.3"}}},
		{"idle-reuse (three pages)", "idle-reuse", nil},
		{"real-page (12 hosts, DNS)", "real-page", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := runs(t, tc.scenario, tc.settings...)
			f := har.Build(rs, "test")
			i := 0
			lookups := 0 // entries with a dns time
			for _, run := range rs {
				byStart := map[string][]trace.ResourceTiming{}
				n := 0
				for _, r := range run.Summary.Resources {
					if _, ok := har.PhasesOf(r); ok {
						k := har.Epoch.Add(r.Queued).Format("2006-01-02T15:04:05.000000000Z07:00") + " " + strconv.Itoa(r.Conn)
						byStart[k] = append(byStart[k], r)
						n++
					}
				}
				for _, e := range f.Log.Entries[i : i+n] {
					rt := byStart[e.StartedDateTime+" "+e.Connection]
					if len(rt) == 0 {
						t.Fatalf("%s: entry %s on connection %s has no resource starting then", run.Config.HTTP.Protocol, e.StartedDateTime, e.Connection)
					}
					r := rt[0]
					byStart[e.StartedDateTime+" "+e.Connection] = rt[1:]
					tm := e.Timings
					sum := millis(t, tm.Blocked) + max(millis(t, tm.DNS), 0) + max(millis(t, tm.Connect), 0) + millis(t, tm.Send) + millis(t, tm.Wait) + millis(t, tm.Receive)
					if got := millis(t, e.Time); got != sum || got != r.LastByte-r.Queued {
						t.Errorf("%s %s: time %v, timings sum %v, trace %v", run.Config.HTTP.Protocol, e.Request.URL, got, sum, r.LastByte-r.Queued)
					}
					if millis(t, tm.Wait) != r.FirstByte-r.RequestSent || millis(t, tm.Receive) != r.LastByte-r.FirstByte {
						t.Errorf("%s %s: wait/receive disagree with the trace", run.Config.HTTP.Protocol, e.Request.URL)
					}
					o := originOf(t, run.Config, e.Request.URL)
					if e.Request.HTTPVersion != har.Version(run.Config.ProtocolOf(o)) || e.ServerIPAddress != trace.ServerAddress(run.Config.ServerOf(o)) {
						t.Errorf("%s %s: version %q, address %q", run.Config.HTTP.Protocol, e.Request.URL, e.Request.HTTPVersion, e.ServerIPAddress)
					}
					if dns := millis(t, tm.DNS); (dns > 0) != (r.DNSStart >= 0) || dns > 0 && dns != r.DNSEnd-max(r.DNSStart, r.Queued) {
						t.Errorf("%s %s: dns %v, the trace's lookup %v to %v", run.Config.HTTP.Protocol, e.Request.URL, dns, r.DNSStart, r.DNSEnd)
					}
					if millis(t, tm.DNS) > 0 {
						lookups++
					}
					// HTTP/1.x heads as the trace recorded their bytes.
					if run.Config.HTTP.Protocol != model.HTTP2 && (e.Request.HeadersSize != r.RequestHead || e.Response.HeadersSize != r.ResponseHead || r.RequestHead <= 0) {
						t.Errorf("%s %s: headersSize %d and %d, the trace's heads %d and %d", run.Config.HTTP.Protocol, e.Request.URL,
							e.Request.HeadersSize, e.Response.HeadersSize, r.RequestHead, r.ResponseHead)
					}
				}
				i += n
			}
			if dns := rs[0].Config.DNS.Enabled; dns != (lookups > 0) {
				t.Errorf("dns.enabled %v, but %d entries with a dns time", dns, lookups)
			}
			if i != len(f.Log.Entries) {
				t.Errorf("%d entries, %d finished resources", len(f.Log.Entries), i)
			}
		})
	}
}

// TestGolden keeps the whole HAR of the default lesson in
// testdata/webpage.har (go test ./scenarios/har -update rewrites it).
func TestGolden(t *testing.T) {
	var b bytes.Buffer
	if err := har.Write(&b, runs(t, "webpage"), "test"); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "webpage.har")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./scenarios/har -update writes it)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("the HAR of webpage differs from %s; if the change is meant, run go test ./scenarios/har -update and review the diff", path)
	}
}

// originOf is the origin whose URL prefix url has.
func originOf(t *testing.T, c model.Config, url string) int {
	t.Helper()
	for o := 0; o <= len(c.Origins); o++ {
		if strings.HasPrefix(url, c.SchemeOf(o)+"://"+c.HostOf(o)+"/") {
			return o
		}
	}
	t.Fatalf("%s is on no origin of the run", url)
	return 0
}

// TestAltSvcEntries: with quic.discovery alt-svc an HTTP/3 run's first
// page goes over HTTP/2 on TCP, whose responses announce HTTP/3; its
// entries say h2 and carry the Alt-Svc header, and the next page's,
// over QUIC once that connection has closed, say h3.
func TestAltSvcEntries(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.ForProtocol(model.HTTP3)
	cfg.QUIC.Discovery = model.DiscoverAltSvc
	cfg.Page = model.SyntheticPage(5000, 2, []int{3000})
	second := model.SyntheticPage(4000, 0, nil)
	second.Resources[0].Path = "/second.html"
	cfg.Visits = []model.Visit{{Think: 2 * time.Second, Page: second}}
	cfg.Browser.IdleTimeout = time.Second // the TCP connection closes before the second page
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil || !res.Complete {
		t.Fatalf("run: %v, %+v", err, res.Summary)
	}
	f := har.Build([]har.Run{{Config: cfg, Summary: res.Summary}}, "test")
	if len(f.Log.Entries) != 4 {
		t.Fatalf("%d entries, want 4", len(f.Log.Entries))
	}
	for i, e := range f.Log.Entries {
		want := "h2"
		if i == 3 {
			want = "h3"
		}
		alt := false
		for _, h := range e.Response.Headers {
			alt = alt || h.Name == "alt-svc" && h.Value == model.AltSvcValue
		}
		if e.Request.HTTPVersion != want || e.Response.HTTPVersion != want || alt != (want == "h2") {
			t.Errorf("entry %d (%s): version %s, alt-svc %v; want %s with alt-svc %v", i, e.Request.URL, e.Response.HTTPVersion, alt, want, want == "h2")
		}
	}
}
