package tui

import (
	"slices"
	"strconv"
	"time"
)

// ladderLanes are the hosts the ladder draws a lane for, left to right,
// and the pair of lanes each connection's packets travel between, so that
// a packet's hop is where it is drawn. A run without a proxy has two
// lanes, the client and the server; with one, the browser's connections
// end at the proxy and the proxy's own (trace.OriginConn) run from it to
// the origin. The trace does not say which origin a proxy connection
// goes to, so every origin shares one lane. A page on several hosts
// (trace.ConnHost records) has a lane per host after the client's, in
// the order the browser first connected to them, and every hop starts
// at the client: the hops are a star, not a chain.
type ladderLanes struct {
	names []string    // one per lane
	hops  []laneHop   // the distinct pairs of lanes, in lane order (but see fit)
	hop   map[int]int // connection id → its index in hops
	star  bool        // one lane per host, every hop from the client's
	// oneWay is, by hop and trace.Dir, the shortest time from sent to
	// arrived of its packets: how far a packet in flight or lost is
	// drawn, since the hops of a proxy's path have their own delays.
	oneWay [][3]time.Duration
}

// laneHop is a connection's pair of lanes: its client's and its server's.
type laneHop struct{ client, server int }

// gap is the gap between lanes (from 0: the one right of lane 0) where
// the labels of hop's packets sent from side (0: its client, 1: its
// server) go: beside their sender's lane, so that on a star, where
// every hop crosses the first gap, the client's labels share that gap
// and each host's are beside its own lane.
func (h laneHop) gap(side int) int {
	if side == 0 {
		return h.client
	}
	return h.server - 1
}

// assignLanes gives each connection of ix its lanes: a proxy's
// connections to the origin (connIndex.origin, from the trace's
// OriginConn records) the proxy's and the origin's, a connection to one
// of several hosts (connIndex.host) the client's and its host's, every
// other the client's and its server's; the client lane is "clients"
// when the run has several.
func assignLanes(ix *runIndex) ladderLanes {
	l := ladderLanes{hop: make(map[int]int, len(ix.conns))}
	proxy, hosts := false, map[string]int{} // host → its lane
	var names []string
	for i := range ix.conns {
		c := &ix.conns[i]
		proxy = proxy || c.origin
		if _, ok := hosts[c.host]; c.host != "" && !ok {
			hosts[c.host] = len(names) + 1 // ix.conns is in the order they opened
			names = append(names, c.host)
		}
	}
	client := "client"
	if ix.clients > 1 {
		client = "clients"
	}
	l.names, l.hops = []string{client, "server"}, []laneHop{{0, 1}}
	switch {
	case proxy:
		if ix.clients <= 1 {
			client = "browser"
		}
		l.names, l.hops = []string{client, "proxy", "origin"}, []laneHop{{0, 1}, {1, 2}}
	case len(names) > 0:
		l.names, l.hops, l.star = append([]string{client}, names...), nil, true
		for k := range names {
			l.hops = append(l.hops, laneHop{0, k + 1})
		}
	}
	for i := range ix.conns {
		c := &ix.conns[i]
		switch {
		case proxy && c.origin:
			l.hop[c.id] = 1
		case !proxy && c.host != "":
			l.hop[c.id] = hosts[c.host] - 1
		default:
			l.hop[c.id] = 0
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

// minLaneGap is the fewest columns between two lanes that leave room
// for a packet's label on each side.
const minLaneGap = 17

// fit is l as a ladder w columns wide draws it: on a star of more hosts
// than fit minLaneGap apart, the first hosts keep their lanes and the
// rest share the last one, named for how many they are ("+5 hosts"),
// their hops ending there (so that several hops then have one pair of
// lanes); the hops keep their indices, so each packet still crosses in
// its own host's time.
func (l *ladderLanes) fit(w int) *ladderLanes {
	n := 1 + (w-1-ladderAxisW)/minLaneGap // lanes that fit
	if !l.star || len(l.names) <= n || n < 3 {
		return l
	}
	f := *l
	more := len(l.names) - (n - 1)
	f.names = append(slices.Clone(l.names[:n-1]), "+"+strconv.Itoa(more)+" hosts")
	f.hops = slices.Clone(l.hops)
	for k := range f.hops {
		f.hops[k].server = min(f.hops[k].server, n-1)
	}
	return &f
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
