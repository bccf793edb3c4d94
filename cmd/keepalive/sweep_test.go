package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// smallSweep is 2 RTTs × 4 protocols × 2 replicates of a 2-object page
// with random loss.
var smallSweep = []string{"sweep", "--vary", "rtt=20ms,80ms", "--objects", "2", "--loss", "0.05", "--replicates", "2"}

func TestSweepHelp(t *testing.T) {
	for _, args := range [][]string{
		{"sweep", "--help"}, {"help", "sweep"}, {"plot", "--help"}, {"help", "plot"}, {"merge", "-h"}, {"help", "merge"},
	} {
		code, out, errOut := keepalive(t, args...)
		if code != 0 || !strings.Contains(out, "Examples:") || errOut != "" {
			t.Errorf("keepalive %s: exit %d, stderr %q", strings.Join(args, " "), code, errOut)
		}
	}
	top := mustRun(t, "--help")
	for _, want := range []string{"keepalive sweep", "keepalive plot", "keepalive merge", "130"} {
		if !strings.Contains(top, want) {
			t.Errorf("keepalive --help does not mention %q", want)
		}
	}
}

func TestSweepJobs(t *testing.T) {
	one := mustRun(t, append(smallSweep, "--jobs", "1")...)
	four := mustRun(t, append(smallSweep, "--jobs", "4")...)
	if one != four {
		t.Errorf("--jobs 1 and --jobs 4 differ:\n%s\n---\n%s", one, four)
	}
	rows := readCSV(t, one)
	if len(rows) != 1+2*4*2 {
		t.Errorf("%d rows, want a header and 16", len(rows))
	}
	want := append([]string{"run", "runs_total", "vary.rtt_ms", "replicate", "sweep"}, report.Columns...)
	if strings.Join(rows[0], ",") != strings.Join(want, ",") {
		t.Errorf("header %q", rows[0])
	}
}

// TestSweepMatchesRun: a sweep's rows end with exactly what "keepalive
// run --format csv" writes for the same settings and seed.
func TestSweepMatchesRun(t *testing.T) {
	rows := readCSV(t, mustRun(t, "sweep", "--vary", "rtt=100ms,300ms", "--objects", "5", "--loss", "0.02", "--seed", "4", "--replicates", "2"))
	if len(rows) != 1+2*4*2 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows[1:] {
		runCols := r[5:] // after run, runs_total, vary.rtt_ms, replicate, sweep
		rtt, protocol, seed := r[2]+"ms", runCols[1], runCols[2]
		run := readCSV(t, mustRun(t, "run", "--format", "csv", "--rtt", rtt, "--objects", "5", "--loss", "0.02",
			"--seed", seed, "--protocol", protocol))
		if got, want := strings.Join(runCols, ","), strings.Join(run[1], ","); got != want {
			t.Errorf("sweep row %s:\n got %s\nwant %s (keepalive run)", r[0], got, want)
		}
	}
}

func TestSweepShardsAndMerge(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.csv")
	mustRun(t, append(smallSweep, "--out", whole)...)
	var shards []string
	for _, k := range []string{"1", "2", "3"} {
		path := filepath.Join(dir, "shard-"+k+".csv")
		mustRun(t, append(smallSweep, "--shard", k+"/3", "--out", path)...)
		shards = append(shards, path)
	}
	merged := filepath.Join(dir, "merged.csv")
	summary := filepath.Join(dir, "summary.csv")
	mustRun(t, append(append([]string{"merge"}, shards...), "--out", merged, "--summary", summary)...)
	a, _ := os.ReadFile(whole)
	b, _ := os.ReadFile(merged)
	if string(a) != string(b) || len(a) == 0 {
		t.Errorf("merged shards differ from the whole sweep:\n%s\n---\n%s", b, a)
	}
	// The merged file's provenance names the sweep its shards share.
	var wm, mm struct{ Sweep string }
	json.Unmarshal([]byte(mustReadFile(t, whole+".meta.json")), &wm)
	json.Unmarshal([]byte(mustReadFile(t, merged+".meta.json")), &mm)
	if wm.Sweep == "" || mm.Sweep != wm.Sweep {
		t.Errorf("merged sweep %q, whole sweep %q", mm.Sweep, wm.Sweep)
	}
	rows := readCSV(t, mustReadFile(t, summary))
	if strings.Join(rows[0], ",") != "vary.rtt_ms,protocol,metric,n,mean,sd,ci95_low,ci95_high,median,p5,p95" || len(rows) != 1+2*4*len(report.Metrics) {
		t.Errorf("summary: header %q, %d rows", rows[0], len(rows))
	}

	// A missing shard: exit 2, one line, nothing written.
	out := filepath.Join(dir, "bad.csv")
	code, _, errOut := keepalive(t, "merge", shards[0], shards[2], "--out", out)
	if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "missing") || strings.Count(errOut, "keepalive merge") != 1 {
		t.Errorf("merge without shard 2: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("a failed merge wrote its output")
	}
}

func mustReadFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSweepOutputs(t *testing.T) {
	dir := t.TempDir()
	out, summary, chart := filepath.Join(dir, "r.csv"), filepath.Join(dir, "s.csv"), filepath.Join(dir, "c.svg")
	if stdout := mustRun(t, append(smallSweep, "--out", out, "--summary", summary, "--plot", chart,
		"--x", "rtt", "--y", "page_load_ms", "--by", "protocol")...); stdout != "" {
		t.Errorf("stdout not empty with --out:\n%s", stdout)
	}
	for _, f := range []string{out, summary, chart} {
		if fi, err := os.Stat(f); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	png := filepath.Join(dir, "again.png")
	mustRun(t, "plot", out, "--x", "rtt", "--y", "ttfb_ms", "--out", png)
	if b := mustReadFile(t, png); !strings.HasPrefix(b, "\x89PNG") {
		t.Errorf("plot did not write a PNG")
	}
	// plot's own messages name its own flags.
	for _, tc := range []struct{ args, want []string }{
		{[]string{"plot", out, "--out", filepath.Join(dir, "c.gif")}, []string{"--out ", "c.gif", ".png"}},
		{[]string{"plot", out, "--out", filepath.Join(dir, "c.png"), "-y", "protocol"}, []string{"--y protocol: not a measured metric"}},
	} {
		code, _, errOut := keepalive(t, tc.args...)
		if code != 2 || strings.Count(errOut, "\n") != 1 || strings.Contains(errOut, "--plot") {
			t.Errorf("%q: exit %d, stderr %q", tc.args, code, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(errOut, w) {
				t.Errorf("%q: stderr %q does not say %q", tc.args, errOut, w)
			}
		}
	}
	// Beside the rows and the summary, their provenance, naming the
	// sweep by the id in the rows' sweep column.
	rows := readCSV(t, mustReadFile(t, out))
	for _, f := range []string{out, summary} {
		var meta struct {
			Program, Sweep string
			Command        []string
		}
		if err := json.Unmarshal([]byte(mustReadFile(t, f+".meta.json")), &meta); err != nil ||
			meta.Program != "keepalive" || meta.Sweep != rows[1][slices.Index(rows[0], "sweep")] || meta.Command[0] != "sweep" {
			t.Errorf("%s.meta.json: %+v, %v", f, meta, err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 6 {
		t.Errorf("%d files, want 4, the two sidecars and no temporary file", len(entries))
	}
}

func TestSweepBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"unknown field", []string{"sweep", "--vary", "rttt=10ms"}, `unknown parameter "rttt"`},
		{"unknown scenario field", []string{"sweep", "--vary", "tcp.initial_windw=1,10"}, "--vary tcp.initial_windw"},
		{"empty range", []string{"sweep", "--vary", "rtt=100ms..10ms/step:10ms"}, "empty range"},
		{"zero step", []string{"sweep", "--vary", "rtt=10ms..100ms/step:0ms"}, "step must be > 0"},
		{"negative step", []string{"sweep", "--vary", "objects=1..10/step:-1"}, "step must be > 0"},
		{"log of one point", []string{"sweep", "--vary", "bandwidth=1Mbps..10Mbps/log:1"}, "at least 2 points"},
		{"log through zero", []string{"sweep", "--vary", "loss=0..0.1/log:3"}, "cannot include 0"},
		{"no values", []string{"sweep", "--vary", "rtt="}, "no values"},
		{"no name", []string{"sweep", "--vary", "10ms"}, "NAME=VALUES"},
		{"shard 4/3", []string{"sweep", "--vary", "rtt=10ms", "--shard", "4/3"}, "--shard 4/3"},
		{"shard 0/3", []string{"sweep", "--vary", "rtt=10ms", "--shard", "0/3"}, "--shard 0/3"},
		{"replicates 0", []string{"sweep", "--replicates", "0"}, "--replicates"},
		{"jobs 0", []string{"sweep", "--jobs", "0"}, "--jobs"},
		{"resume without TLS", []string{"sweep", "--tls-resume"}, "--tls-resume true: tls.resume: true is out of range; allowed: only with tls 1.2 or 1.3"},
		{"resume at tls=none", []string{"sweep", "--vary", "tls=1.3,none", "--tls-resume"}, "only with tls 1.2 or 1.3 (at tls=none)"},
		{"a bad value at every point", []string{"sweep", "--vary", "rtt=10ms,20ms", "--loss", "2"}, "--loss"},
		{"summary over the sidecar", []string{"sweep", "--vary", "rtt=10ms", "--summary", "out.csv.meta.json"}, "is where --out's provenance goes"},
		{"seeds wrap", []string{"sweep", "--seed", "18446744073709551615", "--replicates", "3"}, "use a seed ≤ 18446744073709551613"},
		{"range overflows", []string{"sweep", "--vary", "objects=0..9223372036854775807/step:1"}, "must be below"},
		{"bad run flag", []string{"sweep", "--rtt", "100"}, "--rtt 100"},
		{"plot type", []string{"sweep", "--vary", "rtt=10ms", "--plot", "c.gif"}, "--plot c.gif"},
		{"plot x", []string{"sweep", "--vary", "rtt=10ms", "--plot", "c.png", "--x", "speed"}, "--x speed"},
		{"plot y", []string{"sweep", "--vary", "rtt=10ms", "--plot", "c.png", "--y", "speed"}, "--y speed"},
		{"plot y not a metric", []string{"sweep", "--vary", "rtt=10ms", "--plot", "c.png", "--y", "scenario"}, "--y scenario: not a measured metric"},
		{"plot by", []string{"sweep", "--vary", "rtt=10ms", "--plot", "c.png", "--by", "speed"}, "--by speed"},
		{"x without plot", []string{"sweep", "--x", "rtt"}, "--x"},
		{"summary of a shard", []string{"sweep", "--shard", "1/2", "--summary", "s.csv"}, "merge"},
		{"resume to stdout", []string{"sweep", "--resume"}, "--resume"},
		{"unknown flag", []string{"sweep", "--colour"}, "--colour"},
		{"argument", []string{"sweep", "rtt=10ms"}, "rtt=10ms"},
		{"plot without file", []string{"plot", "--out", "c.png"}, "CSV file"},
		{"plot missing file", []string{"plot", "none.csv", "--out", "c.png"}, "none.csv"},
		{"merge nothing", []string{"merge", "--out", "m.csv"}, "files"},
		{"plot a device", []string{"plot", "/dev/zero", "--out", "c.png"}, "/dev/zero: not a regular file"},
		{"merge a device", []string{"merge", "/dev/zero", "--out", "m.csv"}, "/dev/zero: not a regular file"},
		{"resume a device", []string{"sweep", "--vary", "rtt=10ms", "--out", "/dev/zero", "--resume"}, "not a regular file"},
		{"merge missing file", []string{"merge", "none.csv", "--out", "m.csv"}, "none.csv"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			args := tc.args
			if args[0] == "sweep" && !strings.Contains(strings.Join(args, " "), "--resume") {
				args = append(args, "--out", "out.csv")
			}
			code, out, errOut := keepalive(t, args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout not empty:\n%s", out)
			}
			if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tc.want) || !strings.HasPrefix(errOut, "keepalive") {
				t.Errorf("stderr is not one line mentioning %q:\n%s", tc.want, errOut)
			}
			if entries, _ := os.ReadDir(dir); len(entries) > 0 {
				t.Errorf("bad input created %s", entries[0].Name())
			}
		})
	}
}

