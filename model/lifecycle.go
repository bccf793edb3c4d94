package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/sim"
)

// IdleClose is what a server does when it closes an idle keep-alive
// connection.
type IdleClose uint8

const (
	// CloseFIN closes with a FIN and says nothing (nginx).
	CloseFIN IdleClose = iota
	// Close408 first sends "408 Request Timeout" with "Connection: close"
	// (RFC 9110 §15.5.9), then a FIN, so a browser that raced a request
	// onto the connection knows why it failed.
	Close408
)

func (c IdleClose) String() string {
	if c == Close408 {
		return "408"
	}
	return "fin"
}

// ServerConfig is the web server's connection handling.
type ServerConfig struct {
	// IdleTimeout closes a keep-alive connection that has been idle this
	// long after its last response (nginx keepalive_timeout: 75 s; Apache
	// KeepAliveTimeout: 5 s). 0 means never.
	IdleTimeout sim.Time
	// MaxRequests closes a connection after this many responses (nginx
	// keepalive_requests: 1000; Apache MaxKeepAliveRequests: 100). 0 means
	// no limit.
	MaxRequests int
	// IdleClose is how an idle connection is closed.
	IdleClose IdleClose
	// MaxConnections is how many connections the server serves at once
	// (worker slots, like Apache's MaxRequestWorkers); an idle keep-alive
	// connection holds its slot. 0 means no limit.
	MaxConnections int
	// Backlog is how many established connections may wait for a slot (the
	// listen backlog; nginx asks for 511). A SYN arriving when it is full
	// is dropped, and the client's TCP retransmits it.
	Backlog int
	// FirstWrite is how many bytes of an HTTP/1.x response (status line,
	// headers and the start of the body) the server hands TCP in its
	// first write; the rest follows in a second. Go's net/http flushes
	// its 4 KiB buffer first, so a response leaves as 1448 + 1448 + 1200
	// bytes and then full segments: the short third segment takes a
	// whole slot of a window counted in packets. 0 writes the response
	// at once.
	FirstWrite int
	// Processing is how long the server takes from a request's arrival to
	// its response's first write, before any think time of the resource:
	// Go's net/http on the testbed machine takes 0.1–0.36 ms (median
	// 0.25 ms). It decides races a zero would get wrong: the kernel
	// answers a new connection's SYN at once, so its SYN-ACK leaves ahead
	// of a response to a request that arrived just before.
	Processing sim.Time
	// CPUs is how many cores the server's work items share, first come,
	// first served (cpu.go); 0 gives every item a core of its own.
	CPUs int
	// Key is the kind of key its certificate holds, which decides what a
	// full TLS handshake costs (CPU.FullHandshake AutoCost).
	Key ServerKey
	// CPU is the processor time each kind of work takes; the request's
	// own is Processing. Its AutoCost figures are zero in ideal mode.
	CPU CPUCosts
}

// BrowserConfig is the browser's connection handling.
type BrowserConfig struct {
	// IdleTimeout closes a connection the browser has not used for this
	// long (Edge: 60 s; Firefox: 115 s; Chrome: 300 s for used sockets).
	// 0 means never.
	IdleTimeout sim.Time
	// Retry resends an idempotent request (every GET here) on a new
	// connection when the connection it was sent on closes before the
	// response starts, as browsers do (RFC 9112 §9.3.1 allows it).
	Retry bool
}

// Visit is a further page of a browsing session: the user reads the page
// before for Think, then navigates to Page on the same host. Resources
// already fetched in the session come from the browser's cache.
type Visit struct {
	Think sim.Time
	Page  Page
}

// ClientsConfig is how many browsers use the server.
type ClientsConfig struct {
	// Count is the number of clients, each on its own link with the same
	// settings, each browsing Config.Page and then Config.Visits.
	Count int
	// Rate is the mean number of clients arriving per second (a Poisson
	// process drawn from the seed); 0 starts every client at time 0.
	Rate float64
}

// DefaultServer is nginx's configuration.
func DefaultServer() ServerConfig {
	return ServerConfig{IdleTimeout: 75 * sim.Second, MaxRequests: 1000, Backlog: 511, FirstWrite: goFirstWrite, Processing: goProcessing,
		CPUs: 1, Key: ECDSAP256, CPU: DefaultCPUCosts()}
}

// goFirstWrite is the size of Go net/http's connection buffer
// (bufio.NewWriterSize(conn, 4<<10) in net/http/server.go): the first
// write of every response the testbed's real server makes.
const goFirstWrite = 4 << 10

// goProcessing is the median time the testbed's Go server takes to answer
// a request (scenarios/testbed, capture at the server's interface).
const goProcessing = 250 * sim.Microsecond

// DefaultBrowser is a current browser's.
func DefaultBrowser() BrowserConfig {
	return BrowserConfig{IdleTimeout: 60 * sim.Second, Retry: true}
}

