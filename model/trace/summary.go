package trace

import (
	"math/bits"
	"time"
)

// Outcome is how a page of a run ended.
type Outcome uint8

// Page outcomes.
const (
	// Loaded: every resource of the page arrived (PageLoaded).
	Loaded Outcome = iota + 1
	// Failed: a request of the page failed, so it never loaded (PageFailed).
	Failed
	// Unfinished: the run ended before the page had an outcome, or before
	// it started (PageUnfinished).
	Unfinished
)

func (o Outcome) String() string {
	switch o {
	case Loaded:
		return "loaded"
	case Failed:
		return "failed"
	case Unfinished:
		return "unfinished"
	}
	return ""
}

// PageOutcome is one page of one client: how it ended, and why when it
// did not load.
type PageOutcome struct {
	Client  int // from 1 with several clients, else 0
	Page    int // from 1
	Outcome Outcome
	// Start is the navigation start and End the last byte (Loaded) or the
	// moment the page failed or the run ended; Start is -1 for a page that
	// never started.
	Start, End time.Duration
	Why        string // for Failed and Unfinished
	// TTFB is navigation start to the first byte of the page's base
	// document, -1 if none arrived (or the document came from the
	// cache).
	TTFB time.Duration
	// Bytes are the body bytes of the page's responses that arrived
	// whole, cached ones not counted.
	Bytes int
	// Connections the page opened: those whose SYN was first sent while
	// it loaded; -1 with several clients, whose connections the trace
	// does not tell apart.
	Connections int
	// Retried counts the page's requests resent after their connection
	// died under them.
	Retried int
}

// Took is how long a loaded or failed page took from navigation start,
// or -1 for a page that never started.
func (p PageOutcome) Took() time.Duration {
	if p.Start < 0 {
		return -1
	}
	return p.End - p.Start
}

// Summary is what a page load measured, computed from its trace alone.
type Summary struct {
	// Complete is true when every page of every client loaded. A run with
	// a failed or unfinished page is not complete.
	Complete bool
	// PageLoad runs from navigation start to the last byte of the last
	// resource; with several pages or clients it is the mean of PageLoads.
	// Only pages that loaded count; it is -1 when none did.
	PageLoad time.Duration
	// PageLoads lists the load time of every page that loaded, in the
	// order they ended.
	PageLoads []time.Duration
	// Pages counts every page the run was to load, each client's visits
	// included, whether or not it started.
	Pages int
	// PagesLoaded, PagesFailed and PagesUnfinished count them by outcome.
	PagesLoaded, PagesFailed, PagesUnfinished int
	// Outcomes lists every page's outcome in the order the outcomes were
	// recorded (unfinished pages last).
	Outcomes []PageOutcome
	// Stopped names the limit that ended the run (StopMaxTime,
	// StopMaxEvents, StopMaxMemory or StopTraceFull), or is NoState when the run ended
	// because nothing was left to happen.
	Stopped State
	// TTFB is the time to the first byte of the base document's response.
	TTFB            time.Duration
	Connections     int // TCP connections the browsers opened (SYNs first sent)
	TLSHandshakes   int // TLS handshakes started, full or resumed
	DNSLookups      int // host names the browsers looked up (dns.enabled)
	Packets         int // packets sent, both directions, retransmissions included
	PacketsToLoad   int // those sent until the last page loaded or failed (not the closing ones after)
	WireBytes       int // bytes of those packets, headers included
	Retransmissions int // packets that were retransmissions
	Drops           int // packets lost

	// The keep-alive life cycle.
	RetriedRequests    int           // requests resent after their connection died under them
	FailedRequests     int           // requests given up on
	RaceCost           time.Duration // summed delay between first send and resend of retried requests
	RefusedConnections int           // SYNs dropped by a server whose backlog was full
	BacklogWait        time.Duration // summed time connections waited in the backlog for a slot
	IdleSlot           time.Duration // server worker slots held by idle keep-alive connections × time, summed
	TimeWaitPeakServer int           // most server sockets in TIME-WAIT at once
	TimeWaitPeakClient int           // most client sockets in TIME-WAIT at once
	OriginConnections  int           // connections a proxy opened to the origin

	// The server's processor (CPUQueued, CPUStarted, CPUDone records of
	// the server the browsers reach; a proxy's origin is left out).
	// ServerCPU is the processor time its cores spent on work, summed
	// over cores; CPUSpan runs from the first work item's arrival to the
	// last one's end (to the end of the run for work unfinished then);
	// HandshakeQueue sums the time TLS handshakes waited for a core, over
	// the CPUHandshakes handshakes that had work for one.
	ServerCPU      time.Duration
	CPUSpan        time.Duration
	HandshakeQueue time.Duration
	CPUHandshakes  int

	// The server's memory (ServerMemory records): the most it held at
	// once, and its mean over the run, weighted by time, from 0 to the
	// last record. Both are 0 when the trace has no ServerMemory records.
	ServerMemPeak int64
	ServerMemMean int64

	// Resources holds the first client's resources, numbered across its
	// pages.
	Resources []ResourceTiming
}

