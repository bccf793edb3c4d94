package sim

import (
	"fmt"
	"math/rand/v2"
)

// EventID names a scheduled event so that it can be cancelled. The zero
// EventID names no event; cancelling it is a no-op.
type EventID struct {
	slot int32
	seq  uint64 // 1-based insertion sequence; 0 means "no event"
}

// Valid reports whether id was returned by a call that scheduled an event.
func (id EventID) Valid() bool { return id.seq != 0 }

// entry is one pending event in the heap. It is kept small (24 bytes) and
// free of pointers so that sifting moves plain values.
type entry struct {
	at   Time
	seq  uint64
	slot int32
}

// slot holds the callback of a pending event. seq is the sequence of the
// event that owns the slot; cancelling an event clears fn.
type slot struct {
	fn  func()
	seq uint64
}

// Limits bound a run so that a model bug (an event loop that never drains,
// a timer that re-arms forever) ends with an error instead of a hang.
// A zero field means "no limit".
type Limits struct {
	MaxEvents uint64 // events fired, cancelled ones not counted
	MaxTime   Time   // virtual time; an event due after it is not fired
}

// Simulator is a discrete-event engine. It is not safe for concurrent use;
// run independent simulations in separate goroutines instead.
type Simulator struct {
	now     Time
	seq     uint64
	heap    []entry
	slots   []slot
	free    []int32
	live    int
	fired   uint64
	stopped bool
	limits  Limits

	seed, run uint64
	streams   map[string]*rand.Rand
}

// New returns a simulator at time zero. seed picks the experiment and run
// the replicate within it (as ns-3's RngSeedManager SetSeed/SetRun); both
// feed every random stream.
func New(seed, run uint64) *Simulator {
	return &Simulator{seed: seed, run: run}
}

// Now returns the current virtual time.
func (s *Simulator) Now() Time { return s.now }

// Seed returns the seed the simulator was created with.
func (s *Simulator) Seed() uint64 { return s.seed }

// Run returns the run (replicate) index the simulator was created with.
func (s *Simulator) Run() uint64 { return s.run }

// Fired returns how many events have fired so far.
func (s *Simulator) Fired() uint64 { return s.fired }

// Pending returns how many events are scheduled and not cancelled.
func (s *Simulator) Pending() int { return s.live }

// SetLimits sets the budget checked by [Simulator.RunUntil] and [Simulator.Drain].
func (s *Simulator) SetLimits(l Limits) { s.limits = l }

// At schedules fn to run at virtual time t. Events due at the same time run
// in the order they were scheduled. At panics if t is before Now: an event
// in the past is a model bug, never an input error.
func (s *Simulator) At(t Time, fn func()) EventID {
	if t < s.now {
		panic(fmt.Sprintf("sim: (*Simulator).At: time %v is before now %v", t, s.now))
	}
	if fn == nil {
		panic("sim: (*Simulator).At: nil callback")
	}
	s.seq++
	var i int32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		i = int32(len(s.slots))
		s.slots = append(s.slots, slot{})
	}
	s.slots[i] = slot{fn: fn, seq: s.seq}
	s.push(entry{at: t, seq: s.seq, slot: i})
	s.live++
	return EventID{slot: i, seq: s.seq}
}

// After schedules fn to run d after Now. It panics if d is negative.
func (s *Simulator) After(d Time, fn func()) EventID {
	if d < 0 {
		panic(fmt.Sprintf("sim: (*Simulator).After: negative delay %v", d))
	}
	return s.At(s.now+d, fn)
}

// Cancel stops a pending event from firing and reports whether it was
// pending. Cancelling an event that has fired, was cancelled already, or the
// zero EventID returns false.
func (s *Simulator) Cancel(id EventID) bool {
	if id.seq == 0 || int(id.slot) >= len(s.slots) {
		return false
	}
	sl := &s.slots[id.slot]
	if sl.seq != id.seq || sl.fn == nil {
		return false
	}
	sl.fn = nil
	s.live--
	return true
}

// Stop makes the current Run, RunUntil or Drain return after the event
// being fired. Pending events stay scheduled.
func (s *Simulator) Stop() { s.stopped = true }

// Step fires the next pending event, advancing the clock to its time, and
// reports whether there was one. Step ignores Limits.
func (s *Simulator) Step() bool {
	for len(s.heap) > 0 {
		e := s.pop()
		sl := &s.slots[e.slot]
		fn := sl.fn
		sl.fn = nil
		s.free = append(s.free, e.slot)
		if fn == nil { // cancelled: the clock does not move
			continue
		}
		s.now = e.at
		s.live--
		s.fired++
		fn()
		return true
	}
	return false
}

// peek returns the time of the next live event, discarding cancelled ones
// at the top of the heap.
func (s *Simulator) peek() (Time, bool) {
	for len(s.heap) > 0 {
		e := s.heap[0]
		if s.slots[e.slot].fn != nil {
			return e.at, true
		}
		s.pop()
		s.free = append(s.free, e.slot)
	}
	return 0, false
}

// Drain fires events until none is pending, Stop is called or a limit is
// exceeded; in the last case it returns a *LimitError.
func (s *Simulator) Drain() error { return s.RunUntil(Forever) }

// RunUntil fires every event due at or before t, then sets the clock to t
// (unless t is Forever, when the clock stays at the last event). It returns
// early, with a nil error, when Stop is called, and with a *LimitError when
// the next event would exceed the event budget or the time limit.
func (s *Simulator) RunUntil(t Time) error {
	s.stopped = false
	for !s.stopped {
		at, ok := s.peek()
		if !ok || at > t {
			break
		}
		if s.limits.MaxTime > 0 && at > s.limits.MaxTime {
			return &LimitError{Kind: TimeLimit, Now: s.now, Fired: s.fired, Limits: s.limits}
		}
		if s.limits.MaxEvents > 0 && s.fired >= s.limits.MaxEvents {
			return &LimitError{Kind: EventLimit, Now: s.now, Fired: s.fired, Limits: s.limits}
		}
		s.Step()
	}
	if !s.stopped && t != Forever && t > s.now {
		s.now = t
	}
	return nil
}
