package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// A requester is whom a [pool] fetches for: a browser loading its pages,
// or a proxy relaying the browsers' requests to the origin. Everything
// that differs between the two goes through it — what a record says,
// what a response or a failure means — so that no path of the pool can
// forget which of them it serves.
type requester interface {
	// record stamps a record of the pool's connections with the
	// requester's role and keeps it, or drops it.
	record(r trace.Record)
	// opened says that the pool opened connection c to host.
	opened(c *Conn, host string)
	// firstByte: ex's response has started.
	firstByte(ex *exchange)
	// progress: got body bytes of ex's response have arrived.
	progress(ex *exchange, got int)
	// complete: ex's response has arrived whole.
	complete(ex *exchange)
	// lost: ex died with its connection (why says how, on connection
	// conn) and is not retried.
	lost(ex *exchange, conn int, why string)
	// unreachable: no connection could be established to send ex on.
	unreachable(ex *exchange, why string)
}

// pool is one client's connections to one server over one link: it holds
// the requests not yet sent, hands them to connections as the protocol
// allows, and retries requests whose connection died under them. A
// browser has one toward the server it sees, and a proxy one toward the
// origin.
type pool struct {
	sim  *sim.Simulator
	net  *Network
	cfg  *Config // the hop's settings: HTTP, TLS, TCP, Browser (idle timeout, retry)
	srv  *server // the far end of every connection
	link int     // the link the connections take: the client index in the Network
	// extra is the server's delay beyond the link, each way
	// (OriginConfig.Delay).
	extra sim.Time
	user  requester
	// frame makes each connection's framing; parallel is the most
	// connections open at once (framingFor).
	frame    func(*session) framing
	parallel int

	queue    requestQueue
	sessions []*session // open ones only: a retired session is forgotten
	resumed  bool       // a TLS session ticket is available
	// quicTicket is a ticket from a QUIC connection, which only QUIC
	// resumes (RFC 9001 §4.6.1: 0-RTT needs the QUIC session's transport
	// parameters); altSvc is whether an Alt-Svc header has announced
	// HTTP/3 (quic.discovery: alt-svc).
	quicTicket, altSvc bool
}

// init sets p up for user. A pool lives inside its requester, which
// calls init once.
func (p *pool) init(n *Network, cfg *Config, srv *server, link int, user requester) {
	*p = pool{sim: n.sim, net: n, cfg: cfg, srv: srv, link: link, user: user}
	p.frame, p.parallel = framingFor(&cfg.HTTP)
}

// add queues ex last; dispatch sends it.
func (p *pool) add(ex *exchange) { p.queue.pushBack(ex) }

// firstByte records the start of a response.
func (p *pool) firstByte(ex *exchange) {
	if ex.started || ex.dead {
		return
	}
	ex.started = true
	if p.cfg.HTTP.Protocol == HTTP3 && !p.altSvc && ex.sess != nil && ex.sess.conn.quic == nil {
		// An HTTP/2 response's Alt-Svc header: later connections are
		// HTTP/3 (RFC 7838 §3); the open one goes on being used.
		p.altSvc = true
	}
	p.user.firstByte(ex)
}

// progress is called as body bytes of ex arrive.
func (p *pool) progress(ex *exchange, got int) {
	if ex.dead {
		return
	}
	p.user.progress(ex, got)
}

// complete hands a whole response to the requester, then more requests
// to connections.
func (p *pool) complete(ex *exchange) {
	if ex.dead || ex.done {
		return
	}
	p.firstByte(ex)
	ex.done = true
	p.user.complete(ex)
	p.dispatch()
}

// lost handles a request that died with its connection (why says how):
// retried on another connection if the pool retries, else given up.
func (p *pool) lost(ex *exchange, why string) {
	if ex.dead || ex.done {
		return
	}
	ex.dead = true
	conn := ex.sess.conn.ID
	if p.cfg.Browser.Retry && ex.attempts < 2 && !ex.started {
		p.user.record(trace.Record{Kind: trace.RequestRetried, Resource: ex.rid, Conn: conn, Label: ex.res.Path, Note: why})
		retry := &exchange{id: ex.id, rid: ex.rid, page: ex.page, res: ex.res, attempts: ex.attempts + 1, relay: ex.relay}
		p.queue.pushFront(retry)
		return
	}
	p.user.lost(ex, conn, why)
}

