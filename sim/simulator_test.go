package sim_test

import (
	"cmp"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// recorder collects the names of fired events with the time they fired at.
type recorder struct {
	s   *sim.Simulator
	got []string
}

func (r *recorder) ev(name string) func() {
	return func() { r.got = append(r.got, fmt.Sprintf("%s@%v", name, r.s.Now())) }
}

// mustPanic runs f and returns the panic value as a string; it fails the
// test if f does not panic.
func mustPanic(t *testing.T, f func()) (msg string) {
	t.Helper()
	defer func() {
		r := recover()
		if r == nil {
			t.Fatalf("did not panic")
		}
		msg = fmt.Sprint(r)
	}()
	f()
	return ""
}

func TestEqualTimeEventsFireInInsertionOrder(t *testing.T) {
	tests := []struct {
		name     string
		schedule func(s *sim.Simulator, r *recorder)
		want     []string
	}{
		{
			name: "At at time zero",
			schedule: func(s *sim.Simulator, r *recorder) {
				for _, n := range []string{"a", "b", "c", "d", "e"} {
					s.At(0, r.ev(n))
				}
			},
			want: []string{"a@0s", "b@0s", "c@0s", "d@0s", "e@0s"},
		},
		{
			name: "At and After mixed at one instant",
			schedule: func(s *sim.Simulator, r *recorder) {
				s.At(sim.Millisecond, r.ev("a"))
				s.After(sim.Millisecond, r.ev("b"))
				s.At(sim.Millisecond, r.ev("c"))
			},
			want: []string{"a@1ms", "b@1ms", "c@1ms"},
		},
		{
			name: "interleaved with other times",
			schedule: func(s *sim.Simulator, r *recorder) {
				s.At(2*sim.Millisecond, r.ev("x1"))
				s.At(sim.Millisecond, r.ev("y1"))
				s.At(2*sim.Millisecond, r.ev("x2"))
				s.At(3*sim.Millisecond, r.ev("z1"))
				s.At(sim.Millisecond, r.ev("y2"))
				s.At(2*sim.Millisecond, r.ev("x3"))
			},
			want: []string{"y1@1ms", "y2@1ms", "x1@2ms", "x2@2ms", "x3@2ms", "z1@3ms"},
		},
		{
			name: "scheduled from a callback for now runs after those already due",
			schedule: func(s *sim.Simulator, r *recorder) {
				s.At(sim.Millisecond, func() {
					r.ev("a")()
					s.After(0, r.ev("a-child"))
				})
				s.At(sim.Millisecond, r.ev("b"))
			},
			want: []string{"a@1ms", "b@1ms", "a-child@1ms"},
		},
		{
			name: "many events at one instant",
			schedule: func(s *sim.Simulator, r *recorder) {
				for i := range 1000 {
					s.At(5*sim.Microsecond, r.ev(fmt.Sprint(i)))
				}
			},
			want: func() []string {
				var w []string
				for i := range 1000 {
					w = append(w, fmt.Sprintf("%d@5µs", i))
				}
				return w
			}(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			r := &recorder{s: s}
			tt.schedule(s, r)
			if err := s.Drain(); err != nil {
				t.Fatalf("Drain: %v", err)
			}
			if !slices.Equal(r.got, tt.want) {
				t.Errorf("fired %v, want %v", r.got, tt.want)
			}
		})
	}
}

func TestEventsFireInTimeOrder(t *testing.T) {
	tests := []struct {
		name  string
		times []sim.Time
	}{
		{"ascending", []sim.Time{1, 2, 3, 4, 5}},
		{"descending", []sim.Time{5, 4, 3, 2, 1}},
		{"shuffled", []sim.Time{30, 10, 50, 20, 40, 0}},
		{"wide range", []sim.Time{sim.Second, sim.Nanosecond, sim.Millisecond, 3 * sim.Second, sim.Microsecond}},
		{"Forever is reachable", []sim.Time{sim.Forever, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			var got []sim.Time
			for _, at := range tt.times {
				s.At(at, func() {
					if s.Now() != at {
						t.Errorf("event due at %v saw Now() = %v", at, s.Now())
					}
					got = append(got, s.Now())
				})
			}
			if err := s.Drain(); err != nil {
				t.Fatalf("Drain: %v", err)
			}
			want := slices.Clone(tt.times)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("fired at %v, want %v", got, want)
			}
			if s.Now() != want[len(want)-1] {
				t.Errorf("Now() after Drain = %v, want the last event's time %v", s.Now(), want[len(want)-1])
			}
		})
	}
}

