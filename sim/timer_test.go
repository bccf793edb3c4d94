package sim_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// timerHarness is a simulator with one timer that records when it fires.
type timerHarness struct {
	s     *sim.Simulator
	t     *sim.Timer
	fires []sim.Time
}

func newTimerHarness() *timerHarness {
	h := &timerHarness{s: sim.New(1, 0)}
	h.t = sim.NewTimer(h.s, func() { h.fires = append(h.fires, h.s.Now()) })
	return h
}

func TestTimer(t *testing.T) {
	const ms = sim.Millisecond
	tests := []struct {
		name      string
		script    func(h *timerHarness) // schedules the calls on the timer
		wantFires []sim.Time
	}{
		{
			name:      "fires once at its deadline",
			script:    func(h *timerHarness) { h.t.Reset(10 * ms) },
			wantFires: []sim.Time{10 * ms},
		},
		{
			name:      "zero delay fires now",
			script:    func(h *timerHarness) { h.s.At(3*ms, func() { h.t.Reset(0) }) },
			wantFires: []sim.Time{3 * ms},
		},
		{
			name: "Reset later does not fire early",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(5*ms, func() { h.t.Reset(10 * ms) }) // deadline 15ms
			},
			wantFires: []sim.Time{15 * ms},
		},
		{
			name: "Reset later twice",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(5*ms, func() { h.t.Reset(10 * ms) })  // 15ms
				h.s.At(12*ms, func() { h.t.Reset(10 * ms) }) // 22ms
			},
			wantFires: []sim.Time{22 * ms},
		},
		{
			name: "Reset earlier fires at the earlier time",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(2*ms, func() { h.t.Reset(1 * ms) }) // 3ms
			},
			wantFires: []sim.Time{3 * ms},
		},
		{
			name: "Reset earlier then later again",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(2*ms, func() { h.t.Reset(1 * ms) }) // 3ms
				h.s.At(2*ms, func() { h.t.Reset(6 * ms) }) // 8ms
			},
			wantFires: []sim.Time{8 * ms},
		},
		{
			name: "Reset to the same deadline",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(4*ms, func() { h.t.Reset(6 * ms) }) // still 10ms
			},
			wantFires: []sim.Time{10 * ms},
		},
		{
			name: "Stop prevents firing",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(5*ms, func() { h.t.Stop() })
			},
			wantFires: nil,
		},
		{
			name: "Stop after a Reset later prevents firing",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(5*ms, func() { h.t.Reset(10 * ms) })
				h.s.At(12*ms, func() { h.t.Stop() }) // after the stale 10ms wake-up
			},
			wantFires: nil,
		},
		{
			name: "Stop then Reset",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(5*ms, func() { h.t.Stop(); h.t.Reset(20 * ms) }) // 25ms
			},
			wantFires: []sim.Time{25 * ms},
		},
		{
			name: "re-armed after firing",
			script: func(h *timerHarness) {
				h.t.Reset(10 * ms)
				h.s.At(30*ms, func() { h.t.Reset(5 * ms) })
			},
			wantFires: []sim.Time{10 * ms, 35 * ms},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTimerHarness()
			tt.script(h)
			if err := h.s.Drain(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(h.fires, tt.wantFires) {
				t.Errorf("fired at %v, want %v", h.fires, tt.wantFires)
			}
			if h.t.Armed() {
				t.Error("timer still armed after Drain")
			}
			if h.s.Pending() != 0 {
				t.Errorf("Pending() = %d after Drain", h.s.Pending())
			}
		})
	}
}

func TestTimerArmedAndStop(t *testing.T) {
	h := newTimerHarness()
	if h.t.Armed() {
		t.Error("new timer is armed")
	}
	if h.t.Stop() {
		t.Error("Stop of a new timer = true")
	}
	h.t.Reset(7 * sim.Millisecond)
	if !h.t.Armed() || h.t.Deadline() != 7*sim.Millisecond {
		t.Errorf("after Reset: Armed() = %v, Deadline() = %v", h.t.Armed(), h.t.Deadline())
	}
	if !h.t.Stop() {
		t.Error("Stop of an armed timer = false")
	}
	if h.t.Armed() || h.t.Stop() {
		t.Error("timer armed after Stop, or second Stop = true")
	}
	if h.s.Pending() != 0 {
		t.Errorf("Pending() = %d after Stop, want 0", h.s.Pending())
	}
	h.t.Reset(sim.Millisecond)
	if err := h.s.Drain(); err != nil {
		t.Fatal(err)
	}
	if h.t.Armed() || h.t.Stop() {
		t.Error("timer still armed after it fired")
	}
}

