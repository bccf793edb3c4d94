package trace

import "time"

// Index follows a run's records one at a time and keeps the facts that
// more than one reader counts: which connections were opened and by
// whom (a browser, or a proxy to the origin), each connection's
// handshake and TLS times and its two sides' TCP states, the sockets in
// TIME-WAIT, the TLS handshakes, and each page's outcome with what it
// cost. [Summarizer] and the terminal UI both read their numbers from
// it, so that "connections" or "TIME-WAIT peak" cannot mean two things
// (the UI once counted a proxy's origin connections as the browser's).
//
// It keeps nothing per packet and no records: its memory grows with the
// run's connections and the pages loading at once, never with its
// trace, so a run that streams its trace can index it on the fly. A
// reader that needs a series over time (the UI's counters at the
// playhead) keeps it from the [Step] each record gives.
type Index struct {
	conns    map[int]*Conn
	counts   Counts
	timeWait [3]int                 // sockets in TIME-WAIT now, by Dir
	pages    map[pageKey]*pageFacts // pages started and without an outcome yet
	loading  *pageFacts             // a lone client's (Client 0) page loading, if any
	clients  bool                   // records of several clients: connections are not the pages'
	outcome  PageOutcome            // the last page outcome, which Step.Page points to
}

// Conn is what an Index knows about one TCP connection. Times are -1
// for what has not happened.
type Conn struct {
	ID int
	// Origin is true for a connection a proxy opened to the origin
	// server (an OriginConn record), false for a browser's.
	Origin bool
	// Host is the host it goes to (a ConnHost record), when the pages
	// use several; "" otherwise.
	Host string
	// Opened is when its client sent its first SYN (client SYN-SENT);
	// Established when the client's side completed the handshake.
	Opened, Established time.Duration
	// TLSStart and TLSEnd bound its TLS handshake.
	TLSStart, TLSEnd time.Duration
	// State is each side's TCP state now, by Dir (Up: the client, Down:
	// the server), NoState before the first; Since is when it was entered.
	State [3]State
	Since [3]time.Duration
	// Requests counts the requests sent on it (RequestSent records).
	Requests int
}

// Counts are an Index's running totals.
type Counts struct {
	Connections       int // connections the browsers opened (client SYN-SENT)
	OriginConnections int // connections a proxy opened to the origin, counted apart
	Established       int // browsers' connections whose client side reached ESTABLISHED
	TLSHandshakes     int // TLS handshakes started, full or resumed
	DNSLookups        int // host names looked up (DNSDone records)
	// ResourcesDone counts the first client's resources that arrived
	// whole or came from the cache.
	ResourcesDone int
	// TimeWaitPeakClient and TimeWaitPeakServer are the most sockets in
	// TIME-WAIT at once on each side.
	TimeWaitPeakClient, TimeWaitPeakServer int
	// Pages counts the pages started, and the pages that never started
	// once the run's end reports them (PageUnfinished); PagesLoaded,
	// PagesFailed and PagesUnfinished count them by outcome.
	Pages, PagesLoaded, PagesFailed, PagesUnfinished int
}

// Step is what one record changed among an Index's facts. It is four
// words, so that following a record costs no more than a call: the
// Summarizer takes a step per packet.
type Step struct {
	// Changed says which counted facts the record stepped.
	Changed Change
	// Conn is the connection a StateChanged, TLS, RequestSent or
	// OriginConn record is about; nil for other records.
	Conn *Conn
	// Held is, with TimeWaitEnded, how long the side of Conn had been in
	// TIME-WAIT.
	Held time.Duration
	// Page is the outcome the record gave a page (PageLoaded, PageFailed,
	// PageUnfinished), nil otherwise. It points into the Index and is
	// valid until the next Add.
	Page *PageOutcome
}

// Change is a set of the facts a record stepped.
type Change uint8

