package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBatchUsageCoversEveryFlag: every flag of sweep, plot and merge is
// explained in its help.
func TestBatchUsageCoversEveryFlag(t *testing.T) {
	var sf sweepFlags
	var s1, s2, s3, s4, s5 string
	var b bool
	for _, tc := range []struct {
		name  string
		fs    *flag.FlagSet
		usage string
	}{
		{"sweep", newSweepFlagSet(&sf), sweepUsage},
		{"plot", newPlotFlagSet(&s1, &s2, &s3, &s4, &s5, &b), plotUsage},
		{"merge", newMergeFlagSet(&s1, &s2), mergeUsage},
	} {
		tc.fs.VisitAll(func(fl *flag.Flag) {
			if !strings.Contains(tc.usage, "--"+fl.Name+" ") && !strings.Contains(tc.usage, "--"+fl.Name+"\n") {
				t.Errorf("%s usage does not explain --%s", tc.name, fl.Name)
			}
		})
		if !strings.Contains(tc.usage, "Examples:") {
			t.Errorf("%s usage has no examples", tc.name)
		}
	}
}

// TestSweepInterrupted: a cancelled sweep exits 130 and says how to
// resume.
func TestSweepInterrupted(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.csv")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	args := []string{"--vary", "rtt=10ms,20ms", "--objects", "2", "--out", out}
	if code := sweepWith(ctx, args, &stdout, &stderr); code != exitInterrupted {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, stderr.String())
	}
	msg := stderr.String()
	for _, want := range []string{"interrupted", "the first 0 of 8 rows", "keepalive sweep --vary rtt=10ms,20ms --objects 2 --out " + out + " --resume"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message does not say %q:\n%s", want, msg)
		}
	}
	data, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(data), "run,runs_total,vary.rtt_ms,replicate,") || strings.Count(string(data), "\n") != 1 {
		t.Errorf("the file holds %q, want only the header", data)
	}
	// Resuming finishes it.
	stderr.Reset()
	if code := sweepWith(context.Background(), append(args, "--resume"), &stdout, &stderr); code != 0 {
		t.Fatalf("resume: exit %d: %s", code, stderr.String())
	}
	if data, _ := os.ReadFile(out); strings.Count(string(data), "\n") != 9 {
		t.Errorf("after --resume the file has %d lines, want 9", strings.Count(string(data), "\n"))
	}
}

func TestShellJoin(t *testing.T) {
	got := shellJoin([]string{"--vary", "rtt=10ms..50ms/step:10ms", "--out", "my file.csv", "--title", "it's"})
	want := `--vary rtt=10ms..50ms/step:10ms --out 'my file.csv' --title 'it'\''s'`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