// ResourceTiming holds the Chrome DevTools phases of one resource, as
// times since navigation start. A phase that did not happen (no new
// connection, no TLS) is -1.
type ResourceTiming struct {
	Resource int // from 1, the base document first
	Page     int // the page it belongs to, from 1
	Path     string
	Bytes    int // body bytes
	Conn     int
	Stream   int  // HTTP/2 stream id, else 0
	Cached   bool // served from the browser's cache: no request at all
	// QUIC: its request went over a QUIC connection (HTTP/3), not TCP;
	// an HTTP/3 run that discovers HTTP/3 by Alt-Svc has both.
	QUIC bool

	Queued time.Duration // reference found; waiting ("Queueing", "Stalled")
	// DNSStart and DNSEnd bound the lookup of the host of the
	// connection this request opened, when it waited for one (-1 when
	// it did not: dns off, or the answer cached).
	DNSStart, DNSEnd time.Duration
	ConnectStart     time.Duration // SYN sent for the connection this request opened
	ConnectEnd       time.Duration // handshake complete
	TLSStart         time.Duration
	TLSEnd           time.Duration
	RequestSent      time.Duration
	FirstByte        time.Duration // "Waiting (TTFB)" ends
	LastByte         time.Duration // "Content download" ends
	// ServerQueued and ServerStarted are when the request's work reached
	// the server's processor and when a core took it (CPUQueued and
	// CPUStarted records naming the resource): the wait between is the
	// "server queue" inside Waiting (TTFB). Both are -1 when the request
	// cost the processor nothing; the first request's, if it was resent.
	ServerQueued, ServerStarted time.Duration
	// RequestHead and ResponseHead are the request's and the response's
	// HTTP head in bytes before TLS, as the model sized them (the Len of
	// RequestSent and FirstByte); 0 when not recorded (ideal mode).
	RequestHead, ResponseHead int
}

// Summarize computes a page load's metrics from its trace: what a
// [Summarizer] fed every record gives.
func Summarize(recs []Record) Summary {
	z := NewSummarizer()
	for i := range recs {
		z.Record(recs[i])
	}
	return z.Summary()
}

// Summarizer is a Recorder that computes a run's [Summary] as the records
// arrive, keeping only what the summary needs (per connection, page and
// resource), never the records: a run whose trace nothing reads costs
// memory in proportion to its page, not to its packets. What it counts
// about connections, TIME-WAIT and pages it reads from an [Index], the
// one the terminal UI reads too.
type Summarizer struct {
	s            Summary
	ix           *Index
	firstSent    map[pageKey]time.Duration // by (client, resource), for clients after the first
	idleSince    map[int]time.Duration
	backlogSince map[int]time.Duration
	total, idle  time.Duration
	last         time.Duration // the time of the last record
	any          bool
	cpu          cpuSums
	mem          memSums
	// lookups are the first client's DNS lookups by host: started, and
	// the latest done (its start and end).
	lookupStart map[string]time.Duration
	lookupDone  map[string][2]time.Duration
}

// memSums integrates the server's memory over time, exactly: the area
// in byte·nanoseconds may pass 2⁶³ (a gigabyte held for ten seconds), so
// it is kept in 128 bits.
type memSums struct {
	bytes, peak int64
	since       time.Duration // when bytes took its value
	hi, lo      uint64        // Σ bytes × duration
}

func (m *memSums) add(r *Record) {
	m.hold(r.At)
	m.bytes = int64(r.Len)
	m.peak = max(m.peak, m.bytes)
}

// hold adds the area from since to t at the current bytes.
func (m *memSums) hold(t time.Duration) {
	if t > m.since && m.bytes > 0 {
		hi, lo := bits.Mul64(uint64(m.bytes), uint64(t-m.since))
		var carry uint64
		m.lo, carry = bits.Add64(m.lo, lo, 0)
		m.hi += hi + carry
	}
	m.since = t
}

// mean is the area up to end over end.
func (m memSums) mean(end time.Duration) int64 {
	m.hold(end)
	if end <= 0 || m.hi >= uint64(end) {
		return m.peak // a zero-length run; or impossible: the mean exceeds any int64
	}
	q, _ := bits.Div64(m.hi, m.lo, uint64(end))
	return int64(q)
}

