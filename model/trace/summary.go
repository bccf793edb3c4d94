package trace

import "time"

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
	// StopMaxEvents or StopTraceFull), or is NoState when the run ended
	// because nothing was left to happen.
	Stopped State
	// TTFB is the time to the first byte of the base document's response.
	TTFB            time.Duration
	Connections     int // TCP connections the browsers opened (SYNs first sent)
	TLSHandshakes   int // TLS handshakes started, full or resumed
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

	Queued       time.Duration // reference found; waiting ("Queueing", "Stalled")
	ConnectStart time.Duration // SYN sent for the connection this request opened
	ConnectEnd   time.Duration // handshake complete
	TLSStart     time.Duration
	TLSEnd       time.Duration
	RequestSent  time.Duration
	FirstByte    time.Duration // "Waiting (TTFB)" ends
	LastByte     time.Duration // "Content download" ends
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
// memory in proportion to its page, not to its packets.
type Summarizer struct {
	s            Summary
	conns        map[int]*connTimes
	started      map[pageKey]time.Duration
	firstSent    map[pageKey]time.Duration // by (client, resource), for clients after the first
	idleSince    map[int]time.Duration
	backlogSince map[int]time.Duration
	timeWait     [3]int          // by Dir
	inTimeWait   map[[2]int]bool // by (conn, dir)
	origin       map[int]bool
	pageStats    map[pageKey]*pageStat // the page loading, per client
	loading      *pageStat             // a lone client's (Client 0) page loading, if any
	clients      bool                  // records of several clients
	total, idle  time.Duration
	last         time.Duration // the time of the last record
	any          bool
}

type connTimes struct {
	start, end, tlsStart, tlsEnd time.Duration
	used                         bool
}

type pageKey struct{ client, page int }

// pageStat is what a page's outcome reports beside its times.
type pageStat struct {
	doc   int // the page's document: its first resource queued
	ttfb  time.Duration
	bytes int
	conns int
}

// stat is the statistics of (client, page), created at its start.
func (z *Summarizer) stat(client, page int) *pageStat {
	k := pageKey{client, page}
	p := z.pageStats[k]
	if p == nil {
		p = &pageStat{ttfb: -1}
		z.pageStats[k] = p
	}
	return p
}

// NewSummarizer returns an empty Summarizer.
func NewSummarizer() *Summarizer {
	return &Summarizer{
		conns: map[int]*connTimes{}, started: map[pageKey]time.Duration{}, firstSent: map[pageKey]time.Duration{},
		idleSince: map[int]time.Duration{}, backlogSince: map[int]time.Duration{},
		inTimeWait: map[[2]int]bool{}, origin: map[int]bool{}, pageStats: map[pageKey]*pageStat{},
	}
}

func (z *Summarizer) conn(id int) *connTimes {
	c := z.conns[id]
	if c == nil {
		c = &connTimes{-1, -1, -1, -1, false}
		z.conns[id] = c
	}
	return c
}

func (z *Summarizer) res(id int) *ResourceTiming {
	s := &z.s
	for len(s.Resources) < id {
		n := len(s.Resources) + 1
		s.Resources = append(s.Resources, ResourceTiming{
			Resource: n, Queued: -1, ConnectStart: -1, ConnectEnd: -1, TLSStart: -1, TLSEnd: -1,
			RequestSent: -1, FirstByte: -1, LastByte: -1,
		})
	}
	return &s.Resources[id-1]
}

