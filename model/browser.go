package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// exchange is one attempt at a request and its response. A retried request
// gets a new exchange; the old one is marked dead so that nothing arriving
// late for it counts.
type exchange struct {
	id       int // resource index within its page, from 0
	rid      int // resource id in the trace: unique in the run, from 1
	page     int // page index, from 0
	res      *Resource
	sess     *session
	stream   uint32 // HTTP/2 stream id
	attempts int    // sends before this one
	dead     bool
	relay    func(why string) // at a proxy's pool: hands the response to the browser's hop; why is not empty if the pool gave up

	// badGateway, at the browser, says why the proxy gave up on the
	// origin: its response is then a 502 Bad Gateway, not the resource.
	badGateway string

	// response progress at the browser
	bodyGot int
	started bool
	done    bool

	// server side
	ready      bool // think time over
	headSent   bool // HTTP/2 HEADERS written
	bodySent   int  // HTTP/2 DATA bytes written
	sendWindow int64
}

// browser is one client loading the pages of a browsing session: it
// discovers resources as their parents arrive, queues requests, hands them
// to connections as the protocol allows, and retries requests whose
// connection died under them.
type browser struct {
	sim    *sim.Simulator
	net    *Network
	rec    trace.Recorder
	cfg    *Config
	srv    *server
	client int // index, from 0
	tag    int // Client in records: index+1 when the run has several clients

	pages  []*Page
	thinks []sim.Time
	page   int // current page index
	base   int // resource ids used by earlier pages
	cache  map[string]bool

	children [][]int
	found    []bool
	done     int
	started  bool   // the client has arrived and started its first page
	ended    bool   // the current page has its outcome
	failWhy  string // why the current page failed: its first failed request

	queue    requestQueue
	sessions []*session // open ones only: a retired session is forgotten
	h2       *session
	resumed  bool // a TLS session ticket is available

	proxy    *proxy // set when the browser's requests go through a proxy
	upstream bool   // this is a proxy's pool toward the origin
}

func newBrowser(n *Network, cfg *Config, srv *server, client int) *browser {
	b := &browser{sim: n.sim, net: n, rec: n.rec, cfg: cfg, srv: srv, client: client, cache: map[string]bool{}}
	if cfg.Clients.Count > 1 {
		b.tag = client + 1
	}
	b.pages = append(b.pages, &cfg.Page)
	b.thinks = append(b.thinks, 0)
	for i := range cfg.Visits {
		b.pages = append(b.pages, &cfg.Visits[i].Page)
		b.thinks = append(b.thinks, cfg.Visits[i].Think)
	}
	return b
}

func (b *browser) record(r trace.Record) {
	if b.upstream && !upstreamRecord(r.Kind) {
		return
	}
	r.At = b.sim.Now()
	r.Client = b.tag
	if r.Page == 0 && r.Resource != 0 || r.Kind == trace.PageStarted || r.Kind == trace.PageLoaded || r.Kind == trace.PageFailed {
		r.Page = b.page + 1
	}
	b.rec.Record(r)
}

func (b *browser) resources() []Resource { return b.pages[b.page].Resources }

// start navigates to the first page.
func (b *browser) start() {
	b.started = true
	b.startPage(0)
}

func (b *browser) startPage(i int) {
	if i > 0 {
		b.base += len(b.resources())
	}
	b.page = i
	b.ended, b.failWhy = false, ""
	rs := b.resources()
	b.children = make([][]int, len(rs))
	b.found = make([]bool, len(rs))
	b.done = 0
	for j := 1; j < len(rs); j++ {
		b.children[rs[j].Parent] = append(b.children[rs[j].Parent], j)
	}
	b.record(trace.Record{Kind: trace.PageStarted})
	b.discover(0)
	b.dispatch()
}

func (b *browser) discover(i int) {
	if b.found[i] {
		return
	}
	b.found[i] = true
	r := &b.resources()[i]
	ex := &exchange{id: i, rid: b.base + i + 1, page: b.page, res: r}
	b.record(trace.Record{Kind: trace.ResourceQueued, Resource: ex.rid, Label: r.Path, Len: r.Size})
	if b.cache[r.Path] {
		b.record(trace.Record{Kind: trace.ResponseCached, Resource: ex.rid, Label: r.Path, Note: "from the browser's cache"})
		b.finish(ex, true)
		return
	}
	b.queue.pushBack(ex)
}

// progress is called as body bytes of ex arrive: references found at a
// byte offset are queued as soon as the parser gets there.
func (b *browser) progress(ex *exchange, got int) {
	if ex.dead || b.upstream {
		return
	}
	ex.bodyGot = got
	queued := false
	for _, c := range b.children[ex.id] {
		off := b.resources()[c].Offset
		if !b.found[c] && off > 0 && got >= off {
			b.discover(c)
			queued = true
		}
	}
	if queued {
		b.dispatch()
	}
}

