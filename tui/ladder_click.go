package tui

import "time"

// ladderPacketAt is the packet a click at (x, y) of a ladder canvas w×h
// points at, as drawLadder lays the canvas out: the first packet sent in
// the clicked row on a hop whose lanes are either side of x (on a star
// of hosts every hop crosses the gap beside the client's lane), else one
// whose arrow crosses that row there; -1 if none. Only what is drawn by
// the playhead at counts.
func (ix *runIndex) ladderPacketAt(x, y, w, h int, at time.Duration, z ladderZoom) int {
	ll := ix.lanes.fit(w)
	lanes := laneColumns(len(ll.names), ladderAxisW, w-1)
	g := layoutLadder(ix, at, z, h-2, ll, lanes)
	row := y - 1 // the lanes' names are on the first row
	if row < 0 || row >= g.h {
		return -1
	}
	under := make([]bool, len(ll.hops)) // by hop: drawn across x
	anyHop := false
	for k, hp := range ll.hops {
		under[k] = x > lanes[hp.client] && x < lanes[hp.server]
		anyHop = anyHop || under[k]
	}
	if !anyHop {
		return -1
	}
	from, to := g.rows.timeAt(g.top+row), g.rows.timeAt(g.top+row+1)
	crossing := -1
	lo, hi := ix.visiblePackets(from, min(to, at))
	for i := lo; i < hi; i++ {
		p := &ix.packets[i]
		if !under[ll.hopOf(p)] || p.sent > at || g.rows.folded(p.sent) {
			continue // not drawn
		}
		if p.sent >= from && p.sent < to {
			return p.rec
		}
		if end := p.end(ix); crossing < 0 && p.sent < from && (end < 0 || end >= from) {
			crossing = p.rec
		}
	}
	return crossing
}