// Record adds one record, in the order of the run.
func (z *Summarizer) Record(rec Record) {
	r := &rec
	s := &z.s
	z.last, z.any = r.At, true
	if r.Kind == RequestSent && r.Client > 1 {
		k := pageKey{r.Client, r.Resource}
		if t, ok := z.firstSent[k]; !ok {
			z.firstSent[k] = r.At
		} else {
			s.RaceCost += r.At - t // a resend: the delay is what the race cost
		}
	}
	switch r.Kind {
	case ResourceQueued:
		if st := z.stat(r.Client, r.Page); st.doc == 0 {
			st.doc = r.Resource // the browser queues the document first
		}
	case FirstByte:
		// The document's only: with the document from the cache, its
		// children are requested at once, and the page has no TTFB.
		if st := z.stat(r.Client, r.Page); st.ttfb < 0 && r.Resource == st.doc {
			st.ttfb = r.At - z.started[pageKey{r.Client, r.Page}]
		}
	case LastByte:
		z.stat(r.Client, r.Page).bytes += r.Len
	case PageStarted:
		z.clients = z.clients || r.Client > 0
	}
	if r.Client > 1 && (r.Kind == ResourceQueued || r.Kind == RequestSent || r.Kind == FirstByte || r.Kind == LastByte) {
		return // per-resource timings are the first client's
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
	case StateChanged:
		ck := [2]int{r.Conn, int(r.Dir)}
		if r.State == TimeWait {
			z.inTimeWait[ck] = true
			z.timeWait[r.Dir]++
			if r.Dir == Down {
				s.TimeWaitPeakServer = max(s.TimeWaitPeakServer, z.timeWait[r.Dir])
			} else {
				s.TimeWaitPeakClient = max(s.TimeWaitPeakClient, z.timeWait[r.Dir])
			}
		} else if z.inTimeWait[ck] {
			delete(z.inTimeWait, ck)
			z.timeWait[r.Dir]--
		}
		if r.Dir == Up && r.State == SynSent {
			if z.origin[r.Conn] {
				s.OriginConnections++
			} else {
				s.Connections++
				if z.loading != nil { // one client: the connection is its loading page's
					z.loading.conns++
				}
			}
			z.conn(r.Conn).start = r.At
		}
		if r.Dir == Up && r.State == Established {
			z.conn(r.Conn).end = r.At
		}
	case TLSStarted:
		s.TLSHandshakes++
		z.conn(r.Conn).tlsStart = r.At
	case TLSDone:
		z.conn(r.Conn).tlsEnd = r.At
	case ResourceQueued:
		t := z.res(r.Resource)
		t.Path, t.Bytes, t.Queued, t.Page = r.Label, r.Len, r.At, r.Page
	case RequestSent:
		t := z.res(r.Resource)
		t.Conn, t.Stream = r.Conn, r.Stream
		if t.RequestSent < 0 {
			t.RequestSent = r.At
		} else {
			s.RaceCost += r.At - t.RequestSent // a resend (the first client's; the others' are above)
		}
		if c := z.conn(r.Conn); !c.used {
			// DevTools charges a connection's setup to its first request.
			c.used = true
			t.ConnectStart, t.ConnectEnd, t.TLSStart, t.TLSEnd = c.start, c.end, c.tlsStart, c.tlsEnd
		}
	case FirstByte:
		t := z.res(r.Resource)
		t.FirstByte = r.At
		if r.Resource == 1 {
			s.TTFB = r.At
		}
	case LastByte:
		z.res(r.Resource).LastByte = r.At
	case ResponseCached:
		t := z.res(r.Resource)
		t.Cached, t.LastByte = true, r.At
	case PageStarted:
		s.Pages++
		z.started[pageKey{r.Client, r.Page}] = r.At
		if st := z.stat(r.Client, r.Page); r.Client == 0 {
			z.loading = st
		}
	case PageLoaded, PageFailed:
		s.PacketsToLoad = s.Packets
		t0 := z.started[pageKey{r.Client, r.Page}]
		o := z.outcome(r.Client, r.Page, Loaded, t0, r.At, "")
		if r.Kind == PageFailed {
			o.Outcome, o.Why = Failed, r.Note
			s.PagesFailed++
		} else {
			s.PageLoads = append(s.PageLoads, r.At-t0)
			z.total += r.At - t0
			s.PagesLoaded++
		}
		s.Outcomes = append(s.Outcomes, o)
	case PageUnfinished:
		t0, ok := z.started[pageKey{r.Client, r.Page}]
		if !ok {
			s.Pages++ // never started
			t0 = -1
		}
		s.PagesUnfinished++
		s.Outcomes = append(s.Outcomes, z.outcome(r.Client, r.Page, Unfinished, t0, r.At, r.Note))
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
	case OriginConn:
		z.origin[r.Conn] = true
	case ServerIdle:
		z.idleSince[r.Conn] = r.At
	case ServerBusy, SlotReleased:
		if t, ok := z.idleSince[r.Conn]; ok {
			z.idle += r.At - t
			delete(z.idleSince, r.Conn)
		}
	}
}

// outcome is the outcome of (client, page), with its statistics, which
// it then stops gathering.
func (z *Summarizer) outcome(client, page int, o Outcome, start, end time.Duration, why string) PageOutcome {
	k := pageKey{client, page}
	po := PageOutcome{Client: client, Page: page, Outcome: o, Start: start, End: end, Why: why, TTFB: -1, Connections: -1}
	if st := z.pageStats[k]; st != nil {
		if st == z.loading {
			z.loading = nil
		}
		po.TTFB, po.Bytes, po.Connections = st.ttfb, st.bytes, st.conns
		delete(z.pageStats, k)
	}
	if z.clients {
		po.Connections = -1
	}
	return po
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
	s.Complete = s.Pages > 0 && s.PagesLoaded == s.Pages
	s.PageLoad = -1
	if len(s.PageLoads) > 0 {
		s.PageLoad = z.total / time.Duration(len(s.PageLoads))
	}
	return s
}
