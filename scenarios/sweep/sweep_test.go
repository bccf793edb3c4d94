package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

// small is a sweep of 3 × 2 grid points × 2 protocols × 3 replicates = 36
// page loads of a 3-object page, with random loss so that replicates
// differ.
func small() sweep.Spec {
	return sweep.Spec{
		Vary:       []sweep.Vary{{Name: "rtt", Values: "20ms..60ms/step:20ms"}, {Name: "loss", Values: "0.01,0.05"}},
		Set:        []sweep.Set{{Flag: "--objects", Name: "objects", Value: "3"}},
		Protocols:  nil,
		Replicates: 3,
	}
}

func plan(t *testing.T, spec sweep.Spec) *sweep.Plan {
	t.Helper()
	p, err := sweep.NewPlan(spec)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// runTo runs spec into a buffer with opt.
func runTo(t *testing.T, spec sweep.Spec, opt sweep.Options) string {
	t.Helper()
	var buf bytes.Buffer
	opt.W = &buf
	if _, err := sweep.Run(context.Background(), plan(t, spec), opt); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestJobsDoNotChangeTheOutput(t *testing.T) {
	one := runTo(t, small(), sweep.Options{Jobs: 1})
	four := runTo(t, small(), sweep.Options{Jobs: 4})
	if one != four {
		t.Fatalf("--jobs 1 and --jobs 4 differ:\n%s\n---\n%s", one, four)
	}
	if n := strings.Count(one, "\n"); n != 1+3*2*4*3 {
		t.Errorf("%d lines, want a header and 72 rows", n)
	}
}

// TestCanonicalOrder: grid order (first --vary outermost), then protocol,
// then replicate, whose seed is seed + replicate for every protocol.
func TestCanonicalOrder(t *testing.T) {
	spec := small()
	seed := uint64(7)
	spec.Seed = &seed
	out := runTo(t, spec, sweep.Options{Jobs: 3})
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "run,runs_total,vary.rtt_ms,vary.loss,replicate,sweep,scenario,protocol,seed,") {
		t.Fatalf("header %s", lines[0])
	}
	id := strings.Split(lines[1], ",")[5]
	if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Errorf("sweep id %q, want 16 hex digits", id)
	}
	for _, tc := range []struct {
		row  int
		want string // run, runs_total, rtt, loss, replicate, scenario, protocol, seed
	}{
		{0, "0,72,20.000000,0.01,0,webpage,http1.0,7,"},
		{1, "1,72,20.000000,0.01,1,webpage,http1.0,8,"},
		{3, "3,72,20.000000,0.01,0,webpage,http1.1,7,"},
		{12, "12,72,20.000000,0.05,0,webpage,http1.0,7,"},
		{24, "24,72,40.000000,0.01,0,webpage,http1.0,7,"},
		{71, "71,72,60.000000,0.05,2,webpage,http2,9,"},
	} {
		cells := strings.Split(lines[1+tc.row], ",")
		if cells[5] != id {
			t.Errorf("row %d: sweep %s, want every row's to be %s", tc.row, cells[5], id)
		}
		if got := strings.Join(append(cells[:5:5], cells[6:]...), ","); !strings.HasPrefix(got, tc.want) {
			t.Errorf("row %d = %s, want it to start %s (without the sweep column)", tc.row, got, tc.want)
		}
	}
}

