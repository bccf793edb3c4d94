package cli

import (
	"os"
	"runtime/debug"
)

// softLimit sets the runtime's soft memory limit to a run's budget,
// limits.max_memory, unless GOMEMLIMIT chooses one. The model counts its
// own state and stops a run at two fifths of the budget; with the
// collector's default pacing (GOGC=100) garbage may still double the
// live heap, which put the memory measured at the largest inputs within
// a few percent of the budget, above it on some runs. The limit makes
// the collector work harder as the heap nears the budget instead
// (https://go.dev/doc/gc-guide#Memory_limit). The limit is soft, so it is
// set a tenth below the budget: at the budget itself the peak still
// touched it. The runs of one command go one after another, so one run's
// budget is the process's. It returns what puts the previous limit back,
// for when the runs are done: the limit is the process's, and a program
// (or a test) that runs commands in turn must not keep one's.
func softLimit(budget int64) (restore func()) {
	if budget <= 0 || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	prev := debug.SetMemoryLimit(softLimitOf(budget))
	return func() { debug.SetMemoryLimit(prev) }
}

// batchGOGC is the garbage collector's target for sweeps. A page load
// allocates ~200 KB and keeps almost nothing, so with Go's default of
// 100 the collector runs every few loads and two workers run only ~1.1×
// as fast as one; at 400 they reach ~1.8×, for a heap of a few tens of
// MB (docs/performance.md, "Sweeps"). keepalive run keeps the default:
// with 400 the largest run it accepts (a 1 TiB page) peaked at 1,032 MB,
// over its 1 GiB budget, soft limit or not (TestMemoryBudget, under a
// loaded CI run); and one load has little garbage to save. The terminal
// UI keeps it too: its trace stays in memory.
const batchGOGC = 400

// batchGC sets batchGOGC unless GOGC in the environment chooses, and
// returns what puts the previous target back.
func batchGC() (restore func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	prev := debug.SetGCPercent(batchGOGC)
	return func() { debug.SetGCPercent(prev) }
}

// softLimitOf is the soft memory limit softLimit sets for budget.
func softLimitOf(budget int64) int64 { return budget / 10 * 9 }
