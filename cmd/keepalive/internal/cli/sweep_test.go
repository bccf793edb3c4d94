package cli

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"slices"
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

// TestSweepPcap: sweep --pcap --pcap-run writes the capture of the rows
// it names, byte for byte what run --pcap writes for the same settings
// and seed (the row's run made again); several rows a file each; bad
// input is one line, exit 2, before anything is run or written.
func TestSweepPcap(t *testing.T) {
	dir := t.TempDir()
	main := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		st := Main(args, &out, &errb)
		return st, errb.String()
	}
	read := func(name string) []byte {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	sweepArgs := []string{"sweep", "--vary", "loss=0,0.02", "--protocol", "http1.1,http2", "--replicates", "2", "--seed", "5", "--jobs", "2"}
	// Run 7: loss 0.02, HTTP/2, replicate 1 (seed 6).
	if st, msg := main(append(sweepArgs, "--out", filepath.Join(dir, "rows.csv"), "--pcap", filepath.Join(dir, "row.pcap"), "--pcap-run", "7")...); st != 0 {
		t.Fatalf("status %d: %s", st, msg)
	}
	if st, msg := main("run", "--loss", "0.02", "--protocol", "http2", "--seed", "6", "--pcap", filepath.Join(dir, "run.pcap")); st != 0 {
		t.Fatalf("status %d: %s", st, msg)
	}
	if !bytes.Equal(read("row.pcap"), read("run.pcap")) {
		t.Error("the capture of run 7 differs from run --pcap's of its settings and seed")
	}
	if st, msg := main(append(sweepArgs, "--out", filepath.Join(dir, "two.csv"), "--pcap", filepath.Join(dir, "two.pcap"), "--pcap-run", "0,7", "--pcap-at", "both")...); st != 0 {
		t.Fatalf("status %d: %s", st, msg)
	}
	for _, name := range []string{"two.run0.client.pcap", "two.run0.server.pcap", "two.run7.client.pcap", "two.run7.server.pcap"} {
		if b := read(name); !bytes.HasPrefix(b, pcapMagic) {
			t.Errorf("%s is not a capture", name)
		}
	}
	if !bytes.Equal(read("two.run7.client.pcap"), read("run.pcap")) {
		t.Error("run 7's client capture differs when two rows are captured")
	}
	bad := filepath.Join(dir, "bad.pcap")
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--pcap", bad, "--pcap-run", "8"}, "--pcap-run 8: allowed: 0 to 7 (the sweep's runs)"},
		{[]string{"--pcap", bad}, "--pcap " + bad + ": needs --pcap-run LIST"},
		{[]string{"--pcap-run", "1"}, "--pcap-run 1: only with --pcap FILE"},
		{[]string{"--pcap", bad, "--pcap-run", "x"}, `--pcap-run "x": allowed: run numbers`},
		{[]string{"--pcap", bad, "--pcap-run", "1,1"}, "--pcap-run 1,1: run 1 twice"},
		{[]string{"--pcap", bad, "--pcap-run", "1", "--pcap-at", "proxy"}, "--pcap-at proxy: the scenario has no proxy"},
		{[]string{"--pcap", filepath.Join(dir, "row.pcap"), "--pcap-run", "1"}, "row.pcap: the file exists; add --force to replace it"},
		{[]string{"--pcap", filepath.Join(dir, "bad.csv"), "--pcap-run", "1"}, "--pcap and --out both name"},
		{[]string{"--summary", filepath.Join(dir, "bad-s.csv"), "--pcap", filepath.Join(dir, "bad-s.csv.meta.json"), "--pcap-run", "1"}, "is where --summary's provenance goes"},
		{[]string{"--pcap", bad, "--pcap-run", "+1"}, `--pcap-run "+1": allowed: run numbers`},
	} {
		st, msg := main(append(append(slices.Clone(sweepArgs), "--out", filepath.Join(dir, "bad.csv")), tc.args...)...)
		if st != exitUsage || !strings.Contains(msg, tc.msg) || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
			t.Errorf("%v: status %d, %q; want 2 and one line with %q", tc.args, st, msg, tc.msg)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "bad*")); len(m) != 0 {
		t.Errorf("bad input left files: %v", m)
	}
	// --resume writes an existing capture again: the same run, the same
	// bytes.
	if st, msg := main(append(sweepArgs, "--out", filepath.Join(dir, "rows.csv"), "--resume", "--pcap", filepath.Join(dir, "row.pcap"), "--pcap-run", "7")...); st != 0 {
		t.Errorf("--resume with the capture there: status %d: %s", st, msg)
	}
	if !bytes.Equal(read("row.pcap"), read("run.pcap")) {
		t.Error("the capture --resume wrote differs")
	}
}
