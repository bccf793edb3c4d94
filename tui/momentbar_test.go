package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestPlayScale: the time axis is in play time: a gap longer than idle
// takes idle, a shorter one its own length, and a time inside a long gap
// is as far into it as its share.
func TestPlayScale(t *testing.T) {
	recs := []trace.Record{{At: 0}, {At: ms(100)}, {At: ms(100)}, {At: ms(10_100)}, {At: ms(10_150)}}
	ix := &runIndex{recs: trace.StoreOf(recs)}
	p := newPlayScale(ix, ms(200))
	for _, tc := range []struct{ t, want time.Duration }{
		{0, 0},
		{ms(50), ms(50)},
		{ms(100), ms(100)},
		{ms(5_100), ms(200)}, // half-way through a 10 s gap played as 200 ms
		{ms(10_100), ms(300)},
		{ms(10_150), ms(350)},
		{ms(99_999), ms(350)}, // after the last event
	} {
		if got := p.at(tc.t); got != tc.want {
			t.Errorf("at(%v) = %v, want %v", tc.t, got, tc.want)
		}
	}
	if p.collapsed(ms(50)) || !p.collapsed(ms(200)) || p.collapsed(ms(320)) {
		t.Error("collapsed: want only the 10 s gap's stretch of the axis")
	}
	if p.total() != ms(350) {
		t.Errorf("total %v", p.total())
	}
}

// TestMomentWhilePlaying: the explanation line tells a moment from its
// event until the next, as it tells the event itself, and not through a
// long quiet stretch after it.
func TestMomentWhilePlaying(t *testing.T) {
	s := newState(raceLesson(t), Options{})
	ix := s.run()
	// The moment "page 1 has loaded", then the next event, and the 4.85 s
	// of quiet before page 2.
	k := -1
	for i, m := range ix.moments {
		if strings.HasPrefix(m.text, "Page 1 has loaded") {
			k = i
		}
	}
	if k < 0 {
		t.Fatal("no page-loaded moment")
	}
	at := ix.moments[k].at
	next := ix.recs.Time(ix.last(at) + 1)
	quiet := ix.recs.Time(ix.last(5 * time.Second))
	for _, tc := range []struct {
		t    time.Duration
		want int
	}{{at - 1, -1}, {at, k}, {(at + next) / 2, k}, {next, -1}, {quiet + 3*ix.rtt, -1}} {
		if got := ix.momentAt(tc.t, -1); got != tc.want {
			t.Errorf("momentAt(%v) = %d, want %d", tc.t, got, tc.want)
		}
	}
}
