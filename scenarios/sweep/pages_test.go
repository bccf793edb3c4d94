package sweep_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

// pagesSpec is a sweep of a three-page session with loss: 2 × 2 grid
// points × 4 protocols × 2 replicates = 32 runs of 3 pages.
func pagesSpec() sweep.Spec {
	return sweep.Spec{
		Scenario:   "idle-reuse",
		Vary:       []sweep.Vary{{Name: "rtt", Values: "20ms,60ms"}, {Name: "loss", Values: "0,2%"}},
		Replicates: 2,
	}
}

func readRows(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestPagesJobs: the pages file is byte-identical whatever --jobs, holds
// every page of every run in canonical order, and each row joins its
// run's row of the tidy CSV on run, with the same parameters, replicate,
// sweep, protocol and seed.
func TestPagesJobs(t *testing.T) {
	dir := t.TempDir()
	var files [][]byte
	for _, jobs := range []int{1, 4} {
		out := filepath.Join(dir, "runs.csv")
		pages := filepath.Join(dir, "pages.csv")
		if _, err := sweep.Run(context.Background(), plan(t, pagesSpec()), sweep.Options{Jobs: jobs, Out: out, Pages: pages}); err != nil {
			t.Fatal(err)
		}
		data, _ := os.ReadFile(pages)
		files = append(files, data)
		if jobs > 1 {
			continue
		}
		runs, pg := readRows(t, out), readRows(t, pages)
		p := plan(t, pagesSpec())
		if !slices.Equal(pg[0], p.PagesHeader()) || !slices.Equal(pg[0][6:], report.PageColumns()) {
			t.Fatalf("header %v", pg[0])
		}
		if len(pg) != 1+32*3 {
			t.Errorf("%d page rows, want 32 runs × 3 pages", len(pg)-1)
		}
		col := func(header []string, name string) int { return slices.Index(header, name) }
		perRun := map[string]int{}
		for k, r := range pg[1:] {
			if want := runs[1+k/3]; r[0] != want[0] {
				t.Fatalf("page row %d is of run %s, want run %s: not in canonical order", k, r[0], want[0])
			}
			run := runs[1+k/3]
			for _, name := range []string{"run", "runs_total", "vary.rtt_ms", "vary.loss", "replicate", "sweep", "scenario", "protocol", "seed"} {
				if r[col(pg[0], name)] != run[col(runs[0], name)] {
					t.Errorf("page row %d: %s is %s, its run's row says %s", k, name, r[col(pg[0], name)], run[col(runs[0], name)])
				}
			}
			perRun[r[0]]++
			if page := r[col(pg[0], "page")]; page != []string{"1", "2", "3"}[k%3] {
				t.Errorf("page row %d: page %s", k, page)
			}
		}
		if len(perRun) != 32 {
			t.Errorf("pages of %d runs, want 32", len(perRun))
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Error("the pages files of --jobs 1 and --jobs 4 differ")
	}
}

// resumeSpec is pagesSpec with more replicates: more runs than the
// runner lets go ahead of its writer (window·jobs, 128 with 2 jobs), so
// that a cancel at the tenth row finds runs not yet started however
// fast the workers are. With 32 runs, all could finish, under load,
// before the writer reached the tenth, and nothing was interrupted.
func resumeSpec() sweep.Spec {
	s := pagesSpec()
	s.Replicates = 40
	return s
}

// TestPagesResume: an interrupted sweep leaves no pages file (nor a
// temporary one); resuming it with --pages writes the whole sweep's pages,
// the same bytes as an uninterrupted sweep's, and the tidy CSV too. An
// existing pages file is replaced on resume only if it is this sweep's.
func TestPagesResume(t *testing.T) {
	dir := t.TempDir()
	wantOut, wantPages := filepath.Join(dir, "want.csv"), filepath.Join(dir, "want-pages.csv")
	if _, err := sweep.Run(context.Background(), plan(t, resumeSpec()), sweep.Options{Jobs: 2, Out: wantOut, Pages: wantPages}); err != nil {
		t.Fatal(err)
	}
	wantRuns, _ := os.ReadFile(wantOut)
	wantPageData, _ := os.ReadFile(wantPages)

	sub := filepath.Join(dir, "sub")
	os.Mkdir(sub, 0o755)
	out, pages := filepath.Join(sub, "runs.csv"), filepath.Join(sub, "pages.csv")
	ctx, cancel := context.WithCancel(context.Background())
	_, err := sweep.Run(ctx, plan(t, resumeSpec()), sweep.Options{Jobs: 2, Out: out, Pages: pages, Progress: func(done, _ int) {
		if done == 10 {
			cancel()
		}
	}})
	cancel()
	if !errors.Is(err, sweep.ErrInterrupted) {
		t.Fatalf("error %v, want interrupted", err)
	}
	if entries, _ := os.ReadDir(sub); len(entries) != 1 {
		t.Errorf("after the interruption the directory holds %d files, want only --out", len(entries))
	}
	res, err := sweep.Run(context.Background(), plan(t, resumeSpec()), sweep.Options{Jobs: 3, Out: out, Pages: pages, Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Resumed < 10 {
		t.Errorf("resumed %d rows, want at least 10", res.Resumed)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, wantRuns) {
		t.Error("the resumed tidy CSV differs from an uninterrupted sweep's")
	}
	if got, _ := os.ReadFile(pages); !bytes.Equal(got, wantPageData) {
		t.Error("the resumed pages file differs from an uninterrupted sweep's")
	}
	// Resuming the finished sweep rewrites its own pages file...
	if _, err := sweep.Run(context.Background(), plan(t, resumeSpec()), sweep.Options{Jobs: 2, Out: out, Pages: pages, Resume: true}); err != nil {
		t.Errorf("resuming with this sweep's pages file: %v", err)
	}
	if got, _ := os.ReadFile(pages); !bytes.Equal(got, wantPageData) {
		t.Error("the rewritten pages file differs")
	}
	// ... but not another sweep's, nor any other file.
	other := resumeSpec()
	other.Vary[0].Values = "20ms,80ms"
	for _, tc := range []struct {
		name    string
		spec    sweep.Spec
		content string
	}{
		{"another file", resumeSpec(), "my notes\n"},
		{"another sweep's pages", other, string(wantPageData)},
	} {
		os.WriteFile(pages, []byte(tc.content), 0o644)
		otherOut := filepath.Join(sub, "other.csv")
		os.Remove(otherOut)
		_, err := sweep.Run(context.Background(), plan(t, tc.spec), sweep.Options{Jobs: 1, Out: otherOut, Pages: pages, Resume: true})
		var ie *sweep.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), "--pages") {
			t.Errorf("%s: error %v, want an *InputError about --pages", tc.name, err)
		}
		if got, _ := os.ReadFile(pages); string(got) != tc.content {
			t.Errorf("%s: a refused resume changed the pages file", tc.name)
		}
		if _, err := os.Stat(otherOut); err == nil {
			t.Errorf("%s: a refused resume created --out", tc.name)
		}
	}
}