func TestSchedulingPanics(t *testing.T) {
	tests := []struct {
		name string
		call func(s *sim.Simulator)
		want []string // substrings of the panic message
	}{
		{
			name: "At in the past",
			call: func(s *sim.Simulator) { s.At(sim.Millisecond, func() {}) },
			want: []string{"(*Simulator).At", "1ms", "2ms"},
		},
		{
			name: "At one nanosecond in the past",
			call: func(s *sim.Simulator) { s.At(s.Now()-1, func() {}) },
			want: []string{"(*Simulator).At", "before now"},
		},
		{
			name: "At with nil callback",
			call: func(s *sim.Simulator) { s.At(s.Now(), nil) },
			want: []string{"(*Simulator).At", "nil"},
		},
		{
			name: "After with negative delay",
			call: func(s *sim.Simulator) { s.After(-sim.Microsecond, func() {}) },
			want: []string{"(*Simulator).After", "negative", "-1µs"},
		},
		{
			name: "After with nil callback",
			call: func(s *sim.Simulator) { s.After(0, nil) },
			want: []string{"nil callback"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			if err := s.RunUntil(2 * sim.Millisecond); err != nil {
				t.Fatal(err)
			}
			msg := mustPanic(t, func() { tt.call(s) })
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("panic %q does not mention %q", msg, w)
				}
			}
			if s.Pending() != 0 {
				t.Errorf("Pending() = %d after a rejected schedule, want 0", s.Pending())
			}
		})
	}
}

func TestAfterSaturatesAtForever(t *testing.T) {
	tests := []struct {
		name string
		d    sim.Time
		want sim.Time
	}{
		{"Forever", sim.Forever, sim.Forever},
		{"just past Forever", sim.Forever - sim.Second + 1, sim.Forever},
		{"exactly Forever", sim.Forever - sim.Second, sim.Forever},
		{"just before Forever", sim.Forever - sim.Second - 1, sim.Forever - 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			if err := s.RunUntil(sim.Second); err != nil {
				t.Fatal(err)
			}
			var at sim.Time
			s.After(tt.d, func() { at = s.Now() }) // must not panic
			if err := s.Drain(); err != nil {
				t.Fatal(err)
			}
			if at != tt.want {
				t.Errorf("After(%d) fired at %d, want %d", tt.d, at, tt.want)
			}
		})
	}
}

func TestAtNowIsAllowed(t *testing.T) {
	s := sim.New(1, 0)
	fired := false
	s.At(0, func() {
		s.At(s.Now(), func() { fired = true })
	})
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	if !fired {
		t.Error("event scheduled At(Now()) from a callback did not fire")
	}
}

