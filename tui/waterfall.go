package tui

import (
	"fmt"
	"slices"
	"strconv"
	"time"
)

// waterfallLayout is where the waterfall puts its columns and rows in a
// canvas; the mouse handler uses it to find the row under a click.
type waterfallLayout struct {
	nameW, barX int
	// hostW is the width of the host column after the names, 0 when
	// there is none; the connection column starts at connX.
	hostW, connX int
	axis         timeAxis
	rows         int // resource rows shown, from row 1
	offset       int // first resource shown
}

func layoutWaterfall(w, h, n, sel int, span time.Duration) waterfallLayout {
	return layoutWaterfallHosts(w, h, n, sel, span, false)
}

// layoutWaterfallHosts is layoutWaterfall with, when hosts, a column for
// the host each resource came from, taken from the bars' width.
func layoutWaterfallHosts(w, h, n, sel int, span time.Duration, hosts bool) waterfallLayout {
	nameW := min(max(w/5, 10), 20)
	hostW := 0
	if hosts {
		hostW = min(max(w/8, 8), 18)
	}
	barX := nameW + hostW + 4
	rows := max(h-2, 0)
	return waterfallLayout{
		nameW: nameW, barX: barX, hostW: hostW, connX: nameW + hostW,
		axis: timeAxis{x: barX, w: max(w-barX-1, 1), span: span},
		rows: rows, offset: scrollFor(n, rows, sel),
	}
}

// resourceAt returns the resource index under row y of the view, or -1.
func (l waterfallLayout) resourceAt(y, n int) int {
	i := l.offset + y - 1
	if y < 1 || y > l.rows || i >= n {
		return -1
	}
	return i
}

// drawWaterfall draws one row per resource of ix with its DevTools phases
// up to at, the connection beside each, and the playhead; on a page of
// several hosts, each row's host too, and each host's name lookup on the
// row of the first resource that waited for it. sel is the selected
// resource index, or -1; the rows of connection conn (0: none), the one
// the event list is about, stand out.
func drawWaterfall(c canvas, ix *runIndex, at time.Duration, sel, conn int, zoom bool, st *styles) {
	rows := ix.waterfallRows(at, zoom)
	res := rows.res
	sel = rows.row(sel) // the selection's row, or -1 when another page's
	at -= rows.start
	l := layoutWaterfallHosts(c.w, c.h, len(res), sel, rows.span, ix.lanes.star)
	if l.axis.w < 10 || c.h < 3 {
		c.print(0, 0, "window too small for the waterfall", st.dim)
		return
	}
	c.print(0, 0, "resource", st.dim)
	if l.hostW > 0 {
		c.print(l.nameW, 0, "host", st.dim)
	}
	c.print(l.connX, 0, "conn", st.dim)
	drawTicksAround(c, 0, l.axis, 8, l.axis.col(at), st)
	shown := 0
	for y := 1; y <= l.rows; y++ {
		i := l.resourceAt(y, len(res))
		if i < 0 {
			break
		}
		shown++
		t := &res[i]
		name, ns := truncate(orWord(t.Path, "#"+strconv.Itoa(t.Resource)), l.nameW-2), st.base
		switch {
		case i == sel:
			ns = st.selected
		case t.Conn == conn && conn > 0:
			ns = st.bold
		case t.Queued < 0 || t.Queued > at:
			ns = st.dim
		}
		if i == sel {
			c.set(0, y, '▸', st.selected)
		}
		c.print(1, y, name, ns)
		if t.Conn > 0 && t.RequestSent >= 0 && t.RequestSent <= at {
			cs := st.conn(t.Conn)
			if t.Conn == conn {
				cs = st.selected
			}
			c.print(l.connX, y, "c"+strconv.Itoa(t.Conn), cs)
		}
		if h := ix.resourceHost(t); l.hostW > 0 && h != "" {
			// Known before its request, from the page: shown from the
			// start, dim until it is queued, as its name is.
			c.print(l.nameW, y, laneName(h, l.hostW-1), ns)
		}
		drawSegments(c, y, l.axis, withLookup(phasesAt(t, at), ix.lookupOf(rows.resource(i)), rows.start, at), st)
		if t.Cached && t.LastByte >= 0 && t.LastByte <= at {
			c.print(l.axis.col(t.LastByte), y, "✓ cache", st.dim)
			continue
		}
		if t.LastByte >= 0 && t.LastByte <= at && t.Queued >= 0 {
			// The duration after the bar; the last resources end at the
			// axis's right edge, so theirs goes before the bar instead,
			// where the row is empty.
			s := fmtTime(t.LastByte - t.Queued)
			right, left := l.axis.col(t.LastByte)+2, l.axis.col(t.Queued)-width(s)-1
			switch {
			case right+width(s) <= c.w:
				c.print(right, y, s, st.dim)
			case left >= l.nameW+5: // clear of the connection's label
				c.print(left, y, s, st.dim)
			}
		}
	}
	if rows.page == 0 {
		// Each later page's navigation start, through the rows' empty
		// cells: where the user clicked.
		for _, pg := range ix.pages[min(1, len(ix.pages)):] {
			x := l.axis.col(pg.from)
			for y := 1; y < 1+shown; y++ {
				if r := c.get(x, y); r == ' ' || r == 0 {
					c.set(x, y, '┊', st.dim)
				}
			}
		}
	}
	drawPlayhead(c, l.axis, at, 0, 1, 1+shown, st)
	legend := []phase{phaseQueued, phaseConnect, phaseTLS, phaseWaiting, phaseDownload}
	if ix.drawsLookups() {
		legend = slices.Insert(legend, 1, phaseDNS) // in the order of a row's phases
	}
	if ix.serverQueue {
		legend = append(legend, phaseServer)
	}
	x := drawLegend(c, c.h-1, legend, st)
	switch {
	case rows.page > 0:
		x = c.print(x+2, c.h-1, fmt.Sprintf("page %d of %d from %s (Z: every page)", rows.page, rows.pages, fmtTime(rows.start)), st.bold)
	case rows.pages > 1:
		x = c.print(x+2, c.h-1, "┊ a page starts (z: this page)", st.dim)
	}
	if hidden := len(res) - l.offset - l.rows; hidden > 0 {
		c.print(x+2, c.h-1, "↓ "+strconv.Itoa(hidden)+" more", st.dim)
	}
}