// cpuSums follows a server's work items without pairing them: a core
// takes them in the order they queued, so the time they spent on cores
// is the sum of their end times less the sum of their start times, and
// the time they waited the sum of their starts less the sum of their
// arrivals; an item unfinished when the run ended counts to the last
// record. The sums may wrap around on a long run of many items: int64
// arithmetic wraps in Go, so the differences are still exact whenever
// they fit (a total of 292 years).
type cpuSums struct {
	started, done       time.Duration // Σ start, Σ end
	running             int           // started, not done
	hsQueued, hsStarted time.Duration // the same for TLS handshakes: Σ arrival, Σ start
	hsWaiting, hsCount  int           // queued, not started; queued in all
	first, lastDone     time.Duration
	any                 bool
}

func (c *cpuSums) add(r *Record) {
	hs := r.Label == WorkFullTLS || r.Label == WorkResumedTLS
	switch r.Kind {
	case CPUQueued:
		if !c.any {
			c.first, c.any = r.At, true
		}
		if hs {
			c.hsQueued += r.At
			c.hsWaiting++
			c.hsCount++
		}
	case CPUStarted:
		c.started += r.At
		c.running++
		if hs {
			c.hsStarted += r.At
			c.hsWaiting--
		}
	case CPUDone:
		c.done += r.At
		c.running--
		c.lastDone = r.At
	}
}

// serverQueue times the first client's request r's wait for a core.
func (z *Summarizer) serverQueue(r *Record) {
	t := z.res(r.Resource)
	switch {
	case r.Kind == CPUQueued && t.ServerQueued < 0:
		t.ServerQueued = r.At
	case r.Kind == CPUStarted && t.ServerStarted < 0:
		t.ServerStarted = r.At
	}
}

// NewSummarizer returns an empty Summarizer.
func NewSummarizer() *Summarizer {
	return &Summarizer{ix: NewIndex(), firstSent: map[pageKey]time.Duration{},
		idleSince: map[int]time.Duration{}, backlogSince: map[int]time.Duration{}}
}

// Index is the index the Summarizer counts from.
func (z *Summarizer) Index() *Index { return z.ix }

func (z *Summarizer) res(id int) *ResourceTiming {
	s := &z.s
	for len(s.Resources) < id {
		n := len(s.Resources) + 1
		s.Resources = append(s.Resources, ResourceTiming{
			Resource: n, Queued: -1, DNSStart: -1, DNSEnd: -1, ConnectStart: -1, ConnectEnd: -1, TLSStart: -1, TLSEnd: -1,
			RequestSent: -1, FirstByte: -1, LastByte: -1, ServerQueued: -1, ServerStarted: -1,
		})
	}
	return &s.Resources[id-1]
}

// lookupFor is the latest finished lookup of host; a one-host run names
// no host on its connections (ConnHost), and has one host to look up.
func (z *Summarizer) lookupFor(host string) ([2]time.Duration, bool) {
	if host == "" && len(z.lookupDone) == 1 {
		for _, l := range z.lookupDone {
			return l, true
		}
	}
	l, ok := z.lookupDone[host]
	return l, ok
}