func TestCancel(t *testing.T) {
	t.Run("true once then false", func(t *testing.T) {
		s := sim.New(1, 0)
		id := s.At(sim.Millisecond, func() { t.Error("cancelled event fired") })
		if !id.Valid() {
			t.Fatal("At returned an invalid EventID")
		}
		if !s.Cancel(id) {
			t.Fatal("first Cancel = false, want true")
		}
		if s.Cancel(id) {
			t.Fatal("second Cancel = true, want false")
		}
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		if s.Cancel(id) {
			t.Fatal("Cancel after Drain = true, want false")
		}
	})

	t.Run("zero EventID", func(t *testing.T) {
		s := sim.New(1, 0)
		var zero sim.EventID
		if zero.Valid() {
			t.Error("zero EventID is Valid")
		}
		if s.Cancel(zero) {
			t.Error("Cancel(zero) on an empty simulator = true")
		}
		// The zero ID must not name an event even when slot 0 is in use.
		fired := false
		s.At(0, func() { fired = true })
		if s.Cancel(zero) {
			t.Error("Cancel(zero) = true with a pending event")
		}
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		if !fired {
			t.Error("Cancel(zero) cancelled a real event")
		}
	})

	t.Run("fired event", func(t *testing.T) {
		s := sim.New(1, 0)
		var self sim.EventID
		self = s.At(sim.Millisecond, func() {
			if s.Cancel(self) {
				t.Error("an event cancelled itself while firing")
			}
		})
		if !s.Step() {
			t.Fatal("Step = false")
		}
		if s.Cancel(self) {
			t.Error("Cancel of a fired event = true")
		}
	})

	t.Run("cancelled events do not fire or advance the clock", func(t *testing.T) {
		s := sim.New(1, 0)
		r := &recorder{s: s}
		s.At(1*sim.Millisecond, r.ev("a"))
		b := s.At(2*sim.Millisecond, r.ev("b"))
		s.At(3*sim.Millisecond, r.ev("c"))
		d := s.At(4*sim.Millisecond, r.ev("d"))
		s.Cancel(b)
		s.Cancel(d)
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		if want := []string{"a@1ms", "c@3ms"}; !slices.Equal(r.got, want) {
			t.Errorf("fired %v, want %v", r.got, want)
		}
		if s.Now() != 3*sim.Millisecond {
			t.Errorf("Now() = %v, want 3ms (the cancelled 4ms event must not move the clock)", s.Now())
		}
	})

	t.Run("Drain with only cancelled events leaves Now unchanged", func(t *testing.T) {
		s := sim.New(1, 0)
		if err := s.RunUntil(5 * sim.Millisecond); err != nil {
			t.Fatal(err)
		}
		var ids []sim.EventID
		for i := 1; i <= 10; i++ {
			ids = append(ids, s.After(sim.Time(i)*sim.Millisecond, func() { t.Error("cancelled event fired") }))
		}
		for _, id := range ids {
			s.Cancel(id)
		}
		if s.Pending() != 0 {
			t.Errorf("Pending() = %d, want 0", s.Pending())
		}
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		if s.Now() != 5*sim.Millisecond {
			t.Errorf("Now() = %v, want 5ms", s.Now())
		}
		if s.Fired() != 0 {
			t.Errorf("Fired() = %d, want 0", s.Fired())
		}
	})

	t.Run("Step skips cancelled events", func(t *testing.T) {
		s := sim.New(1, 0)
		s.Cancel(s.At(1, func() { t.Error("cancelled event fired") }))
		fired := false
		s.At(2, func() { fired = true })
		if !s.Step() || !fired {
			t.Fatal("Step did not fire the live event behind a cancelled one")
		}
		if s.Now() != 2 {
			t.Errorf("Now() = %v, want 2ns", s.Now())
		}
	})

	t.Run("stale ID does not cancel a later event reusing its storage", func(t *testing.T) {
		s := sim.New(1, 0)
		old := s.At(1, func() {})
		if !s.Step() {
			t.Fatal("Step = false")
		}
		// The next event is likely to reuse the fired event's storage.
		fired := false
		s.At(2, func() { fired = true })
		if s.Cancel(old) {
			t.Error("Cancel of a fired event's ID = true")
		}
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		if !fired {
			t.Error("a stale EventID cancelled a newer event")
		}
	})

	t.Run("stale ID of a cancelled event", func(t *testing.T) {
		s := sim.New(1, 0)
		old := s.At(1, func() {})
		s.Cancel(old)
		s.Drain() // discards the cancelled entry, freeing its storage
		fired := false
		s.At(2, func() { fired = true })
		if s.Cancel(old) {
			t.Error("Cancel of an already-cancelled ID = true")
		}
		s.Drain()
		if !fired {
			t.Error("a stale EventID cancelled a newer event")
		}
	})
}