// resend queues again, first and in order, requests the server is known
// not to have processed: they keep their attempts, since no retry was
// spent on them.
func (p *pool) resend(exs []*exchange, why string) {
	if len(exs) == 0 {
		return
	}
	again := make([]*exchange, 0, len(exs))
	for _, ex := range exs {
		if ex.dead || ex.done {
			continue
		}
		ex.dead = true
		p.user.record(trace.Record{Kind: trace.RequestRetried, Resource: ex.rid, Conn: ex.sess.conn.ID, Label: ex.res.Path, Note: why})
		again = append(again, &exchange{id: ex.id, rid: ex.rid, page: ex.page, res: ex.res, attempts: ex.attempts, relay: ex.relay})
	}
	p.queue.pushFront(again...)
}

// unreachable gives up every queued request: a connection could not even
// be established (the server never answered its SYNs).
func (p *pool) unreachable(why string) {
	for _, ex := range p.queue.takeAll() {
		p.user.unreachable(ex, why)
	}
	p.dispatch()
}

// dispatch hands queued requests to connections: to one that takes a
// request now if there is one (an idle HTTP/1.x connection, an HTTP/2
// connection below its stream limit), else it opens a new connection
// while fewer than the framing's parallel limit are open (the request
// waits for whichever connection is ready first), else, when pipelining,
// sends it behind others on the least busy open connection.
func (p *pool) dispatch() {
	open, connecting := 0, 0
	for _, s := range p.sessions {
		if s.open() {
			open++
			if !s.ready {
				connecting++
			}
		}
	}
	waiting := 0
	// kept are requests for connections being opened, at most parallel;
	// usually a few, so they start on the stack.
	var buf [8]*exchange
	kept := buf[:0]
	idle := p.idleSession()
	n := 0
	for ; n < p.queue.len(); n++ {
		ex := p.queue.at(n)
		if idle != nil {
			idle.send(ex)
			idle = p.idleSession()
			continue
		}
		if waiting < connecting {
			waiting++
			kept = append(kept, ex)
			continue
		}
		if open < p.parallel {
			p.openSession()
			open++
			connecting++
			waiting++
			kept = append(kept, ex)
			continue
		}
		if s := p.leastBusySession(); s != nil {
			s.send(ex)
			continue
		}
		// No connection takes ex, and nothing in this loop can change
		// that (idle, open and ready sessions only change by events), so
		// none takes a later request either: stop here rather than scan
		// the rest of the queue on every call.
		break
	}
	p.queue.consume(n, kept)
}

// hasOpen reports whether the pool has a connection open.
func (p *pool) hasOpen() bool {
	for _, s := range p.sessions {
		if s.open() {
			return true
		}
	}
	return false
}

// idleSession is the first connection that takes a request now.
func (p *pool) idleSession() *session {
	for _, s := range p.sessions {
		if s.open() && s.ready && s.f.takes() {
			return s
		}
	}
	return nil
}

// leastBusySession is the pipelining connection with the fewest requests
// in flight.
func (p *pool) leastBusySession() *session {
	var best *session
	for _, s := range p.sessions {
		if s.open() && s.ready && s.f.pipelines() && (best == nil || len(s.inFlight()) < len(best.inFlight())) {
			best = s
		}
	}
	return best
}

// forget drops a retired session from the ones the pool hands requests
// to.
func (p *pool) forget(s *session) {
	for i, o := range p.sessions {
		if o == s {
			p.sessions = append(p.sessions[:i], p.sessions[i+1:]...)
			return
		}
	}
}

// openSession opens a new connection to the server.
func (p *pool) openSession() *session {
	if p.cfg.HTTP.Protocol == HTTP3 && (p.altSvc || p.cfg.QUIC.Discovery != DiscoverAltSvc) {
		return p.openQUIC()
	}
	c, err := p.net.NewConnFrom(p.link, p.cfg.TCP)
	if err != nil {
		panic(fmt.Sprintf("model: TCP configuration validated earlier failed: %v", err))
	}
	c.extra = p.extra
	s := newSession(p, c)
	p.sessions = append(p.sessions, s)
	p.user.opened(c, p.cfg.HTTP.Host)
	c.Client.Open()
	return s
}
