package tui_test

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/tui"
)

// events returns records at the given times, in milliseconds.
func events(ms ...int) trace.List {
	recs := make([]trace.Record, len(ms))
	for i, m := range ms {
		recs[i] = trace.Record{At: time.Duration(m) * time.Millisecond, Kind: trace.StateChanged}
	}
	return recs
}

const msec = time.Millisecond

func TestPlayerStartsPausedAtFirstEvent(t *testing.T) {
	p := tui.NewPlayer(events(5, 10, 10, 50))
	if !p.Paused() || p.At() != 5*msec || p.Speed() != tui.ClassroomSpeed {
		t.Fatalf("new player: paused %v at %v speed %v; want paused at 5ms, ×1/50", p.Paused(), p.At(), p.Speed())
	}
	if first, last := p.Span(); first != 5*msec || last != 50*msec {
		t.Errorf("Span() = %v, %v; want 5ms, 50ms", first, last)
	}
}

func TestPlayerAdvance(t *testing.T) {
	p := tui.NewPlayer(events(0, 100, 200))
	p.Advance(time.Second)
	if p.At() != 0 {
		t.Fatalf("paused player moved to %v", p.At())
	}
	p.SetPaused(false)
	// At ×1/50, one second of wall time is 20 ms of virtual time (a
	// 100 ms RTT takes 5 s).
	p.Advance(time.Second)
	if p.At() != 20*msec {
		t.Fatalf("after 1 s at ×1/50: %v, want 20ms", p.At())
	}
	p.SetSpeed(tui.RealTime)
	p.Advance(50 * msec)
	if p.At() != 70*msec {
		t.Fatalf("after 50 ms at ×1: %v, want 70ms", p.At())
	}
	p.Advance(time.Hour)
	if p.At() != 200*msec || !p.Paused() || !p.AtEnd() {
		t.Fatalf("past the end: at %v paused %v; want paused at 200ms", p.At(), p.Paused())
	}
	p.SetPaused(false) // playing again from the end starts over
	if p.At() != 0 || p.Paused() {
		t.Fatalf("play at the end: at %v paused %v; want playing from 0", p.At(), p.Paused())
	}
}

func TestPlayerIdleGapsPlayFaster(t *testing.T) {
	// A 60 s gap (TIME-WAIT) with gaps limited to 300 ms of play.
	p := tui.NewPlayer(events(0, 100, 60_100))
	p.SetIdle(300 * msec)
	p.SetSpeed(tui.RealTime)
	p.SetPaused(false)
	p.Advance(50 * msec) // an ordinary gap, at speed
	if p.At() != 50*msec || p.Skipping() {
		t.Fatalf("at %v skipping %v; want 50ms, not skipping", p.At(), p.Skipping())
	}
	p.Advance(50 * msec)
	p.Advance(150 * msec) // half of the gap's 300 ms budget: half of 60 s
	if p.At() != 30_100*msec || !p.Skipping() {
		t.Fatalf("at %v skipping %v; want 30.1s, skipping", p.At(), p.Skipping())
	}
	p.Advance(150 * msec)
	if p.At() != 60_100*msec || !p.Paused() {
		t.Fatalf("at %v paused %v; want the end", p.At(), p.Paused())
	}
}

func TestPlayerStep(t *testing.T) {
	p := tui.NewPlayer(events(0, 10, 10, 30))
	p.SetPaused(false)
	for _, tc := range []struct {
		dir  int
		want time.Duration
	}{
		{+1, 10 * msec}, // records at the same time are one event
		{+1, 30 * msec},
		{+1, 30 * msec}, // stays at the end
		{-1, 10 * msec},
		{-1, 0},
		{-1, 0}, // stays at the start
	} {
		p.Step(tc.dir)
		if p.At() != tc.want || !p.Paused() {
			t.Fatalf("Step(%d): at %v paused %v; want paused at %v", tc.dir, p.At(), p.Paused(), tc.want)
		}
	}
	p.Seek(15 * msec) // between events
	p.Step(-1)
	if p.At() != 10*msec {
		t.Errorf("Step(-1) from 15ms: %v, want 10ms", p.At())
	}
}

