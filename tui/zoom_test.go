package tui

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestStretches: the run splits into busy and idle stretches, idle only
// where nothing is on the wire for at least minIdle (here 300 ms, three
// round trips of 100 ms).
func TestStretches(t *testing.T) {
	const minIdle = 300 * time.Millisecond
	s := func(from, to float64) span { return span{ms(from), ms(to)} }
	busy := func(from, to float64) stretch { return stretch{from: ms(from), to: ms(to)} }
	idle := func(from, to float64) stretch { return stretch{from: ms(from), to: ms(to), idle: true} }
	for _, tc := range []struct {
		name    string
		flights []span
		end     float64
		want    []stretch
	}{
		{"nothing", nil, 0, nil},
		{"no packets, a long run", nil, 1000, []stretch{idle(0, 1000)}},
		{"one page, no gap", []span{s(0, 50), s(50, 100), s(100, 150)}, 150, []stretch{busy(0, 150)}},
		{"a short quiet time stays", []span{s(0, 50), s(250, 300)}, 300, []stretch{busy(0, 300)}},
		{"a gap of exactly minIdle", []span{s(0, 50), s(350, 400)}, 400, []stretch{busy(0, 50), idle(50, 350), busy(350, 400)}},
		{"probes 45 s apart", []span{s(0, 400), s(45400, 45500), s(90500, 90600)}, 90600,
			[]stretch{busy(0, 400), idle(400, 45400), busy(45400, 45500), idle(45500, 90500), busy(90500, 90600)}},
		{"overlapping flights", []span{s(0, 500), s(100, 150), s(900, 950)}, 950, []stretch{busy(0, 500), idle(500, 900), busy(900, 950)}},
		{"TIME-WAIT after the last packet", []span{s(0, 100)}, 60100, []stretch{busy(0, 100), idle(100, 60100)}},
		{"a short tail stays", []span{s(0, 100)}, 200, []stretch{busy(0, 200)}},
		{"a late first packet", []span{s(5000, 5100)}, 5100, []stretch{idle(0, 5000), busy(5000, 5100)}},
		{"in flight at the end", []span{s(0, 100), s(1000, 1050)}, 1020, []stretch{busy(0, 100), idle(100, 1000), busy(1000, 1050)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := stretches(tc.flights, ms(tc.end), minIdle); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFitRows: the whole run takes at most the rows there are, each idle
// stretch one, busy time at one time a row, the smallest that fits;
// when nothing fits, a round trip a row, or a little more so that an
// exchange of one round trip takes one.
func TestFitRows(t *testing.T) {
	const rtt = 100 * time.Millisecond
	busy := func(from, to float64) stretch { return stretch{from: ms(from), to: ms(to)} }
	idle := func(from, to float64) stretch { return stretch{from: ms(from), to: ms(to), idle: true} }
	probes := []stretch{busy(0, 400)}
	for k := 1; k <= 12; k++ { // a probe and its ACK every 45 s
		at := float64(k) * 45000
		probes = append(probes, idle(at-44900, at), busy(at, at+100.04))
	}
	for _, tc := range []struct {
		name string
		st   []stretch
		h    int
		rows int           // rows in all
		per  time.Duration // of the busy stretches
	}{
		{"one page in 20 rows", []stretch{busy(0, 1000)}, 20, 20, 50 * time.Millisecond},
		{"three pages in 20 rows", []stretch{busy(0, 500), idle(500, 3500), busy(3500, 4000), idle(4000, 12000), busy(12000, 12500)}, 20, 20, (ms(500) + 5) / 6}, // 6 rows a page, rounded up to a whole ns
		{"a page shorter than a row at the finest zoom", []stretch{busy(0, 10)}, 20, 7, rtt / maxRowsPerRTT},
		{"twelve probes do not fit in 20 rows", probes, 20, 4 + 12*2, ms(100.04) + 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fitRows(tc.st, tc.h, rtt/maxRowsPerRTT, rtt)
			if r.rows != tc.rows {
				t.Errorf("%d rows, want %d", r.rows, tc.rows)
			}
			for _, s := range r.spans {
				switch {
				case s.per == 0 && s.n != 1:
					t.Errorf("idle %v–%v takes %d rows", s.from, s.to, s.n)
				case s.per != 0 && s.per != tc.per:
					t.Errorf("busy %v–%v at %v a row, want %v", s.from, s.to, s.per, tc.per)
				case s.per != 0 && time.Duration(s.n)*s.per < s.to-s.from:
					t.Errorf("busy %v–%v in %d rows of %v", s.from, s.to, s.n, s.per)
				}
			}
		})
	}
}

// TestLadderRowsLinear: the zoomed ladder maps time onto rows as it
// always has, (t−t0)/row, in rows and in braille dots, above the window
// too (an arrow that began there).
func TestLadderRowsLinear(t *testing.T) {
	const row = 12500 * time.Microsecond
	for _, top := range []int{0, 3, 40} {
		t0 := time.Duration(top) * row
		r := linearRows(t0, row, top)
		for _, at := range []time.Duration{t0 - 3*row - 1, t0 - 1, t0, t0 + row/3, t0 + 7*row + 5} {
			if got, want := r.rowOf(at)-top, int((at-t0)/row); got != want {
				t.Errorf("top %d, %v: row %d, want %d", top, at, got, want)
			}
			if got, want := r.dotY(at)-4*top, int((at-t0)*4/row); got != want {
				t.Errorf("top %d, %v: dot %d, want %d", top, at, got, want)
			}
		}
		if got := r.timeAt(top + 2); got != t0+2*row {
			t.Errorf("top %d: row %d begins at %v", top, top+2, got)
		}
	}
}

// TestLadderRowsWhole: on the whole run, time and rows agree both ways,
// and an idle stretch is one row.
func TestLadderRowsWhole(t *testing.T) {
	r := fitRows([]stretch{{from: 0, to: ms(400)}, {from: ms(400), to: ms(45400), idle: true}, {from: ms(45400), to: ms(45500)}}, 20, time.Millisecond, 100*time.Millisecond)
	for y := 0; y < r.rows; y++ {
		if got := r.rowOf(r.timeAt(y)); got != y {
			t.Errorf("row %d begins at %v, which is row %d", y, r.timeAt(y), got)
		}
	}
	idle := r.rowOf(ms(400))
	for _, at := range []time.Duration{ms(400), ms(10000), ms(45399)} {
		if r.rowOf(at) != idle {
			t.Errorf("%v is on row %d, not the idle row %d", at, r.rowOf(at), idle)
		}
	}
	if r.rowOf(ms(45400)) != idle+1 {
		t.Errorf("the probe at 45.4 s is on row %d, want %d, after the idle row", r.rowOf(ms(45400)), idle+1)
	}
}

var idleLabel = regexp.MustCompile(`┈ ([0-9.]+ m?s idle) ┈`)

// TestWholeRunIdleLabels: the whole-run ladder of tcp-keepalive,
// idle-reuse and proxy-hop at their end, on a screen tall enough for all
// of it, marks every stretch of at least three round trips with no
// packet on the wire, as the records give them (a packet is on the wire
// from its sending to its arrival or its loss), in order, and no other;
// the row after each begins at the time the axis says.
func TestWholeRunIdleLabels(t *testing.T) {
	for _, l := range []Lesson{keepaliveLesson(t), idleLesson(t), proxyLesson(t)} {
		recs := l.Runs[0].Records
		type flight struct{ from, to time.Duration }
		var flights []flight
		open := map[uint64]int{}
		for _, r := range recs {
			switch r.Kind {
			case trace.PacketSent:
				open[r.Packet] = len(flights)
				flights = append(flights, flight{r.At, r.At})
			case trace.PacketArrived, trace.PacketDropped:
				flights[open[r.Packet]].to = r.At
			}
		}
		sort.Slice(flights, func(i, j int) bool { return flights[i].from < flights[j].from })
		var want, after []string // the idle rows, and the time of the row after each
		var busyTo time.Duration
		for _, f := range flights {
			if f.from-busyTo >= idleRowRTTs*l.Params.RTT {
				want = append(want, idleText(f.from-busyTo))
				after = append(after, axisStart(f.from))
			}
			busyTo = max(busyTo, f.to)
		}
		if end := recs[len(recs)-1].At; end-busyTo >= idleRowRTTs*l.Params.RTT {
			want = append(want, idleText(end-busyTo))
		}
		s := newState(l, Options{NoColor: true})
		press(s, 'w')
		s.player.End()
		screen := string(render(t, newFrame(s), 100, 60))
		var got []string
		rows := strings.Split(screen, "\n")
		for y, row := range rows {
			m := idleLabel.FindStringSubmatch(row)
			if m == nil {
				continue
			}
			if k := len(got); k < len(after) {
				if next := strings.TrimSpace(string([]rune(rows[y+1])[:ladderAxisW-1])); next != after[k] {
					t.Errorf("%s: the row after %q begins at %q, want %q", l.Scenario, m[1], next, after[k])
				}
			}
			got = append(got, m[1])
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("%s: idle rows %q, want %q:\n%s", l.Scenario, got, want, screen)
		}
		if !strings.Contains(screen, "┈ no packet, collapsed") {
			t.Errorf("%s: the legend does not say what ┈ is:\n%s", l.Scenario, screen)
		}
	}
}