// firstByte records the start of a response.
func (b *browser) firstByte(ex *exchange) {
	if ex.started || ex.dead {
		return
	}
	ex.started = true
	b.record(trace.Record{Kind: trace.FirstByte, Resource: ex.rid, Conn: ex.sess.conn.ID, Stream: int(ex.stream), Label: ex.res.Path})
}

// complete records a whole response, queues what it references and hands
// out more requests.
func (b *browser) complete(ex *exchange) {
	if ex.dead || ex.done {
		return
	}
	if b.upstream {
		ex.done = true
		ex.relay("")
		b.dispatch()
		return
	}
	b.firstByte(ex)
	if ex.badGateway != "" {
		// The proxy's 502: the request failed, and the page with it.
		ex.done = true
		why := "the proxy answered 502 Bad Gateway: " + ex.badGateway
		b.record(trace.Record{Kind: trace.RequestFailed, Resource: ex.rid, Conn: ex.sess.conn.ID, Label: ex.res.Path, Note: why})
		if b.failWhy == "" {
			b.failWhy = "the request for " + ex.res.Path + " failed: " + why
		}
		b.finish(ex, false)
		b.dispatch()
		return
	}
	ex.done = true
	b.cache[ex.res.Path] = true
	b.record(trace.Record{Kind: trace.LastByte, Resource: ex.rid, Conn: ex.sess.conn.ID, Stream: int(ex.stream), Len: ex.res.Size, Label: ex.res.Path})
	b.finish(ex, true)
	b.dispatch()
}

// finish counts ex as done (loaded, cached or failed), queues the
// references it carries if it arrived, and ends the page when it was the
// last.
func (b *browser) finish(ex *exchange, arrived bool) {
	if arrived {
		for _, c := range b.children[ex.id] {
			b.discover(c)
		}
	} else {
		b.done += b.skip(ex.id) // what only ex referenced will never be found
	}
	b.done++
	if b.done == len(b.resources()) {
		b.ended = true
		if b.failWhy != "" {
			b.record(trace.Record{Kind: trace.PageFailed, Note: b.failWhy})
		} else {
			b.record(trace.Record{Kind: trace.PageLoaded})
		}
		if next := b.page + 1; next < len(b.pages) {
			b.sim.After(b.thinks[next], func() { b.startPage(next) })
		}
	}
}

// fail records that the request for ex failed (why says how) and counts
// the resource as dealt with: the page will not load.
func (b *browser) fail(ex *exchange, conn int, why string) {
	if b.upstream {
		// The proxy has no page to account for: it gives up and answers
		// 502 Bad Gateway, which fails the browser's request there.
		ex.relay("it could not reach the origin: " + why)
		return
	}
	b.record(trace.Record{Kind: trace.RequestFailed, Resource: ex.rid, Conn: conn, Label: ex.res.Path, Note: why})
	if b.failWhy == "" {
		b.failWhy = "the request for " + ex.res.Path + " failed: " + why
	}
	b.finish(ex, false)
}

// unfinished records, at the end of a run, every page of this browser
// that has no outcome: the one loading (or about to start), and those
// that never started. why says what ended the run.
func (b *browser) unfinished(why string) {
	if b.upstream {
		return
	}
	first := b.page
	if b.started && b.ended {
		first++ // the current page has its outcome
	}
	if !b.started {
		first = 0
	}
	for i := first; i < len(b.pages); i++ {
		note := why
		switch {
		case !b.started:
			note = "the client had not arrived when " + why
		case i > b.page || i == b.page && b.ended:
			note = "never started: " + why
		case b.waitingForSlot():
			note = "still waiting in the server's accept backlog for a worker slot when " + why
		default:
			note = "still loading when " + why
		}
		b.rec.Record(trace.Record{At: b.sim.Now(), Kind: trace.PageUnfinished, Client: b.tag, Page: i + 1, Note: note})
	}
}

// waitingForSlot reports whether one of the browser's connections waits
// in the server's accept backlog.
func (b *browser) waitingForSlot() bool {
	for _, s := range b.sessions {
		if s.waiting {
			return true
		}
	}
	return false
}

// skip marks the resources below i that have not been found as never to
// be requested, and returns how many there were.
func (b *browser) skip(i int) int {
	n := 0
	for _, c := range b.children[i] {
		if !b.found[c] {
			b.found[c] = true
			n += 1 + b.skip(c)
		}
	}
	return n
}

// lost handles a request that died with its connection (why says how):
// retried on another connection if the browser retries, else failed.
func (b *browser) lost(ex *exchange, why string) {
	if ex.dead || ex.done {
		return
	}
	ex.dead = true
	conn := ex.sess.conn.ID
	if b.upstream && (ex.attempts >= 2 || ex.started) {
		// The proxy gives up and answers 502 Bad Gateway; the browser's
		// request fails when that answer arrives.
		ex.relay("its connection to the origin failed: " + why)
		return
	}
	if (b.cfg.Browser.Retry || b.upstream) && ex.attempts < 2 && !ex.started {
		b.record(trace.Record{Kind: trace.RequestRetried, Resource: ex.rid, Conn: conn, Label: ex.res.Path, Note: why})
		retry := &exchange{id: ex.id, rid: ex.rid, page: ex.page, res: ex.res, attempts: ex.attempts + 1, relay: ex.relay}
		b.queue.pushFront(retry)
		return
	}
	b.fail(ex, conn, why)
	b.dispatch()
}