func TestRunUntil(t *testing.T) {
	tests := []struct {
		name    string
		times   []sim.Time
		until   sim.Time
		want    []sim.Time // fired
		wantNow sim.Time
	}{
		{"fires at exactly t", []sim.Time{1, 2, 3}, 2, []sim.Time{1, 2}, 2},
		{"not after t", []sim.Time{5, 10}, 9, []sim.Time{5}, 9},
		{"empty queue moves the clock", nil, sim.Second, nil, sim.Second},
		{"nothing due", []sim.Time{sim.Second}, sim.Millisecond, nil, sim.Millisecond},
		{"all due", []sim.Time{1, 2, 3}, sim.Second, []sim.Time{1, 2, 3}, sim.Second},
		{"Forever keeps the last event's time", []sim.Time{4, 7}, sim.Forever, []sim.Time{4, 7}, 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			var got []sim.Time
			for _, at := range tt.times {
				s.At(at, func() { got = append(got, s.Now()) })
			}
			if err := s.RunUntil(tt.until); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("fired at %v, want %v", got, tt.want)
			}
			if s.Now() != tt.wantNow {
				t.Errorf("Now() = %v, want %v", s.Now(), tt.wantNow)
			}
			if p := len(tt.times) - len(tt.want); s.Pending() != p {
				t.Errorf("Pending() = %d, want %d", s.Pending(), p)
			}
		})
	}

	t.Run("events scheduled for t from a callback fire", func(t *testing.T) {
		s := sim.New(1, 0)
		var got []sim.Time
		s.At(sim.Millisecond, func() {
			s.At(2*sim.Millisecond, func() { got = append(got, s.Now()) })
			s.At(2*sim.Millisecond+1, func() { got = append(got, s.Now()) })
		})
		if err := s.RunUntil(2 * sim.Millisecond); err != nil {
			t.Fatal(err)
		}
		if want := []sim.Time{2 * sim.Millisecond}; !slices.Equal(got, want) {
			t.Errorf("fired at %v, want %v", got, want)
		}
		if s.Pending() != 1 {
			t.Errorf("Pending() = %d, want 1", s.Pending())
		}
	})

	t.Run("successive calls", func(t *testing.T) {
		s := sim.New(1, 0)
		var got []sim.Time
		for _, at := range []sim.Time{10, 20, 30} {
			s.At(at, func() { got = append(got, s.Now()) })
		}
		for _, until := range []sim.Time{5, 15, 25, 35} {
			if err := s.RunUntil(until); err != nil {
				t.Fatal(err)
			}
			if s.Now() != until {
				t.Errorf("after RunUntil(%v), Now() = %v", until, s.Now())
			}
		}
		if want := []sim.Time{10, 20, 30}; !slices.Equal(got, want) {
			t.Errorf("fired at %v, want %v", got, want)
		}
	})
}

func TestStop(t *testing.T) {
	t.Run("Drain returns with events pending", func(t *testing.T) {
		s := sim.New(1, 0)
		var got []sim.Time
		for i := 1; i <= 5; i++ {
			at := sim.Time(i) * sim.Millisecond
			s.At(at, func() {
				got = append(got, s.Now())
				if at == 2*sim.Millisecond {
					s.Stop()
				}
			})
		}
		if err := s.Drain(); err != nil {
			t.Fatalf("Drain after Stop = %v, want nil", err)
		}
		if want := []sim.Time{sim.Millisecond, 2 * sim.Millisecond}; !slices.Equal(got, want) {
			t.Errorf("fired at %v, want %v", got, want)
		}
		if s.Pending() != 3 {
			t.Errorf("Pending() = %d, want 3", s.Pending())
		}
		if s.Now() != 2*sim.Millisecond {
			t.Errorf("Now() = %v, want 2ms", s.Now())
		}
		// A later Drain carries on where the stopped one left off.
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		if len(got) != 5 || s.Pending() != 0 {
			t.Errorf("after second Drain: fired %v, Pending() = %d", got, s.Pending())
		}
	})

	t.Run("RunUntil returns early without moving the clock to t", func(t *testing.T) {
		s := sim.New(1, 0)
		s.At(sim.Millisecond, s.Stop)
		s.At(2*sim.Millisecond, func() {})
		if err := s.RunUntil(sim.Second); err != nil {
			t.Fatal(err)
		}
		if s.Now() != sim.Millisecond {
			t.Errorf("Now() = %v, want 1ms", s.Now())
		}
		if s.Pending() != 1 {
			t.Errorf("Pending() = %d, want 1", s.Pending())
		}
	})

	t.Run("Stop outside a run does not affect the next run", func(t *testing.T) {
		s := sim.New(1, 0)
		n := 0
		s.At(1, func() { n++ })
		s.At(2, func() { n++ })
		s.Stop()
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		if n != 2 {
			t.Errorf("fired %d events, want 2", n)
		}
	})
}

