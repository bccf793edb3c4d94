package tui

import (
	"sort"
	"time"
)

// idleRowRTTs is how many round trips without a packet on the wire the
// whole-run ladder collapses to one row: a few, so that a delayed ACK or
// a server's think time stays drawn to scale, while tcp-keepalive's 45 s
// of silence between probes or a reader's 8 s on a page do not take the
// screen.
const idleRowRTTs = 3

// ladderZoom is how the ladder maps time onto rows: rowsPerRTT rows per
// round trip around the playhead, or, with whole, the whole run on one
// screen with its idle stretches collapsed; with expand, a row's label
// names every packet sent in it instead of the first and "+N".
type ladderZoom struct {
	rowsPerRTT    int
	whole, expand bool
}

// ladderZoom is the zoom the keys z, Z, w and x set.
func (s *state) ladderZoom() ladderZoom {
	return ladderZoom{rowsPerRTT: s.rowsPerRTT, whole: s.lad.whole, expand: s.lad.expand}
}

// ladderOpts are the ladder's view settings beyond its zoom level.
type ladderOpts struct {
	whole  bool // the whole run, idle stretches collapsed (w, or Z at the widest zoom)
	expand bool // labels name every packet of their row (x)
}

// ladderZoomBy zooms the ladder in (out of the whole run first) or out
// (past the widest zoom, to the whole run), and shows it.
func (s *state) ladderZoomBy(in bool) {
	switch {
	case in && s.lad.whole:
		s.lad.whole = false
	case in:
		s.rowsPerRTT = min(s.rowsPerRTT*2, maxRowsPerRTT)
	default:
		if s.rowsPerRTT == minRowsPerRTT {
			s.lad.whole = true
		}
		s.rowsPerRTT = max(s.rowsPerRTT/2, minRowsPerRTT)
	}
	if s.view != viewLadder {
		s.setView(viewLadder) // the keys are about the ladder: show it
	}
}

// ladderKey handles the ladder's other keys and reports whether r was
// one: w toggles the whole run, x the expanded labels.
func (s *state) ladderKey(r rune) bool {
	switch r {
	case 'w':
		s.lad.whole = !s.lad.whole
	case 'x':
		s.lad.expand = !s.lad.expand
	default:
		return false
	}
	if s.view != viewLadder {
		s.setView(viewLadder) // the keys are about the ladder: show it
	}
	return true
}

// stretch is a part of the run: busy (a packet on the wire) or idle;
// on the ladder, fold identical rounds folded into it (foldRounds),
// which take one row as an idle stretch does.
type stretch struct {
	from, to time.Duration
	idle     bool
	fold     int
}

// stretches splits [0, end] into busy and idle parts: busy wherever one
// of the flights (a packet's sent to its arrival or drop mark, sorted by
// start) is on the wire, idle between them where nothing is for at least
// minIdle. Shorter quiet times belong to the busy stretch around them.
func stretches(flights []span, end, minIdle time.Duration) []stretch {
	var out []stretch
	busyFrom, busyTo := time.Duration(0), time.Duration(0) // the busy stretch being built
	for _, f := range flights {
		if f.from-busyTo >= minIdle {
			if busyTo > busyFrom {
				out = append(out, stretch{from: busyFrom, to: busyTo})
			}
			out = append(out, stretch{from: busyTo, to: f.from, idle: true})
			busyFrom = f.from
		}
		busyTo = max(busyTo, f.to)
	}
	switch {
	case end-busyTo >= minIdle:
		if busyTo > busyFrom {
			out = append(out, stretch{from: busyFrom, to: busyTo})
		}
		out = append(out, stretch{from: busyTo, to: end, idle: true})
	case max(end, busyTo) > busyFrom:
		out = append(out, stretch{from: busyFrom, to: max(end, busyTo)})
	}
	return out
}

// runStretches is stretches for the packets of ix, until its last record.
func runStretches(ix *runIndex) []stretch {
	flights := make([]span, 0, len(ix.packets))
	for i := range ix.packets {
		p := &ix.packets[i]
		end := p.end(ix)
		if end < 0 {
			end = p.sent + ix.flight(p) // in flight when the run ended
		}
		flights = append(flights, span{p.sent, end})
	}
	var last time.Duration
	if n := ix.recs.Len(); n > 0 {
		last = ix.recs.Time(n - 1)
	}
	return stretches(flights, last, idleRowRTTs*ix.rtt)
}

