package tui

import (
	"sort"
	"strconv"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Ladder zoom: how many rows one round trip spans.
const (
	minRowsPerRTT     = 1
	defaultRowsPerRTT = 8
	maxRowsPerRTT     = 64
)

// ladderAxisW is the width of the ladder's time axis.
const ladderAxisW = 8

// ladderLabel is one row's label on one side: the packet it names and
// how many more were sent in the row.
type ladderLabel struct {
	pkt, more int
}

// ladderMark is a glyph over the arrows: an arrowhead, a packet in
// flight, a drop.
type ladderMark struct {
	x, y int
	r    rune
	conn int // -1: a drop
}

// ladderGeom maps time onto the ladder's lane: rows of row each from t0,
// bw cells (2·bw braille dots) from the client to the server.
type ladderGeom struct {
	t0, row time.Duration
	bw, h   int
}

func (g ladderGeom) rowOf(t time.Duration) int { return int((t - g.t0) / g.row) }

func (g ladderGeom) dotY(t time.Duration) int { return int((t - g.t0) * 4 / g.row) }

// dotX is the dot frac of the way across from the sender's side.
func (g ladderGeom) dotX(frac float64, up bool) int {
	x := int(frac * float64(2*g.bw-1))
	if !up {
		x = 2*g.bw - 1 - x
	}
	return x
}

// drawLadder draws the sequence diagram of ix at playhead at: the client
// column on the left, the server's on the right, time flowing down,
// rowsPerRTT rows per round trip, scrolled so the playhead is near the
// bottom. Every packet sent by at is an arrow from its sending to its
// arrival (or a ✗ half-way for a drop); a packet still in flight is drawn
// up to where it is now. Packets fo does not bring forward are dimmed.
func drawLadder(c canvas, ix *runIndex, at time.Duration, rowsPerRTT int, fo focus, st *styles) {
	xc, xs := ladderAxisW, c.w-1 // client and server columns
	g := ladderGeom{row: max(ix.rtt/time.Duration(max(rowsPerRTT, 1)), 1), bw: xs - xc - 1, h: c.h - 1}
	if g.bw < 16 || c.h < 4 {
		c.print(0, 0, "window too small for the ladder", st.dim)
		return
	}
	top := max(0, int(at/g.row)-(g.h-2))
	g.t0 = time.Duration(top) * g.row

	ladderHead(c, ix, at, xc, xs, st)
	body := c.sub(0, 1, c.w, g.h)
	for y := 0; y < g.h; y++ {
		body.set(xc, y, '│', st.dim)
		body.set(xs, y, '│', st.dim)
	}
	ladderAxis(body, g.t0, g.row, st)

	dots := newBraille(g.bw, g.h)
	labels := [2][]ladderLabel{make([]ladderLabel, g.h), make([]ladderLabel, g.h)}
	for y := range labels[0] {
		labels[0][y].pkt, labels[1][y].pkt = -1, -1
	}
	var marks []ladderMark
	lo, hi := ix.visiblePackets(g.t0, min(at, g.t0+time.Duration(g.h)*g.row))
	for i := lo; i < hi; i++ {
		if m, ok := g.arrow(dots, ix, i, at, fo.tag(i, &ix.packets[i])); ok {
			if fo.dims(i, &ix.packets[i]) {
				m.conn = dimTag
			}
			marks = append(marks, m)
			g.label(labels, ix, i, fo)
		}
	}
	lane := body.sub(xc+1, 0, g.bw, g.h)
	dots.draw(lane, 0, 0, st.tagStyle)
	playY := g.rowOf(at)
	for x := 0; x < g.bw && playY < g.h; x++ {
		if dots.empty(x, playY) {
			lane.set(x, playY, '┄', st.dim)
		}
	}
	for _, m := range marks {
		s := st.conn(m.conn).Bold(true)
		switch {
		case m.conn == dimTag:
			s = st.dim
		case m.conn < 0:
			s = st.warn
		}
		lane.set(m.x, m.y, m.r, s)
	}
	ladderLabels(lane, ix, labels, fo, st)
	label := fitTime(at, xc-1) + "▶"
	if width(label) < xc {
		label = " " + label
	}
	body.printRight(xc, playY, label, st.playhead)
	ladderMoments(body, ix, g, at, xc-1, st)
}

// ladderMoments marks with ◆, in column x beside the client's lane, the
// rows of the key moments up to the playhead (its own row has its
// label).
func ladderMoments(body canvas, ix *runIndex, g ladderGeom, at time.Duration, x int, st *styles) {
	k := sort.Search(len(ix.moments), func(k int) bool { return ix.moments[k].at >= g.t0 })
	for ; k < len(ix.moments) && ix.moments[k].at <= at; k++ {
		if y := g.rowOf(ix.moments[k].at); y < g.h && body.get(x, y) == ' ' {
			body.set(x, y, '◆', st.bold)
		}
	}
}

// arrow draws packet i's arrow, tagged tag, as far as it has gone by at
// and returns the mark at its end; ok is false when it ended above the
// lane.
func (g ladderGeom) arrow(dots *braille, ix *runIndex, i int, at time.Duration, tag int) (m ladderMark, ok bool) {
	p := &ix.packets[i]
	up := p.dir != trace.Down
	// full is when it reaches (or would reach) the far side; stop is
	// where its arrow ends.
	full := p.sent + ix.oneWay[p.dir]
	stop := full
	switch {
	case p.arrived >= 0:
		full, stop = p.arrived, p.arrived
	case p.dropped >= 0:
		stop = p.sent + ix.oneWay[p.dir]/2
	}
	if stop < g.t0 {
		return m, false
	}
	now, frac := min(stop, at), 1.0
	if full > p.sent {
		frac = float64(now-p.sent) / float64(full-p.sent)
	}
	x1, y1 := g.dotX(frac, up), g.dotY(now)
	dots.line(g.dotX(0, up), g.dotY(p.sent), x1, y1, tag, false)
	m = ladderMark{x: x1 / 2, y: y1 / 4, r: '•', conn: p.conn}
	switch {
	case now < stop: // in flight
	case p.arrived >= 0 && up:
		m.x, m.r = g.bw-1, '▶'
	case p.arrived >= 0:
		m.x, m.r = 0, '◀'
	case p.dropped >= 0:
		m.r, m.conn = '✗', -1
	}
	return m, true
}

// label counts packet i in the labels of the row it was sent in, keeping
// the packet fo inspects, else the most telling packet of the row.
func (g ladderGeom) label(labels [2][]ladderLabel, ix *runIndex, i int, fo focus) {
	p := &ix.packets[i]
	y := g.rowOf(p.sent)
	if p.sent < g.t0 || y >= g.h {
		return
	}
	side := 0
	if p.dir == trace.Down {
		side = 1
	}
	l := &labels[side][y]
	switch {
	case l.pkt < 0:
		l.pkt = i
	default:
		l.more++
		if l.pkt != fo.pkt && (i == fo.pkt || labelRank(&ix.recs[p.rec]) > labelRank(&ix.recs[ix.packets[l.pkt].rec])) {
			l.pkt = i
		}
	}
}

// ladderHead writes the column names and the connections opened so far.
func ladderHead(c canvas, ix *runIndex, at time.Duration, xc, xs int, st *styles) {
	c.print(0, 0, "time", st.dim)
	c.print(xc-2, 0, "client", st.bold)
	c.printRight(xs+1, 0, "server", st.bold)
	x := xc + 6
	for i := range ix.conns {
		k := &ix.conns[i]
		if k.open > at {
			continue
		}
		s := " c" + strconv.Itoa(k.id) + "━"
		if x+width(s) > xs-8 {
			c.print(x, 0, " …", st.dim)
			break
		}
		x = c.print(x, 0, s, st.conn(k.id).Bold(true))
	}
}

// ladderAxis labels the rows at round tick times, at least three rows
// apart.
func ladderAxis(body canvas, t0, row time.Duration, st *styles) {
	step := niceStep(3 * row)
	for y := 0; y < body.h; y++ {
		from := t0 + time.Duration(y)*row
		tick := (from + step - 1) / step * step
		if tick < from+row {
			body.printRight(ladderAxisW-1, y, fmtTick(tick), st.dim)
		}
	}
}

// ladderLabels writes each row's packet label beside its sender: client
// packets from the left, server packets from the right; the inspected
// packet's stands out, those fo dims are dim.
func ladderLabels(lane canvas, ix *runIndex, labels [2][]ladderLabel, fo focus, st *styles) {
	room := lane.w/2 - 2
	for side, rows := range labels {
		for y, l := range rows {
			if l.pkt < 0 {
				continue
			}
			p := &ix.packets[l.pkt]
			r := &ix.recs[p.rec]
			s := r.Describe()
			if r.Retx {
				s += " (retx)"
			}
			if len(ix.conns) > 1 {
				s = "c" + strconv.Itoa(p.conn) + " " + s
			}
			if l.more > 0 {
				s += " +" + strconv.Itoa(l.more)
			}
			s = " " + truncate(s, room-2) + " "
			style := st.conn(p.conn).Bold(true)
			switch {
			case l.pkt == fo.pkt:
				style = st.selected
			case fo.dims(l.pkt, p):
				style = st.dim
			}
			if side == 0 {
				lane.print(1, y, s, style)
			} else {
				lane.printRight(lane.w-1, y, s, style)
			}
		}
	}
}

// labelRank prefers, for a row's one label, what the packet carries over
// a bare acknowledgement.
func labelRank(r *trace.Record) int {
	switch {
	case r.Flags&(trace.SYN|trace.FIN|trace.RST) != 0, r.Len > 0 && r.Label != "":
		return 3
	case r.Len > 0:
		return 2
	}
	return 1
}