// TestSweepLimitEndsRuns: rows whose run a limit ended keep their place in
// the tidy CSV, name the limit in their stopped column, and make the sweep
// end with status 3 and one line saying how to raise it.
func TestSweepLimitEndsRuns(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "late.yaml")
	const yaml = `page:
  resources:
    - {path: /index.html, size: 20KB}
visits:
  - think: 2h
    page:
      resources:
        - {path: /next.html, size: 20KB}
`
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "r.csv")
	code, _, stderr := keepalive(t, "sweep", "--scenario", file, "--set", "limits.max_time=1h", "--replicates", "2",
		"--protocol", "http1.1", "--out", out)
	if code != 3 || !strings.Contains(stderr, "2 of the 2 runs") || !strings.Contains(stderr, "--set limits.max_time=") {
		t.Fatalf("exit %d, stderr %q; want 3 and a line naming the limit", code, stderr)
	}
	rows := readCSV(t, mustReadFile(t, out))
	for _, r := range rows[1:] {
		if got := r[slices.Index(rows[0], "stopped")]; got != "max_time" {
			t.Errorf("stopped %q, want max_time", got)
		}
	}
}

// TestSweepRefusesToOverwrite: a second sweep into the same --out would
// truncate hours of rows; it is refused unless the user says --resume (go
// on) or --force (start again), and never both.
func TestSweepRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.csv")
	mustRun(t, append(smallSweep, "--out", out)...)
	before := mustReadFile(t, out)

	code, stdout, errOut := keepalive(t, append(smallSweep, "--vary", "objects=1,3", "--out", out)...)
	if code != 2 || stdout != "" || strings.Count(errOut, "\n") != 1 ||
		!strings.Contains(errOut, "--out "+out) || !strings.Contains(errOut, "--resume") || !strings.Contains(errOut, "--force") {
		t.Errorf("second sweep into %s: exit %d, stderr %q", out, code, errOut)
	}
	if got := mustReadFile(t, out); got != before {
		t.Error("a refused sweep changed the file")
	}

	code, _, errOut = keepalive(t, append(smallSweep, "--out", out, "--resume", "--force")...)
	if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "--force") {
		t.Errorf("--resume --force: exit %d, stderr %q", code, errOut)
	}

	// --force starts again: the file holds exactly a fresh sweep's rows.
	mustRun(t, append(smallSweep, "--replicates", "1", "--out", out, "--force")...)
	fresh := filepath.Join(dir, "fresh.csv")
	mustRun(t, append(smallSweep, "--replicates", "1", "--out", fresh)...)
	if a, b := mustReadFile(t, out), mustReadFile(t, fresh); a != b || a == before {
		t.Errorf("--force did not start the sweep again:\n%s\n---\n%s", a, b)
	}

	// An output in a directory that does not exist is refused before any run.
	code, _, errOut = keepalive(t, append(smallSweep, "--out", filepath.Join(dir, "x.csv"), "--summary", filepath.Join(dir, "missing", "s.csv"))...)
	if code != 2 || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "--summary") {
		t.Errorf("--summary in a missing directory: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "x.csv")); err == nil {
		t.Error("a refused sweep created its --out")
	}
}

