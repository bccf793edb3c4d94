package tui

import (
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

func press(s *state, keys ...any) action {
	var a action
	for _, k := range keys {
		switch k := k.(type) {
		case rune:
			a = s.key(tcell.NewEventKey(tcell.KeyRune, k, tcell.ModNone))
		case tcell.Key:
			a = s.key(tcell.NewEventKey(k, 0, tcell.ModNone))
		}
	}
	return a
}

func TestKeys(t *testing.T) {
	s := newState(basicLesson(t), Options{StartPaused: true})
	if s.view != viewLadder || s.run().run.Protocol != trace.HTTP10 || !s.player.Paused() {
		t.Fatalf("start: view %v protocol %s paused %v", s.view, s.run().run.Protocol, s.player.Paused())
	}
	press(s, ' ')
	if s.player.Paused() {
		t.Error("Space did not play")
	}
	press(s, ' ', tcell.KeyRight, tcell.KeyRight)
	if at := s.at(); at == 0 {
		t.Error("→ did not step")
	}
	at := s.at()
	press(s, tcell.KeyLeft)
	if s.at() >= at {
		t.Error("← did not step back")
	}
	press(s, '+', '+')
	if s.player.Speed() != 10 {
		t.Errorf("+ + from ×1/50: %v, want ×1/10", s.player.Speed())
	}
	press(s, '-')
	if s.player.Speed() != 20 {
		t.Errorf("−: %v, want ×1/20", s.player.Speed())
	}
	press(s, tcell.KeyEnd)
	if !s.player.AtEnd() {
		t.Error("End did not go to the end")
	}
	press(s, tcell.KeyHome)
	if s.at() != 0 {
		t.Error("Home did not go to the start")
	}
	for i, want := range []view{viewWaterfall, viewCwnd, viewCompare, viewLadder} {
		if press(s, tcell.KeyTab); s.view != want {
			t.Fatalf("Tab %d: view %v, want %v", i+1, s.view, want)
		}
	}
	if press(s, tcell.KeyBacktab); s.view != viewCompare {
		t.Errorf("Shift-Tab: view %v", s.view)
	}
	if press(s, '2'); s.view != viewWaterfall {
		t.Errorf("2: view %v", s.view)
	}
	for _, want := range []trace.Protocol{trace.HTTP11, trace.HTTP11Pipelined, trace.HTTP2, trace.HTTP10} {
		if press(s, 'p'); s.run().run.Protocol != want {
			t.Fatalf("p: %s, want %s", s.run().run.Protocol, want)
		}
	}
	if press(s, 'P'); s.run().run.Protocol != trace.HTTP2 {
		t.Errorf("P: %s", s.run().run.Protocol)
	}
	press(s, tcell.KeyDown, tcell.KeyDown)
	if s.sel != 1 {
		t.Errorf("↓ ↓: selected %d, want 1", s.sel)
	}
	press(s, tcell.KeyEscape)
	if s.sel != -1 {
		t.Errorf("Esc: selected %d", s.sel)
	}
	if press(s, 'c'); !s.conns {
		t.Error("c did not show connections")
	}
	if press(s, 'c'); s.conns {
		t.Error("c did not toggle back")
	}
	press(s, '1', 'z')
	if s.rowsPerRTT != 2*defaultRowsPerRTT {
		t.Errorf("z: %d rows per RTT", s.rowsPerRTT)
	}
	press(s, 'Z', 'Z', 'Z', 'Z') // 16 → 1 row per RTT
	if s.rowsPerRTT != minRowsPerRTT || s.lad.whole {
		t.Errorf("Z…: %d rows per RTT, whole run %v", s.rowsPerRTT, s.lad.whole)
	}
	if press(s, 'Z'); !s.lad.whole || s.rowsPerRTT != minRowsPerRTT {
		t.Errorf("Z past the widest zoom: whole run %v, %d rows per RTT", s.lad.whole, s.rowsPerRTT)
	}
	if press(s, 'z'); s.lad.whole || s.rowsPerRTT != minRowsPerRTT {
		t.Errorf("z out of the whole run: whole run %v, %d rows per RTT", s.lad.whole, s.rowsPerRTT)
	}
	if press(s, '2', 'w'); !s.lad.whole || s.view != viewLadder {
		t.Errorf("w on the waterfall: whole run %v, view %v; want the whole run on the ladder", s.lad.whole, s.view)
	}
	if press(s, 'w'); s.lad.whole {
		t.Error("w did not go back to the window")
	}
	if press(s, 'x'); !s.lad.expand {
		t.Error("x did not expand the labels")
	}
	if press(s, 'x'); s.lad.expand {
		t.Error("x did not fold the labels back")
	}
	if press(s, '?'); !s.help {
		t.Error("? did not open help")
	}
	if a := press(s, 'x'); s.help || a != handled {
		t.Error("a key did not close help")
	}
	for k, want := range map[any]action{'e': actEdit, 's': actChoose, 'q': actQuit, tcell.KeyCtrlC: actQuit, 'y': ignored} {
		if a := press(s, k); a != want {
			t.Errorf("key %v: action %v, want %v", k, a, want)
		}
	}
}

func TestCompareStepsThroughEveryRun(t *testing.T) {
	s := newState(basicLesson(t), Options{StartPaused: true})
	press(s, '4')
	// http2 and http1.0 log events at different times: stepping in the
	// compare view stops at both.
	seen := map[time.Duration]bool{}
	for range 400 {
		press(s, tcell.KeyRight)
		seen[s.at()] = true
	}
	want := 0
	for _, ix := range s.runs {
		for _, r := range ix.recs {
			if r.At <= s.at() && !seen[r.At] && r.At != 0 {
				want++
			}
		}
	}
	if want > 0 {
		t.Errorf("%d event times skipped in the compare view", want)
	}
}
