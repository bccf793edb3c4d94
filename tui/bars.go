package tui

import (
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// timeAxis maps times in [0, span] onto w columns starting at x.
type timeAxis struct {
	x, w int
	span time.Duration
}

// col returns the column of t, limited to the axis.
func (a timeAxis) col(t time.Duration) int {
	if a.span <= 0 || a.w <= 0 {
		return a.x
	}
	c := int(int64(max(t, 0)) * int64(a.w) / int64(a.span))
	return a.x + min(c, a.w-1)
}

// segment is a phase of a bar from one time to another.
type segment struct {
	p        phase
	from, to time.Duration
}

// phasesAt returns the DevTools phases of t that had begun by at, each
// ending at its end or at at, whichever is first. A phase that has begun
// but not ended (its end is -1) runs to at.
func phasesAt(t *trace.ResourceTiming, at time.Duration) []segment {
	if t.Cached {
		return nil // from the cache: no phase at all
	}
	queuedEnd := t.RequestSent
	if t.ConnectStart >= 0 {
		queuedEnd = t.ConnectStart
	}
	server := segment{phaseServer, -1, -1}
	if serverWaited(t) {
		server = segment{phaseServer, t.ServerQueued, t.ServerStarted}
	}
	all := [...]segment{
		{phaseQueued, t.Queued, queuedEnd},
		{phaseConnect, t.ConnectStart, t.ConnectEnd},
		{phaseTLS, t.TLSStart, t.TLSEnd},
		{phaseWaiting, t.RequestSent, t.FirstByte},
		server, // over the waiting it is part of
		{phaseDownload, t.FirstByte, t.LastByte},
	}
	out := make([]segment, 0, len(all))
	for _, s := range all {
		if s.from < 0 || s.from > at {
			continue
		}
		if s.to < 0 || s.to > at {
			s.to = at
		}
		out = append(out, s)
	}
	return out
}

// serverWaited reports whether t's request waited for a server core: it
// reached the processor, and a core took it later or not yet.
func serverWaited(t *trace.ResourceTiming) bool {
	return t.ServerQueued >= 0 && (t.ServerStarted < 0 || t.ServerStarted > t.ServerQueued)
}

// drawSegments draws segs on row y of c along a; each segment takes at
// least one cell, later segments over earlier ones, except a server
// queue, drawn over the waiting phase only where it fills a cell: a
// wait of a fraction of a cell would read as a cell's worth.
func drawSegments(c canvas, y int, a timeAxis, segs []segment, st *styles) {
	for _, s := range segs {
		c0, c1 := a.col(s.from), a.col(s.to)
		if s.p == phaseServer && c1 == c0 {
			continue
		}
		c1 = max(c1, c0+1)
		for x := c0; x < c1 && x < a.x+a.w; x++ {
			c.set(x, y, s.p.glyph(), st.phases[s.p])
		}
	}
}

// drawTicks writes time labels along a on row y, at round times at least
// minGap columns apart.
func drawTicks(c canvas, y int, a timeAxis, minGap int, st *styles) {
	drawTicksAround(c, y, a, minGap, -1, st)
}

// drawTicksAround is drawTicks leaving column mark free for the
// playhead's ▼, so that the marker never covers a label: a label whose
// cells hold mark goes before its tick instead ("400ms╵"), if there is
// room there, else only its tick is drawn until the playhead moves on;
// a tick under the marker keeps its label after it ("▼400ms"), where
// the playhead is. mark < 0: no marker.
func drawTicksAround(c canvas, y int, a timeAxis, minGap, mark int, st *styles) {
	if a.w <= 0 || a.span <= 0 {
		return
	}
	step := niceStep(a.span * time.Duration(minGap) / time.Duration(a.w))
	next := a.x // the first cell free of the labels drawn
	for t := time.Duration(0); t <= a.span; t += step {
		x := a.col(t)
		s := fmtTick(t)
		if x < next || x+width(s) > a.x+a.w {
			continue
		}
		if mark > x && mark <= x+width(s) { // the marker would cover the label
			if from := x - width(s); from >= next && from >= a.x {
				c.print(from, y, s, st.dim)
			}
			c.set(x, y, '╵', st.dim)
			next = mark + 1
			continue
		}
		if x != mark {
			c.set(x, y, '╵', st.dim)
		}
		next = c.print(x+1, y, s, st.dim) + 1
	}
}

// drawPlayhead marks at on a: ▼ on row head and │ on the empty cells of
// rows from to to-1. Past the end of the axis only ▼ is drawn, at the end.
func drawPlayhead(c canvas, a timeAxis, at time.Duration, head, from, to int, st *styles) {
	x := a.col(at)
	c.set(x, head, '▼', st.playhead)
	if at > a.span {
		return
	}
	for y := from; y < to; y++ {
		if r := c.get(x, y); r == ' ' || r == 0 {
			c.set(x, y, '│', st.playhead)
		}
	}
}

// drawLegend writes the glyph of each phase in ps on row y, then the
// playhead's ▼, then more.
func drawLegend(c canvas, y int, ps []phase, st *styles, more ...legendItem) int {
	return drawLegendItems(c, y, append(append(phaseItems(ps, st), nowItem("▼", st)), more...), st)
}

// scrollFor returns the first of n rows to show in h rows so that row sel
// (or the first, when sel < 0) is visible.
func scrollFor(n, h, sel int) int {
	if h <= 0 || n <= h || sel < h {
		return 0
	}
	return min(sel-h+1, n-h)
}

// markAxis puts ▲ at column x of an axis row if that cell is free, so a
// tick label is never cut; past the axis's end (!within) it puts ▸.
func markAxis(c canvas, x int, within bool, st *styles) {
	r := '▲'
	if !within {
		r = '▸'
	}
	if old := c.get(x, 0); old == ' ' || old == 0 {
		c.set(x, 0, r, st.playhead)
	}
}
