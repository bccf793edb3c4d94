package model

import (
	"slices"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// browser is one client loading the pages of a browsing session: it
// discovers resources as their parents arrive and hands their requests to
// its connection pool; a page ends when every request of it has loaded
// or failed. It is the pool's requester (pool.go).
type browser struct {
	sim *sim.Simulator
	rec trace.Recorder
	cfg *Config
	// pools are its connections, one pool per origin (Resource.Origin),
	// made from the run's origins, which it shares with every browser.
	pools   []pool
	origins []origin
	dns     *resolver // nil without dns.enabled
	tag     int       // Client in records: index+1 when the run has several clients

	pages  []*Page
	thinks []sim.Time
	page   int // current page index
	base   int // resource ids used by earlier pages
	cache  map[cacheKey]bool

	children [][]int
	found    []bool
	done     int
	started  bool   // the client has arrived and started its first page
	ended    bool   // the current page has its outcome
	failWhy  string // why the current page failed: its first failed request
}

var _ requester = (*browser)(nil)

// cacheKey names a resource the browser has cached: its path on its
// origin.
type cacheKey struct {
	origin int
	path   string
}

// newBrowser returns client number client of cfg, fetching from the
// run's origins (Config.origins: one per Resource.Origin, the first's
// server the origin or a proxy in front of it).
func newBrowser(n *Network, cfg *Config, origins []origin, client int) *browser {
	b := &browser{sim: n.sim, rec: n.rec, cfg: cfg, origins: origins, cache: map[cacheKey]bool{}}
	b.pools = make([]pool, len(origins))
	for o, or := range origins {
		b.pools[o].init(n, or.hop, or.server, client, b)
		b.pools[o].extra = or.extra
	}
	if cfg.DNS.Enabled {
		b.dns = newResolver(n.sim, cfg, b.record)
	}
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

// record stamps r with the time, the client and, for a page's or a
// resource's record, the page.
func (b *browser) record(r trace.Record) {
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

// dispatch lets every pool hand its queued requests to connections.
func (b *browser) dispatch() {
	for i := range b.pools {
		b.pools[i].dispatch()
	}
}

// request hands ex to the pool that carries its origin, once the
// origin's host is resolved: a lookup is due before the pool's first
// connection, and again when the answer has expired and the pool has
// no connection open to go on using.
func (b *browser) request(ex *exchange) {
	o := ex.res.Origin
	p := b.poolFor(o)
	if b.dns == nil {
		p.add(ex)
		return
	}
	host := b.cfg.hostOf(o)
	if b.dns.known(host) || b.dns.looked(host) && p.hasOpen() {
		p.add(ex)
		return
	}
	b.dns.wait(host, ex, func(exs []*exchange) {
		// One answer serves every host of the name, each on its pool.
		var pools []*pool
		for _, ex := range exs {
			q := b.poolFor(ex.res.Origin)
			q.add(ex)
			if !slices.Contains(pools, q) {
				pools = append(pools, q)
			}
		}
		for _, q := range pools {
			q.dispatch()
		}
	})
}

// poolFor is the pool that takes origin o's next request: the one of
// the host it coalesces onto when that host has a connection open, as a
// browser reuses an existing HTTP/2 session for another name of its
// server (RFC 9113 §9.1.1) but does not open one under that host's name
// for it; else o's own.
func (b *browser) poolFor(o int) *pool {
	if t := b.origins[o].onto; t != o && b.pools[t].hasOpen() {
		return &b.pools[t]
	}
	return &b.pools[o]
}

func (b *browser) discover(i int) {
	if b.found[i] {
		return
	}
	b.found[i] = true
	r := &b.resources()[i]
	ex := &exchange{id: i, rid: b.base + i + 1, page: b.page, res: r}
	b.record(trace.Record{Kind: trace.ResourceQueued, Resource: ex.rid, Label: r.Path, Len: r.Size})
	if b.cache[cacheKey{r.Origin, r.Path}] {
		b.record(trace.Record{Kind: trace.ResponseCached, Resource: ex.rid, Label: r.Path, Note: "from the browser's cache"})
		b.finish(ex, true)
		return
	}
	b.request(ex)
}

// progress is called as body bytes of ex arrive: references found at a
// byte offset are queued as soon as the parser gets there.
func (b *browser) progress(ex *exchange, got int) {
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
	b.record(trace.Record{Kind: trace.FirstByte, Resource: ex.rid, Conn: ex.sess.conn.ID, Stream: int(ex.stream), Label: ex.res.Path, Len: ex.respHead})
}

// complete records a whole response and queues what it references; the
// pool then hands out more requests.
func (b *browser) complete(ex *exchange) {
	if ex.badGateway != "" {
		// The proxy's 502: the request failed, and the page with it.
		why := "the proxy answered 502 Bad Gateway: " + ex.badGateway
		b.record(trace.Record{Kind: trace.RequestFailed, Resource: ex.rid, Conn: ex.sess.conn.ID, Label: ex.res.Path, Note: why})
		if b.failWhy == "" {
			b.failWhy = "the request for " + ex.res.Path + " failed: " + why
		}
		b.finish(ex, false)
		return
	}
	b.cache[cacheKey{ex.res.Origin, ex.res.Path}] = true
	b.record(trace.Record{Kind: trace.LastByte, Resource: ex.rid, Conn: ex.sess.conn.ID, Stream: int(ex.stream), Len: ex.res.Size, Label: ex.res.Path})
	b.finish(ex, true)
	if len(b.pools) > 1 {
		// What it referenced may be on other hosts: their pools send it
		// (ex's own dispatches after this, pool.complete).
		b.dispatch()
	}
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
	for i := range b.pools {
		for _, s := range b.pools[i].sessions {
			if s.waiting {
				return true
			}
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

// lost fails a request that died with its connection and is not retried.
func (b *browser) lost(ex *exchange, conn int, why string) {
	b.fail(ex, conn, why)
	b.dispatch()
}

// unreachable fails a request that found no connection to go on.
func (b *browser) unreachable(ex *exchange, why string) { b.fail(ex, 0, why) }

// opened names the host of a new connection when the pages use several:
// the browser's connections are counted from the trace.
func (b *browser) opened(c *Conn, host string) {
	if len(b.cfg.Origins) > 0 {
		b.record(trace.Record{Kind: trace.ConnHost, Conn: c.ID, Label: host})
	}
}
