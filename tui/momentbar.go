package tui

import (
	"sort"
	"strconv"
	"time"
)

// momentBarRows is the row the frame gives the run's time axis, under
// the view.
const momentBarRows = 1

// playScale maps a run's times onto its time axis as the player plays
// them: a gap between events longer than idle counts as idle long, so a
// 60 s TIME-WAIT takes no more of the axis than it takes to play, and
// the moments of a 5 s think time and of the page loads around it stay
// apart.
type playScale struct {
	times []time.Duration // distinct record times, ascending
	cum   []time.Duration // play time at each of them
	idle  time.Duration
}

func newPlayScale(ix *runIndex, idle time.Duration) playScale {
	p := playScale{idle: idle}
	for i := range ix.recs.Len() {
		if t := ix.recs.Time(i); len(p.times) == 0 || t != p.times[len(p.times)-1] {
			p.times = append(p.times, t)
		}
	}
	p.cum = make([]time.Duration, len(p.times))
	for i := 1; i < len(p.times); i++ {
		p.cum[i] = p.cum[i-1] + min(p.times[i]-p.times[i-1], idle)
	}
	return p
}

// at is the play time of t: the play time of the last event at or
// before it, plus how far t is into the gap after it, scaled as the gap.
func (p playScale) at(t time.Duration) time.Duration {
	i := sort.Search(len(p.times), func(i int) bool { return p.times[i] > t }) - 1
	switch {
	case i < 0:
		return 0
	case i == len(p.times)-1:
		return p.cum[i]
	}
	gap := p.times[i+1] - p.times[i]
	into := t - p.times[i]
	if gap > p.idle {
		into = time.Duration(float64(into) * float64(p.idle) / float64(gap))
	}
	return p.cum[i] + into
}

// total is the play time of the whole run.
func (p playScale) total() time.Duration {
	if len(p.cum) == 0 {
		return 0
	}
	return p.cum[len(p.cum)-1]
}

// collapsed reports whether play time e falls in a gap that plays
// faster than real time.
func (p playScale) collapsed(e time.Duration) bool {
	i := sort.Search(len(p.cum), func(i int) bool { return p.cum[i] > e }) - 1
	return i >= 0 && i+1 < len(p.times) && p.times[i+1]-p.times[i] > p.idle
}

// drawMomentBar draws the run's time axis on one row: the whole run in
// play time ("┄" where an idle stretch is shortened), a ◆ at each key
// moment, the playhead ▼ (◈ while the explanation tells a moment), and
// which moment that is, or how many moments are at or behind the
// playhead.
func drawMomentBar(c canvas, s *state) {
	st := s.st
	ix := s.run()
	if ix == nil || c.w < 20 {
		return
	}
	at := s.at()
	ms := ix.moments
	done := sort.Search(len(ms), func(k int) bool { return ms[k].at > at })
	if k := ix.momentAt(at, s.moment); k >= 0 {
		done = k + 1 // the moment the explanation tells, of several at one time
	}
	label := " " + strconv.Itoa(done) + "/" + strconv.Itoa(len(ms)) + " moments"
	if len(ms) == 0 {
		label = " no key moments"
	}
	w := c.w - width(label)
	if w < 8 {
		w, label = c.w, ""
	}
	scale := ix.play
	total := scale.total()
	col := func(t time.Duration) int {
		if total <= 0 {
			return 0
		}
		return int(int64(scale.at(t)) * int64(w-1) / int64(total))
	}
	for x := 0; x < w; x++ {
		r := '─'
		if total > 0 && scale.collapsed(time.Duration(int64(total)*int64(x)/int64(max(w-1, 1)))) {
			r = '┄'
		}
		c.set(x, 0, r, st.dim)
	}
	for _, m := range ms {
		c.set(col(m.at), 0, '◆', st.bold)
	}
	head := col(at)
	mark := '▼'
	if ix.momentAt(at, s.moment) >= 0 {
		mark = '◈' // the explanation line tells a key moment
	}
	c.set(head, 0, mark, st.playhead)
	c.print(w, 0, label, st.dim)
}