func (c ServerConfig) validate() error {
	switch {
	case c.IdleTimeout < 0:
		return &ConfigError{Field: "server.idle_timeout", Value: c.IdleTimeout.String(), Allowed: "a duration ≥ 0 (0 = never)"}
	case c.Processing < 0:
		return &ConfigError{Field: "server.processing", Value: c.Processing.String(), Allowed: "a duration ≥ 0"}
	case c.FirstWrite < 0:
		return &ConfigError{Field: "server.first_write", Value: fmt.Sprint(c.FirstWrite), Allowed: "bytes ≥ 0 (0 = the whole response at once)"}
	case c.MaxRequests < 0:
		return &ConfigError{Field: "server.max_requests", Value: fmt.Sprint(c.MaxRequests), Allowed: "a count ≥ 0 (0 = no limit)"}
	case c.IdleClose > Close408:
		return &ConfigError{Field: "server.idle_close", Value: fmt.Sprint(int(c.IdleClose)), Allowed: "fin or 408"}
	case c.MaxConnections < 0:
		return &ConfigError{Field: "server.max_connections", Value: fmt.Sprint(c.MaxConnections), Allowed: "a count ≥ 0 (0 = no limit)"}
	case c.Backlog < 0:
		return &ConfigError{Field: "server.backlog", Value: fmt.Sprint(c.Backlog), Allowed: "a count ≥ 0"}
	case c.CPUs < 0 || c.CPUs > MaxCPUs:
		return &ConfigError{Field: "server.cpus", Value: fmt.Sprint(c.CPUs), Allowed: fmt.Sprintf("0 to %d cores (0 = a core for every work item)", MaxCPUs)}
	case c.Key > RSA2048:
		return &ConfigError{Field: "server.key", Value: fmt.Sprint(int(c.Key)), Allowed: "ecdsa-p256 or rsa-2048"}
	}
	return c.CPU.validate("server")
}

func (c BrowserConfig) validate() error {
	if c.IdleTimeout < 0 {
		return &ConfigError{Field: "browser.idle_timeout", Value: c.IdleTimeout.String(), Allowed: "a duration ≥ 0 (0 = never)"}
	}
	return nil
}

func (c ClientsConfig) validate() error {
	switch {
	case c.Count < 1 || c.Count > MaxClients:
		return &ConfigError{Field: "clients.count", Value: fmt.Sprint(c.Count), Allowed: fmt.Sprintf("1 to %d", MaxClients)}
	case !(c.Rate >= 0) || c.Rate > 1e6:
		return &ConfigError{Field: "clients.rate", Value: fmt.Sprint(c.Rate), Allowed: "arrivals per second, 0 to 1000000 (0 = all at once)"}
	}
	return nil
}

// ProxyConfig puts a proxy between the browser and the origin server.
// Persistence is hop-by-hop (RFC 9110 §7.6.1: Connection is a hop-by-hop
// header): Config.HTTP, Config.Browser and Config.Server describe the
// browser↔proxy hop (Server being the proxy's client-facing side); these
// fields describe the proxy↔origin hop.
type ProxyConfig struct {
	Enabled bool
	// Link joins the proxy to the origin.
	Link LinkConfig
	// Protocol is what the proxy speaks to the origin: http1.0 (a new
	// connection per request) or http1.1 (a pool of persistent ones).
	Protocol Protocol
	// Parallel is the most connections the proxy opens to the origin.
	Parallel int
	// IdleTimeout closes a pooled upstream connection idle this long (nginx
	// keepalive_timeout in an upstream block: 60 s). 0 means never.
	IdleTimeout sim.Time
	// Origin is the origin server's connection handling.
	Origin ServerConfig
}

func (c ProxyConfig) validate() error {
	if !c.Enabled {
		return nil
	}
	if err := c.Link.Validate(); err != nil {
		err.(*ConfigError).Field = "proxy." + err.(*ConfigError).Field
		return err
	}
	switch {
	case c.Protocol != HTTP10 && c.Protocol != HTTP11:
		return &ConfigError{Field: "proxy.protocol", Value: c.Protocol.String(), Allowed: "http1.0 or http1.1 (toward the origin)"}
	case c.Parallel < 1 || c.Parallel > 1000:
		return &ConfigError{Field: "proxy.parallel", Value: fmt.Sprint(c.Parallel), Allowed: "1 to 1000 connections"}
	case c.IdleTimeout < 0:
		return &ConfigError{Field: "proxy.idle_timeout", Value: c.IdleTimeout.String(), Allowed: "a duration ≥ 0 (0 = never)"}
	}
	if err := c.Origin.validate(); err != nil {
		err.(*ConfigError).Field = "proxy.origin." + err.(*ConfigError).Field[len("server."):]
		return err
	}
	return nil
}

// DefaultProxy is a disabled proxy with nginx's upstream defaults: HTTP/1.1
// keep-alive to the origin over a 20 ms, 100 Mbit/s link.
func DefaultProxy() ProxyConfig {
	return ProxyConfig{
		Link:     LinkConfig{Delay: 10 * sim.Millisecond, Up: 100 * Mbps, Down: 100 * Mbps, Buffer: 1000},
		Protocol: HTTP11, Parallel: 6, IdleTimeout: 60 * sim.Second, Origin: DefaultServer(),
	}
}