func TestShardsMergeToTheWhole(t *testing.T) {
	whole := runTo(t, small(), sweep.Options{Jobs: 2})
	dir := t.TempDir()
	var files []string
	for k := 3; k >= 1; k-- { // any order
		spec := small()
		spec.Shard = sweep.Shard{K: k, N: 3}
		path := filepath.Join(dir, "shard-"+string(rune('0'+k))+".csv")
		if _, err := sweep.Run(context.Background(), plan(t, spec), sweep.Options{Jobs: 2, Out: path}); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	merged, err := sweep.Merge(files)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := merged.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != whole {
		t.Errorf("shards 1/3, 2/3, 3/3 merged differ from the whole sweep:\n%s\n---\n%s", buf.String(), whole)
	}

	// A missing shard, a shard twice, and shards of another sweep are refused.
	other := small()
	other.Replicates, other.Shard = 2, sweep.Shard{K: 1, N: 3}
	otherPath := filepath.Join(dir, "other.csv")
	if _, err := sweep.Run(context.Background(), plan(t, other), sweep.Options{Jobs: 1, Out: otherPath}); err != nil {
		t.Fatal(err)
	}
	seed := uint64(50)
	reseeded := small()
	reseeded.Seed, reseeded.Shard = &seed, sweep.Shard{K: 2, N: 3}
	reseededPath := filepath.Join(dir, "reseeded.csv")
	if _, err := sweep.Run(context.Background(), plan(t, reseeded), sweep.Options{Jobs: 1, Out: reseededPath}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		files []string
		want  string
	}{
		{"missing", files[:2], "missing"},
		{"other seed", []string{files[0], reseededPath, files[2]}, "--seed 50"},
		{"twice", append(files[:3:3], files[0]), "given twice"},
		{"other sweep", append(files[1:3:3], otherPath), "runs_total"},
	} {
		_, err := sweep.Merge(tc.files)
		var ie *sweep.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want an *InputError saying %q", tc.name, err, tc.want)
		}
	}
}

