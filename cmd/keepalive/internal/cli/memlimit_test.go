package cli

import (
	"runtime/debug"
	"testing"
)

// TestSoftLimit: a run's budget becomes the runtime's soft memory limit,
// a tenth below it, unless GOMEMLIMIT chooses one.
func TestSoftLimit(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	softLimit(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != 1<<30/10*9 {
		t.Errorf("limit %d, want %d", got, 1<<30/10*9)
	}
	debug.SetMemoryLimit(1 << 40)
	t.Setenv("GOMEMLIMIT", "2GiB")
	softLimit(1 << 30)
	if got := debug.SetMemoryLimit(-1); got != 1<<40 {
		t.Errorf("with GOMEMLIMIT set, the limit became %d", got)
	}
	softLimit(0) // no budget: no limit
}
