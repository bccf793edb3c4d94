package main

import (
	"path/filepath"
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
