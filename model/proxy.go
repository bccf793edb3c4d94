package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
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
type proxy struct {
	pool *browser // the proxy's client side, toward the origin
}

func newProxy(n *Network, cfg *Config) *proxy {
	up := *cfg // the origin hop: the proxy's own settings
	up.HTTP.Protocol = cfg.Proxy.Protocol
	up.HTTP.Parallel = cfg.Proxy.Parallel
	up.TLS = TLSConfig{} // inside the data centre, plain HTTP
	up.Browser = BrowserConfig{IdleTimeout: cfg.Proxy.IdleTimeout, Retry: true}
	up.Server = cfg.Proxy.Origin
	up.Clients = ClientsConfig{Count: 1}
	link := n.AddClient(cfg.Proxy.Link)
	origin := newServer(n, &up.Server)
	pool := newBrowser(n, &up, origin, link)
	pool.upstream = true
	pool.tag = 0
	return &proxy{pool: pool}
}

// forward fetches ex's resource from the origin, then calls done, with
// why not empty if the proxy gave up on the origin (a 502 Bad Gateway).
//
// The 502 is sent with the resource's size, as if it were the resource:
// its timing is that of the relay, its outcome the failure it is.
func (p *proxy) forward(ex *exchange, done func(why string)) {
	p.pool.queue.pushBack(&exchange{id: ex.id, rid: ex.rid, res: ex.res, relay: done})
	p.pool.dispatch()
}

// upstreamRecord reports whether a record of the proxy's pool is kept:
// connection events are, page and resource events belong to the browser.
func upstreamRecord(k trace.Kind) bool {
	switch k {
	case trace.ResourceQueued, trace.RequestSent, trace.FirstByte, trace.LastByte,
		trace.PageStarted, trace.PageLoaded, trace.PageFailed, trace.ResponseCached:
		return false
	}
	return true
}
