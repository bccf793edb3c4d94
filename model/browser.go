package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// exchange is one request and its response.
type exchange struct {
	id       int // resource index, from 0
	res      *Resource
	sess     *session
	stream   uint32 // HTTP/2 stream id
	reqBytes int
	// response progress at the browser
	bodyGot int
	started bool
	// HTTP/2 server side
	respHead     int  // HPACK-coded response head size
	headSent     bool // HEADERS frame written
	bodySent     int  // DATA bytes written
	sendWindow   int64
	ready        bool // think time over
	requestArriv sim.Time
}

// browser loads one page: it discovers resources as their parents arrive,
// queues requests, and hands them to connections as the protocol allows.
type browser struct {
	sim      *sim.Simulator
	net      *Network
	rec      trace.Recorder
	cfg      *Config
	children [][]int
	found    []bool
	queue    []*exchange
	sessions []*session
	done     int
	resumed  bool // a TLS session ticket is available
	failed   bool // a connection failed: the page will not complete
	h2       *session
}

func newBrowser(n *Network, cfg *Config) *browser {
	b := &browser{sim: n.sim, net: n, rec: n.rec, cfg: cfg}
	rs := cfg.Page.Resources
	b.children = make([][]int, len(rs))
	b.found = make([]bool, len(rs))
	for i := 1; i < len(rs); i++ {
		b.children[rs[i].Parent] = append(b.children[rs[i].Parent], i)
	}
	return b
}

func (b *browser) record(r trace.Record) {
	r.At = b.sim.Now()
	b.rec.Record(r)
}

// start navigates: the base document is queued at time zero.
func (b *browser) start() {
	b.discover(0)
	b.dispatch()
}

func (b *browser) discover(i int) {
	if b.found[i] {
		return
	}
	b.found[i] = true
	r := &b.cfg.Page.Resources[i]
	b.record(trace.Record{Kind: trace.ResourceQueued, Resource: i + 1, Label: r.Path, Len: r.Size})
	b.queue = append(b.queue, &exchange{id: i, res: r})
}

// progress is called as body bytes of ex arrive: references found at a
// byte offset are queued as soon as the parser gets there.
func (b *browser) progress(ex *exchange, got int) {
	ex.bodyGot = got
	queued := false
	for _, c := range b.children[ex.id] {
		off := b.cfg.Page.Resources[c].Offset
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
	if ex.started {
		return
	}
	ex.started = true
	b.record(trace.Record{Kind: trace.FirstByte, Resource: ex.id + 1, Conn: ex.sess.conn.ID, Stream: int(ex.stream), Label: ex.res.Path})
}

// complete records a whole response, queues what it references and
// hands out more requests.
func (b *browser) complete(ex *exchange) {
	b.firstByte(ex)
	b.record(trace.Record{Kind: trace.LastByte, Resource: ex.id + 1, Conn: ex.sess.conn.ID, Stream: int(ex.stream), Len: ex.res.Size, Label: ex.res.Path})
	for _, c := range b.children[ex.id] {
		b.discover(c)
	}
	b.done++
	if b.done == len(b.cfg.Page.Resources) {
		b.record(trace.Record{Kind: trace.PageLoaded})
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
	if b.failed {
		return
	}
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
	kept := b.queue[:0]
	for _, ex := range b.queue {
		if s := b.idleSession(); s != nil {
			s.send(ex)
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
		kept = append(kept, ex)
	}
	clear(b.queue[len(kept):])
	b.queue = kept
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
	if b.h2 == nil {
		b.h2 = b.openSession()
	}
	if !b.h2.ready || !b.h2.open() {
		return
	}
	for _, ex := range b.queue {
		b.h2.send(ex)
	}
	clear(b.queue)
	b.queue = b.queue[:0]
}

// openSession opens a new connection to the server.
func (b *browser) openSession() *session {
	c, err := b.net.NewConn(b.cfg.TCP)
	if err != nil {
		panic(fmt.Sprintf("model: TCP configuration validated earlier failed: %v", err))
	}
	s := newSession(b, c)
	b.sessions = append(b.sessions, s)
	c.Client.Open()
	return s
}