func TestLimits(t *testing.T) {
	tests := []struct {
		name      string
		limits    sim.Limits
		period    sim.Time // a self-rescheduling event every period
		run       func(s *sim.Simulator) error
		wantKind  sim.LimitKind
		wantFired uint64
		wantMsg   []string
	}{
		{
			name:      "MaxEvents on a self-rescheduling event",
			limits:    sim.Limits{MaxEvents: 100},
			period:    sim.Millisecond,
			run:       (*sim.Simulator).Drain,
			wantKind:  sim.EventLimit,
			wantFired: 100,
			wantMsg:   []string{"event budget of 100", "100 events"},
		},
		{
			name:      "MaxEvents with zero-delay loop",
			limits:    sim.Limits{MaxEvents: 1000},
			period:    0,
			run:       (*sim.Simulator).Drain,
			wantKind:  sim.EventLimit,
			wantFired: 1000,
			wantMsg:   []string{"event budget of 1000"},
		},
		{
			name:      "MaxTime",
			limits:    sim.Limits{MaxTime: sim.Second},
			period:    10 * sim.Millisecond,
			run:       (*sim.Simulator).Drain,
			wantKind:  sim.TimeLimit,
			wantFired: 101, // at 0, 10ms, ..., 1s
			wantMsg:   []string{"simulated-time limit of 1s"},
		},
		{
			name:      "MaxTime under RunUntil",
			limits:    sim.Limits{MaxTime: sim.Second},
			period:    300 * sim.Millisecond,
			run:       func(s *sim.Simulator) error { return s.RunUntil(sim.Forever - 1) },
			wantKind:  sim.TimeLimit,
			wantFired: 4, // 0, 300ms, 600ms, 900ms
			wantMsg:   []string{"simulated-time limit of 1s"},
		},
		{
			name:      "MaxEvents hit before MaxTime",
			limits:    sim.Limits{MaxEvents: 5, MaxTime: sim.Second},
			period:    sim.Millisecond,
			run:       (*sim.Simulator).Drain,
			wantKind:  sim.EventLimit,
			wantFired: 5,
			wantMsg:   []string{"event budget of 5"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(1, 0)
			s.SetLimits(tt.limits)
			var tick func()
			tick = func() { s.After(tt.period, tick) }
			s.At(0, tick)

			err := tt.run(s)
			if err == nil {
				t.Fatal("run returned nil, want a *LimitError")
			}
			var le *sim.LimitError
			if !errors.As(err, &le) {
				t.Fatalf("error %v (%T) is not a *LimitError", err, err)
			}
			if le.Kind != tt.wantKind {
				t.Errorf("Kind = %v, want %v", le.Kind, tt.wantKind)
			}
			if le.Fired != tt.wantFired || s.Fired() != tt.wantFired {
				t.Errorf("LimitError.Fired = %d, Fired() = %d, want %d", le.Fired, s.Fired(), tt.wantFired)
			}
			if le.Now != s.Now() {
				t.Errorf("LimitError.Now = %v, Now() = %v", le.Now, s.Now())
			}
			if le.Limits != tt.limits {
				t.Errorf("LimitError.Limits = %+v, want %+v", le.Limits, tt.limits)
			}
			if tt.limits.MaxTime > 0 && s.Now() > tt.limits.MaxTime {
				t.Errorf("Now() = %v is past MaxTime %v", s.Now(), tt.limits.MaxTime)
			}
			for _, w := range tt.wantMsg {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not mention %q", err.Error(), w)
				}
			}
			if s.Pending() != 1 {
				t.Errorf("Pending() = %d, want the 1 event that was not fired", s.Pending())
			}
		})
	}

	t.Run("a run that ends within its limits returns nil", func(t *testing.T) {
		s := sim.New(1, 0)
		s.SetLimits(sim.Limits{MaxEvents: 10, MaxTime: 10 * sim.Millisecond})
		for i := range 10 {
			s.At(sim.Time(i+1)*sim.Millisecond, func() {})
		}
		if err := s.Drain(); err != nil {
			t.Errorf("Drain = %v, want nil", err)
		}
		if s.Fired() != 10 {
			t.Errorf("Fired() = %d, want 10", s.Fired())
		}
	})

	t.Run("cancelled events do not use the event budget", func(t *testing.T) {
		s := sim.New(1, 0)
		s.SetLimits(sim.Limits{MaxEvents: 3})
		for i := range 10 {
			id := s.At(sim.Time(i), func() {})
			if i >= 3 {
				s.Cancel(id)
			}
		}
		if err := s.Drain(); err != nil {
			t.Errorf("Drain = %v, want nil", err)
		}
	})

	t.Run("Step ignores limits", func(t *testing.T) {
		s := sim.New(1, 0)
		s.SetLimits(sim.Limits{MaxEvents: 1, MaxTime: 1})
		s.At(5, func() {})
		s.At(6, func() {})
		first := s.Step()
		if second := s.Step(); !first || !second {
			t.Error("Step refused to fire past the limits")
		}
	})
}

