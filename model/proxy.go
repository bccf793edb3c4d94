package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// proxy relays the browsers' requests to the origin over its own pool of
// connections. Each hop has its own persistence and idle timeouts, because
// Connection and Keep-Alive are hop-by-hop headers (RFC 9110 §7.6.1): the
// browser may keep its connection to the proxy while the proxy opens a new
// one to the origin for every request, or the reverse.
//
// The relay is store-and-forward: the proxy starts its response to the
// browser once the origin's response has arrived whole (a simplification
// of a buffering proxy; a streaming one would overlap the two transfers).
//
// The proxy is two roles joined: toward the browsers it is the source of
// the [server] they connect to, preparing its responses by forwarding;
// toward the origin it is the requester of its own [pool].
type proxy struct {
	sim  *sim.Simulator
	rec  trace.Recorder
	pool pool // the proxy's client side, toward the origin
}

var (
	_ requester = (*proxy)(nil)
	_ responder = (*proxy)(nil)
)

// newProxy returns the proxy of cfg, its pool joined to a new origin
// server by a link of its own (added to n after the clients' links).
func newProxy(n *Network, cfg *Config) *proxy {
	up := *cfg // the origin hop: the proxy's own settings
	up.HTTP.Protocol = cfg.Proxy.Protocol
	up.HTTP.Parallel = cfg.Proxy.Parallel
	up.TLS = TLSConfig{} // inside the data centre, plain HTTP
	up.Browser = BrowserConfig{IdleTimeout: cfg.Proxy.IdleTimeout, Retry: true}
	up.Server = cfg.Proxy.Origin
	up.Clients = ClientsConfig{Count: 1}
	link := n.AddClient(cfg.Proxy.Link)
	origin := newOrigin(n, &up.Server, up.Ideal)
	p := &proxy{sim: n.sim, rec: n.rec}
	p.pool.init(n, &up, origin, link, p)
	return p
}

// prepare fetches ex's resource from the origin and marks ex ready, then
// tells s's framing. If the proxy gave up on the origin, ex.badGateway says why:
// the answer is a 502 Bad Gateway.
//
// The 502 is sent with the resource's size, as if it were the resource:
// its timing is that of the relay, its outcome the failure it is.
func (p *proxy) prepare(ex *exchange, s *session) {
	p.pool.add(&exchange{id: ex.id, rid: ex.rid, res: ex.res, relay: func(why string) {
		ex.badGateway = why
		ex.ready = true
		s.f.answered(ex)
	}})
	p.pool.dispatch()
}

// record keeps the records of the proxy's connections to the origin, and
// none of the page and resource events, which belong to the browser. They
// carry no client; a resource's record (a retry) carries page 1, since
// the proxy does not know which of a browser's pages a request is for.
func (p *proxy) record(r trace.Record) {
	switch r.Kind {
	case trace.ResourceQueued, trace.RequestSent, trace.FirstByte, trace.LastByte,
		trace.PageStarted, trace.PageLoaded, trace.PageFailed, trace.ResponseCached:
		return
	}
	r.At = p.sim.Now()
	if r.Page == 0 && r.Resource != 0 {
		r.Page = 1
	}
	p.rec.Record(r)
}

func (p *proxy) opened(c *Conn, _ string) {
	p.record(trace.Record{Kind: trace.OriginConn, Conn: c.ID, Note: "the proxy opens a connection to the origin"})
}

// The proxy's pool has no page to account for: a response goes back to
// the browser's hop, and a request it gives up on is answered there with
// 502 Bad Gateway, which fails the browser's request.

func (p *proxy) firstByte(*exchange)     {}
func (p *proxy) progress(*exchange, int) {}
func (p *proxy) complete(ex *exchange)   { ex.relay("") }

func (p *proxy) lost(ex *exchange, _ int, why string) {
	ex.relay("its connection to the origin failed: " + why)
}

func (p *proxy) unreachable(ex *exchange, why string) {
	ex.relay("it could not reach the origin: " + why)
}
