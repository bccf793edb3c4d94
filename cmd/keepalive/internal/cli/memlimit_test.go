package cli

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestSoftLimit: a run's budget becomes the runtime's soft memory limit,
// a tenth below it, unless GOMEMLIMIT chooses one, and the previous limit
// comes back when the runs are done.
func TestSoftLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	t.Setenv("GOMEMLIMIT", "")
	restore := softLimit(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != 1<<30/10*9 {
		t.Errorf("limit %d, want %d", got, 1<<30/10*9)
	}
	restore()
	if got := debug.SetMemoryLimit(-1); got != math.MaxInt64 {
		t.Errorf("after the runs the limit is %d, not the previous one", got)
	}
	debug.SetMemoryLimit(1 << 40)
	t.Setenv("GOMEMLIMIT", "2GiB")
	softLimit(1 << 30)()
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("with GOMEMLIMIT set, the limit became %d", got)
	}
	t.Setenv("GOMEMLIMIT", "")
	softLimit(0)() // no budget: no limit
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("with no budget, the limit became %d", got)
	}
}