func TestStepOnEmptyQueue(t *testing.T) {
	s := sim.New(1, 0)
	if s.Step() {
		t.Error("Step on a new simulator = true")
	}
	if s.Now() != 0 || s.Fired() != 0 {
		t.Errorf("Now() = %v, Fired() = %d after an empty Step", s.Now(), s.Fired())
	}
	s.Cancel(s.At(sim.Second, func() {}))
	if s.Step() {
		t.Error("Step with only a cancelled event = true")
	}
	if s.Now() != 0 {
		t.Errorf("Now() = %v after stepping over a cancelled event, want 0", s.Now())
	}
}

func TestPendingAndFired(t *testing.T) {
	s := sim.New(1, 0)
	check := func(step string, pending int, fired uint64) {
		t.Helper()
		if s.Pending() != pending || s.Fired() != fired {
			t.Errorf("%s: Pending() = %d, Fired() = %d, want %d, %d", step, s.Pending(), s.Fired(), pending, fired)
		}
	}
	check("new", 0, 0)
	a := s.At(1, func() {})
	s.At(2, func() {})
	c := s.At(3, func() {})
	check("three scheduled", 3, 0)
	s.Cancel(c)
	check("one cancelled", 2, 0)
	s.Cancel(c)
	check("cancelled twice", 2, 0)
	s.Step()
	check("one fired", 1, 1)
	s.Cancel(a)
	check("cancel of fired event", 1, 1)
	s.At(4, func() { s.After(1, func() {}) })
	check("scheduled one more", 2, 1)
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	check("drained", 0, 4)
}

// firing is one fired event as seen by checkMonotone.
type firing struct {
	at  sim.Time
	seq int // order in which the event was scheduled
}

// checkMonotone reports the first place where the fired sequence breaks
// the engine's ordering rule: time never goes back, and events due at the
// same instant fire in the order they were scheduled.
func checkMonotone(t *testing.T, fired []firing) {
	t.Helper()
	for i := 1; i < len(fired); i++ {
		p, c := fired[i-1], fired[i]
		if c.at < p.at {
			t.Fatalf("event %d fired at %v, after event %d at %v: time went backwards", c.seq, c.at, p.seq, p.at)
		}
		if c.at == p.at && c.seq < p.seq {
			t.Fatalf("events %d and %d both at %v fired out of scheduling order", p.seq, c.seq, c.at)
		}
	}
}

