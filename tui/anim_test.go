package tui

import (
	"testing"
	"time"

	"github.com/rivo/tview"
)

// queue is an updater that hands the queued functions to the test.
type queue chan func()

func (q queue) QueueUpdateDraw(f func()) *tview.Application {
	q <- f
	return nil
}

func TestAnimatorTicksOnlyWhileRunning(t *testing.T) {
	q := make(queue, 4)
	var total time.Duration
	a := newAnimator(q, func(dt time.Duration) { total += dt })
	a.start()
	a.start() // a second start is a no-op
	for range 3 {
		(<-q)() // runs on this goroutine, like tview's event loop
	}
	if total <= 0 || total > 3*maxFrameGap {
		t.Errorf("3 ticks advanced %v", total)
	}
	done := a.done
	a.halt()
	a.halt()
	if a.running() {
		t.Fatal("running after halt")
	}
	// A tick queued before the halt does nothing; then the goroutine ends.
	for {
		select {
		case f := <-q:
			before := total
			f()
			if total != before {
				t.Fatal("a stale tick advanced the playhead")
			}
			continue
		case <-done:
		}
		break
	}
}

// TestFitTime: the ladder's playhead label keeps every leading digit at
// any time, dropping decimals first (a 7-cell label showed "20.948s" for
// 120.948 s).
func TestFitTime(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		w    int
		want string
	}{
		{1234 * time.Millisecond, 7, "1.234s"},
		{20948 * time.Millisecond, 7, "20.948s"},
		{120948 * time.Millisecond, 7, "120.95s"},
		{660408 * time.Millisecond, 7, "660.41s"},
		{660408 * time.Millisecond, 5, "660s"},
		{660408 * time.Millisecond, 3, "11m00s"},
		{5*time.Hour + 7*time.Minute, 6, "18420s"},
		{5*time.Hour + 7*time.Minute, 4, "5h07m"},
		{850 * time.Microsecond, 2, "850µs"},
	} {
		if got := fitTime(tc.d, tc.w); got != tc.want {
			t.Errorf("fitTime(%v, %d) = %q, want %q", tc.d, tc.w, got, tc.want)
		}
	}
}