// The changes a Step reports.
const (
	// ConnOpened: the record is Conn's client SYN-SENT (Conn.Origin says
	// whose connection it is).
	ConnOpened Change = 1 << iota
	// ConnEstablished: Conn's client side reached ESTABLISHED.
	ConnEstablished
	// TLSBegun: a TLS handshake started on Conn.
	TLSBegun
	// ResourceDone: a resource of the first client arrived whole or came
	// from the cache.
	ResourceDone
	// TimeWaitEnded: a side of Conn left TIME-WAIT after Held.
	TimeWaitEnded
	// LookedUp: a host's DNS lookup has its answer (a DNSDone record),
	// one more of Counts.DNSLookups, so that a reader following the
	// steps counts lookups over time as the index counts them.
	LookedUp
)

type pageKey struct{ client, page int }

// pageFacts is what a page's outcome reports beside its times.
type pageFacts struct {
	start   time.Duration // navigation start, -1 before PageStarted
	doc     int           // the page's document: its first resource queued
	ttfb    time.Duration
	bytes   int
	conns   int
	retried int
}

// NewIndex returns an empty Index.
func NewIndex() *Index {
	return &Index{conns: map[int]*Conn{}, pages: map[pageKey]*pageFacts{}}
}

// Conn returns the connection with id, or nil if no record has named it
// in a way the index follows.
func (ix *Index) Conn(id int) *Conn { return ix.conns[id] }

// Counts returns the totals so far.
func (ix *Index) Counts() Counts { return ix.counts }

// TimeWait is how many sockets of side d (Up: clients, Down: servers)
// are in TIME-WAIT now.
func (ix *Index) TimeWait(d Dir) int {
	if int(d) < len(ix.timeWait) {
		return ix.timeWait[d]
	}
	return 0
}

func (ix *Index) conn(id int) *Conn {
	c := ix.conns[id]
	if c == nil {
		c = &Conn{ID: id, Opened: -1, Established: -1, TLSStart: -1, TLSEnd: -1}
		ix.conns[id] = c
	}
	return c
}

// page returns the facts of (client, page), created when first named.
func (ix *Index) page(client, page int) *pageFacts {
	k := pageKey{client, page}
	p := ix.pages[k]
	if p == nil {
		p = &pageFacts{start: -1, ttfb: -1}
		ix.pages[k] = p
	}
	return p
}

// Add follows one record, in the order of the run, and says what it
// changed. Packets and window changes change nothing here and cost a
// bit test.
func (ix *Index) Add(r *Record) Step {
	if !r.Kind.indexed() {
		return Step{}
	}
	return ix.follow(r)
}

// follow is Add for a record of a kind the index follows. A kind added
// here needs its bit in indexedKinds (TestIndexedKinds checks).
func (ix *Index) follow(r *Record) Step {
	var st Step
	switch r.Kind {
	case StateChanged:
		c := ix.conn(r.Conn)
		st.Conn = c
		ix.state(c, r, &st)
	case OriginConn:
		c := ix.conn(r.Conn)
		c.Origin = true
		st.Conn = c
	case ConnHost:
		c := ix.conn(r.Conn)
		c.Host = r.Label
		st.Conn = c
	case DNSDone:
		ix.counts.DNSLookups++
		st.Changed = LookedUp
	case TLSStarted:
		c := ix.conn(r.Conn)
		ix.counts.TLSHandshakes++
		c.TLSStart = r.At
		st.Conn, st.Changed = c, TLSBegun
	case TLSDone:
		c := ix.conn(r.Conn)
		c.TLSEnd = r.At
		st.Conn = c
	case RequestSent:
		c := ix.conn(r.Conn)
		c.Requests++
		st.Conn = c
	case ResourceQueued:
		if p := ix.page(r.Client, r.Page); p.doc == 0 {
			p.doc = r.Resource // the browser queues the document first
		}
	case FirstByte:
		// The document's only: with the document from the cache, its
		// children are requested at once, and the page has no TTFB.
		if p := ix.page(r.Client, r.Page); p.ttfb < 0 && r.Resource == p.doc && p.start >= 0 {
			p.ttfb = r.At - p.start
		}
	case LastByte, ResponseCached:
		if r.Kind == LastByte {
			ix.page(r.Client, r.Page).bytes += r.Len
		}
		if r.Client <= 1 {
			ix.counts.ResourcesDone++
			st.Changed = ResourceDone
		}
	case RequestRetried:
		ix.page(r.Client, r.Page).retried++
	case PageStarted:
		ix.clients = ix.clients || r.Client > 0
		ix.counts.Pages++
		p := ix.page(r.Client, r.Page)
		p.start = r.At
		if r.Client == 0 {
			ix.loading = p
		}
	case PageLoaded, PageFailed, PageUnfinished:
		st.Page = ix.end(r)
	}
	return st
}

