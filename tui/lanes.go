package tui

import "time"

// ladderLanes are the hosts the ladder draws a lane for, left to right,
// and the pair of lanes each connection's packets travel between, so that
// a packet's hop is where it is drawn. A run without a proxy has two
// lanes, the client and the server; with one, the browser's connections
// end at the proxy and the proxy's own (trace.OriginConn) run from it to
// the origin. The trace does not say which origin a proxy connection
// goes to, so every origin shares one lane.
type ladderLanes struct {
	names []string    // one per lane
	hops  []laneHop   // the distinct pairs of lanes, in lane order
	hop   map[int]int // connection id → its index in hops
	// oneWay is, by hop and trace.Dir, the shortest time from sent to
	// arrived of its packets: how far a packet in flight or lost is
	// drawn, since the hops of a proxy's path have their own delays.
	oneWay [][3]time.Duration
}

// laneHop is a connection's pair of lanes: its client's and its server's.
type laneHop struct{ client, server int }

// assignLanes gives each connection of ix its lanes: a proxy's
// connections to the origin (connIndex.origin, from the trace's
// OriginConn records) the proxy's and the origin's, every other the
// client's and its server's; the client lane is "clients" when the run
// has several.
func assignLanes(ix *runIndex) ladderLanes {
	l := ladderLanes{hop: make(map[int]int, len(ix.conns))}
	proxy := false
	for i := range ix.conns {
		proxy = proxy || ix.conns[i].origin
	}
	client := "client"
	if ix.clients > 1 {
		client = "clients"
	}
	l.names, l.hops = []string{client, "server"}, []laneHop{{0, 1}}
	if proxy {
		if ix.clients <= 1 {
			client = "browser"
		}
		l.names, l.hops = []string{client, "proxy", "origin"}, []laneHop{{0, 1}, {1, 2}}
	}
	for i := range ix.conns {
		if ix.conns[i].origin {
			l.hop[ix.conns[i].id] = 1
		} else {
			l.hop[ix.conns[i].id] = 0
		}
	}
	l.oneWay = make([][3]time.Duration, len(l.hops))
	for h := range l.oneWay {
		l.oneWay[h] = [3]time.Duration{-1, -1, -1}
	}
	for _, p := range ix.packets {
		if p.arrived < 0 || int(p.dir) >= 3 {
			continue
		}
		ow := &l.oneWay[l.hop[p.conn]][p.dir]
		if f := p.arrived - p.sent; *ow < 0 || f < *ow {
			*ow = f
		}
	}
	for h := range l.oneWay {
		for d := range l.oneWay[h] {
			if l.oneWay[h][d] < 0 {
				l.oneWay[h][d] = ix.oneWay[d] // no packet arrived that way: the run's
			}
		}
	}
	return l
}

// hopOf is the index in hops of the pair of lanes packet p is drawn
// between.
func (l *ladderLanes) hopOf(p *packet) int { return l.hop[p.conn] }

// flight is how long packet p takes to cross its hop, as its hop's
// fastest packet in its direction did.
func (ix *runIndex) flight(p *packet) time.Duration {
	if h := ix.lanes.hopOf(p); h < len(ix.lanes.oneWay) && int(p.dir) < 3 {
		return ix.lanes.oneWay[h][p.dir]
	}
	return ix.oneWay[p.dir]
}

// laneColumns places n lanes from column first to column last, evenly
// apart.
func laneColumns(n, first, last int) []int {
	xs := make([]int, n)
	for i := range xs {
		xs[i] = first
		if n > 1 {
			xs[i] = first + (last-first)*i/(n-1)
		}
	}
	return xs
}
