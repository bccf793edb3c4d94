package tui

import (
	"slices"
	"sort"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Player is the view state every view reads: the playhead (virtual time
// since the start of the run), the replay speed and whether it is paused.
// It knows the times of the records it replays so that it can step from
// event to event, and plays long idle gaps (a 60 s TIME-WAIT, a 1 s
// retransmission timeout) faster: see SetIdle.
//
// A Player is not safe for concurrent use; the UI touches it only on the
// tview event goroutine.
type Player struct {
	times []time.Duration // distinct record times, ascending
	at    time.Duration
	// want is where the user put the playhead, before limiting it to the
	// span: switching to a run that ends sooner and back again returns to
	// the same time (the views share one clock).
	want   time.Duration
	speed  Speed
	paused bool
	idle   time.Duration // gaps longer than this play as if this long; 0: no limit
}

// NewPlayer returns a player paused at the first event of recs, at
// ClassroomSpeed.
func NewPlayer(recs ...trace.Records) *Player {
	p := &Player{speed: ClassroomSpeed, paused: true}
	p.Load(recs...)
	p.Home()
	return p
}

// Load replaces the records the player steps through with the union of
// recs (several runs share one clock in the compare view). The playhead
// keeps its time, limited to the new span.
func (p *Player) Load(recs ...trace.Records) {
	n := 0
	for _, rs := range recs {
		n += rs.Len()
	}
	times := make([]time.Duration, 0, n)
	for _, rs := range recs {
		for i := range rs.Len() {
			times = append(times, rs.Time(i))
		}
	}
	slices.Sort(times)
	p.times = slices.Compact(times)
	first, last := p.Span()
	p.at = min(max(p.want, first), last)
}

// At returns the playhead.
func (p *Player) At() time.Duration { return p.at }

// Span returns the times of the first and the last event, or 0, 0 when
// there are no records.
func (p *Player) Span() (first, last time.Duration) {
	if len(p.times) == 0 {
		return 0, 0
	}
	return p.times[0], p.times[len(p.times)-1]
}

// Seek moves the playhead to t, limited to the span.
func (p *Player) Seek(t time.Duration) {
	first, last := p.Span()
	p.at = min(max(t, first), last)
	p.want = p.at
}

// SetIdle makes gaps between events longer than d play as if they lasted
// d: the clock still shows true time, it just runs faster through them.
// d ≤ 0 plays every gap at the set speed.
func (p *Player) SetIdle(d time.Duration) { p.idle = max(d, 0) }

// Advance moves the playhead by wall (wall-clock time) divided by the
// speed, unless paused. At the last event it stops and pauses.
func (p *Player) Advance(wall time.Duration) {
	if p.paused || wall <= 0 {
		return
	}
	v := wall / time.Duration(p.speed.clamp())
	for v > 0 && !p.AtEnd() {
		prev, next := p.gap()
		gap, rest := next-prev, next-p.at
		if p.idle <= 0 || gap <= p.idle {
			if v < rest {
				p.at += v
				break
			}
			p.at, v = next, v-rest
			continue
		}
		// A long gap plays as if it were p.idle long.
		scaled := time.Duration(float64(v) * float64(gap) / float64(p.idle))
		if scaled < rest {
			p.at += scaled
			break
		}
		p.at = next
		v -= time.Duration(float64(rest) * float64(p.idle) / float64(gap))
	}
	if p.AtEnd() {
		p.paused = true
	}
	p.want = p.at
}

// gap returns the events around the playhead: the last at or before it and
// the first after it.
func (p *Player) gap() (prev, next time.Duration) {
	i := sort.Search(len(p.times), func(i int) bool { return p.times[i] > p.at })
	if i == 0 || i == len(p.times) {
		return p.at, p.at
	}
	return p.times[i-1], p.times[i]
}

// Skipping reports whether the playhead is inside a gap long enough to be
// played faster (see SetIdle).
func (p *Player) Skipping() bool {
	prev, next := p.gap()
	return p.idle > 0 && next-prev > p.idle
}

// Step moves the playhead to the next event after it (dir > 0) or the
// previous event before it (dir < 0) and pauses; it stays put at either
// end. Events at the same time count as one.
func (p *Player) Step(dir int) {
	p.paused = true
	switch {
	case dir > 0:
		i := sort.Search(len(p.times), func(i int) bool { return p.times[i] > p.at })
		if i < len(p.times) {
			p.at = p.times[i]
		}
	case dir < 0:
		i := sort.Search(len(p.times), func(i int) bool { return p.times[i] >= p.at })
		if i > 0 {
			p.at = p.times[i-1]
		}
	}
	p.want = p.at
}

// Home moves the playhead to the first event.
func (p *Player) Home() { p.at, _ = p.Span(); p.want = p.at }

// End moves the playhead to the last event and pauses.
func (p *Player) End() {
	_, p.at = p.Span()
	p.want = p.at
	p.paused = true
}

// AtEnd reports whether the playhead is at the last event.
func (p *Player) AtEnd() bool {
	_, last := p.Span()
	return p.at >= last
}

// Speed returns the replay rate.
func (p *Player) Speed() Speed { return p.speed }

// SetSpeed sets the replay rate, limited to [RealTime, SlowestSpeed].
func (p *Player) SetSpeed(s Speed) { p.speed = s.clamp() }

// Paused reports whether the playhead stands still.
func (p *Player) Paused() bool { return p.paused }

// SetPaused pauses (true) or plays (false). Playing from the last event
// starts again from the first.
func (p *Player) SetPaused(paused bool) {
	if !paused && p.AtEnd() {
		p.Home()
	}
	p.paused = paused
	if !paused && p.AtEnd() {
		p.paused = true // nothing to play
	}
}