// resend queues again, first and in order, requests the server is known
// not to have processed: they keep their attempts, since no retry was
// spent on them.
func (b *browser) resend(exs []*exchange, why string) {
	if len(exs) == 0 {
		return
	}
	again := make([]*exchange, 0, len(exs))
	for _, ex := range exs {
		if ex.dead || ex.done {
			continue
		}
		ex.dead = true
		b.record(trace.Record{Kind: trace.RequestRetried, Resource: ex.rid, Conn: ex.sess.conn.ID, Label: ex.res.Path, Note: why})
		again = append(again, &exchange{id: ex.id, rid: ex.rid, page: ex.page, res: ex.res, attempts: ex.attempts, relay: ex.relay})
	}
	b.queue.pushFront(again...)
}

// unreachable fails every queued request: a connection could not even be
// established (the server never answered its SYNs).
func (b *browser) unreachable(why string) {
	for _, ex := range b.queue.takeAll() {
		b.fail(ex, 0, why)
	}
	b.dispatch()
}

// requestLabel is how a request appears on the ladder.
func requestLabel(r *Resource) string { return "GET " + r.Path }

// dispatch hands queued requests to connections. HTTP/2 sends every
// request at once on its one connection. The HTTP/1.x modes give a request
// to an idle connection if there is one, else open a new connection while
// fewer than Parallel are open (the request waits for whichever
// connection is ready first), else, when pipelining, send it behind others
// on the least busy open connection.
func (b *browser) dispatch() {
	if b.cfg.HTTP.Protocol == HTTP2 {
		b.dispatchH2()
		return
	}
	open, connecting := 0, 0
	for _, s := range b.sessions {
		if s.open() {
			open++
			if !s.ready {
				connecting++
			}
		}
	}
	waiting := 0
	var kept []*exchange // at most Parallel: requests for connections being opened
	idle := b.idleSession()
	n := 0
	for ; n < b.queue.len(); n++ {
		ex := b.queue.at(n)
		if idle != nil {
			idle.send(ex)
			idle = b.idleSession()
			continue
		}
		if waiting < connecting {
			waiting++
			kept = append(kept, ex)
			continue
		}
		if open < b.cfg.HTTP.Parallel {
			b.openSession()
			open++
			connecting++
			waiting++
			kept = append(kept, ex)
			continue
		}
		if b.cfg.HTTP.Protocol == HTTP11Pipelined {
			if s := b.leastBusySession(); s != nil {
				s.send(ex)
				continue
			}
		}
		// No connection takes ex, and nothing in this loop can change
		// that (idle, open and ready sessions only change by events), so
		// none takes a later request either: stop here rather than scan
		// the rest of the queue on every call.
		break
	}
	b.queue.consume(n, kept)
}

func (b *browser) idleSession() *session {
	for _, s := range b.sessions {
		if s.open() && s.ready && len(s.outstanding) == 0 && (b.cfg.HTTP.Protocol != HTTP10 || s.used == 0) {
			return s
		}
	}
	return nil
}

func (b *browser) leastBusySession() *session {
	var best *session
	for _, s := range b.sessions {
		if s.open() && s.ready && (best == nil || len(s.outstanding) < len(best.outstanding)) {
			best = s
		}
	}
	return best
}

func (b *browser) dispatchH2() {
	if b.queue.len() == 0 {
		return
	}
	if b.h2 == nil || !b.h2.open() {
		b.h2 = b.openSession()
	}
	if !b.h2.ready {
		return
	}
	max := b.cfg.HTTP.MaxStreams
	n := 0
	for ; n < b.queue.len(); n++ {
		if max != Unlimited && len(b.h2.h2.open) >= max {
			break // the server's SETTINGS_MAX_CONCURRENT_STREAMS
		}
		b.h2.send(b.queue.at(n))
	}
	b.queue.consume(n, nil)
}

// forget drops a retired session from the ones the browser hands
// requests to.
func (b *browser) forget(s *session) {
	for i, o := range b.sessions {
		if o == s {
			b.sessions = append(b.sessions[:i], b.sessions[i+1:]...)
			return
		}
	}
}

// openSession opens a new connection to the server.
func (b *browser) openSession() *session {
	c, err := b.net.NewConnFrom(b.client, b.cfg.TCP)
	if err != nil {
		panic(fmt.Sprintf("model: TCP configuration validated earlier failed: %v", err))
	}
	s := newSession(b, c)
	b.sessions = append(b.sessions, s)
	if b.upstream {
		b.record(trace.Record{Kind: trace.OriginConn, Conn: c.ID, Note: "the proxy opens a connection to the origin"})
	}
	c.Client.Open()
	return s
}