// indexedKinds are the kinds Add follows, as a set of bits.
const indexedKinds = 1<<StateChanged | 1<<OriginConn | 1<<TLSStarted | 1<<TLSDone | 1<<RequestSent |
	1<<ResourceQueued | 1<<FirstByte | 1<<LastByte | 1<<ResponseCached | 1<<RequestRetried |
	1<<PageStarted | 1<<PageLoaded | 1<<PageFailed | 1<<PageUnfinished | 1<<DNSDone | 1<<ConnHost

// indexed reports whether an Index follows records of kind k: packets
// and window changes, most of a trace, it does not, and a test of one bit
// lets a caller skip the call for them.
func (k Kind) indexed() bool { return k < 64 && uint64(indexedKinds)>>k&1 != 0 }

// state follows a StateChanged record of c.
func (ix *Index) state(c *Conn, r *Record, st *Step) {
	d := r.Dir
	if int(d) >= len(c.State) {
		return
	}
	was, since := c.State[d], c.Since[d]
	c.State[d], c.Since[d] = r.State, r.At
	if r.State == TimeWait {
		ix.timeWait[d]++
		if d == Down {
			ix.counts.TimeWaitPeakServer = max(ix.counts.TimeWaitPeakServer, ix.timeWait[d])
		} else {
			ix.counts.TimeWaitPeakClient = max(ix.counts.TimeWaitPeakClient, ix.timeWait[d])
		}
	} else if was == TimeWait {
		ix.timeWait[d]--
		st.Changed, st.Held = TimeWaitEnded, r.At-since
	}
	if d != Up {
		return
	}
	switch r.State {
	case SynSent, QUICHandshake:
		c.Opened = r.At
		st.Changed |= ConnOpened
		if c.Origin {
			ix.counts.OriginConnections++
			return
		}
		ix.counts.Connections++
		if ix.loading != nil { // one client: the connection is its loading page's
			ix.loading.conns++
		}
	case Established, QUICOpen:
		c.Established = r.At
		st.Changed |= ConnEstablished
		if !c.Origin {
			ix.counts.Established++
		}
	}
}

// end gives (r.Client, r.Page) its outcome, with its facts, which it then
// stops gathering.
func (ix *Index) end(r *Record) *PageOutcome {
	k := pageKey{r.Client, r.Page}
	p := ix.pages[k]
	o := &ix.outcome
	*o = PageOutcome{Client: r.Client, Page: r.Page, Start: 0, End: r.At, TTFB: -1, Connections: -1}
	switch r.Kind {
	case PageLoaded:
		o.Outcome = Loaded
		ix.counts.PagesLoaded++
	case PageFailed:
		o.Outcome, o.Why = Failed, r.Note
		ix.counts.PagesFailed++
	case PageUnfinished:
		o.Outcome, o.Why = Unfinished, r.Note
		ix.counts.PagesUnfinished++
		if p == nil || p.start < 0 {
			o.Start = -1 // it never started, and is counted now
			ix.counts.Pages++
		}
	}
	if p != nil {
		if p.start >= 0 {
			o.Start = p.start
		}
		o.TTFB, o.Bytes, o.Connections, o.Retried = p.ttfb, p.bytes, p.conns, p.retried
		if p == ix.loading {
			ix.loading = nil
		}
		delete(ix.pages, k)
	}
	if ix.clients {
		o.Connections = -1 // connections are not tagged by client
	}
	return o
}
