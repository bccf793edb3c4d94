package sweep

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Bar draws a progress bar on one terminal line: completed and total
// runs, the rate and the time left,
//
//	[=========>          ]  4520/10000 runs  812 runs/s  ETA 7s
//
// redrawn at most ten times a second.
type Bar struct {
	w      io.Writer
	now    func() time.Time
	start  time.Time
	first  int // runs done when the bar started (resumed ones)
	last   time.Time
	drawn  bool
	width  int // of the bar itself, in characters
	closed bool
}

// barEvery is the least time between two redraws.
const barEvery = 100 * time.Millisecond

// NewBar returns a bar writing to w (a terminal). now is the clock,
// time.Now outside tests.
func NewBar(w io.Writer, now func() time.Time) *Bar {
	return &Bar{w: w, now: now, start: now(), first: -1, width: 30}
}

// Update records that done of total runs are complete, redrawing if the
// last redraw was long enough ago or the sweep is complete.
func (b *Bar) Update(done, total int) {
	t := b.now()
	if b.first < 0 {
		b.first = done - 1 // the runs before this one were resumed
	}
	if b.drawn && t.Sub(b.last) < barEvery && done < total {
		return
	}
	b.last, b.drawn = t, true
	fmt.Fprint(b.w, "\r"+b.line(done, total, t.Sub(b.start))+"\x1b[K")
}

// Done ends the bar's line, so that later messages start on their own.
func (b *Bar) Done() {
	if b.drawn && !b.closed {
		fmt.Fprintln(b.w)
	}
	b.closed = true
}

// line renders the bar for done of total runs after elapsed.
func (b *Bar) line(done, total int, elapsed time.Duration) string {
	frac := 1.0
	if total > 0 {
		frac = float64(done) / float64(total)
	}
	full := int(frac * float64(b.width))
	bar := strings.Repeat("=", full)
	if full < b.width {
		bar += ">" + strings.Repeat(" ", b.width-full-1)
	}
	s := fmt.Sprintf("[%s] %*d/%d runs", bar, len(fmt.Sprint(total)), done, total)
	ran := done - b.first
	if secs := elapsed.Seconds(); secs > 0 && ran > 0 {
		rate := float64(ran) / secs
		s += fmt.Sprintf("  %.0f runs/s", rate)
		if done < total {
			s += "  ETA " + eta(time.Duration(float64(total-done)/rate*float64(time.Second)))
		}
	}
	return s
}

// eta writes a duration to the second: 7s, 3m05s, 2h10m.
func eta(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, s/60%60)
}
