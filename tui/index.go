package tui

import (
	"cmp"
	"slices"
	"sort"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// runIndex is what the views need from one run, computed once when a
// lesson is loaded so that a frame never scans every record: records in
// time order, packets paired by id, per-connection series, and the times
// the running counters step at. What it counts (connections and whose
// they are, handshakes, TIME-WAIT, pages) comes from the trace.Index that
// the run's Summary is computed from too; this index only keeps, from
// each step of it, the series the playhead looks up.
type runIndex struct {
	run     *Run
	shared  *trace.Index  // the facts counted, as trace.Summarize counts them
	recs    *trace.Store  // in time order
	rtt     time.Duration // the lesson's RTT, or the first handshake's
	mss     int           // largest payload seen, else 1460
	packets []packet      // in order of sending
	// maxFlight is the longest a packet is drawn for (sent to arrived or
	// to its drop mark), so a window of the ladder finds its packets by
	// binary search.
	maxFlight time.Duration
	oneWay    [3]time.Duration // by trace.Dir: shortest sent→arrived
	lanes     ladderLanes      // the ladder's hosts, and each connection's hop
	stretches []stretch        // busy and idle, for the whole-run ladder
	rounds    []round          // the stretches' rounds, which that ladder may fold
	conns     []connIndex      // by id order
	connPos   map[int]int      // Conn id → position in conns
	count     counters
	server    serverState // the server's worker slots over time
	costs     costState   // the connections open and in TIME-WAIT over time
	// browserIdle and serverIdle are the lesson's keep-alive timeouts
	// (0: none or not known), which the quiet periods' sentence names.
	browserIdle, serverIdle time.Duration
	// seed is the run's seed (nil: not known), whose connections'
	// ports and ISNs the inspector shows; tls says whether the server
	// the browsers reach runs TLS, for its port.
	seed      *uint64
	tls       bool
	pages     []span           // the first client's page loads, for the RTT count
	pageFacts map[int]pageFact // by the index of each PageLoaded or PageFailed record
	loaded    time.Duration    // when the last page loaded or failed, or -1
	span      time.Duration    // the page's time axis: until loaded, or the last event
	clients   int              // clients in the run (1 unless it models many)
	// serverQueue says whether any resource's request waited for a
	// server core: the waterfall's legend then names that phase.
	serverQueue bool
	// play maps the run's time onto play time (idle stretches
	// shortened) for the moment bar; anyDrop says whether a packet was
	// lost, for the ladder's legend. Both fixed once indexed.
	play    playScale
	anyDrop bool
	// held is, by record index, how long a TIME-WAIT lasted (-1: to the
	// end of the run), how long a SYN timeout waited, or how long a
	// connection was silent before a keep-alive probe.
	held    map[int]time.Duration
	lastSyn map[[2]int]time.Duration // last SYN or SYN-ACK sent, by (conn, dir)
	heard   map[[2]int]time.Duration // last packet arrived, by (conn, its dir)
	moments []keyMoment              // the key moments n and N jump to, in time order
	dns     []dnsLookup              // the hosts' name lookups, in the order they began
	story   int                      // how many of them are the lesson's own (not generic)
}

// packet is one packet's life: -1 for what did not happen.
type packet struct {
	sent, arrived, dropped time.Duration
	rec                    int // the record that first names it
	conn                   int
	dir                    trace.Dir
}

// end is when the packet's ladder arrow ends: its arrival, its drop mark
// half-way across, or -1 if neither is known.
func (p *packet) end(ix *runIndex) time.Duration {
	switch {
	case p.arrived >= 0:
		return p.arrived
	case p.dropped >= 0:
		return p.sent + ix.flight(p)/2
	}
	return -1
}

// connIndex is one TCP connection's life: the shared index's facts
// about it, and the series the views draw.
type connIndex struct {
	id               int
	open             time.Duration   // client SYN-SENT, or its first record
	lastPacket       time.Duration   // its last packet sent, arrived or dropped
	fin              bool            // a FIN was sent on it
	origin           bool            // a proxy opened it to the origin (trace.Conn.Origin)
	host             string          // the host it goes to, when the page is on several (trace.Conn.Host)
	established      time.Duration   // client ESTABLISHED, or -1 (trace.Conn.Established)
	tlsStart, tlsEnd time.Duration   // -1 when none (trace.Conn.TLSStart, TLSEnd)
	server, client   []cwndPoint     // congestion window changes by side
	requests         []int           // record indices of its RequestSent records
	resources        []int           // resources it carried, in request order
	states           [3][]stateMark  // TCP state changes by side (trace.Dir)
	marks            [3][]streamMark // where each message starts in each direction's stream
	sack             bool            // its senders repair losses with SACK and RACK (the initial window's Note)
	quic             bool            // a QUIC connection (its states are QUIC's)
}

// stateMark is a TCP state that side of a connection entered at record rec.
type stateMark struct {
	rec   int
	state trace.State
}

// streamMark says that the bytes of a direction's stream from seq on
// belong to the message label names ("ClientHello", "GET /a.png", "DATA
// /a.png") and to the resource at path ("" for none: a TLS flight, a
// control frame), as the labelled first segment of a message shows.
type streamMark struct {
	seq         int64
	path, label string
}

// stateBefore is the TCP state of side d of connection c just before
// record i, or NoState if it is not known.
func (c *connIndex) stateBefore(d trace.Dir, i int) trace.State {
	if int(d) >= len(c.states) {
		return trace.NoState
	}
	ms := c.states[d]
	k := sort.Search(len(ms), func(k int) bool { return ms[k].rec >= i })
	if k == 0 {
		return trace.NoState
	}
	return ms[k-1].state
}

// resourceAt is the path of the resource whose bytes start at seq in
// direction d, or "".
func (c *connIndex) resourceAt(d trace.Dir, seq int64) string {
	if int(d) >= len(c.marks) {
		return ""
	}
	ms := c.marks[d]
	k := sort.Search(len(ms), func(k int) bool { return ms[k].seq > seq })
	if k == 0 {
		return ""
	}
	return ms[k-1].path
}

// pathOf is the resource path a message label names: its last word that
// starts with "/" ("200 OK /a.png", "DATA /a.png", "GET /a.png"), or "".
func pathOf(label string) string {
	for i := len(label) - 1; i >= 0; i-- {
		if label[i] == '/' && (i == 0 || label[i-1] == ' ') {
			end := i
			for end < len(label) && label[end] != ' ' {
				end++
			}
			return label[i:end]
		}
	}
	return ""
}

// cwndPoint is a congestion-window change, in bytes (-1: unlimited).
type cwndPoint struct {
	at             time.Duration
	cwnd, ssthresh int
	rec            int
	recovery       bool // in fast recovery after this change
}

// appendCwnd adds p to a series, working out whether the sender is in
// fast recovery: a loss cut ssthresh and left cwnd above it (ssthresh + 3
// segments, RFC 5681 §3.2), and cwnd has not come down since.
func appendCwnd(series []cwndPoint, p cwndPoint) []cwndPoint {
	if n := len(series); n > 0 {
		q := series[n-1]
		cut := p.ssthresh >= 0 && (q.ssthresh < 0 || p.ssthresh < q.ssthresh)
		p.recovery = (cut && p.cwnd > p.ssthresh) || (!cut && q.recovery && p.cwnd >= q.cwnd)
	}
	return append(series, p)
}

// counters hold, in ascending order, the times at which each running
// counter of the shared index (trace.Counts) steps up by one, so that at
// the end of the run each is as long as the count it follows.
type counters struct {
	opened      []time.Duration // Counts.Connections: the browsers' (client SYN-SENT)
	origin      []time.Duration // Counts.OriginConnections: a proxy's, counted apart
	established []time.Duration // Counts.Established
	quic        []time.Duration // those of them QUIC connections (QUIC-OPEN)
	tls         []time.Duration // Counts.TLSHandshakes
	done        []time.Duration // Counts.ResourcesDone
	dns         []time.Duration // Counts.DNSLookups: lookups answered
}

// upTo counts the times in ts at or before t.
func upTo(ts []time.Duration, t time.Duration) int {
	return sort.Search(len(ts), func(i int) bool { return ts[i] > t })
}

// newRunIndex indexes run. rtt is the lesson's round-trip time; 0 lets the
// index take it from the first handshake.
func newRunIndex(run *Run, rtt time.Duration) *runIndex {
	if run.Store == nil {
		run.Store = trace.StoreOf(run.Records)
	}
	if run.Store.Len() > 0 && run.Summary.Packets == 0 && len(run.Summary.Resources) == 0 {
		run.Summary = trace.Summarize(run.Store.Records()) // the source left it out
	}
	ix := &runIndex{run: run, shared: trace.NewIndex(), recs: run.Store, connPos: map[int]int{}, loaded: -1,
		pageFacts: map[int]pageFact{}, clients: 1,
		held: map[int]time.Duration{}, lastSyn: map[[2]int]time.Duration{}, heard: map[[2]int]time.Duration{}}
	if !sortedByTime(ix.recs) {
		recs := ix.recs.Records()
		slices.SortStableFunc(recs, byTime)
		ix.recs = trace.StoreOf(recs)
	}
	sent := 0
	for i := range ix.recs.Len() {
		if ix.recs.Kind(i) == trace.PacketSent {
			sent++
		}
	}
	ix.packets = make([]packet, 0, sent) // room for every packet, not twice as much
	pkt := packetPos{dense: make([]int32, ix.recs.Len()+1)}
	for i := range ix.recs.Len() {
		r := ix.recs.At(i)
		ix.add(i, &r, &pkt)
	}
	ix.finish(rtt)
	return ix
}

// rec is record i, a copy the caller may point at.
func (ix *runIndex) rec(i int) *trace.Record {
	r := ix.recs.At(i)
	return &r
}

// sortedByTime reports whether recs are in time order.
func sortedByTime(recs *trace.Store) bool {
	for i := 1; i < recs.Len(); i++ {
		if recs.Time(i) < recs.Time(i-1) {
			return false
		}
	}
	return true
}

func byTime(a, b trace.Record) int { return cmp.Compare(a.At, b.At) }

// conn returns the connection with id, adding it when first seen at t.
func (ix *runIndex) conn(id int, t time.Duration) *connIndex {
	i, ok := ix.connPos[id]
	if !ok {
		i = len(ix.conns)
		ix.connPos[id] = i
		ix.conns = append(ix.conns, connIndex{id: id, open: t, established: -1, tlsStart: -1, tlsEnd: -1})
	}
	return &ix.conns[i]
}

// lookup returns the connection with id, or nil.
func (ix *runIndex) lookup(id int) *connIndex {
	if i, ok := ix.connPos[id]; ok {
		return &ix.conns[i]
	}
	return nil
}

// add indexes r, record i.
func (ix *runIndex) add(i int, r *trace.Record, pkt *packetPos) {
	step := ix.shared.Add(r)
	ix.count.step(r.At, &step)
	if r.Kind > trace.PacketDropped { // the server's slot records; packets are most records
		f := ix.shared.Conn(r.Conn)
		origin := f != nil && f.Origin
		ix.server.add(r, origin)
		ix.costs.add(r, origin, ix.shared)
	}
	ix.clients = max(ix.clients, r.Client)
	var c *connIndex
	if r.Conn != 0 {
		c = ix.conn(r.Conn, r.At)
	}
	if o := step.Page; o != nil && o.Outcome != trace.Unfinished {
		ix.loaded = r.At
		if o.Start >= 0 {
			ix.pageFacts[i] = pageFact{took: o.Took(), conns: o.Connections, retried: o.Retried}
		}
	}
	switch r.Kind {
	case trace.PacketSent, trace.PacketArrived, trace.PacketDropped:
		ix.addPacket(i, r, pkt)
		if c != nil {
			c.lastPacket = r.At
			c.fin = c.fin || r.Flags&trace.FIN != 0
			ix.addSent(c, i, r)
		}
	case trace.Retransmit:
		if t, ok := ix.lastSyn[[2]int{r.Conn, int(r.Dir)}]; ok && r.Note == trace.RetxSynTimeout {
			ix.held[i] = r.At - t
		}
	case trace.StateChanged:
		if c != nil && int(r.Dir) < len(c.states) {
			if ms := c.states[r.Dir]; step.Changed&trace.TimeWaitEnded != 0 && len(ms) > 0 {
				ix.held[ms[len(ms)-1].rec] = step.Held // the TIME-WAIT this record ends
			}
			c.states[r.Dir] = append(c.states[r.Dir], stateMark{i, r.State})
			c.quic = c.quic || r.State == trace.QUICHandshake || r.State == trace.QUICOpen
		}
	case trace.CwndChanged:
		if c != nil && r.State == trace.CwndInitial && r.Note == trace.RecoveryRACK {
			c.sack = true
		}
		if c != nil {
			p := cwndPoint{at: r.At, cwnd: r.Cwnd, ssthresh: r.Ssthresh, rec: i}
			if r.Dir == trace.Down {
				c.server = appendCwnd(c.server, p)
			} else {
				c.client = appendCwnd(c.client, p)
			}
		}
	case trace.RequestSent:
		if c != nil {
			c.requests = append(c.requests, i)
			c.resources = append(c.resources, r.Resource)
		}
	case trace.PageLoaded, trace.PageFailed:
		if n := len(ix.pages); n > 0 && r.Client <= 1 && ix.pages[n-1].to < 0 {
			ix.pages[n-1].to = r.At
		}
	case trace.PageStarted:
		if r.Client <= 1 {
			ix.pages = append(ix.pages, span{r.At, -1})
		}
	case trace.DNSStarted, trace.DNSDone:
		ix.addLookup(r)
	}
}

// step adds the moment of a step of the shared index to the counters it
// stepped.
func (k *counters) step(at time.Duration, st *trace.Step) {
	switch ch := st.Changed; {
	case ch&trace.ConnOpened != 0 && st.Conn.Origin:
		k.origin = append(k.origin, at)
	case ch&trace.ConnOpened != 0:
		k.opened = append(k.opened, at)
	case ch&trace.ConnEstablished != 0 && !st.Conn.Origin:
		k.established = append(k.established, at)
		if st.Conn.State[trace.Up] == trace.QUICOpen {
			k.quic = append(k.quic, at)
		}
	case ch&trace.TLSBegun != 0:
		k.tls = append(k.tls, at)
	case ch&trace.ResourceDone != 0:
		k.done = append(k.done, at)
	case ch&trace.LookedUp != 0:
		k.dns = append(k.dns, at)
	}
}

// addSent notes, for a packet sent, where the messages it starts begin in
// its stream, when a handshake segment left (for SYN timeouts) and how
// long the connection had been silent before a keep-alive probe.
func (ix *runIndex) addSent(c *connIndex, i int, r *trace.Record) {
	if r.Kind == trace.PacketArrived {
		ix.heard[[2]int{r.Conn, int(r.Dir)}] = r.At
	}
	if r.Kind != trace.PacketSent {
		return
	}
	if r.Flags&trace.SYN != 0 {
		ix.lastSyn[[2]int{r.Conn, int(r.Dir)}] = r.At
	}
	if r.Label == trace.ProbeLabel {
		// Silence is what the prober has not heard: packets coming its way.
		from := trace.Down
		if r.Dir == trace.Down {
			from = trace.Up
		}
		if t, ok := ix.heard[[2]int{r.Conn, int(from)}]; ok {
			ix.held[i] = r.At - t
		}
	}
	if r.Len > 0 && r.Label != "" && int(r.Dir) < len(c.marks) {
		ms := c.marks[r.Dir]
		if n := len(ms); n == 0 || r.Seq > ms[n-1].seq {
			c.marks[r.Dir] = append(ms, streamMark{r.Seq, pathOf(r.Label), r.Label})
		}
	}
}

func (ix *runIndex) addPacket(i int, r *trace.Record, pkt *packetPos) {
	j, ok := pkt.get(r.Packet)
	if !ok {
		j = len(ix.packets)
		pkt.set(r.Packet, j)
		ix.packets = append(ix.packets, packet{sent: -1, arrived: -1, dropped: -1, rec: i, conn: r.Conn, dir: r.Dir})
		if r.Len > ix.mss {
			ix.mss = r.Len
		}
	}
	p := &ix.packets[j]
	switch r.Kind {
	case trace.PacketSent:
		p.sent = r.At
	case trace.PacketArrived:
		p.arrived = r.At
	case trace.PacketDropped:
		p.dropped = r.At
	}
}

// packetPos finds a packet's place in runIndex.packets by its id. A
// run numbers its packets from 1 (model.Network), and a run has fewer
// packets than records, so a table as long as the records holds their
// places, which a map of a million packets took a tenth of a second to
// fill; a saved trace's other ids go to a map.
type packetPos struct {
	dense  []int32 // by id: 1 + the place, 0 for none yet
	sparse map[uint64]int
}

func (pp *packetPos) get(id uint64) (int, bool) {
	if id < uint64(len(pp.dense)) {
		j := pp.dense[id]
		return int(j) - 1, j > 0
	}
	j, ok := pp.sparse[id]
	return j, ok
}

func (pp *packetPos) set(id uint64, j int) {
	if id < uint64(len(pp.dense)) {
		pp.dense[id] = int32(j + 1)
		return
	}
	if pp.sparse == nil {
		pp.sparse = map[uint64]int{}
	}
	pp.sparse[id] = j
}

// finish settles what needs the whole run: the RTT, one-way delays, the
// ladder's lanes, the drawing extent of packets, the time axis and the
// run's idle stretches.
func (ix *runIndex) finish(rtt time.Duration) {
	if ix.mss <= 0 {
		ix.mss = 1460
	}
	for i := range ix.run.Summary.Resources {
		ix.serverQueue = ix.serverQueue || serverWaited(&ix.run.Summary.Resources[i])
	}
	// Packets seen without their PacketSent record cannot be drawn.
	ix.packets = slices.DeleteFunc(ix.packets, func(p packet) bool { return p.sent < 0 })
	for d := range ix.oneWay {
		ix.oneWay[d] = -1
	}
	for _, p := range ix.packets {
		if p.arrived >= 0 && int(p.dir) < len(ix.oneWay) {
			f := p.arrived - p.sent
			if ix.oneWay[p.dir] < 0 || f < ix.oneWay[p.dir] {
				ix.oneWay[p.dir] = f
			}
		}
	}
	if rtt <= 0 && ix.oneWay[trace.Up] >= 0 && ix.oneWay[trace.Down] >= 0 {
		rtt = ix.oneWay[trace.Up] + ix.oneWay[trace.Down]
	}
	if rtt <= 0 {
		rtt = 100 * time.Millisecond
	}
	ix.rtt = rtt
	ix.play = newPlayScale(ix, idleRTTs*rtt) // the moment bar's axis, drawn every frame
	for _, p := range ix.packets {
		ix.anyDrop = ix.anyDrop || p.dropped >= 0
	}
	for d := range ix.oneWay {
		if ix.oneWay[d] < 0 {
			ix.oneWay[d] = rtt / 2
		}
	}
	switch {
	case ix.loaded > 0:
		ix.span = ix.loaded
	case ix.recs.Len() > 0:
		ix.span = ix.recs.Time(ix.recs.Len() - 1)
	}
	if ix.span <= 0 {
		ix.span = rtt
	}
	for i := range ix.conns {
		c := &ix.conns[i]
		f := ix.shared.Conn(c.id)
		if f == nil {
			continue // only packets name it
		}
		c.origin, c.host, c.established, c.tlsStart, c.tlsEnd = f.Origin, f.Host, f.Established, f.TLSStart, f.TLSEnd
		for d := range c.states {
			if ms := c.states[d]; f.State[d] == trace.TimeWait && len(ms) > 0 {
				ix.held[ms[len(ms)-1].rec] = -1 // still in TIME-WAIT when the run ended
			}
		}
	}
	ix.lanes = assignLanes(ix) // once the connections know whose they are
	ix.placeLookups()
	for i := range ix.packets {
		if e := ix.packets[i].end(ix); e >= 0 {
			ix.maxFlight = max(ix.maxFlight, e-ix.packets[i].sent)
		}
	}
	ix.stretches = runStretches(ix)
	ix.rounds = roundsOf(ix)
	ix.lastSyn, ix.heard = nil, nil
}

// last returns the index of the last record at or before t, or -1.
func (ix *runIndex) last(t time.Duration) int {
	return sort.Search(ix.recs.Len(), func(i int) bool { return ix.recs.Time(i) > t }) - 1
}

// visiblePackets returns the range of ix.packets that may be on screen
// between from and to: sent at or before to, and sent late enough to end
// at or after from.
func (ix *runIndex) visiblePackets(from, to time.Duration) (lo, hi int) {
	lo = sort.Search(len(ix.packets), func(i int) bool { return ix.packets[i].sent >= from-ix.maxFlight })
	hi = sort.Search(len(ix.packets), func(i int) bool { return ix.packets[i].sent > to })
	return lo, max(lo, hi)
}

// span is a stretch of time; to is -1 while it has not ended.
type span struct{ from, to time.Duration }

// loadingUpTo is how much of the time before t the first client spent
// loading pages (not reading them), or t itself when the run records no
// pages.
func (ix *runIndex) loadingUpTo(t time.Duration) time.Duration {
	if len(ix.pages) == 0 {
		return min(t, ix.span)
	}
	var d time.Duration
	for _, p := range ix.pages {
		end := p.to
		if end < 0 || end > t {
			end = t
		}
		if end > p.from {
			d += end - p.from
		}
	}
	return d
}

// pageFact is what a page's "page loaded" line says about it, from its
// trace.PageOutcome: how long it took from its navigation start, the
// connections it opened (-1 when unknown, with several clients) and the
// requests it retried.
type pageFact struct {
	took           time.Duration
	conns, retried int
}
