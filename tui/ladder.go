package tui

import (
	"slices"
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

// ladderLabel is one row's label on one side of a hop: the packet it
// names and how many more were sent in the row (all of them, in the
// order sent, when the labels are expanded).
type ladderLabel struct {
	pkt, more int
	all       []int
}

// ladderMark is a glyph over the arrows: an arrowhead, a packet in
// flight, a drop, a connection's glyph.
type ladderMark struct {
	x, y int
	r    rune
	conn int // -1: a drop
	// gap is, for an arrival, the gap between lanes (laneHop.gap) where
	// the labels of packets leaving the lane it arrived at go; at is
	// the side of its hop it arrived at (0: the client's lane, 1: the
	// server's), -1 for another mark.
	gap, at int
}

// ladderGeom maps time onto the ladder's rows (rows, from row top, h of
// them) and its hops onto the braille grid between the first and the
// last lane: lanes are the lanes' columns, the grid starts after lanes[0]
// and is bw cells wide.
type ladderGeom struct {
	ll    *ladderLanes // the lanes drawn (ladderLanes.fit)
	rows  ladderRows
	top   int
	t0    time.Duration // when the top row begins
	h     int
	lanes []int
	bw    int
}

func (g ladderGeom) rowOf(t time.Duration) int { return g.rows.rowOf(t) - g.top }

func (g ladderGeom) dotY(t time.Duration) int { return g.rows.dotY(t) - 4*g.top }

// hopCells is the first cell of the grid between the lanes of hop and how
// many cells wide it is.
func (g ladderGeom) hopCells(hop laneHop) (x0, w int) {
	return g.lanes[hop.client] - g.lanes[0], g.lanes[hop.server] - g.lanes[hop.client] - 1
}

// dotX is the grid dot frac of the way across hop from the sender's
// side; up packets go from the client's lane to the server's.
func (g ladderGeom) dotX(hop laneHop, frac float64, up bool) int {
	x0, w := g.hopCells(hop)
	x := int(frac * float64(2*w-1))
	if !up {
		x = 2*w - 1 - x
	}
	return 2*x0 + x
}

// layoutLadder fits the ladder into h rows of the lanes' columns: around
// the playhead at z's zoom, or the whole run.
func layoutLadder(ix *runIndex, at time.Duration, z ladderZoom, h int, ll *ladderLanes, lanes []int) ladderGeom {
	g := ladderGeom{ll: ll, h: h, lanes: lanes, bw: lanes[len(lanes)-1] - lanes[0] - 1}
	row := max(ix.rtt/time.Duration(max(z.rowsPerRTT, 1)), 1)
	if z.whole {
		g.rows = fitRows(ix.stretches, h, ix.rtt/maxRowsPerRTT, ix.rtt)
		if g.rows.rows > h {
			same := func(j, k int) bool { return ix.sameRounds(ix.rounds[j], ix.rounds[k]) }
			g.rows = fitRows(foldRounds(ix.stretches, ix.rounds, same, at), h, ix.rtt/maxRowsPerRTT, ix.rtt)
		}
		if g.rows.rows > h {
			g.top = max(0, g.rows.rowOf(at)-(h-2))
		}
		g.t0 = g.rows.timeAt(g.top)
		return g
	}
	g.top = max(0, int(at/row)-(h-2))
	g.t0 = time.Duration(g.top) * row
	g.rows = linearRows(g.t0, row, g.top)
	return g
}

// drawLadder draws the sequence diagram of ix at playhead at: a lane per
// host (client and server; browser, proxy and origin with a proxy), time
// flowing down at zoom z, scrolled so the playhead is near the bottom,
// and a legend in the last row. Every packet sent by at is an arrow
// between its connection's lanes from its sending to its arrival (or a ✗
// half-way for a drop); a packet still in flight is drawn up to where it
// is now. Packets fo does not bring forward are dimmed.
func drawLadder(c canvas, ix *runIndex, at time.Duration, z ladderZoom, fo focus, st *styles) {
	ll := ix.lanes.fit(c.w)
	lanes := laneColumns(len(ll.names), ladderAxisW, c.w-1)
	h := c.h - 2 // the names above, the legend below
	if (lanes[len(lanes)-1]-lanes[0])/(len(lanes)-1) < minLaneGap || h < 3 {
		c.print(0, 0, "window too small for the ladder", st.dim)
		return
	}
	g := layoutLadder(ix, at, z, h, ll, lanes)
	ladderHead(c, ix, ll, at, lanes, st)
	body := c.sub(0, 1, c.w, g.h)
	for y := 0; y < g.h; y++ {
		for _, x := range lanes {
			body.set(x, y, '│', st.dim)
		}
	}
	ladderAxis(body, g, st)

	dots := newBraille(g.bw, g.h)
	labels := make([][2][]ladderLabel, len(lanes)-1) // by gap between lanes and side
	for hp := range labels {
		for side := range labels[hp] {
			labels[hp][side] = make([]ladderLabel, g.h)
			for y := range labels[hp][side] {
				labels[hp][side][y].pkt = -1
			}
		}
	}
	glyphs := st.noColor && len(ix.conns) > 1 // no colour to tell connections apart
	var marks []ladderMark
	lo, hi := ix.visiblePackets(g.t0, min(at, g.rows.timeAt(g.top+g.h)))
	for i := lo; i < hi; i++ {
		p := &ix.packets[i]
		if g.rows.folded(p.sent) {
			continue // its round's row says it repeats the one drawn
		}
		tag := fo.tag(i, p)
		ms, ok := g.arrow(dots, ix, i, at, tag, glyphs)
		if !ok {
			continue
		}
		for _, m := range ms {
			if fo.dims(i, p) {
				m.conn = dimTag
			}
			if m.at >= 0 {
				m.gap = ll.hops[ll.hopOf(p)].gap(m.at)
			}
			marks = append(marks, m)
		}
		g.label(labels, ll.hops[ll.hopOf(p)], ix, i, fo, z.expand)
	}
	grid := body.sub(lanes[0]+1, 0, g.bw, g.h)
	dots.draw(grid, 0, 0, st.tagStyle)
	playY := g.rowOf(at)
	for x := 0; x < g.bw && playY < g.h; x++ {
		if dots.empty(x, playY) && !isLane(lanes, lanes[0]+1+x) {
			grid.set(x, playY, '┄', st.dim)
		}
	}
	for _, m := range marks {
		// An arrival's ◀ or ▶ beside the label of a packet leaving that
		// lane on the same row would read as that packet's direction:
		// there the arrow's line alone shows the arrival.
		if m.at >= 0 && labels[m.gap][m.at][m.y].pkt >= 0 {
			continue
		}
		s := st.conn(m.conn).Bold(true)
		switch {
		case m.conn == dimTag:
			s = st.dim
		case m.conn < 0:
			s = st.warn
		}
		grid.set(m.x, m.y, m.r, s)
	}
	for k := range labels {
		x0, w := g.hopCells(laneHop{k, k + 1})
		ladderLabels(grid.sub(x0, 0, w, g.h), ix, labels[k], fo, z.expand, ll.star && k > 0, st)
	}
	ladderIdle(body, g, playY, st)
	label := fitTime(at, ladderAxisW-1) + "▶"
	if width(label) < ladderAxisW {
		label = " " + label
	}
	body.printRight(ladderAxisW, playY, label, st.playhead)
	ladderMoments(body, ix, g, at, ladderAxisW-1, st)
	drawLegendItems(c, c.h-1, ladderLegend(ix, z, g.rows.anyFolded(), glyphs, st), st)
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

// isLane reports whether column x is a lane's.
func isLane(lanes []int, x int) bool {
	for _, l := range lanes {
		if l == x {
			return true
		}
	}
	return false
}

// arrow draws packet i's arrow, tagged tag, between its connection's
// lanes as far as it has gone by at and returns the marks over it: the
// one at its end and, with glyphs, its connection's glyph half-way along
// it once it got there; ok is false when it ended above the window.
func (g ladderGeom) arrow(dots *braille, ix *runIndex, i int, at time.Duration, tag int, glyphs bool) (ms []ladderMark, ok bool) {
	p := &ix.packets[i]
	hop := g.ll.hops[g.ll.hopOf(p)]
	up := p.dir != trace.Down
	// full is when it reaches (or would reach) the far side; stop is
	// where its arrow ends.
	full := p.sent + ix.flight(p)
	stop := full
	switch {
	case p.arrived >= 0:
		full, stop = p.arrived, p.arrived
	case p.dropped >= 0:
		stop = p.sent + ix.flight(p)/2
	}
	if stop < g.t0 {
		return nil, false
	}
	fracAt := func(t time.Duration) float64 {
		if full > p.sent {
			return float64(t-p.sent) / float64(full-p.sent)
		}
		return 1
	}
	now := min(stop, at)
	x1, y1 := g.dotX(hop, fracAt(now), up), g.dotY(now)
	dots.line(g.dotX(hop, 0, up), g.dotY(p.sent), x1, y1, tag, false)
	x0, w := g.hopCells(hop)
	m := ladderMark{x: x1 / 2, y: y1 / 4, r: '•', conn: p.conn, at: -1}
	switch {
	case now < stop: // in flight
	case p.arrived >= 0 && up:
		m.x, m.r, m.at = x0+w-1, '▶', 1
	case p.arrived >= 0:
		m.x, m.r, m.at = x0, '◀', 0
	case p.dropped >= 0:
		m.r, m.conn = '✗', -1
	}
	ms = append(ms, m)
	if mid := p.sent + (stop-p.sent)/2; glyphs && now >= mid && mid >= g.t0 {
		gm := ladderMark{x: g.dotX(hop, fracAt(mid), up) / 2, y: g.dotY(mid) / 4, r: connGlyph(p.conn), conn: p.conn, at: -1}
		// Not over a lane it crosses (a star's hop crosses the hosts'
		// lanes before its own), which would look cut there.
		if gm.x > x0 && gm.x < x0+w-1 && (gm.x != m.x || gm.y != m.y) && !isLane(g.lanes, g.lanes[0]+1+gm.x) {
			ms = append(ms, gm)
		}
	}
	return ms, true
}

// label counts packet i, on hop, in the labels of the row it was sent
// in beside its sender's lane (labels are by gap between lanes, then
// side), keeping the packet fo inspects, else the most telling packet
// of the row; expand keeps every packet.
func (g ladderGeom) label(labels [][2][]ladderLabel, hop laneHop, ix *runIndex, i int, fo focus, expand bool) {
	p := &ix.packets[i]
	y := g.rowOf(p.sent)
	if p.sent < g.t0 || y < 0 || y >= g.h {
		return
	}
	side := 0
	if p.dir == trace.Down {
		side = 1
	}
	l := &labels[hop.gap(side)][side][y]
	if expand {
		l.all = append(l.all, i)
	}
	switch {
	case l.pkt < 0:
		l.pkt = i
	default:
		l.more++
		if l.pkt != fo.pkt && (i == fo.pkt || labelRank(ix.rec(p.rec)) > labelRank(ix.rec(ix.packets[l.pkt].rec))) {
			l.pkt = i
		}
	}
}

// ladderHead writes the names of the lanes ll over them and, left of
// each lane but the first, the connections opened so far on the hops
// that end there. On a star of hosts each host's name ends at its lane,
// cut (laneName) to leave room for its connections before it; when the
// lanes are closer than crowdedLanes, the names take that room.
func ladderHead(c canvas, ix *runIndex, ll *ladderLanes, at time.Duration, lanes []int, st *styles) {
	c.print(0, 0, "time", st.dim)
	names := slices.Clone(ll.names)
	conns := !ll.star || (lanes[len(lanes)-1]-lanes[0])/(len(lanes)-1) >= crowdedLanes
	gap := laneNameGap
	if !conns {
		gap = 3
	}
	from := make([]int, len(names)) // where each name begins
	for i := range names {
		switch {
		case i == 0:
			from[i] = lanes[i] - 2
		case ll.star:
			names[i] = laneName(names[i], lanes[i]+1-(from[i-1]+width(names[i-1]))-gap)
			from[i] = lanes[i] + 1 - width(names[i])
		case i == len(names)-1:
			from[i] = lanes[i] + 1 - width(names[i])
		default:
			from[i] = lanes[i] - width(names[i])/2
		}
		c.print(from[i], 0, names[i], st.bold)
	}
	glyphs := st.noColor && len(ix.conns) > 1
	for s := 1; s < len(names) && conns; s++ {
		x, end := from[s-1]+width(names[s-1])+2, from[s]-3
		if ll.star {
			end++ // two blanks before a host's name: its own connections lead to it
		}
		for i := range ix.conns {
			k := &ix.conns[i]
			if k.open > at || ll.hops[ll.hop[k.id]].server != s {
				continue
			}
			s := " c" + strconv.Itoa(k.id)
			if g := string(connGlyph(k.id)); glyphs && g != strconv.Itoa(k.id) {
				s += "(" + g + ")" // the glyph its arrows carry
			}
			s += "━"
			if x+width(s) > end {
				c.print(x, 0, " …", st.dim)
				break
			}
			x = c.print(x, 0, s, st.conn(k.id).Bold(true))
		}
	}
}

// crowdedLanes is how far apart a star's lanes must be for its heading
// to name the connections between the hosts' names: closer, the names
// need the room more, and the labels name the connections.
const crowdedLanes = 20

// laneNameGap is the room a lane's name leaves after the name before
// it: two cells, a connection's name (" c1━") and three more.
const laneNameGap = 9

// laneName is lane name n in at most w cells (and at least 6): whole, or
// a host name cut after its last label that fits ("cdn.example…") when
// that loses at most two more characters than a cut anywhere, else cut
// after as many characters as fit ("www.exampl…"). Its beginning is
// kept, since the hosts of a page mostly differ in their first labels.
func laneName(n string, w int) string {
	w = max(w, 6)
	if width(n) <= w {
		return n
	}
	for i := len(n) - 1; i > 0; i-- {
		if n[i] == '.' && width(n[:i])+1 <= w {
			if width(n[:i])+1 >= w-2 {
				return n[:i] + "…"
			}
			break
		}
	}
	return truncate(n, w)
}

// ladderAxis labels the rows at round tick times, at least three rows
// apart, and, on the whole run, the first row of each busy stretch with
// when it begins.
func ladderAxis(body canvas, g ladderGeom, st *styles) {
	last := -3 // the last row labelled
	for y := 0; y < body.h; y++ {
		r := g.top + y
		k := g.rows.spanOfRow(r)
		if k < 0 {
			break
		}
		s := g.rows.spans[k]
		if s.per == 0 {
			continue // an idle row: ladderIdle marks it
		}
		from := s.from + time.Duration(r-s.row0)*s.per
		step := niceStep(3 * s.per)
		tick := (from + step - 1) / step * step
		switch {
		case g.rows.whole && r == s.row0:
			body.printRight(ladderAxisW-1, y, axisStart(s.from), st.dim)
			last = y
		case tick < from+s.per && y-last >= 3:
			body.printRight(ladderAxisW-1, y, fmtTick(tick), st.dim)
			last = y
		case tick < from+s.per && !g.rows.whole:
			body.printRight(ladderAxisW-1, y, fmtTick(tick), st.dim)
		}
	}
}

// axisStart writes when a busy stretch of the whole run begins, as
// exactly as the axis has room for.
func axisStart(t time.Duration) string {
	if s := fmtTick(t); width(s) <= ladderAxisW-1 {
		return s
	}
	return fitTime(t, ladderAxisW-1)
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
