package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestTraceReplay: a saved trace (run --trace FILE.jsonl) replays in the
// terminal UI exactly as the live lesson shows: every view at several
// moments is the same screen, for lessons with retries, a proxy and TLS.
func TestTraceReplay(t *testing.T) {
	dir := t.TempDir()
	for _, sc := range []string{"close-race", "proxy-hop", "tls"} {
		saved := filepath.Join(dir, sc+".jsonl")
		mustRun(t, "run", "--scenario", sc, "--trace", saved)
		for _, view := range []string{"ladder", "waterfall", "cwnd", "compare", "help"} {
			for _, at := range []string{"300ms", "end"} {
				live := mustRun(t, "tui", "--scenario", sc, "--print", view, "--at", at)
				replay := mustRun(t, "tui", "--trace", saved, "--print", view, "--at", at)
				if live != replay {
					t.Errorf("%s %s at %s: the replay differs from the live lesson:\n%s\n---\n%s", sc, view, at, replay, live)
				}
			}
		}
	}
	// A replay changes nothing: the flags that would are refused.
	code, _, errOut := keepalive(t, "tui", "--trace", filepath.Join(dir, "tls.jsonl"), "--rtt", "5ms")
	if code != 2 || !strings.Contains(errOut, "--rtt: not with --trace") {
		t.Errorf("--trace with --rtt: exit %d, stderr %q", code, errOut)
	}
	// A CSV trace or any other file is not a saved lesson.
	csv := filepath.Join(dir, "t.csv")
	mustRun(t, "run", "--trace", csv)
	code, _, errOut = keepalive(t, "tui", "--trace", csv, "--print", "ladder")
	if code != 2 || !strings.Contains(errOut, "--trace "+csv) || strings.Count(errOut, "\n") != 1 {
		t.Errorf("--trace of a CSV: exit %d, stderr %q", code, errOut)
	}
}

// TestTraceReplayRefusesEditedFiles: a hand-edited saved trace is
// refused with one line naming what is wrong, never replayed with
// nonsense or allowed to crash or eat memory (from a hostile-input run).
func TestTraceReplayRefusesEditedFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	mustRun(t, "run", "--scenario", "close-race", "--protocol", "http1.0,http1.1", "--trace", good)
	text := mustReadFile(t, good)
	header := `{"run":{"protocol":"http1.0","scenario":"x","rtt_ns":100000000,"bandwidth_bps":10000000,"loss":0,"iw":10,"parallel":6,"tls":"none"}}` + "\n"
	for _, tc := range []struct{ name, content, want string }{
		{"huge resource", header + `{"at_ns":0,"kind":"queued","len":1,"label":"/","resource":300000000,"page":1}` + "\n", "resource 300000000 is out of range"},
		{"negative resource", header + `{"at_ns":0,"kind":"queued","len":1,"label":"/","resource":-1,"page":1}` + "\n", "resource -1 is out of range"},
		{"time backwards", header + `{"at_ns":5,"kind":"queued","label":"/","resource":1,"page":1}` + "\n" + `{"at_ns":1,"kind":"queued","label":"/","resource":1,"page":1}` + "\n", "before the record above it"},
		{"loss 500%", strings.Replace(text, `"loss":0`, `"loss":5`, 1), "loss 5: a probability"},
		{"a negative idle timeout", strings.Replace(text, `"server_idle_ns":5000000000`, `"server_idle_ns":-5`, 1), "server_idle_ns -5: out of range"},
		{"protocol twice", strings.Replace(text, `"protocol":"http1.1"`, `"protocol":"http1.0"`, 1), "a second run of it"},
		{"unknown protocol", strings.Replace(text, `"protocol":"http1.1"`, `"protocol":"http9"`, 1), `protocol "http9"`},
		{"unknown state", strings.Replace(text, `"state":"TIME-WAIT"`, `"state":"TIME_WAIT"`, 1), `unknown state "TIME_WAIT" for a state record (allowed: CLOSED,`},
		{"a cwnd word as a TCP state", strings.Replace(text, `"state":"ESTABLISHED"}`, `"state":"slow-start"}`, 1), `unknown state "slow-start" for a state record`},
		// The lesson's moments come with the header: their words are
		// checked, and a sentence that would reach the terminal raw is refused.
		{"a moment of no kind", strings.Replace(text, `"kind":"state","dir":"up","state":"ESTABLISHED"`, `"kind":"idle","dir":"up","state":"ESTABLISHED"`, 1), `unknown kind "idle"`},
		{"a moment's escape sequence", strings.Replace(text, `"say":"The first TCP`, `"say":"\u001b[2J The first TCP`, 1), "moment 1: say: holds the control character"},
		{"a moment after nobody", strings.Replace(text, `"after":"fin"`, `"after":"nobody"`, 1), `"nobody" is no earlier moment's name`},
		{"a bad line on line 5", strings.Join(slices.Insert(strings.SplitAfter(text, "\n"), 4, "xx\n"), ""), "line 5:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := filepath.Join(dir, "edited.jsonl")
			if err := os.WriteFile(f, []byte(tc.content), 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, errOut := keepalive(t, "tui", "--trace", f, "--print", "ladder")
			if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and one line saying %q", code, errOut, tc.want)
			}
		})
	}
}
