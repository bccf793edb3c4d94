package tui

import (
	"sort"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// The event list is Wireshark's packet list for a run: one line per
// record (time, connection, direction, what happened) around the
// playhead, its cursor on the record at the playhead. Filters narrow it
// to one connection, one layer or the lesson's key moments; / finds text
// in it. What it shows is worked out here, apart from how it is drawn
// (events_view.go) and which keys drive it (events_keys.go).

// eventLayer is what an event is about, for the list's layer filter:
// the top layer a packet carries, or the layer of a milestone.
type eventLayer uint8

const (
	layerAll  eventLayer = iota // no filter
	layerTCP                    // segments that carry no payload, windows, states, retransmissions
	layerTLS                    // handshakes and the segments of their flights
	layerHTTP                   // requests, responses, HTTP/2 frames, resources and their hosts' DNS lookups, pages
	layerLife                   // the connection's life cycle: its host, server slots, backlog, idle timeouts, failures
	numLayers
)

func (l eventLayer) name() string {
	return [numLayers]string{"all layers", "TCP", "TLS", "HTTP", "life cycle"}[l]
}

// eventFilter says which records the list shows; the zero value shows
// them all.
type eventFilter struct {
	conn    int // only this connection's records; 0: every connection
	layer   eventLayer
	moments bool // only the lesson's key moments
}

// keyMoment reports whether record i is one of the run's key moments
// (the lesson's, or the generic ones: findMoments), which are in record
// order.
func (ix *runIndex) keyMoment(i int) bool {
	k := sort.Search(len(ix.moments), func(k int) bool { return ix.moments[k].rec >= i })
	return k < len(ix.moments) && ix.moments[k].rec == i
}

// passes reports whether record i of ix passes f.
func (f eventFilter) passes(ix *runIndex, i int) bool {
	r := ix.rec(i)
	switch {
	case f.conn != 0 && r.Conn != f.conn:
		return false
	case f.layer != layerAll && ix.layerOf(i) != f.layer:
		return false
	case f.moments && !ix.keyMoment(i):
		return false
	}
	return true
}

// rowSet is the records the list shows, in time order: all n of them
// (idx nil), or those whose indices idx holds.
type rowSet struct {
	n   int
	idx []int
}

func (rs rowSet) len() int {
	if rs.idx == nil {
		return rs.n
	}
	return len(rs.idx)
}

// rec is the record index of row k.
func (rs rowSet) rec(k int) int {
	if rs.idx == nil {
		return k
	}
	return rs.idx[k]
}

// before is the row of the last record at or before record i, or -1.
func (rs rowSet) before(i int) int {
	if rs.idx == nil {
		return min(i, rs.n-1)
	}
	return sort.SearchInts(rs.idx, i+1) - 1
}

// rowCache keeps the rows of the last filter asked for, so that a frame
// finds the rows around the playhead by binary search instead of
// filtering the whole trace again.
type rowCache struct {
	ix     *runIndex
	filter eventFilter
	rows   rowSet
	// builds counts the filterings of a whole trace: once per filter or
	// run asked for, never per frame (TestScrubWithEventList).
	builds int
}

// rowsOf returns the rows f leaves of ix, filtering only when ix or f
// changed since the last call.
func (c *rowCache) rowsOf(ix *runIndex, f eventFilter) rowSet {
	if c.ix == ix && c.filter == f && (c.rows.idx != nil || f == eventFilter{}) {
		return c.rows
	}
	c.ix, c.filter = ix, f
	if f == (eventFilter{}) {
		c.rows = rowSet{n: ix.recs.Len()}
		return c.rows
	}
	c.builds++
	idx := []int{}
	for i := range ix.recs.Len() {
		if f.passes(ix, i) {
			idx = append(idx, i)
		}
	}
	c.rows = rowSet{n: ix.recs.Len(), idx: idx}
	return c.rows
}

// message is the application message whose bytes packet record r
// starts with: the label of the last message that began at or before
// its first byte ("ClientHello", "GET /a.png", "DATA /a.png"), and
// whether it began in r itself. It is "" for a segment without payload,
// or when the trace names no message there.
func (ix *runIndex) message(r *trace.Record) (label string, starts bool) {
	c := ix.lookup(r.Conn)
	if c == nil || r.Len == 0 || int(r.Dir) >= len(c.marks) {
		return "", false
	}
	ms := c.marks[r.Dir]
	k := sort.Search(len(ms), func(k int) bool { return ms[k].seq > r.Seq })
	if k == 0 {
		return r.Label, r.Label != "" // a message the stream's marks missed
	}
	return ms[k-1].label, ms[k-1].seq == r.Seq
}

// tlsLabel reports whether a message label names a TLS handshake flight,
// as the model labels them ("ClientHello", "ServerHello…Finished",
// "ClientKeyExchange…Finished", "Ticket…Finished", "Finished").
func tlsLabel(label string) bool {
	for _, p := range []string{"ClientHello", "ServerHello", "ClientKeyExchange", "Ticket…", "NewSessionTicket"} {
		if strings.HasPrefix(label, p) {
			return true
		}
	}
	return label == "Finished"
}

// layerOf is the layer record i is about.
func (ix *runIndex) layerOf(i int) eventLayer {
	r := ix.rec(i)
	switch r.Kind {
	case trace.PacketSent, trace.PacketArrived, trace.PacketDropped:
		label, _ := ix.message(r)
		switch {
		case label == "":
			return layerTCP
		case tlsLabel(label):
			return layerTLS
		}
		return layerHTTP
	case trace.CwndChanged, trace.StateChanged, trace.Retransmit:
		return layerTCP
	case trace.TLSStarted, trace.TLSDone:
		return layerTLS
	case trace.ResourceQueued, trace.RequestSent, trace.FirstByte, trace.LastByte, trace.PageLoaded,
		trace.PageStarted, trace.RequestRetried, trace.RequestFailed, trace.ResponseCached,
		trace.PageFailed, trace.PageUnfinished:
		return layerHTTP
	case trace.DNSStarted, trace.DNSDone:
		// A lookup is part of fetching its host's resources, as the
		// waterfall's DNS phase shows it; DNS is no layer of its own here.
		return layerHTTP
	}
	return layerLife // trace.ConnHost too: which host a connection is opened to
}

// eventLine is one line of the list.
type eventLine struct {
	at   time.Duration
	conn string // "c3", or "" for a record not about a connection
	dir  string // a packet's direction: "c→s", "s→c" (on a proxy's origin connection "p→o", "o→p")
	text string // what happened
}

// search is the text / looks in: all of the line, in lower case unless
// exact.
func (l eventLine) search(exact bool) string {
	s := fmtTime(l.at) + " " + l.conn + " " + l.dir + " " + l.text
	if exact {
		return s
	}
	return strings.ToLower(s)
}

// line is the list's line for record i.
func (ix *runIndex) line(i int) eventLine {
	r := ix.rec(i)
	l := eventLine{at: r.At, text: ix.summary(i)}
	if r.Conn > 0 {
		l.conn = "c" + itoa(r.Conn)
	}
	if isPacket(r) {
		l.dir = ix.dirWord(r)
	}
	return l
}

func isPacket(r *trace.Record) bool {
	return r.Kind == trace.PacketSent || r.Kind == trace.PacketArrived || r.Kind == trace.PacketDropped
}

// dirWord is a packet's direction between the ends of its connection.
func (ix *runIndex) dirWord(r *trace.Record) string {
	from, to := "c", "s"
	if c := ix.lookup(r.Conn); c != nil && c.origin {
		from, to = "p", "o"
	}
	if r.Dir == trace.Down {
		from, to = to, from
	}
	return from + "→" + to
}

// endName names side d of record r's connection: the client or the
// server, on a proxy's origin connection the proxy or the origin.
func (ix *runIndex) endName(r *trace.Record, d trace.Dir) string {
	origin := false
	if c := ix.lookup(r.Conn); c != nil {
		origin = c.origin
	}
	switch {
	case d == trace.Down && origin:
		return "origin"
	case d == trace.Down:
		return "server"
	case origin:
		return "proxy"
	}
	return "client"
}