func TestTimerResetNegativePanics(t *testing.T) {
	h := newTimerHarness()
	msg := mustPanic(t, func() { h.t.Reset(-1) })
	if !strings.Contains(msg, "(*Timer).Reset") {
		t.Errorf("panic %q does not name (*Timer).Reset", msg)
	}
}

func TestTimerPeriodic(t *testing.T) {
	// A timer re-armed from its own callback is a periodic timer.
	s := sim.New(1, 0)
	var fires []sim.Time
	var tm *sim.Timer
	tm = sim.NewTimer(s, func() {
		fires = append(fires, s.Now())
		if len(fires) < 4 {
			tm.Reset(sim.Second)
		}
	})
	tm.Reset(sim.Second)
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	want := []sim.Time{sim.Second, 2 * sim.Second, 3 * sim.Second, 4 * sim.Second}
	if !slices.Equal(fires, want) {
		t.Errorf("fired at %v, want %v", fires, want)
	}
}

// TestTimerRTORestarts models a TCP retransmission timer restarted on every
// ACK: the queue must not fill with stale timer events, and the timer fires
// once, an RTO after the last ACK.
func TestTimerRTORestarts(t *testing.T) {
	tests := []struct {
		name     string
		acks     int
		interval sim.Time // between ACKs
		rto      sim.Time
	}{
		{"ACKs much faster than RTO", 10000, 100 * sim.Microsecond, 200 * sim.Millisecond},
		{"ACKs just inside RTO", 1000, 199 * sim.Millisecond, 200 * sim.Millisecond},
		{"ACKs at the RTO", 1000, 200 * sim.Millisecond, 200 * sim.Millisecond},
		{"ACKs just after the RTO", 1000, 201 * sim.Millisecond, 200 * sim.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			var fires []sim.Time
			rto := sim.NewTimer(s, func() { fires = append(fires, s.Now()) })
			rto.Reset(tt.rto)
			maxPending := 0
			var ack func()
			n := 0
			ack = func() {
				rto.Reset(tt.rto)
				n++
				if n < tt.acks {
					s.After(tt.interval, ack)
				}
				maxPending = max(maxPending, s.Pending())
			}
			s.After(tt.interval, ack)
			if err := s.Drain(); err != nil {
				t.Fatal(err)
			}
			last := sim.Time(tt.acks) * tt.interval
			var want []sim.Time
			if tt.interval > tt.rto {
				// Each ACK arrives after the timer is due, so it fires
				// before every ACK restarts it. (An ACK arriving exactly at
				// the deadline is handled first: timeouts fire after the
				// ordinary events of their instant.)
				for i := range tt.acks {
					want = append(want, sim.Time(i)*tt.interval+tt.rto)
				}
			}
			want = append(want, last+tt.rto)
			if !slices.Equal(fires, want) {
				if len(fires) > 5 {
					t.Errorf("fired %d times (first %v, last %v), want %d (last %v)",
						len(fires), fires[0], fires[len(fires)-1], len(want), want[len(want)-1])
				} else {
					t.Errorf("fired at %v, want %v", fires, want)
				}
			}
			if maxPending > 2 {
				t.Errorf("Pending() reached %d, want at most 2 (the next ACK and one timer event)", maxPending)
			}
			if f := s.Fired(); f > uint64(2*tt.acks+2) {
				t.Errorf("Fired() = %d for %d ACKs: the timer woke up too often", f, tt.acks)
			}
		})
	}
}

