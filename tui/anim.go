package tui

import (
	"time"

	"github.com/rivo/tview"
)

// frameInterval is the animation's frame period: about 30 frames a second.
const frameInterval = time.Second / 30

// maxFrameGap bounds the wall time one frame may advance the playhead by,
// so a stalled terminal does not make it jump.
const maxFrameGap = 250 * time.Millisecond

// updater queues a function to run on the UI goroutine and redraws after
// it; *tview.Application is one.
type updater interface {
	QueueUpdateDraw(f func()) *tview.Application
}

// animator runs a ticker goroutine only while playing. Each tick queues
// tick(dt), dt being the wall time since the previous tick, onto the UI
// goroutine. start and stop must be called on the UI goroutine.
type animator struct {
	q    updater
	tick func(dt time.Duration)
	stop chan struct{} // nil when stopped
	done chan struct{} // closed when the goroutine has returned
}

func newAnimator(q updater, tick func(dt time.Duration)) *animator {
	return &animator{q: q, tick: tick}
}

// running reports whether the ticker goroutine is on.
func (a *animator) running() bool { return a.stop != nil }

// start starts the ticker unless it is running.
func (a *animator) start() {
	if a.stop != nil {
		return
	}
	stop, done := make(chan struct{}), make(chan struct{})
	a.stop, a.done = stop, done
	go a.loop(stop, done)
}

// halt stops the ticker; a tick already queued does nothing.
func (a *animator) halt() {
	if a.stop == nil {
		return
	}
	close(a.stop)
	a.stop = nil
}

func (a *animator) loop(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(frameInterval)
	defer t.Stop()
	prev := time.Now()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			dt := min(now.Sub(prev), maxFrameGap)
			prev = now
			a.q.QueueUpdateDraw(func() {
				select {
				case <-stop: // paused since this tick was queued
				default:
					a.tick(dt)
				}
			})
		}
	}
}