// rowSpan is a run of the ladder's rows: time from from at per a row,
// or (per 0) an idle stretch, or fold identical rounds, collapsed into
// one row.
type rowSpan struct {
	from, to time.Duration
	row0, n  int
	per      time.Duration
	fold     int
}

// ladderRows maps time onto the ladder's rows, top to bottom.
type ladderRows struct {
	spans []rowSpan
	rows  int  // rows in all
	whole bool // the whole run: each busy stretch's first row is labelled
}

// linearRows is the zoomed ladder: per a row from t0, which is row top.
func linearRows(t0, per time.Duration, top int) ladderRows {
	const far = 1 << 40
	return ladderRows{spans: []rowSpan{{from: t0, to: t0 + far*per, row0: top, n: far, per: per}}, rows: top + far}
}

// fitRows lays the stretches out in at most h rows: each idle stretch in
// one, the busy ones at the smallest time a row (at least minPer) that
// fits. When no time a row fits, the ladder scrolls, at a round trip
// (rtt) a row or a little more, so that every busy stretch of up to two
// round trips (a keep-alive probe and its ACK) takes one row.
func fitRows(st []stretch, h int, minPer, rtt time.Duration) ladderRows {
	minPer = max(minPer, 1)
	count := func(per time.Duration) int {
		n := 0
		for _, s := range st {
			if s.idle {
				n++
			} else {
				n += max(int((s.to-s.from+per-1)/per), 1)
			}
		}
		return n
	}
	var longest time.Duration
	for _, s := range st {
		if !s.idle {
			longest = max(longest, s.to-s.from)
		}
	}
	per := max(rtt, minPer)
	for _, s := range st {
		if d := s.to - s.from; !s.idle && d < 2*rtt {
			per = max(per, d+1)
		}
	}
	if hi := max(longest, minPer); count(hi) <= h {
		lo := minPer
		for lo < hi { // the smallest per that fits
			mid := lo + (hi-lo)/2
			if count(mid) <= h {
				hi = mid
			} else {
				lo = mid + 1
			}
		}
		per = lo
	}
	r := ladderRows{whole: true}
	for _, s := range st {
		sp := rowSpan{from: s.from, to: s.to, row0: r.rows, n: 1, fold: s.fold}
		if !s.idle {
			sp.per, sp.n = per, max(int((s.to-s.from+per-1)/per), 1)
		}
		r.spans = append(r.spans, sp)
		r.rows += sp.n
	}
	return r
}

// spanAt is the index of the span t falls in: the first that ends after
// it, else the last.
func (r ladderRows) spanAt(t time.Duration) int {
	k := sort.Search(len(r.spans), func(k int) bool { return r.spans[k].to > t })
	return min(k, len(r.spans)-1)
}

// folded reports whether t falls in a row of folded rounds, whose
// packets are not drawn.
func (r ladderRows) folded(t time.Duration) bool {
	return len(r.spans) > 0 && r.spans[r.spanAt(t)].fold > 0
}

// anyFolded reports whether any row holds folded rounds.
func (r ladderRows) anyFolded() bool {
	for _, s := range r.spans {
		if s.fold > 0 {
			return true
		}
	}
	return false
}

// rowOf is the row of time t.
func (r ladderRows) rowOf(t time.Duration) int {
	if len(r.spans) == 0 {
		return 0
	}
	s := r.spans[r.spanAt(t)]
	if s.per == 0 {
		return s.row0
	}
	return s.row0 + int((t-s.from)/s.per)
}

// dotY is the braille dot row of time t: four a row. An idle row's time
// is its middle.
func (r ladderRows) dotY(t time.Duration) int {
	if len(r.spans) == 0 {
		return 0
	}
	s := r.spans[r.spanAt(t)]
	if s.per == 0 {
		return 4*s.row0 + 2
	}
	return 4*s.row0 + int((t-s.from)*4/s.per)
}

// spanOfRow is the index of the span row y is in, or -1 past the last.
func (r ladderRows) spanOfRow(y int) int {
	k := sort.Search(len(r.spans), func(k int) bool { return r.spans[k].row0+r.spans[k].n > y })
	if k == len(r.spans) {
		return -1
	}
	return k
}

// timeAt is when row y begins; past the last row, when the last span
// ends.
func (r ladderRows) timeAt(y int) time.Duration {
	k := r.spanOfRow(y)
	switch {
	case k < 0 && len(r.spans) == 0:
		return 0
	case k < 0:
		return r.spans[len(r.spans)-1].to
	}
	s := r.spans[k]
	if s.per == 0 {
		return s.from
	}
	return s.from + time.Duration(max(y-s.row0, 0))*s.per
}