// resourceDetails is the status line for a selected resource: its
// connection (and its host, on a page of several) and the length of each
// phase, with the name lookup its row draws as part of its queueing.
func resourceDetails(ix *runIndex, i int) string {
	res := ix.run.Summary.Resources
	if i < 0 || i >= len(res) {
		return ""
	}
	t := &res[i]
	s := orWord(t.Path, "#"+strconv.Itoa(t.Resource)) + " (" + strconv.Itoa(t.Bytes) + " B)"
	if t.Conn > 0 {
		s += " on c" + strconv.Itoa(t.Conn)
		if t.Stream > 0 {
			s += " stream " + strconv.Itoa(t.Stream)
		}
		if h := ix.resourceHost(t); h != "" {
			s += " to " + h
		}
	}
	part := func(name string, from, to time.Duration) {
		if from >= 0 && to >= from {
			s += " · " + name + " " + fmtTime(to-from)
		}
	}
	queuedEnd := t.RequestSent
	if t.ConnectStart >= 0 {
		queuedEnd = t.ConnectStart
	}
	part("queued", t.Queued, queuedEnd)
	if l := ix.lookupOf(i); l != nil && l.done >= 0 {
		part("of it DNS", max(l.start, t.Queued), l.done)
	}
	part("connect", t.ConnectStart, t.ConnectEnd)
	part("TLS", t.TLSStart, t.TLSEnd)
	part("waiting", t.RequestSent, t.FirstByte)
	if serverWaited(t) && t.ServerStarted >= 0 {
		part("of it server queue", t.ServerQueued, t.ServerStarted)
	}
	part("download", t.FirstByte, t.LastByte)
	part("total", t.Queued, t.LastByte)
	return s
}
