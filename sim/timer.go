package sim

// Timer is a re-armable timeout (a retransmission timer, a delayed-ACK
// timer, an idle timeout). Re-arming it to a later deadline, as TCP does on
// every ACK, schedules nothing: the event already queued fires, sees that
// the deadline has moved, and re-queues itself once. That keeps the event
// queue from filling with cancelled timers.
//
// A timer is a timeout ([Simulator.Timeout]): it fires after every
// ordinary event due at the same instant, so a host that has the packet in
// hand at its deadline does not time it out.
//
// The laziness is invisible to the model: a timer fires exactly when, and
// in the same order among events due at the same instant, as it would if
// every Reset cancelled the pending event and called Timeout anew. (The
// internal wake-ups do count in [Simulator.Fired] and [Simulator.Pending].)
type Timer struct {
	s         *Simulator
	fn        func()
	owner     Owner // calls owner.Expired(which) in place of fn, if set
	which     int
	id        EventID
	queuedAt  Time   // time of the queued event, valid when id is pending
	queuedSeq uint64 // its sequence number
	deadline  Time
	seq       uint64 // sequence number of the last Reset: the FIFO position
	armed     bool
}

// NewTimer returns a stopped timer that calls fn when it expires.
func NewTimer(s *Simulator, fn func()) *Timer {
	t := &Timer{}
	t.Init(s, fn)
	return t
}

// Init makes a zero Timer, embedded in a larger struct to save an
// allocation, a stopped timer on s that calls fn when it expires. It
// panics if the timer is armed.
func (t *Timer) Init(s *Simulator, fn func()) {
	if t.armed {
		panic("sim: (*Timer).Init: timer is armed")
	}
	*t = Timer{s: s, fn: fn}
}

// An Owner holds several timers and is told which of them expired by the
// number each was given (InitOwned). A model object with three timers
// thus needs no callback bound to each: a method value such as
// endpoint.onRTO is a closure, one allocation per timer made, while an
// Owner is a pointer the timer already holds.
type Owner interface {
	Expired(which int)
}

// NewOwnedTimer returns a stopped timer that calls o.Expired(which) when
// it expires.
func NewOwnedTimer(s *Simulator, o Owner, which int) *Timer {
	t := &Timer{}
	t.InitOwned(s, o, which)
	return t
}

// InitOwned is Init for a timer that calls o.Expired(which) when it
// expires. It panics if the timer is armed or o is nil.
func (t *Timer) InitOwned(s *Simulator, o Owner, which int) {
	if t.armed {
		panic("sim: (*Timer).InitOwned: timer is armed")
	}
	if o == nil {
		panic("sim: (*Timer).InitOwned: nil owner")
	}
	*t = Timer{s: s, owner: o, which: which}
}

// Reset arms the timer to expire d after now, replacing any earlier
// deadline. It panics if d is negative. Among timeouts due at the same
// instant, the timer fires in the place of one scheduled by this call.
func (t *Timer) Reset(d Time) {
	if d < 0 {
		panic("sim: (*Timer).Reset: negative delay")
	}
	t.deadline = t.s.later(d)
	t.seq = t.s.reserveSeq()
	t.armed = true
	if t.id.Valid() && t.queuedAt <= t.deadline {
		return // the queued event will re-queue itself for the new deadline
	}
	t.s.Cancel(t.id)
	t.queue()
}

// Stop disarms the timer. It reports whether the timer was armed.
func (t *Timer) Stop() bool {
	was := t.armed
	t.armed = false
	t.s.Cancel(t.id)
	t.id = EventID{}
	return was
}

// Armed reports whether the timer will fire.
func (t *Timer) Armed() bool { return t.armed }

// Deadline returns when an armed timer will fire.
func (t *Timer) Deadline() Time { return t.deadline }

func (t *Timer) queue() {
	t.queuedAt = t.deadline
	t.queuedSeq = t.seq
	t.id = t.s.schedule(t.deadline, t.seq|timeoutClass, nil, t)
}

func (t *Timer) onFire() {
	t.id = EventID{}
	if !t.armed {
		return
	}
	if t.queuedAt != t.deadline || t.queuedSeq != t.seq {
		// Re-armed since this event was queued: queue it again in the
		// place the last Reset gave it (possibly later at this instant).
		t.queue()
		return
	}
	t.armed = false
	if t.owner != nil {
		t.owner.Expired(t.which)
		return
	}
	t.fn()
}
