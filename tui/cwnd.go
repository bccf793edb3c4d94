package tui

import (
	"sort"
	"strconv"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// drawCwnd plots each connection's congestion window on the server side
// (the side sending the responses) over the page load, in segments, up
// to at: cwnd as a solid line in the connection's colour, ssthresh dashed
// and dimmer. Each line ends with its connection's name; the legend is
// the last row.
func drawCwnd(c canvas, ix *runIndex, at time.Duration, st *styles) {
	const yw = 5 // y axis width
	drawLegendItems(c, c.h-1, cwndItems(ix, st), st)
	c = c.sub(0, 0, c.w, c.h-1) // above the legend
	pw, ph := c.w-yw-3, c.h-2
	if pw < 10 || ph < 3 {
		c.print(0, 0, "window too small for the congestion window", st.dim)
		return
	}
	mss := ix.mss
	top := cwndTop(ix, mss)
	axis := timeAxis{x: 0, w: pw, span: ix.span}
	dots := newBraille(pw, ph)
	dotX := func(t time.Duration) int {
		return int(int64(min(max(t, 0), ix.span)) * int64(2*pw-1) / int64(max(ix.span, 1)))
	}
	dotY := func(bytes int) int {
		v := float64(top)
		if bytes >= 0 {
			v = min(float64(bytes)/float64(mss), float64(top))
		}
		return 4*ph - 1 - int(v/float64(top)*float64(4*ph-1)+0.5)
	}
	type end struct{ x, y, id int }
	var ends []end
	for i := range ix.conns {
		k := &ix.conns[i]
		n := sortedUpTo(k.server, at)
		if n == 0 {
			continue
		}
		stop := min(at, max(k.lastPacket, k.server[n-1].at))
		plotSteps(dots, k.server[:n], stop, dotX, dotY, -k.id, true)
		x, y := plotSteps(dots, k.server[:n], stop, dotX, dotY, k.id, false)
		ends = append(ends, end{x / 2, y / 4, k.id})
	}
	plot := c.sub(yw, 1, pw, ph)
	dots.draw(plot, 0, 0, func(tag int) tcell.Style {
		if tag < 0 {
			return st.threshold
		}
		return st.conn(tag)
	})
	px := axis.col(at)
	for y := 0; y < ph && at <= ix.span; y++ {
		if dots.empty(px, y) {
			plot.set(px, y, '│', st.playhead)
		}
	}
	taken := make([]bool, pw*ph) // label cells, so labels never overlap
	for _, e := range ends {
		name := "c" + strconv.Itoa(e.id)
		x, free := e.x+1, true
		for i := range width(name) {
			if x+i >= pw || e.y < 0 || e.y >= ph || taken[e.y*pw+x+i] {
				free = false
			}
		}
		if !free {
			continue
		}
		for i := range width(name) {
			taken[e.y*pw+x+i] = true
		}
		plot.print(x, e.y, name, st.conn(e.id).Bold(true))
	}
	cwndAxes(c, yw, pw, ph, top, axis, at, st)
	cwndLegend(c, ix, at, st)
}

// sortedUpTo counts the points of s at or before t.
func sortedUpTo(s []cwndPoint, t time.Duration) int {
	return sort.Search(len(s), func(i int) bool { return s[i].at > t })
}

// plotSteps draws the cwnd (or, with thresh, the finite ssthresh) of pts
// as a step line until stop, and returns the dot where it ends.
func plotSteps(b *braille, pts []cwndPoint, stop time.Duration, dotX func(time.Duration) int, dotY func(int) int, tag int, thresh bool) (int, int) {
	val := func(p cwndPoint) int {
		if thresh {
			return p.ssthresh
		}
		return p.cwnd
	}
	x, y := -1, -1
	for i, p := range pts {
		next := stop
		if i+1 < len(pts) {
			next = pts[i+1].at
		}
		v := val(p)
		if thresh && v < 0 {
			continue // unlimited ssthresh is not drawn
		}
		x0, x1, y0 := dotX(p.at), dotX(next), dotY(v)
		if x >= 0 && !thresh {
			b.line(x, y, x0, y0, tag, false) // the step from the previous value
		}
		b.line(x0, y0, x1, y0, tag, thresh)
		x, y = x1, y0
	}
	return x, y
}

// cwndTop is the y axis maximum, in segments: the largest finite cwnd of
// the run (or ssthresh, if not much larger), rounded up to 1, 2 or 5 × 10ⁿ.
func cwndTop(ix *runIndex, mss int) int {
	most, thresh := 0, 0
	for i := range ix.conns {
		for _, p := range ix.conns[i].server {
			most = max(most, p.cwnd)
			thresh = max(thresh, p.ssthresh)
		}
	}
	if thresh <= 2*most {
		most = max(most, thresh)
	}
	segs := (most + mss - 1) / mss
	if segs <= 0 {
		return 10
	}
	return int(niceStep(time.Duration(segs)))
}

func cwndAxes(c canvas, yw, pw, ph, top int, axis timeAxis, at time.Duration, st *styles) {
	step := max(int(niceStep(time.Duration(max(top*3/max(ph, 1), 1)))), 1)
	for v := 0; v <= top; v += step {
		y := 1 + ph - 1 - int(float64(v)/float64(top)*float64(ph-1)+0.5)
		c.printRight(yw-1, y, strconv.Itoa(v), st.dim)
		c.set(yw-1, y, '┤', st.dim)
	}
	for y := 1; y <= ph; y++ {
		if c.get(yw-1, y) != '┤' {
			c.set(yw-1, y, '│', st.dim)
		}
	}
	ticks := c.sub(yw, c.h-1, pw+3, 1)
	drawTicks(ticks, 0, axis, 8, st)
	markAxis(ticks, axis.col(at), at <= axis.span, st)
}

// cwndLegend writes the title and each open connection's window at at.
func cwndLegend(c canvas, ix *runIndex, at time.Duration, st *styles) {
	unit := "segments" // TCP's; QUIC counts its window in datagrams
	if ix.run.Protocol == trace.HTTP3 {
		unit = "datagrams"
	}
	x := c.print(0, 0, "server cwnd in "+unit+" of "+strconv.Itoa(ix.mss)+" B (ssthresh dashed)", st.dim)
	for i := range ix.conns {
		k := &ix.conns[i]
		n := sortedUpTo(k.server, at)
		if n == 0 {
			continue
		}
		s := " c" + strconv.Itoa(k.id) + " " + segs(k.server[n-1].cwnd, ix.mss)
		if x+width(s) > c.w {
			c.print(c.w-1, 0, "…", st.dim)
			break
		}
		x = c.print(x, 0, s, st.conn(k.id).Bold(true))
	}
}
