package tui

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// The fixtures in testdata are traces written by trace.WriteJSONL
// (testdata/gen/main.go made them with the simulator): a 2,000-byte page with
// three 5,000-byte images over a 100 ms, 10 Mbit/s link with TLS 1.3, an
// initial window of 2 segments and 2 parallel connections, under each
// protocol ("basic-*"), and one 40,000-byte page over HTTP/1.1 whose
// fourth server packet is dropped ("lossy-http1.1").

var protocols = []string{"http1.0", "http1.1", "http1.1-pipelined", "http2"}

// readTrace reads a JSON Lines trace from testdata.
func readTrace(t testing.TB, name string) []trace.Record {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := trace.ReadJSONL(f)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return recs
}

// basicParams are the parameters the basic fixtures were made with.
var basicParams = Params{
	RTT: 100 * time.Millisecond, Bandwidth: 10_000_000, Objects: 3, InitialWindow: 2, Parallel: 2, TLS: "1.3",
}

// basicSettings are the edit form's fields for the basic fixtures, as
// cmd/keepalive gives them.
var basicSettings = []Setting{
	{Key: "rtt", Label: "RTT", Value: "100ms"},
	{Key: "bandwidth", Label: "Bandwidth", Value: "10Mbps"},
	{Key: "loss", Label: "Loss", Value: "0"},
	{Key: "objects", Label: "Objects", Value: "3"},
	{Key: "iw", Label: "Initial window", Value: "2"},
	{Key: "parallel", Label: "Parallel connections", Value: "2"},
	{Key: "tls", Label: "TLS", Value: "1.3", Options: []string{"none", "1.2", "1.3"}},
}

// basicLesson is the four basic runs.
func basicLesson(t testing.TB) Lesson {
	t.Helper()
	l := Lesson{
		Scenario: "fixture", Description: "three images over TLS 1.3",
		Narrative: "A small page under every protocol.", Params: basicParams,
		Settings: basicSettings,
	}
	for _, p := range protocols {
		recs := readTrace(t, "basic-"+p+".jsonl")
		l.Runs = append(l.Runs, Run{Protocol: mustProtocol(t, p), Records: recs, Summary: trace.Summarize(recs)})
	}
	return l
}

// lossyLesson has one run, HTTP/1.1 with a dropped packet.
func lossyLesson(t testing.TB) Lesson {
	t.Helper()
	recs := readTrace(t, "lossy-http1.1.jsonl")
	return Lesson{
		Scenario: "lossy", Description: "one dropped packet",
		Params: Params{RTT: 100 * time.Millisecond, Bandwidth: 10_000_000, Objects: 0, InitialWindow: 10, Parallel: 6, TLS: "none"},
		Runs:   []Run{{Protocol: trace.HTTP11, Records: recs, Summary: trace.Summarize(recs)}},
	}
}

// raceLesson is the built-in close-race lesson over HTTP/1.1, as
// "keepalive run --trace" saved it: its header brings the lesson's key
// moments, as a replay's does.
func raceLesson(t testing.TB) Lesson { return savedLesson(t, "race-http1.1.jsonl", 1) }

// hostsLesson is testdata/hosts.yaml, a page on three hosts with DNS
// lookups, over HTTP/1.1 and HTTP/2, as "keepalive run --trace" saved
// it (testdata/gen/main.go says how).
func hostsLesson(t testing.TB) Lesson { return savedLesson(t, "hosts.jsonl", 2) }

// dnsOneHostLesson is testdata/dns-one-host.yaml over HTTP/1.1: a page
// of one host, looked up first, whose trace has no ConnHost records.
func dnsOneHostLesson(t testing.TB) Lesson { return savedLesson(t, "dns-one-host.jsonl", 1) }

// manyHostsLesson is testdata/many-hosts.yaml over HTTP/1.1: a page on
// seven hosts, more than the ladder has lanes for at 100 columns.
func manyHostsLesson(t testing.TB) Lesson { return savedLesson(t, "many-hosts.jsonl", 1) }

// savedLesson is the lesson a trace file saved by "keepalive run
// --trace" holds, with its n runs, as a replay reads it.
func savedLesson(t testing.TB, file string, n int) Lesson {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	runs, err := trace.ReadSaved(f)
	if err != nil || len(runs) != n {
		t.Fatalf("%s: %d runs, want %d, %v", file, len(runs), n, err)
	}
	in := runs[0].Info
	l := Lesson{
		Scenario: in.Scenario, Description: in.Description, Narrative: in.Narrative, Moments: in.Moments,
		Params: Params{RTT: in.RTT, Bandwidth: in.Bandwidth, Loss: in.Loss, Objects: -1, InitialWindow: in.IW, Parallel: in.Parallel, TLS: in.TLS},
	}
	for _, r := range runs {
		l.Runs = append(l.Runs, Run{Protocol: r.Info.Protocol, Records: r.Records, Summary: trace.Summarize(r.Records)})
	}
	return l
}

// mustProtocol is the protocol named p, as a fixture's file name spells it.
func mustProtocol(t testing.TB, p string) trace.Protocol {
	t.Helper()
	v, err := trace.ParseProtocol(p)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The built-in lessons' fixtures, written by "keepalive run --trace" with
// the header line removed (testdata/gen/main.go says how): proxy-hop with
// 3KB resources under HTTP/1.1 and HTTP/2 ("proxy-*": a proxy 100 ms from
// the browser opens a connection to the origin, 20 ms further, for each
// request), tcp-keepalive ("keepalive-http1.1": probes every 45 s for ten
// minutes) and idle-reuse with 3KB resources ("idle-http1.1": three pages
// 3 s and 8 s apart).

// proxyLesson is proxy-hop's two runs, the browser's side over HTTP/1.1
// and over HTTP/2.
func proxyLesson(t testing.TB) Lesson {
	t.Helper()
	l := Lesson{
		Scenario: "proxy-small", Description: "a proxy between the browser and the origin",
		Params: Params{RTT: 100 * time.Millisecond, Bandwidth: 10_000_000, Objects: 7, InitialWindow: 10, Parallel: 6, TLS: "none"},
	}
	for _, p := range []string{"http1.1", "http2"} {
		recs := readTrace(t, "proxy-"+p+".jsonl")
		l.Runs = append(l.Runs, Run{Protocol: mustProtocol(t, p), Records: recs, Summary: trace.Summarize(recs)})
	}
	return l
}

// oneRunLesson is the HTTP/1.1 fixture file as a lesson named scenario.
func oneRunLesson(t testing.TB, scenario, file string) Lesson {
	t.Helper()
	recs := readTrace(t, file)
	return Lesson{
		Scenario: scenario, Description: scenario + " (fixture)",
		Params: Params{RTT: 100 * time.Millisecond, Bandwidth: 10_000_000, InitialWindow: 10, Parallel: 6, TLS: "none"},
		Runs:   []Run{{Protocol: trace.HTTP11, Records: recs, Summary: trace.Summarize(recs)}},
	}
}

// keepaliveLesson is tcp-keepalive: a page, then ten minutes of probes.
func keepaliveLesson(t testing.TB) Lesson {
	return oneRunLesson(t, "tcp-keepalive", "keepalive-http1.1.jsonl")
}

// idleLesson is idle-reuse: three pages, 3 s and 8 s apart.
func idleLesson(t testing.TB) Lesson { return oneRunLesson(t, "idle-reuse", "idle-http1.1.jsonl") }