// Record adds one record, in the order of the run.
func (z *Summarizer) Record(rec Record) {
	r := &rec
	s := &z.s
	z.last, z.any = r.At, true
	var step Step
	if r.Kind.indexed() { // not packets and windows, most records: no call for them
		step = z.ix.Add(r)
	}
	if o := step.Page; o != nil {
		if o.Outcome != Unfinished {
			s.PacketsToLoad = s.Packets
		}
		if o.Outcome == Loaded {
			s.PageLoads = append(s.PageLoads, o.Took())
			z.total += o.Took()
		}
		s.Outcomes = append(s.Outcomes, *o)
		return
	}
	if r.Kind == RequestSent && r.Client > 1 {
		k := pageKey{r.Client, r.Resource}
		if t, ok := z.firstSent[k]; !ok {
			z.firstSent[k] = r.At
		} else {
			s.RaceCost += r.At - t // a resend: the delay is what the race cost
		}
	}
	if r.Client > 1 {
		switch r.Kind {
		case ResourceQueued, RequestSent, FirstByte, LastByte, ResponseCached:
			return // per-resource timings are the first client's
		}
	}
	switch r.Kind {
	case PacketSent:
		s.Packets++
		s.WireBytes += r.Wire
		if r.Retx {
			s.Retransmissions++
		}
	case PacketDropped:
		s.Drops++
	case ResourceQueued:
		t := z.res(r.Resource)
		t.Path, t.Bytes, t.Queued, t.Page = r.Label, r.Len, r.At, r.Page
	case RequestSent:
		t := z.res(r.Resource)
		t.Conn, t.Stream = r.Conn, r.Stream
		t.RequestHead = r.Len
		st := step.Conn.State[Up]
		t.QUIC = st == QUICHandshake || st == QUICOpen // the last send's connection, as Conn
		if t.RequestSent < 0 {
			t.RequestSent = r.At
		} else {
			s.RaceCost += r.At - t.RequestSent // a resend (the first client's; the others' are above)
		}
		if c := step.Conn; c.Requests == 1 {
			// DevTools charges a connection's setup to its first request.
			t.ConnectStart, t.ConnectEnd, t.TLSStart, t.TLSEnd = c.Opened, c.Established, c.TLSStart, c.TLSEnd
			if l, ok := z.lookupFor(c.Host); ok && l[1] <= c.Opened && l[1] > t.Queued {
				t.DNSStart, t.DNSEnd = l[0], l[1] // the connection waited for it
			}
		}
	case FirstByte:
		t := z.res(r.Resource)
		t.FirstByte = r.At
		t.ResponseHead = r.Len
		if r.Resource == 1 {
			s.TTFB = r.At
		}
	case LastByte:
		z.res(r.Resource).LastByte = r.At
	case ResponseCached:
		t := z.res(r.Resource)
		t.Cached, t.LastByte = true, r.At
	case DNSStarted:
		if r.Client <= 1 {
			if z.lookupStart == nil {
				z.lookupStart, z.lookupDone = map[string]time.Duration{}, map[string][2]time.Duration{}
			}
			z.lookupStart[r.Label] = r.At
		}
	case DNSDone:
		if t, ok := z.lookupStart[r.Label]; ok && r.Client <= 1 {
			z.lookupDone[r.Label] = [2]time.Duration{t, r.At}
		}
	case RunStopped:
		s.Stopped = r.State
	case RequestRetried:
		s.RetriedRequests++
	case RequestFailed:
		s.FailedRequests++
	case Refused:
		s.RefusedConnections++
	case Backlogged:
		z.backlogSince[r.Conn] = r.At
	case Accepted:
		if t, ok := z.backlogSince[r.Conn]; ok {
			s.BacklogWait += r.At - t
			delete(z.backlogSince, r.Conn)
		}
	case CPUQueued, CPUStarted, CPUDone:
		if c := z.ix.Conn(r.Conn); c == nil || !c.Origin {
			z.cpu.add(r)
			if r.Resource > 0 && r.Client <= 1 && r.Label == WorkRequest {
				z.serverQueue(r)
			}
		}
	case ServerMemory:
		z.mem.add(r)
	case ServerIdle:
		z.idleSince[r.Conn] = r.At
	case ServerBusy, SlotReleased:
		if t, ok := z.idleSince[r.Conn]; ok {
			z.idle += r.At - t
			delete(z.idleSince, r.Conn)
		}
	}
}

// Summary is the summary of the records so far, as if the run ended at
// the last one. Its slices share storage with the Summarizer (no copy of
// what may be a million resource timings): call it when the records are
// done, or expect later records to show through.
func (z *Summarizer) Summary() Summary {
	s := z.s
	idle := z.idle
	if z.any {
		for _, t := range z.idleSince { // still idle when the run ended
			idle += z.last - t // integer sums: the map's order cannot change the result
		}
	}
	s.IdleSlot = idle
	if c := z.cpu; c.any {
		s.ServerCPU = c.done - c.started + time.Duration(c.running)*z.last
		s.HandshakeQueue = c.hsStarted - c.hsQueued + time.Duration(c.hsWaiting)*z.last
		s.CPUHandshakes = c.hsCount
		end := c.lastDone
		if c.running > 0 {
			end = z.last
		}
		s.CPUSpan = end - c.first
	}
	s.ServerMemPeak, s.ServerMemMean = z.mem.peak, z.mem.mean(z.last) // 0 and 0 without server-memory records
	c := z.ix.Counts()
	s.Connections, s.OriginConnections, s.TLSHandshakes = c.Connections, c.OriginConnections, c.TLSHandshakes
	s.DNSLookups = c.DNSLookups
	s.TimeWaitPeakClient, s.TimeWaitPeakServer = c.TimeWaitPeakClient, c.TimeWaitPeakServer
	s.Pages, s.PagesLoaded, s.PagesFailed, s.PagesUnfinished = c.Pages, c.PagesLoaded, c.PagesFailed, c.PagesUnfinished
	s.Complete = s.Pages > 0 && s.PagesLoaded == s.Pages
	s.PageLoad = -1
	if len(s.PageLoads) > 0 {
		s.PageLoad = z.total / time.Duration(len(s.PageLoads))
	}
	return s
}
