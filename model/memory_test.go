package model

import (
	"errors"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
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
	cfg.Clients.Count = 150 // 168 fit before a packet is sent
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
	if !errors.As(err, &ce) || ce.Field != "clients.count" || !strings.Contains(ce.Allowed, "at most 50 clients with these pages under limits.max_memory 1GiB") {
		t.Errorf("got %v", err)
	}
	// When not one client fits, the pages are named, not clients.count.
	cfg = DefaultConfig()
	for range 100 {
		cfg.Visits = append(cfg.Visits, Visit{Page: SyntheticPage(20_000, MaxObjects, []int{1000})})
	}
	if err := cfg.Validate(); !errors.As(err, &ce) || ce.Field != "visits" || !strings.Contains(ce.Allowed, "these take about 610 MB before a packet is sent, more than the 307 MB") {
		t.Errorf("100 visits of 10,000 objects: %v", err)
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

// TestMemoryBudget: the largest runs the validator accepts stay within
// the documented budget (docs/reliability.md#memory), stopped at
// limits.max_memory: as many clients as fit arriving at once (100,000 took
// 2.2 GB before the model counted its state), and a huge page sent at
// once over an unlimited link (64 clients with 10 GiB each took 1.5 GB:
// the count then missed each packet's event and scoreboard entry). The
// memory the runtime holds from the system is sampled as records arrive,
// without forcing a collection.
func TestMemoryBudget(t *testing.T) {
	if testing.Short() || raceDetector {
		t.Skip("runs the largest inputs and measures memory (not under -short or -race)")
	}
	// keepalive run sets the runtime's soft memory limit a tenth below
	// the budget (cmd/keepalive/internal/cli/memlimit.go, which this
	// package cannot import); without it the collector's pacing left the
	// peak anywhere from 790 MB to 1,027 MB for the same run.
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(DefaultMaxMemory / 10 * 9))
	most := DefaultConfig()
	most.Clients.Count = 1
	most.Clients.Count = int(stateShare(DefaultMaxMemory) / most.clientsState())
	huge := func(clients, size int) Config {
		c := DefaultConfig()
		c.ApplyIdeal()
		c.Link.Delay, c.Link.Up, c.Link.Down = 500*time.Millisecond, UnlimitedRate, UnlimitedRate
		c.Clients.Count = clients
		c.Page = SyntheticPage(size, 0, nil)
		return c
	}
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"most clients at once", most},
		{"10 GiB pages to 64 clients", huge(64, 10<<30)},
		{"a 1 TiB page", huge(1, MaxResourceSize)},
	} {
		if err := tc.cfg.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		runtime.GC()
		peak := &heapPeak{}
		res, err := Run(tc.cfg, peak)
		if err != nil {
			t.Fatal(err)
		}
		peak.sample()
		t.Logf("%s: %d records, memory peak %d MB, stopped %v", tc.name, peak.n, peak.max>>20, res.Stopped)
		if res.Stopped != trace.StopMaxMemory {
			t.Errorf("%s: stopped %v, want max_memory", tc.name, res.Stopped)
		}
		if peak.max > DefaultMaxMemory {
			t.Errorf("%s: memory peaked at %d MB, over the %d MB budget", tc.name, peak.max>>20, DefaultMaxMemory>>20)
		}
	}
}

// heapPeak samples the memory every 10,000 records.
type heapPeak struct {
	n   int
	max uint64
}

func (h *heapPeak) Record(trace.Record) {
	if h.n++; h.n%10_000 == 0 {
		h.sample()
	}
}

// sample records what the runtime holds from the system: every span it
// mapped, less what it gave back (close to the resident memory).
func (h *heapPeak) sample() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	h.max = max(h.max, m.Sys-m.HeapReleased)
}
