package tui

import (
	"strings"
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
	s := newState(basicLesson(t), Options{})
	if s.view != viewLadder || s.run().run.Protocol != trace.HTTP10 || !s.player.Paused() || s.at() != s.run().moments[0].at {
		t.Fatalf("start: view %v protocol %s paused %v at %v", s.view, s.run().run.Protocol, s.player.Paused(), s.at())
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
	s := newState(basicLesson(t), Options{})
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
		for i := range ix.recs.Len() {
			if r := ix.recs.At(i); r.At <= s.at() && !seen[r.At] && r.At != 0 {
				want++
			}
		}
	}
	if want > 0 {
		t.Errorf("%d event times skipped in the compare view", want)
	}
}

// TestMomentKeys: the close race opens paused on its first key moment; n
// goes from moment to moment in the lesson's order, pausing at each, and
// the explanation line tells its sentence; N goes back; past either end
// the playhead stays and a message says so.
func TestMomentKeys(t *testing.T) {
	s := newState(raceLesson(t), Options{NoColor: true})
	ix := s.run()
	if len(ix.moments) < 6 || !s.player.Paused() || s.at() != ix.moments[0].at {
		t.Fatalf("opened at %v, paused %v; want paused on the first of the moments %v", s.at(), s.player.Paused(), ix.moments)
	}
	status := func() string { return string(render(t, newFrame(s), 100, 30)) }
	for k := 1; k < len(ix.moments); k++ {
		press(s, ' ') // play…
		press(s, 'n') // …and n pauses on the next moment
		m := ix.moments[k]
		if s.at() != m.at || !s.player.Paused() || s.moment != k {
			t.Fatalf("n %d: at %v moment %d paused %v, want %v moment %d paused", k, s.at(), s.moment, s.player.Paused(), m.at, k)
		}
		if sc := status(); !strings.Contains(strings.Join(strings.Fields(sc), " "), m.text) {
			t.Fatalf("n %d: the screen does not tell %q:\n%s", k, m.text, sc)
		}
	}
	if press(s, 'n'); s.at() != ix.moments[len(ix.moments)-1].at || !strings.Contains(s.message, "last key moment") {
		t.Errorf("n past the last: at %v, message %q", s.at(), s.message)
	}
	for k := len(ix.moments) - 2; k >= 0; k-- {
		if press(s, 'N'); s.at() != ix.moments[k].at || s.moment != k {
			t.Fatalf("N to %d: at %v moment %d", k, s.at(), s.moment)
		}
	}
	if press(s, 'N'); s.at() != ix.moments[0].at || !strings.Contains(s.message, "first key moment") {
		t.Errorf("N before the first: at %v, message %q", s.at(), s.message)
	}
	// From a playhead between moments, n and N go to the moments around it.
	s.player.Seek(ix.moments[2].at + time.Millisecond)
	if press(s, 'n'); s.at() != ix.moments[3].at {
		t.Errorf("n from between 2 and 3: at %v", s.at())
	}
	s.player.Seek(ix.moments[2].at + time.Millisecond)
	if press(s, 'N'); s.at() != ix.moments[2].at {
		t.Errorf("N from between 2 and 3: at %v", s.at())
	}
}

// TestMomentsAtOneTime: two moments of one record are two stops of n, and
// of N, the playhead standing still between them.
func TestMomentsAtOneTime(t *testing.T) {
	l := raceLesson(t)
	l.Moments = []trace.Moment{
		{Kind: trace.PageLoaded, Nth: 1, Say: "first"},
		{Kind: trace.PageLoaded, Page: 1, Say: "second"},
		{Kind: trace.PageLoaded, Nth: 2, Say: "third"},
	}
	s := newState(l, Options{})
	ix := s.run()
	text := func() string { return ix.moments[ix.momentAt(s.at(), s.moment)].text }
	if text() != "first" {
		t.Fatalf("opened on %q", text())
	}
	at := s.at()
	if press(s, 'n'); text() != "second" || s.at() != at {
		t.Errorf("n: %q at %v", text(), s.at())
	}
	if press(s, 'n'); text() != "third" {
		t.Errorf("n n: %q", text())
	}
	if press(s, 'N'); text() != "second" {
		t.Errorf("N: %q", text())
	}
	if press(s, 'N'); text() != "first" || s.at() != at {
		t.Errorf("N N: %q at %v", text(), s.at())
	}
}