// TestSweepIdentity: the sweep column ties rows to the whole
// specification, so --resume and merge refuse rows of another sweep even
// when what differs has no column (--set tcp.min_rto, --set link.buffer);
// and a resumed file that went through an editor (CRLF, a blank line)
// ends byte for byte as an uninterrupted sweep.
func TestSweepIdentity(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole.csv")
	mustRun(t, append(smallSweep, "--out", whole)...)
	full := mustReadFile(t, whole)
	lines := strings.SplitAfter(full, "\n")

	// A file cut after 3 rows, with CRLF line ends and a blank line.
	part := filepath.Join(dir, "part.csv")
	edited := strings.ReplaceAll(strings.Join(lines[:4], ""), "\n", "\r\n") + "\r\n"
	if err := os.WriteFile(part, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := keepalive(t, append(smallSweep, "--out", part, "--resume", "--set", "tcp.min_rto=300ms")...)
	if code != 2 || !strings.Contains(errOut, "sweep column") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("--resume with another --set: exit %d, stderr %q", code, errOut)
	}
	mustRun(t, append(smallSweep, "--out", part, "--resume")...)
	if got := mustReadFile(t, part); got != full {
		t.Errorf("a resumed CRLF file differs from the uninterrupted sweep:\n%q\n---\n%q", got[:min(len(got), 300)], full[:300])
	}

	// Shards of two sweeps that differ only in a field with no column.
	a, b := filepath.Join(dir, "a.csv"), filepath.Join(dir, "b.csv")
	mustRun(t, append(smallSweep, "--shard", "1/2", "--out", a)...)
	mustRun(t, append(smallSweep, "--shard", "2/2", "--set", "link.buffer=10", "--out", b)...)
	code, _, errOut = keepalive(t, "merge", a, b, "--out", filepath.Join(dir, "m.csv"))
	if code != 2 || !strings.Contains(errOut, "different sweep commands") {
		t.Errorf("merge of two sweeps' shards: exit %d, stderr %q", code, errOut)
	}
}