func TestPlayerHomeEnd(t *testing.T) {
	p := tui.NewPlayer(events(3, 7, 11))
	p.End()
	if p.At() != 11*msec || !p.Paused() {
		t.Fatalf("End: at %v paused %v", p.At(), p.Paused())
	}
	p.Home()
	if p.At() != 3*msec {
		t.Fatalf("Home: at %v", p.At())
	}
	p.Seek(time.Hour)
	if p.At() != 11*msec {
		t.Errorf("Seek past the end: %v, want 11ms", p.At())
	}
	p.Seek(-time.Hour)
	if p.At() != 3*msec {
		t.Errorf("Seek before the start: %v, want 3ms", p.At())
	}
}

func TestPlayerLoadKeepsPlayhead(t *testing.T) {
	p := tui.NewPlayer(events(0, 10, 20))
	p.Seek(10 * msec)
	p.Load(events(0, 5), events(15, 40)) // two runs on one clock
	if p.At() != 10*msec {
		t.Fatalf("at %v after Load, want 10ms", p.At())
	}
	p.Step(1)
	if p.At() != 15*msec {
		t.Errorf("Step after Load: %v, want 15ms (the other run's event)", p.At())
	}
}

func TestSpeedBounds(t *testing.T) {
	p := tui.NewPlayer(events(0, 1))
	for _, tc := range []struct {
		set, want tui.Speed
	}{
		{5000, tui.SlowestSpeed}, {0, tui.RealTime}, {-3, tui.RealTime}, {20, 20},
	} {
		p.SetSpeed(tc.set)
		if p.Speed() != tc.want {
			t.Errorf("SetSpeed(%d): %d, want %d", tc.set, p.Speed(), tc.want)
		}
	}
	// + and − walk the table and stop at its ends.
	s := tui.SlowestSpeed
	var seen []tui.Speed
	for range 12 {
		seen = append(seen, s)
		s = s.Faster()
	}
	want := []tui.Speed{1000, 500, 200, 100, 50, 20, 10, 5, 2, 1, 1, 1}
	for i := range want {
		if seen[i] != want[i] {
			t.Fatalf("Faster from 1/1000: %v, want %v", seen, want)
		}
	}
	if got := tui.RealTime.Slower(); got != 2 {
		t.Errorf("RealTime.Slower() = %d, want 2", got)
	}
	if got := tui.SlowestSpeed.Slower(); got != tui.SlowestSpeed {
		t.Errorf("SlowestSpeed.Slower() = %d", got)
	}
	if got := tui.Speed(50).String(); got != "×1/50" {
		t.Errorf("String() = %q", got)
	}
	if got := tui.RealTime.String(); got != "×1" {
		t.Errorf("String() = %q", got)
	}
}

func TestEmptyPlayer(t *testing.T) {
	p := tui.NewPlayer()
	p.SetPaused(false)
	p.Advance(time.Second)
	p.Step(1)
	p.Step(-1)
	p.End()
	if p.At() != 0 || !p.Paused() {
		t.Errorf("empty player: at %v paused %v", p.At(), p.Paused())
	}
}

// TestPlayerKeepsTimeAcrossRuns: loading a shorter run limits the
// playhead, and loading the longer one again brings it back (the views
// share one clock).
func TestPlayerKeepsTimeAcrossRuns(t *testing.T) {
	long := trace.List{{At: 0}, {At: 10 * time.Second}}
	short := trace.List{{At: 0}, {At: 2 * time.Second}}
	p := tui.NewPlayer(long)
	p.Seek(8 * time.Second)
	p.Load(short)
	if p.At() != 2*time.Second {
		t.Fatalf("in the shorter run at %v, want 2s", p.At())
	}
	p.Load(long)
	if p.At() != 8*time.Second {
		t.Errorf("back in the longer run at %v, want 8s", p.At())
	}
}