// TestInterruptAndResume: a sweep cancelled after k rows leaves k or more
// complete rows; resuming it gives the same file as an uninterrupted run.
func TestInterruptAndResume(t *testing.T) {
	dir := t.TempDir()
	want := filepath.Join(dir, "want.csv")
	spec := small()
	spec.Replicates = 20 // 480 rows, more than the workers run ahead of the writer
	if _, err := sweep.Run(context.Background(), plan(t, spec), sweep.Options{Jobs: 2, Out: want}); err != nil {
		t.Fatal(err)
	}
	wantData, _ := os.ReadFile(want)

	for _, k := range []int{1, 10, 50} {
		path := filepath.Join(dir, "got.csv")
		ctx, cancel := context.WithCancel(context.Background())
		opt := sweep.Options{Jobs: 2, Out: path, Progress: func(done, total int) {
			if done == k {
				cancel()
			}
		}}
		out, err := sweep.Run(ctx, plan(t, spec), opt)
		cancel()
		var intr *sweep.Interrupted
		if !errors.As(err, &intr) || !errors.Is(err, sweep.ErrInterrupted) || !errors.Is(err, context.Canceled) {
			t.Fatalf("k=%d: error %v, want *Interrupted", k, err)
		}
		data, _ := os.ReadFile(path)
		if rows := bytes.Count(data, []byte("\n")) - 1; rows != out.Written || rows < k || !bytes.HasPrefix(wantData, data) {
			t.Fatalf("k=%d: the file holds %d rows (Written %d), not a prefix of the whole sweep", k, rows, out.Written)
		}
		out, err = sweep.Run(context.Background(), plan(t, spec), sweep.Options{Jobs: 3, Out: path, Resume: true})
		if err != nil {
			t.Fatal(err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, wantData) || out.Resumed != intr.Written {
			t.Errorf("k=%d: resumed file differs from an uninterrupted sweep (resumed %d rows)", k, out.Resumed)
		}
	}
}

// TestResumeDropsPartialLine: a crash can leave half a row; resume drops
// it and finishes the file.
func TestResumeDropsPartialLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if _, err := sweep.Run(context.Background(), plan(t, small()), sweep.Options{Jobs: 2, Out: path}); err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile(path)
	for _, cut := range []int{0, 10, len(want) / 2, len(want) - 1} {
		if err := os.WriteFile(path, want[:cut], 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := sweep.Run(context.Background(), plan(t, small()), sweep.Options{Jobs: 2, Out: path, Resume: true}); err != nil {
			t.Fatalf("cut at %d: %v", cut, err)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, want) {
			t.Errorf("cut at byte %d: resumed file differs", cut)
		}
	}
}

// TestResumeRefusesAnotherSweep: resuming with other flags is an error
// that leaves the file alone.
func TestResumeRefusesAnotherSweep(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if _, err := sweep.Run(context.Background(), plan(t, small()), sweep.Options{Jobs: 2, Out: path}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	half := data[:bytes.IndexByte(data, '\n')+1]
	for i := 0; i < 20; i++ {
		half = append(half, data[len(half):len(half)+bytes.IndexByte(data[len(half):], '\n')+1]...)
	}
	seed := uint64(99)
	otherSeed := small()
	otherSeed.Seed = &seed
	otherGrid := small()
	otherGrid.Vary[0].Values = "20ms,50ms"
	otherVary := small()
	otherVary.Vary[0] = sweep.Vary{Name: "tcp.min_rto", Values: "20ms..60ms/step:20ms"}
	for _, tc := range []struct {
		name string
		spec sweep.Spec
		want string
	}{
		{"seed", otherSeed, "seed"},
		{"grid", otherGrid, "rtt"},
		{"header", otherVary, "header"},
	} {
		if err := os.WriteFile(path, half, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := sweep.Run(context.Background(), plan(t, tc.spec), sweep.Options{Jobs: 1, Out: path, Resume: true})
		var ie *sweep.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want an *InputError about %s", tc.name, err, tc.want)
		}
		if got, _ := os.ReadFile(path); !bytes.Equal(got, half) {
			t.Errorf("%s: a refused resume changed the file", tc.name)
		}
	}
	// The same sweep typed otherwise (the field for its run flag, other
	// units) makes the same rows, and resumes.
	same := small()
	same.Vary[0] = sweep.Vary{Name: "link.rtt", Values: "0.02s,40ms,60000us"}
	if err := os.WriteFile(path, half, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.Run(context.Background(), plan(t, same), sweep.Options{Jobs: 1, Out: path, Resume: true}); err != nil {
		t.Errorf("--vary link.rtt=0.02s,… resuming --vary rtt=20ms,…: %v", err)
	} else if got, _ := os.ReadFile(path); !bytes.Equal(got, data) {
		t.Errorf("the resumed sweep differs from the whole one")
	}
}

func TestBadSpecs(t *testing.T) {
	for _, tc := range []struct {
		name string
		spec sweep.Spec
		want string // in the message
	}{
		{"unknown field", sweep.Spec{Vary: []sweep.Vary{{Name: "rttt", Values: "1ms"}}}, `unknown parameter "rttt"; allowed: rtt, bandwidth`},
		{"unknown scenario field", sweep.Spec{Vary: []sweep.Vary{{Name: "tcp.initial_windw", Values: "1"}}}, `did you mean "initial_window"`},
		{"unknown section", sweep.Spec{Vary: []sweep.Vary{{Name: "tpc.mss", Values: "1"}}}, "unknown section"},
		{"empty range", sweep.Spec{Vary: []sweep.Vary{{Name: "rtt", Values: "50ms..10ms/step:10ms"}}}, "empty range"},
		{"zero step", sweep.Spec{Vary: []sweep.Vary{{Name: "objects", Values: "1..10/step:0"}}}, "step must be > 0"},
		{"bad value", sweep.Spec{Vary: []sweep.Vary{{Name: "rtt", Values: "10ms,100"}}}, "--vary rtt=100: link.rtt"},
		{"out of range", sweep.Spec{Vary: []sweep.Vary{{Name: "http.parallel", Values: "0,6"}}}, "--vary http.parallel=0"},
		{"twice", sweep.Spec{Vary: []sweep.Vary{{Name: "rtt", Values: "1ms"}, {Name: "link.rtt", Values: "2ms"}}}, "already set"},
		{"fixed and varied", sweep.Spec{Set: []sweep.Set{{Flag: "--rtt", Name: "rtt", Value: "5ms"}}, Vary: []sweep.Vary{{Name: "rtt", Values: "1ms"}}}, "already set by --rtt"},
		{"seed", sweep.Spec{Vary: []sweep.Vary{{Name: "seed", Values: "1,2"}}}, "--replicates"},
		{"list field", sweep.Spec{Vary: []sweep.Vary{{Name: "page.resources", Values: "x"}}}, "cannot be set"},
		{"not a section", sweep.Spec{Vary: []sweep.Vary{{Name: "tcp.mss.x", Values: "1"}}}, "tcp.mss is not a section"},
		{"list item", sweep.Spec{Vary: []sweep.Vary{{Name: "link.drops[0].nth", Values: "1"}}}, "list items"},
		{"protocol", sweep.Spec{Vary: []sweep.Vary{{Name: "protocol", Values: "http4"}}}, "unknown protocol"},
		{"ideal", sweep.Spec{Vary: []sweep.Vary{{Name: "ideal", Values: "yes,no"}}}, "not true or false"},
		{"replicates", sweep.Spec{Replicates: -1}, "--replicates -1"},
		{"scenario", sweep.Spec{Scenario: "no-such-scenario"}, "--scenario"},
	} {
		if tc.spec.Replicates == 0 {
			tc.spec.Replicates = 1
		}
		_, err := sweep.NewPlan(tc.spec)
		var ie *sweep.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want an *InputError saying %q", tc.name, err, tc.want)
		}
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want sweep.Shard
		ok   bool
	}{
		{"1/1", sweep.Shard{K: 1, N: 1}, true}, {"3/10", sweep.Shard{K: 3, N: 10}, true},
		{"4/3", sweep.Shard{}, false}, {"0/3", sweep.Shard{}, false}, {"1/0", sweep.Shard{}, false},
		{"3", sweep.Shard{}, false}, {"a/b", sweep.Shard{}, false}, {"-1/3", sweep.Shard{}, false},
	} {
		got, err := sweep.ParseShard(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseShard(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

// TestCheckWritesNothing: bad options fail before any file is created.
func TestCheckWritesNothing(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "out.csv")
	sharded := small()
	sharded.Shard = sweep.Shard{K: 1, N: 2}
	for _, tc := range []struct {
		name string
		spec sweep.Spec
		opt  sweep.Options
		want string
	}{
		{"plot type", small(), sweep.Options{Out: out, Plot: &sweep.PlotSpec{Path: filepath.Join(dir, "p.gif")}}, "unknown chart type"},
		{"plot x", small(), sweep.Options{Out: out, Plot: &sweep.PlotSpec{Path: filepath.Join(dir, "p.png"), X: "speed"}}, "--x speed"},
		{"plot y", small(), sweep.Options{Out: out, Plot: &sweep.PlotSpec{Path: filepath.Join(dir, "p.png"), Y: "speed"}}, "--y speed"},
		{"plot by", small(), sweep.Options{Out: out, Plot: &sweep.PlotSpec{Path: filepath.Join(dir, "p.png"), By: []string{"speed"}}}, "--by speed"},
		{"plot others", small(), sweep.Options{Out: out, Plot: &sweep.PlotSpec{Path: filepath.Join(dir, "p.png")}}, "loss also varies"},
		{"summary of a shard", sharded, sweep.Options{Out: out, Summary: filepath.Join(dir, "s.csv")}, "merge the shards first"},
		{"resume to stdout", small(), sweep.Options{Resume: true}, "--resume"},
		{"same file", small(), sweep.Options{Out: out, Summary: out}, "same file"},
		{"no directory", small(), sweep.Options{Out: filepath.Join(dir, "no", "out.csv")}, "does not exist"},
		{"pages: no directory", small(), sweep.Options{Out: out, Pages: filepath.Join(dir, "no", "p.csv")}, "--pages"},
		{"pages: same file", small(), sweep.Options{Out: out, Pages: out}, "same file"},
		{"pages: the sidecar", small(), sweep.Options{Out: out, Pages: out + ".meta.json"}, "provenance"},
	} {
		_, err := sweep.Run(context.Background(), plan(t, tc.spec), tc.opt)
		var ie *sweep.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want an *InputError saying %q", tc.name, err, tc.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) > 0 {
			t.Errorf("%s: created %s", tc.name, entries[0].Name())
		}
	}
}

func TestMergeRefusesBadFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "shard.csv")
	if _, err := sweep.Run(context.Background(), plan(t, small()), sweep.Options{Jobs: 1, Out: path}); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(path)
	partial := filepath.Join(dir, "partial.csv")
	os.WriteFile(partial, data[:len(data)-5], 0o644)
	run := filepath.Join(dir, "run.csv")
	os.WriteFile(run, []byte("scenario,protocol\nwebpage,http2\n"), 0o644)
	for _, tc := range []struct{ file, want string }{
		{partial, "incomplete"},
		{run, "not a sweep's CSV"},
		{filepath.Join(dir, "none.csv"), "no such file"},
	} {
		_, err := sweep.Merge([]string{tc.file})
		var ie *sweep.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", filepath.Base(tc.file), err, tc.want)
		}
	}
}
