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
