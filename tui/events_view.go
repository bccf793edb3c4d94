package tui

import (
	"strings"
)

// drawEventPane draws, when it is open, the event list or the packet
// inspector in the lower half of c, and returns the part above it for
// the view. A body too short for both keeps the view alone.
func drawEventPane(c canvas, s *state, ix *runIndex) canvas {
	vh := s.viewRows(ix, c.h)
	if vh == c.h {
		return c
	}
	ph := c.h - vh
	pane := c.sub(0, c.h-ph, c.w, ph)
	pane.fill(' ', s.st.base)
	if s.ev.inspecting(ix) {
		drawInspector(pane, s.ev.insp, s.st)
	} else {
		drawEventList(pane, s, ix)
	}
	return c.sub(0, 0, c.w, vh)
}

// viewRows is how many of a body's bh rows the view keeps: the top half
// while the event pane is open, all of them otherwise or when too few
// for both.
func (s *state) viewRows(ix *runIndex, bh int) int {
	if !s.ev.shown(ix) || bh < 10 {
		return bh
	}
	return bh - bh/2
}

// paneTitle draws the pane's top rule with title on the left and as many
// of the key hints as fit on the right.
func paneTitle(c canvas, title string, hints [][2]string, st *styles) {
	for x := 0; x < c.w; x++ {
		c.set(x, 0, '─', st.dim)
	}
	end := c.print(1, 0, " "+truncate(title, c.w-4)+" ", st.bold)
	cells := func(h [2]string) int { return width(h[0]) + 1 + width(h[1]) + 2 }
	room := 0
	n := 0
	for _, h := range hints {
		if end+2+room+cells(h) > c.w-1 {
			break
		}
		room += cells(h)
		n++
	}
	x := c.w - 1 - room
	for _, h := range hints[:n] {
		x = c.print(x, 0, h[0], st.key)
		x = c.print(x, 0, " "+h[1]+"  ", st.base)
	}
}

// listTitle says what the list shows: its run and its filters.
func listTitle(s *state, ix *runIndex) string {
	f := s.ev.filter
	parts := []string{"events of " + orWord(ix.run.Protocol.String(), "the run")}
	if f.conn > 0 {
		parts = append(parts, ix.connWords(f.conn))
	}
	if f.layer != layerAll {
		parts = append(parts, f.layer.name())
	}
	if f.moments {
		parts = append(parts, "key moments")
	}
	return strings.Join(parts, " · ")
}

// Column positions of the event list.
const (
	listTimeEnd = 10 // the time ends before this column
	listConnX   = 11
	listDirX    = 16
	listTextX   = 21
)

// drawEventList draws the events around the list's cursor, the cursor's
// row in the middle; rows after the playhead are dim, as not yet
// happened.
func drawEventList(c canvas, s *state, ix *runIndex) {
	st := s.st
	hints := [][2]string{{"↑↓", "move"}, {"Enter", "inspect"}, {"/", "find"}, {"f", "conn"}, {"L", "layer"}, {"m", "moments"}, {"l", "close"}}
	if s.ev.typing {
		hints = [][2]string{{"Enter", "next"}, {"Esc", "done"}}
	}
	paneTitle(c, listTitle(s, ix), hints, st)
	if s.ev.typing {
		c.print(2, 1, "find: "+s.ev.query+"▏", st.playhead)
	} else {
		c.printRight(listTimeEnd, 1, "time", st.dim)
		c.print(listConnX, 1, "conn", st.dim)
		c.print(listDirX, 1, "dir", st.dim)
		c.print(listTextX, 1, "event", st.dim)
	}
	rows := s.rows(ix)
	n := c.h - 2
	if rows.len() == 0 {
		c.print(2, 2, "no event passes the filter", st.dim)
		return
	}
	k := s.cursor(ix)
	first := min(max(k-(n-1)/2, 0), max(rows.len()-n, 0))
	at := s.at()
	for y := 0; y < n && first+y < rows.len(); y++ {
		i := rows.rec(first + y)
		l := ix.line(i)
		base := st.base
		switch {
		case first+y == k:
			base = st.selected
			c.sub(0, 2+y, c.w, 1).fill(' ', base)
			c.set(0, 2+y, '▸', base)
		case l.at > at:
			base = st.dim
		}
		row := c.sub(0, 2+y, c.w, 1)
		row.printRight(listTimeEnd, 0, fitTime(l.at, listTimeEnd-1), base)
		cs := st.conn(ix.recs.At(i).Conn)
		if base != st.base {
			cs = base
		}
		row.print(listConnX, 0, l.conn, cs)
		row.print(listDirX, 0, l.dir, base)
		row.print(listTextX, 0, truncate(l.text, c.w-listTextX), base)
	}
}

// inspLayerW is the width of the inspector's layer names.
const inspLayerW = 10

// drawInspector draws an inspection: its title, then each layer's fields,
// wrapped, cut with "…" when the pane is too short.
func drawInspector(c canvas, in *inspection, st *styles) {
	paneTitle(c, in.title, [][2]string{{"↑↓", "next event"}, {"Esc", "back"}}, st)
	y := 1
	for _, row := range in.rows {
		lines := wrapFields(row.fields, c.w-inspLayerW-2)
		for j, l := range lines {
			if y >= c.h {
				return
			}
			if y == c.h-1 && (j < len(lines)-1 || row.layer != in.rows[len(in.rows)-1].layer) {
				l = truncate(l+" …", c.w-inspLayerW-2)
			}
			if j == 0 {
				c.print(1, y, row.layer, st.bold)
			}
			c.print(inspLayerW+1, y, l, st.base)
			y++
		}
	}
}

// wrapFields joins fields with " · " into lines of at most w cells,
// breaking between fields, and within a field only if it is wider than
// a line.
func wrapFields(fields []string, w int) []string {
	var lines []string
	cur := ""
	for _, f := range fields {
		switch {
		case cur == "":
			cur = f
		case width(cur)+3+width(f) <= w:
			cur += " · " + f
		default:
			lines = append(lines, cur)
			cur = f
		}
		if width(cur) > w {
			parts := wrap(cur, w)
			lines = append(lines, parts[:len(parts)-1]...)
			cur = parts[len(parts)-1]
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}