// TestGenericMoments: a lesson without moments, or whose moments are all
// about other protocols, steps through the generic ones.
func TestGenericMomentsFallBack(t *testing.T) {
	l := raceLesson(t)
	for _, ms := range [][]trace.Moment{nil, {{Kind: trace.PageLoaded, Say: "x", Protocols: []trace.Protocol{trace.HTTP2}}}} {
		l.Moments = ms
		s := newState(l, Options{})
		if got := s.run().moments; len(got) == 0 || got[0].text != "Connection 1 opens: its SYN leaves" {
			t.Errorf("moments %v: %v, want the generic ones", ms, got)
		}
	}
}

// TestGoTo: g asks for a time; Enter goes there, paused; Esc gives up; a
// time that is none says what to write.
func TestGoTo(t *testing.T) {
	s := newState(raceLesson(t), Options{NoColor: true})
	press(s, ' ', 'g')
	if s.prompt == nil || !s.player.Paused() {
		t.Fatal("g: no prompt, or still playing")
	}
	if sc := string(render(t, newFrame(s), 100, 30)); !strings.Contains(sc, "go to time:") {
		t.Errorf("the prompt is not on screen:\n%s", sc)
	}
	press(s, '5', '.', '1', 'x', '7', tcell.KeyBackspace2, '5', 'q') // x and q are no part of a time
	if s.prompt.text != "5.15" || !strings.Contains(s.message, `'q' is not part of a time`) {
		t.Errorf("typed %q, want 5.15 and a word on the q left out: %q", s.prompt.text, s.message)
	}
	press(s, tcell.KeyEnter)
	if s.prompt != nil || s.at() != 5150*time.Millisecond || !s.player.Paused() {
		t.Errorf("Enter: prompt %v at %v paused %v", s.prompt, s.at(), s.player.Paused())
	}
	press(s, 'g', '3', '0', '0', 'm', 's', tcell.KeyEnter)
	if s.at() != 300*time.Millisecond {
		t.Errorf("300ms: at %v", s.at())
	}
	press(s, 'g', '1', tcell.KeyEscape)
	if s.prompt != nil || s.at() != 300*time.Millisecond {
		t.Errorf("Esc: prompt %v at %v", s.prompt, s.at())
	}
	press(s, 'g', 'm', 's', tcell.KeyEnter)
	if !strings.Contains(s.message, `"ms" is no time`) || s.at() != 300*time.Millisecond {
		t.Errorf("a bad time: message %q at %v", s.message, s.at())
	}
	press(s, 'g', '9', '9', '9', tcell.KeyEnter)
	if _, last := s.player.Span(); s.at() != last || !strings.Contains(s.message, "the run ends at") {
		t.Errorf("past the end: at %v message %q", s.at(), s.message)
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"5.15": 5150 * time.Millisecond, "5.15s": 5150 * time.Millisecond, "300ms": 300 * time.Millisecond,
		"2m": 2 * time.Minute, "1m5s": 65 * time.Second, "0": 0, " 1 ": time.Second, "250us": 250 * time.Microsecond,
	} {
		if got, err := parseTime(in); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ms", "-1s", "5.1.5", "1e99"} {
		if _, err := parseTime(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// TestOpensOnTheStory: a lesson opens on the run that tells most of its
// own moments: the close race on HTTP/1.1's, though HTTP/1.0's is first.
func TestOpensOnTheStory(t *testing.T) {
	l := raceLesson(t)
	l.Runs = append([]Run{basicLesson(t).Runs[0]}, l.Runs...)
	s := newState(l, Options{})
	if s.proto != 1 || s.run().run.Protocol != trace.HTTP11 || s.at() != s.run().moments[0].at {
		t.Errorf("opened on run %d (%s) at %v, want HTTP/1.1's first moment", s.proto, s.run().run.Protocol, s.at())
	}
	l.Moments = nil
	if s := newState(l, Options{}); s.proto != 0 {
		t.Errorf("without moments of its own: run %d, want the first", s.proto)
	}
}