// TestRandomisedOrdering schedules many events, most of them from inside
// callbacks and some cancelled, and checks that the engine fires exactly
// the live events, in (time, scheduling order).
func TestRandomisedOrdering(t *testing.T) {
	for _, tc := range []struct {
		seed    uint64
		cancels int // earlier events each firing tries to cancel; 0 is one in eight firings
	}{{1, 0}, {2, 0}, {3, 0}, {42, 0}, {1234, 0}, {5, 3}, {6, 3}} {
		seed := tc.seed
		t.Run(fmt.Sprintf("seed=%d/cancels=%d", seed, tc.cancels), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 0xdecaf))
			s := sim.New(seed, 0)
			var (
				fired     []firing
				scheduled []firing // every event, by seq
				cancelled = map[int]bool{}
				ids       []sim.EventID
			)
			const total = 20000
			var schedule func()
			schedule = func() {
				if len(scheduled) >= total {
					return
				}
				// Small delays with many ties, occasionally large ones.
				var d sim.Time
				switch rng.IntN(4) {
				case 0:
					d = 0
				case 1:
					d = sim.Time(rng.IntN(5))
				case 2:
					d = sim.Time(rng.IntN(1000))
				default:
					d = sim.Time(rng.Int64N(int64(sim.Millisecond)))
				}
				seq := len(scheduled)
				at := s.Now() + d
				scheduled = append(scheduled, firing{at, seq})
				ids = append(ids, s.After(d, func() {
					if s.Now() != at {
						t.Errorf("event %d due at %v fired at %v", seq, at, s.Now())
					}
					fired = append(fired, firing{s.Now(), seq})
					for range rng.IntN(3) + 1 {
						schedule()
					}
					// Cancel a random earlier event; it may have fired already.
					tries := tc.cancels
					if tries == 0 && rng.IntN(8) == 0 {
						tries = 1
					}
					for range tries {
						v := rng.IntN(len(ids))
						if s.Cancel(ids[v]) {
							if cancelled[v] {
								t.Errorf("event %d cancelled twice", v)
							}
							cancelled[v] = true
						}
					}
					// Cancelled entries are compacted away once they
					// outnumber the live ones (past a small floor).
					if n := sim.HeapLen(s); n > 2*s.Pending()+sim.CompactMin+1 {
						t.Fatalf("%d heap entries for %d pending events", n, s.Pending())
					}
				}))
			}
			for range 100 {
				schedule()
			}
			if err := s.Drain(); err != nil {
				t.Fatal(err)
			}
			checkMonotone(t, fired)

			var want []firing
			for _, f := range scheduled {
				if !cancelled[f.seq] {
					want = append(want, f)
				}
			}
			slices.SortFunc(want, func(a, b firing) int {
				return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.seq, b.seq))
			})
			if !slices.Equal(fired, want) {
				t.Fatalf("fired %d events, want %d; sequences differ", len(fired), len(want))
			}
			if s.Fired() != uint64(len(fired)) || s.Pending() != 0 {
				t.Errorf("Fired() = %d, Pending() = %d, want %d, 0", s.Fired(), s.Pending(), len(fired))
			}
			if len(cancelled) == 0 {
				t.Error("test did not exercise Cancel")
			}
		})
	}
}

// TestDeterministicReplay runs the same randomised model twice and checks
// that both runs fire identical sequences.
func TestDeterministicReplay(t *testing.T) {
	run := func() []string {
		s := sim.New(7, 3)
		var out []string
		var spawn func()
		spawn = func() {
			out = append(out, fmt.Sprint(s.Now()))
			if len(out) < 5000 {
				r := s.Rand("spawn")
				for range r.IntN(2) + 1 {
					s.After(sim.Time(r.IntN(100)), spawn)
				}
			}
		}
		s.At(0, spawn)
		if err := s.Drain(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Error("two runs with the same (seed, run) differ")
	}
}