// TestTimerTieOrder checks that a lazily re-armed timer takes its place
// among timeouts due at the same instant as if Reset had scheduled a new
// one: after timeouts scheduled before the Reset, before those after it.
func TestTimerTieOrder(t *testing.T) {
	tests := []struct {
		name  string
		first sim.Time // the timer is armed at 0 for first
		reset sim.Time // then re-armed at reset for 20ns
		other sim.Time // when another event is scheduled for 20ns
		want  []string
	}{
		{"Reset later, other scheduled after the Reset", 10, 2, 5, []string{"timer", "other"}},
		{"Reset later, other scheduled before the Reset", 10, 5, 2, []string{"other", "timer"}},
		{"Reset later, other scheduled after the stale wake-up", 10, 2, 12, []string{"timer", "other"}},
		{"Reset earlier, other scheduled after the Reset", 30, 2, 5, []string{"timer", "other"}},
		{"Reset earlier, other scheduled before the Reset", 30, 5, 2, []string{"other", "timer"}},
		{"Reset to the same deadline, other in between", 20, 8, 5, []string{"other", "timer"}},
		{"Reset to the same deadline, other scheduled at time 0", 20, 8, 0, []string{"other", "timer"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			var log []string
			tm := sim.NewTimer(s, func() { log = append(log, "timer") })
			tm.Reset(tt.first)
			s.At(tt.reset, func() { tm.Reset(20 - s.Now()) })
			s.At(tt.other, func() { s.Timeout(20-s.Now(), func() { log = append(log, "other") }) })
			if err := s.Drain(); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(log, tt.want) {
				t.Errorf("fired %v, want %v", log, tt.want)
			}
		})
	}
}

// TestTimeoutsAfterEvents checks the tie rule of the package doc: at one
// instant every ordinary event fires before every timeout, whatever the
// order they were scheduled in, so a packet arriving at the nanosecond a
// timer expires is handled first.
func TestTimeoutsAfterEvents(t *testing.T) {
	s := sim.New(1, 0)
	var log []string
	tm := sim.NewTimer(s, func() { log = append(log, "timer") })
	tm.Reset(10)                                                       // armed first
	s.Timeout(10, func() { log = append(log, "timeout") })             // then a plain timeout
	s.After(10, func() { log = append(log, "arrival") })               // an ordinary event, scheduled last
	s.At(5, func() { s.At(10, func() { log = append(log, "late") }) }) // scheduled at 5, after both timeouts
	s.At(10, func() {
		log = append(log, "second")
		s.After(0, func() { log = append(log, "now") }) // scheduled while timeouts are due: still before them
	})
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	want := []string{"arrival", "second", "late", "now", "timer", "timeout"}
	if !slices.Equal(log, want) {
		t.Errorf("fired %v, want %v", log, want)
	}
}

// TestTimeoutStoppedByEvent: an event at the deadline that stops the timer
// keeps it from firing, as a packet in hand keeps a host from timing out.
func TestTimeoutStoppedByEvent(t *testing.T) {
	s := sim.New(1, 0)
	fired := false
	tm := sim.NewTimer(s, func() { fired = true })
	s.At(0, func() { tm.Reset(sim.Second) })
	s.At(sim.Second, func() { tm.Stop() }) // scheduled after the Reset, due at the deadline
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	if fired {
		t.Error("the timer fired although an event at its deadline stopped it")
	}
}

// eagerTimer is the obvious timer: every Reset cancels the pending event
// and schedules a new one. Timer must behave exactly like it.
type eagerTimer struct {
	s  *sim.Simulator
	fn func()
	id sim.EventID
}

func (e *eagerTimer) Reset(d sim.Time) {
	e.s.Cancel(e.id)
	e.id = e.s.Timeout(d, func() { e.id = sim.EventID{}; e.fn() })
}

func (e *eagerTimer) Stop() bool { return e.s.Cancel(e.id) }

type resetStopper interface {
	Reset(sim.Time)
	Stop() bool
}

