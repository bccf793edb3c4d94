package model

import (
	"errors"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestFIFOCountsItsArray: the meter counts a queue's backing array as
// it grows, exactly (a fifo never shrinks).
func TestFIFOCountsItsArray(t *testing.T) {
	m := &memoryMeter{}
	q := fifo[Segment]{meter: m}
	for i := 0; i < 1000; i++ {
		q.push(Segment{Seq: int64(i)})
		if i%3 == 0 {
			q.pop()
		}
	}
	if want := int64(cap(q.buf)) * int64(unsafe.Sizeof(Segment{})); m.bytes != want {
		t.Errorf("meter %d bytes, the array takes %d", m.bytes, want)
	}
}

// TestMaxMemoryStopsTheRun: a run whose state passes its share of
// limits.max_memory stops there, at the same event every time, with a
// RunStopped record naming the limit and every page without an outcome
// unfinished, never loaded.
func TestMaxMemoryStopsTheRun(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Clients.Count = 200
	cfg.Page = SyntheticPage(20_000, 10, []int{10_000})
	cfg.MaxMemory = 8 << 20
	var runs []Result
	var logs [][]trace.Record
	for range 2 {
		log := &trace.Log{}
		res, err := Run(cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		runs, logs = append(runs, res), append(logs, log.Records)
	}
	res, last := runs[0], logs[0][len(logs[0])-1]
	switch {
	case res.Stopped != trace.StopMaxMemory:
		t.Fatalf("stopped %v, want max_memory", res.Stopped)
	case last.Kind != trace.PageUnfinished && last.Kind != trace.RunStopped:
		t.Errorf("last record %v", last.Kind)
	case res.PagesUnfinished == 0 || res.PagesLoaded+res.PagesFailed+res.PagesUnfinished != res.Pages:
		t.Errorf("pages: %d loaded, %d failed, %d unfinished of %d", res.PagesLoaded, res.PagesFailed, res.PagesUnfinished, res.Pages)
	case res.Events != runs[1].Events || len(logs[0]) != len(logs[1]):
		t.Errorf("two runs stopped at events %d and %d, after %d and %d records", res.Events, runs[1].Events, len(logs[0]), len(logs[1]))
	}
	stopped := 0
	for _, r := range logs[0] {
		if r.Kind == trace.RunStopped {
			stopped++
			if !strings.Contains(r.Note, "limits.max_memory, 8MiB") {
				t.Errorf("RunStopped note %q", r.Note)
			}
		}
	}
	if stopped != 1 {
		t.Errorf("%d RunStopped records", stopped)
	}
	// Without the bound, the same run loads every page.
	cfg.MaxMemory = 0
	if res, err := Run(cfg, nil); err != nil || res.PagesLoaded != res.Pages {
		t.Errorf("unbounded: %d of %d pages loaded, %v", res.PagesLoaded, res.Pages, err)
	}
}

// TestMaxMemoryRefusesUpFront: clients and pages that alone would take
// more than the budget allows are refused before the run, naming the
// field, the estimate and how many would fit.
func TestMaxMemoryRefusesUpFront(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Clients.Count = MaxClients
	cfg.Page = SyntheticPage(20_000, MaxObjects, []int{1000})
	err := cfg.Validate()
	var ce *ConfigError
	if !errors.As(err, &ce) || ce.Field != "clients.count" || !strings.Contains(ce.Allowed, "at most 67 clients with these pages under limits.max_memory 1GiB") {
		t.Errorf("got %v", err)
	}
	for _, tc := range []struct {
		max int64
		ok  bool
	}{{0, true}, {MinMaxMemory, true}, {MinMaxMemory - 1, false}, {1, false}, {-1, false}, {MaxResourceSize, true}, {MaxResourceSize + 1, false}} {
		cfg := DefaultConfig()
		cfg.MaxMemory = tc.max
		if err := cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("max_memory %d: %v", tc.max, err)
		}
	}
}

// TestMemoryBudget: the largest run the validator accepts stays within
// the documented budget (docs/reliability.md#memory): 100,000 clients
// arriving at once took 2.2 GB before the model counted its state (and
// with pages of 11 resources, 7 GB: those are now refused up front); now
// the run stops at limits.max_memory with the heap below 1 GiB. The heap
// is sampled as records arrive, without forcing a collection, so the
// figure includes garbage.
func TestMemoryBudget(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("runs 100,000 clients and measures the heap (not under -short or -race)")
	}
	cfg := DefaultConfig()
	cfg.Clients.Count = MaxClients
	runtime.GC()
	peak := &heapPeak{}
	res, err := Run(cfg, peak)
	if err != nil {
		t.Fatal(err)
	}
	peak.sample()
	t.Logf("%d records, heap peak %d MB, stopped %v", peak.n, peak.max>>20, res.Stopped)
	if res.Stopped != trace.StopMaxMemory {
		t.Errorf("stopped %v, want max_memory", res.Stopped)
	}
	if peak.max > DefaultMaxMemory {
		t.Errorf("heap peaked at %d MB, over the %d MB budget", peak.max>>20, DefaultMaxMemory>>20)
	}
}

// heapPeak samples the heap every 10,000 records.
type heapPeak struct {
	n   int
	max uint64
}

func (h *heapPeak) Record(trace.Record) {
	if h.n++; h.n%10_000 == 0 {
		h.sample()
	}
}

func (h *heapPeak) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.max = max(h.max, m.HeapAlloc)
}
