package sim

import (
	"fmt"
	"math/rand/v2"
)

// EventID names a scheduled event so that it can be cancelled. The zero
// EventID names no event; cancelling it is a no-op.
type EventID struct {
	slot int32
	seq  uint64 // 1-based insertion sequence, with timeoutClass for a timeout; 0 means "no event"
}

// timeoutClass marks the sequence number of a timeout (Timeout, Timer).
// Entries are ordered by (at, seq), so setting the top bit puts every
// timeout due at an instant after every ordinary event due at it, while
// timeouts keep their FIFO order among themselves. Insertion sequences
// never reach 2⁶³.
const timeoutClass uint64 = 1 << 63

// Valid reports whether id was returned by a call that scheduled an event.
func (id EventID) Valid() bool { return id.seq != 0 }

// entry is one pending event in the heap. It holds no pointer: the
// callback waits in Simulator.slots at the entry's slot, so moving entries
// up and down the heap, which is most of the engine's work, costs no
// write barrier while the garbage collector is marking, and an entry
// takes 24 bytes, not 32.
//
// slot names the event's place in Simulator.slots, which is what Cancel
// looks at: slots[slot].seq holds the event's seq while it is pending and
// 0 once it has fired or been cancelled. A cancelled entry stays in the heap
// until its time comes; Simulator.dead counts those, and while it is zero
// firing an event does not need to read slots at all. A slot is recycled
// only when its entry leaves the heap, so a stale EventID (same slot, older
// seq) never matches.
type entry struct {
	at   Time
	seq  uint64
	slot int32
}

// slot is where a pending event's callback waits: fn, or, for a Timer's
// event, the timer, whose onFire the engine calls itself (a Timer firing
// through its own bound method value would cost an allocation per timer).
type slot struct {
	seq   uint64 // the pending event's, or 0
	fn    func()
	timer *Timer
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
	slots   []slot  // see entry
	dead    int     // cancelled entries still in the heap
	free    []int32 // recycled slot indices
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
	// A few hundred pending events is typical of a page load; starting with
	// room for them saves regrowing the heap in every run of a batch.
	return &Simulator{seed: seed, run: run, heap: make([]entry, 0, 256), slots: make([]slot, 0, 256)}
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
	return s.schedule(t, s.seq, fn, nil)
}

// schedule queues the event at t with the given sequence number, which
// must come from s.seq (At, or reserveSeq for an event that takes its
// place in the FIFO order earlier than it is queued, as a lazily re-armed
// Timer does), with timeoutClass set for a timeout. The event calls fn,
// or, for a Timer's, tm.onFire (one function for both: this is the
// engine's hottest path after the heap itself).
func (s *Simulator) schedule(t Time, seq uint64, fn func(), tm *Timer) EventID {
	var i int32
	if n := len(s.free); n > 0 {
		i = s.free[n-1]
		s.free = s.free[:n-1]
	} else {
		i = int32(len(s.slots))
		s.slots = append(s.slots, slot{})
	}
	s.slots[i] = slot{seq: seq, fn: fn, timer: tm}
	s.push(entry{at: t, seq: seq, slot: i})
	s.live++
	return EventID{slot: i, seq: seq}
}

// reserveSeq takes the next sequence number without scheduling anything.
func (s *Simulator) reserveSeq() uint64 {
	s.seq++
	return s.seq
}

// After schedules fn to run d after Now. It panics if d is negative. A
// delay that would run past [Forever] schedules fn at Forever.
func (s *Simulator) After(d Time, fn func()) EventID {
	if d < 0 {
		panic(fmt.Sprintf("sim: (*Simulator).After: negative delay %v", d))
	}
	return s.At(s.later(d), fn)
}

// Timeout schedules fn to run d after Now as a timeout: among the events
// due at that instant it fires after every ordinary event (At, After),
// whenever those were scheduled, and in FIFO order with other timeouts.
// A deadline at t thus means "if nothing has happened by the end of t":
// a packet that arrives at the very nanosecond a retransmission timer
// expires is processed first. It panics if d is negative or fn is nil.
func (s *Simulator) Timeout(d Time, fn func()) EventID {
	if d < 0 {
		panic(fmt.Sprintf("sim: (*Simulator).Timeout: negative delay %v", d))
	}
	if fn == nil {
		panic("sim: (*Simulator).Timeout: nil callback")
	}
	s.seq++
	return s.schedule(s.later(d), s.seq|timeoutClass, fn, nil)
}

// later returns Now+d for a non-negative d, saturated at Forever.
func (s *Simulator) later(d Time) Time {
	if t := s.now + d; t >= s.now {
		return t
	}
	return Forever
}

// Cancel stops a pending event from firing and reports whether it was
// pending. Cancelling an event that has fired, was cancelled already, or the
// zero EventID returns false.
func (s *Simulator) Cancel(id EventID) bool {
	if id.seq == 0 || int(id.slot) >= len(s.slots) {
		return false
	}
	if s.slots[id.slot].seq != id.seq {
		return false
	}
	s.slots[id.slot] = slot{} // let the callback go now, not when its time comes
	s.live--
	s.dead++
	if s.dead > compactMin && s.dead > s.live {
		s.compact()
	}
	return true
}

// compactMin is the fewest cancelled entries worth a compaction: below
// it, skipping them as they come up costs less than a rebuild.
const compactMin = 32

// compact drops the cancelled entries from the heap and rebuilds it. A
// cancelled entry otherwise stays until its time comes: a keep-alive
// timeout stopped by every request of a 10,000-object page left
// thousands of them, making every push and pop deeper than the live
// events need (sim's part of "a large page costs more per packet").
// Run only when more than half the heap is dead, so its O(n) is paid for
// by the n/2 cancellations before it. The order events fire in is the
// (at, seq) order, whatever the heap's layout, so this changes nothing
// that is observable.
func (s *Simulator) compact() {
	h := s.heap[:0]
	for _, e := range s.heap {
		if s.slots[e.slot].seq == e.seq {
			h = append(h, e)
		} else {
			s.free = append(s.free, e.slot)
		}
	}
	s.heap, s.dead = h, 0
	s.heapify()
}

// Stop makes the current RunUntil or Drain return after the event being
// fired. Pending events stay scheduled.
func (s *Simulator) Stop() { s.stopped = true }

// Step fires the next pending event, advancing the clock to its time, and
// reports whether there was one. Step ignores Limits.
func (s *Simulator) Step() bool {
	for len(s.heap) > 0 {
		e := s.pop()
		s.free = append(s.free, e.slot)
		sl := &s.slots[e.slot]
		if s.dead > 0 && sl.seq != e.seq { // cancelled: the clock does not move
			s.dead--
			continue
		}
		fn, tm := sl.fn, sl.timer
		*sl = slot{}
		s.now = e.at
		s.live--
		s.fired++
		if tm != nil {
			tm.onFire()
		} else {
			fn()
		}
		return true
	}
	return false
}

// peek returns the time of the next live event, discarding cancelled ones
// at the top of the heap.
func (s *Simulator) peek() (Time, bool) {
	for len(s.heap) > 0 {
		e := &s.heap[0]
		if s.dead == 0 || s.slots[e.slot].seq == e.seq {
			return e.at, true
		}
		s.free = append(s.free, e.slot)
		s.pop()
		s.dead--
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