// TestTimerMatchesEagerTimer drives a Timer and an eagerTimer with the same
// random script of Resets, Stops and unrelated events (with many ties) and
// checks that the two runs fire the same events at the same times in the
// same order.
func TestTimerMatchesEagerTimer(t *testing.T) {
	type action struct {
		at    sim.Time
		timer int // which timer, or -1 for an unrelated event
		kind  int // 0 Reset, 1 Stop
		d     sim.Time
	}
	run := func(script []action, lazy bool) []string {
		s := sim.New(1, 0)
		var log []string
		timers := make([]resetStopper, 3)
		for i := range timers {
			fired := 0
			fn := func() {
				log = append(log, fmt.Sprintf("timer%d@%v", i, s.Now()))
				fired++
				if fired%3 == 0 { // sometimes re-arm from the callback
					timers[i].Reset(sim.Time(fired % 7))
				}
			}
			if lazy {
				timers[i] = sim.NewTimer(s, fn)
			} else {
				timers[i] = &eagerTimer{s: s, fn: fn}
			}
		}
		for k, a := range script {
			s.At(a.at, func() {
				switch {
				case a.timer < 0:
					s.After(a.d, func() { log = append(log, fmt.Sprintf("event%d@%v", k, s.Now())) })
				case a.kind == 0:
					timers[a.timer].Reset(a.d)
				default:
					log = append(log, fmt.Sprintf("stop%d=%v", a.timer, timers[a.timer].Stop()))
				}
			})
		}
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		return log
	}
	for seed := range uint64(30) {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			var script []action
			for range 300 {
				a := action{at: sim.Time(rng.IntN(100)), timer: rng.IntN(4) - 1, d: sim.Time(rng.IntN(12))}
				if rng.IntN(6) == 0 {
					a.kind = 1
				}
				script = append(script, a)
			}
			lazy, eager := run(script, true), run(script, false)
			if !slices.Equal(lazy, eager) {
				i := 0
				for i < min(len(lazy), len(eager)) && lazy[i] == eager[i] {
					i++
				}
				t.Fatalf("Timer and eager timer diverge at entry %d: %v vs %v",
					i, lazy[i:min(i+5, len(lazy))], eager[i:min(i+5, len(eager))])
			}
		})
	}
}

func TestTimerResetForever(t *testing.T) {
	s := sim.New(1, 0)
	fired := false
	tm := sim.NewTimer(s, func() { fired = true })
	s.At(sim.Second, func() { tm.Reset(sim.Forever) }) // must not overflow
	if err := s.RunUntil(2 * sim.Second); err != nil {
		t.Fatal(err)
	}
	if tm.Deadline() != sim.Forever || !tm.Armed() {
		t.Errorf("Deadline() = %v, Armed() = %v, want Forever, true", tm.Deadline(), tm.Armed())
	}
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	if !fired || s.Now() != sim.Forever {
		t.Errorf("fired = %v, Now() = %v, want true at Forever", fired, s.Now())
	}
}

// TestTimerAllocatesNothing: making a timer in place, arming it and
// firing it allocates nothing once the engine's tables have grown (a
// timer is fired through the engine's table of timers, not through a
// callback bound to it, which would cost one allocation per timer: three
// per TCP endpoint, issue 17).
func TestTimerAllocatesNothing(t *testing.T) {
	s := sim.New(1, 0)
	fired := 0
	fn := func() { fired++ }
	var tm sim.Timer
	allocs := testing.AllocsPerRun(100, func() {
		tm.Init(s, fn)
		tm.Reset(sim.Millisecond)
		tm.Reset(2 * sim.Millisecond) // re-armed later: fires after a re-queue
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per timer made, armed and fired, want 0", allocs)
	}
	if fired != 101 {
		t.Errorf("fired %d times, want 101", fired)
	}
}

// clock is an Owner of several timers: it logs which expired, when.
type clock struct {
	s   *sim.Simulator
	log []string
}

func (c *clock) Expired(which int) {
	c.log = append(c.log, fmt.Sprintf("%d@%v", which, c.s.Now()))
}

// counter is an Owner that counts expiries.
type counter int

func (c *counter) Expired(int) { *c++ }

// TestOwnedTimers: timers sharing one owner tell it which of them
// expired, in deadline order, and a stopped one says nothing; making,
// arming and firing them allocates nothing.
func TestOwnedTimers(t *testing.T) {
	s := sim.New(1, 0)
	c := &clock{s: s}
	var a, b sim.Timer
	a.InitOwned(s, c, 1)
	d := sim.NewOwnedTimer(s, c, 2)
	b.InitOwned(s, c, 3)
	a.Reset(3 * sim.Millisecond)
	d.Reset(sim.Millisecond)
	b.Reset(2 * sim.Millisecond)
	b.Stop()
	a.Reset(4 * sim.Millisecond)
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(c.log, " "), "2@1ms 1@4ms"; got != want {
		t.Errorf("expired %q, want %q", got, want)
	}
	var n counter
	allocs := testing.AllocsPerRun(100, func() {
		a.InitOwned(s, &n, 1)
		a.Reset(sim.Millisecond)
		a.Reset(2 * sim.Millisecond)
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
	})
	if n != 101 {
		t.Errorf("expired %d times, want 101", n)
	}
	if allocs != 0 {
		t.Errorf("%v allocations per owned timer made, armed and fired, want 0", allocs)
	}
}