// TestSweepPages: --pages writes one row per page load with its
// provenance beside it, byte-identical whatever --jobs; an existing file
// is refused without --force, and a bad path is found before any run.
func TestSweepPages(t *testing.T) {
	dir := t.TempDir()
	var got []string
	for _, jobs := range []string{"1", "4"} {
		pages := filepath.Join(dir, "pages-"+jobs+".csv")
		mustRun(t, append(smallSweep, "--jobs", jobs, "--out", filepath.Join(dir, "runs-"+jobs+".csv"), "--pages", pages)...)
		got = append(got, mustReadFile(t, pages))
		var meta struct {
			Command []string
			Sweep   string
		}
		if err := json.Unmarshal([]byte(mustReadFile(t, pages+".meta.json")), &meta); err != nil || meta.Sweep == "" || !slices.Contains(meta.Command, "--pages") {
			t.Errorf("--pages sidecar: %+v, %v", meta, err)
		}
	}
	if got[0] != got[1] {
		t.Error("--pages differs between --jobs 1 and --jobs 4")
	}
	rows := readCSV(t, got[0])
	if len(rows) != 1+16 || !strings.HasPrefix(strings.Join(rows[0], ","), "run,runs_total,vary.rtt_ms,replicate,sweep,scenario,protocol,seed,client,page,outcome,load_ms") {
		t.Errorf("%d rows, header %v", len(rows), rows[0])
	}

	existing := filepath.Join(dir, "pages-1.csv")
	out := filepath.Join(dir, "new.csv")
	code, _, errOut := keepalive(t, append(smallSweep, "--out", out, "--pages", existing)...)
	if code != 2 || !strings.Contains(errOut, "--pages "+existing+": the file exists; add --force") {
		t.Errorf("existing --pages: exit %d, stderr %q", code, errOut)
	}
	if mustReadFile(t, existing) != got[0] {
		t.Error("a refused sweep changed the existing --pages file")
	}
	mustRun(t, append(smallSweep, "--out", out, "--pages", existing, "--force")...)
	for _, bad := range []string{filepath.Join(dir, "no", "p.csv"), dir} {
		os.Remove(out)
		code, _, errOut = keepalive(t, append(smallSweep, "--out", out, "--pages", bad)...)
		if code != 2 || !strings.Contains(errOut, "--pages "+bad) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("--pages %s: exit %d, stderr %q", bad, code, errOut)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--pages %s: --out was created", bad)
		}
	}
}
