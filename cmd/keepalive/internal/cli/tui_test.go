package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
	"github.com/keepalive-sim/keepalive/tui"
)

// tuiSource is the terminal UI's source for a "keepalive tui" command
// line.
func tuiSource(t *testing.T, args ...string) lessonSource {
	t.Helper()
	plan, _, err := parseCommand("tui", args, nil)
	if err != nil {
		t.Fatal(err)
	}
	return lessonSource{plan: plan}
}

// TestEditFormKeepsTheCommandLine: the edit form works on a scenario
// from a file, and its changes apply on top of the command line (--ideal,
// --mss, --seed) instead of replacing it.
func TestEditFormKeepsTheCommandLine(t *testing.T) {
	file := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(file, []byte("link: {rtt: 40ms}\npage: {objects: 3}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := tuiSource(t, "--scenario", file, "--ideal", "--mss", "500", "--seed", "9")
	first, _, err := planLesson(src.plan)
	if err != nil {
		t.Fatal(err)
	}
	if first.Scenario != "mine" || first.Ref != file {
		t.Fatalf("lesson %q ref %q, want mine from %s", first.Scenario, first.Ref, file)
	}
	_, cfg, err := src.config(first.Ref, map[string]string{"loss": "1%"})
	if err != nil {
		t.Fatalf("an edit of a lesson from a file: %v", err)
	}
	if cfg.TCP.MSS != 500 || cfg.Seed != 9 || cfg.TCP.HeaderBytes != 0 || cfg.Link.Delay != 20*sim.Millisecond || cfg.Link.Loss != 0.01 {
		t.Errorf("after the edit: mss %d, seed %d, header bytes %d (ideal: 0), one-way delay %v, loss %v",
			cfg.TCP.MSS, cfg.Seed, cfg.TCP.HeaderBytes, time.Duration(cfg.Link.Delay), cfg.Link.Loss)
	}
	// Another scenario, picked from the list, runs as designed.
	_, other, err := src.config("textbook", nil)
	if err != nil || other.TCP.MSS == 500 || other.Seed == 9 {
		t.Errorf("textbook picked from the list: mss %d, seed %d, %v", other.TCP.MSS, other.Seed, err)
	}
}

// TestEditFormHasTheCommandLineGrammar: the form's values are read by
// the run flags' parsers, with their limits, and a bad one is named by
// the form's label.
func TestEditFormHasTheCommandLineGrammar(t *testing.T) {
	src := tuiSource(t)
	for _, tc := range []struct {
		key, value, want string // want "" accepts the value
	}{
		{"rtt", "100", `RTT: "100": missing unit`},
		{"bandwidth", "500k", `Bandwidth: "500k": unknown rate unit "k"`},
		{"bandwidth", "10 Mbit/s", `Bandwidth: "10 Mbit/s": `},
		{"loss", "1e-3", `Loss: "1e-3": not a decimal number`},
		{"objects", "5000", ""}, // the model's limit, 10000, not the old form's 1000
		{"objects", "10001", "Objects: 10001 is out of range; allowed: 0 to 10000"},
		{"parallel", "500", ""},
		{"iw", "unlimited", ""},
		{"tls", "1.2", ""},
	} {
		_, cfg, err := src.config("webpage", map[string]string{tc.key: tc.value})
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s=%s: %v", tc.key, tc.value, err)
		case tc.want != "" && (err == nil || !strings.HasPrefix(err.Error(), tc.want)):
			t.Errorf("%s=%s: error %v, want one starting %q", tc.key, tc.value, err, tc.want)
		case tc.key == "objects" && err == nil && len(cfg.Page.Resources) != 5001:
			t.Errorf("objects=5000: %d resources", len(cfg.Page.Resources))
		}
	}
}

// TestEditFormShowsTheLesson: each field shows the lesson's value as the
// flag reads it, so that submitting it unchanged would give it back.
func TestEditFormShowsTheLesson(t *testing.T) {
	src := tuiSource(t, "--scenario", "textbook", "--protocol", "http1.1")
	l, _, err := planLesson(src.plan)
	if err != nil {
		t.Fatal(err)
	}
	_, cfg, _ := src.config("textbook", nil)
	changes := map[string]string{}
	for _, set := range l.Settings {
		changes[set.Key] = set.Value
	}
	_, again, err := src.config("textbook", changes)
	if err != nil {
		t.Fatalf("the form's own values %v: %v", changes, err)
	}
	if !reflect.DeepEqual(again.Link, cfg.Link) || again.TCP.InitialWindow != cfg.TCP.InitialWindow || again.HTTP.Parallel != cfg.HTTP.Parallel ||
		again.TLS.Version != cfg.TLS.Version || len(again.Page.Resources) != len(cfg.Page.Resources) {
		t.Errorf("the form's values %v do not give the lesson back", changes)
	}
	if len(l.Runs) != 1 || l.Runs[0].Protocol != model.HTTP11.Traced() {
		t.Errorf("runs %d, want the one protocol of --protocol", len(l.Runs))
	}
}

// TestEditFormOtherSettings: the form's "other setting" field takes any
// run flag or scenario field by name, so a lesson's "Try …" can be done
// in the UI: close-race with server.idle_close: 408 and browser.retry:
// false, on top of the command line; a misspelt name is refused with the
// nearest names.
func TestEditFormOtherSettings(t *testing.T) {
	src := tuiSource(t, "--scenario", "close-race", "--rtt", "200ms")
	_, cfg, err := src.config("close-race", map[string]string{
		tui.OtherKey + "server.idle_close": "408", tui.OtherKey + "browser.retry": "false", "loss": "0"})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Server.IdleClose.String() != "408" || cfg.Browser.Retry || cfg.Link.Delay != 100*sim.Millisecond {
		t.Errorf("idle_close %v, retry %v, one-way delay %v; want 408, false and the command line's 100ms",
			cfg.Server.IdleClose, cfg.Browser.Retry, time.Duration(cfg.Link.Delay))
	}
	_, _, err = src.config("close-race", map[string]string{tui.OtherKey + "server.idle_clos": "408"})
	if err == nil || !strings.Contains(err.Error(), "did you mean server.idle_close?") {
		t.Errorf("a misspelt field: %v", err)
	}
	l, err := src.Load("close-race", map[string]string{tui.OtherKey + "server.idle_close": "408"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(l.SettingNames, "server.idle_close") || !slices.Contains(l.SettingNames, "rtt") {
		t.Errorf("the form offers %d names, without server.idle_close or rtt", len(l.SettingNames))
	}
}

// TestEditFormKeepsTheRecording: with --har the page is the recording's,
// so the edit form refuses page settings as the command line does; a
// link edit keeps the recorded page and its hosts.
func TestEditFormKeepsTheRecording(t *testing.T) {
	chrome := filepath.Join("..", "..", "..", "..", "scenarios", "har", "testdata", "chrome.har")
	src := tuiSource(t, "--har", chrome)
	first, _, err := planLesson(src.plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, changes := range []map[string]string{
		{"objects": "5"},
		{tui.OtherKey + "page.html_size": "5KB"},
	} {
		_, _, err := src.config(first.Ref, changes)
		if err == nil || !strings.Contains(err.Error(), "not with --har, whose page is the recording's") {
			t.Errorf("%v: %v, want a refusal", changes, err)
		}
	}
	_, cfg, err := src.config(first.Ref, map[string]string{"rtt": "300ms"})
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Origins) != 2 || cfg.Link.Delay != 150*sim.Millisecond {
		t.Errorf("after an RTT edit: %d origins, one-way delay %v; want the recording's 2 and 150ms", len(cfg.Origins), time.Duration(cfg.Link.Delay))
	}
}

// TestHARLessonStory: a --har lesson's story (the help's "About") says
// what the file recorded, which the compare view has no row for, and how
// the page was simulated, which the note says before the UI takes the
// screen.
func TestHARLessonStory(t *testing.T) {
	chrome := filepath.Join("..", "..", "..", "..", "scenarios", "har", "testdata", "chrome.har")
	src := tuiSource(t, "--har", chrome)
	l, err := src.plan.harIn.load(false)
	if err != nil {
		t.Fatal(err)
	}
	want := "Recorded in the file: the page loaded in " + ms1(l.recorded.PageLoad) + " ms over h2, h3, 3 connections.\n\nSimulated from it: " + src.plan.harIn.linkNote(l) + "."
	if l.sc.Narrative != want {
		t.Errorf("story\n%q\nwant\n%q", l.sc.Narrative, want)
	}
}

// TestTUICaptureIsTheRunsCapture: the terminal UI's W writes, for a
// lesson and for the same lesson edited, the very bytes run --pcap
// writes for the same flags and protocol: running again makes the same
// run. A replayed trace has no capture.
func TestTUICaptureIsTheRunsCapture(t *testing.T) {
	dir := t.TempDir()
	runCapture := func(args ...string) []byte {
		t.Helper()
		file := filepath.Join(dir, "run.pcap")
		var out, errb bytes.Buffer
		if st := Main(append([]string{"run", "--protocol", "http2", "--pcap", file}, args...), &out, &errb); st != 0 {
			t.Fatalf("run %v: status %d: %s", args, st, errb.String())
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	src := tuiSource(t, "--scenario", "lossy", "--seed", "4")
	first, _, err := planLesson(src.plan)
	if err != nil {
		t.Fatal(err)
	}
	got, err := first.Capture(trace.HTTP2)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, runCapture("--scenario", "lossy", "--seed", "4")) {
		t.Error("W's capture of lossy differs from run --pcap's")
	}
	edited, err := src.Load(first.Ref, map[string]string{"rtt": "40ms"})
	if err != nil {
		t.Fatal(err)
	}
	if got, err = edited.Capture(trace.HTTP2); err != nil || !bytes.Equal(got, runCapture("--scenario", "lossy", "--seed", "4", "--rtt", "40ms")) {
		t.Errorf("W's capture of the edited lesson differs from run --rtt 40ms --pcap's (%v)", err)
	}
	file := filepath.Join(dir, "saved.jsonl")
	var out, errb bytes.Buffer
	if st := Main([]string{"run", "--protocol", "http2", "--trace", file}, &out, &errb); st != 0 {
		t.Fatal(errb.String())
	}
	if saved, err := savedLesson(file); err != nil || saved.Capture != nil {
		t.Errorf("a replayed trace has a capture (%v)", err)
	}
}

// TestTUIRefusesReportFlags: the report's flags are refused by name,
// --pcap and --pcap-at pointing to W, whatever else is given with them.
func TestTUIRefusesReportFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--out", "x.csv"}, "--out is for keepalive run"},
		{[]string{"--pcap", "x.pcap"}, "--pcap is for keepalive run; in the terminal UI, W writes the capture"},
		{[]string{"--pcap-at", "server", "--print", "ladder"}, "--pcap-at is for keepalive run; in the terminal UI, W writes"},
	} {
		var out, errb bytes.Buffer
		if st := Main(append([]string{"tui"}, tc.args...), &out, &errb); st != exitUsage || !strings.Contains(errb.String(), tc.msg) {
			t.Errorf("tui %v: status %d, %q; want 2 and %q", tc.args, st, errb.String(), tc.msg)
		}
	}
}

// BenchmarkLargePageFirstFrame is what a lesson of a 10,000-object page
// costs before its first frame: the four protocols simulated with their
// traces kept, indexed, and one screen drawn ("keepalive tui --objects
// 10000 --print ladder"). Figures in docs/performance.md.
func BenchmarkLargePageFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		var out, errOut bytes.Buffer
		if rc := Main([]string{"tui", "--objects", "10000", "--print", "ladder"}, &out, &errOut); rc != 0 {
			b.Fatalf("exit %d: %s", rc, errOut.String())
		}
		if !bytes.Contains(out.Bytes(), []byte("10001 resources")) {
			b.Fatalf("the screen does not show the page:\n%s", out.String())
		}
	}
}
