package model

import (
	"fmt"
	"strings"
	"unicode"

	"github.com/keepalive-sim/keepalive/sim"
)

// OriginConfig is one more host a page fetches from, besides the main
// one (HTTP.Host, with Server and TLS): a CDN, a font service, an
// analytics host. A resource names it by Resource.Origin, counting the
// main host as 0 and Origins[i] as i+1.
//
// The origin sits beyond the client's link: its packets share the
// client's link (its rate, queue and loss) and then travel Delay more
// each way, so a farther origin adds latency but no bottleneck.
type OriginConfig struct {
	// Host is the origin's name, sent in Host / :authority; each origin
	// has its own, different from HTTP.Host.
	Host string
	// Delay is the extra one-way propagation delay to the origin beyond
	// the client's link; 0 puts it as near as the main host.
	Delay sim.Time
	// Server and TLS are the origin's own: its idle timeouts, capacity,
	// think time, and whether it speaks TLS.
	Server ServerConfig
	TLS    TLSConfig
	// HTTP2 says whether the origin speaks HTTP/2. An HTTP/2 run fetches
	// from an origin that does not over HTTP/1.1 keep-alive with
	// HTTP.Parallel connections, as a browser does when ALPN offers no h2
	// (RFC 7301).
	HTTP2 bool
	// SameServer names the host (HTTP.Host or another origin's Host)
	// whose server also serves this origin: the same address and a
	// certificate for both names. The origin then has that server's
	// worker slots and settings (Server, TLS and HTTP2 here are unused),
	// and with HTTP.Coalesce an HTTP/2 browser sends its requests on that
	// host's connection, when one is open, instead of opening one
	// (RFC 9113 §9.1.1).
	SameServer string
}

// MaxOrigins bounds the hosts a page may use besides its main one: the
// HTTP Archive's median page fetches from about 15 hosts, and each costs
// a server, a pool and possibly a DNS lookup.
const MaxOrigins = 1000

// validateOrigins checks the origins and the resources that name them.
func (c *Config) validateOrigins() error {
	if len(c.Origins) > MaxOrigins {
		return &ConfigError{Field: "origins", Value: fmt.Sprintf("%d origins", len(c.Origins)), Allowed: fmt.Sprintf("up to %d", MaxOrigins)}
	}
	if len(c.Origins) > 0 && c.Proxy.Enabled {
		// The proxy relays to one origin over one pool (proxy.go).
		return &ConfigError{Field: "origins", Value: fmt.Sprintf("%d origins", len(c.Origins)), Allowed: "none when proxy.enabled is true: the proxy relays to one origin"}
	}
	// Host names are case-insensitive (RFC 3986 §3.2.2): two that differ
	// only in case are one host.
	hosts := map[string]int{strings.ToLower(c.HTTP.Host): 0}
	for i, o := range c.Origins {
		f := fmt.Sprintf("origins[%d]", i)
		switch {
		case !validHost(o.Host):
			return &ConfigError{Field: f + ".host", Value: fmt.Sprintf("%q", o.Host), Allowed: "a host name"}
		case o.Delay < 0:
			return &ConfigError{Field: f + ".delay", Value: o.Delay.String(), Allowed: "a duration ≥ 0"}
		}
		if j, dup := hosts[strings.ToLower(o.Host)]; dup {
			holder := "http.host"
			if j > 0 {
				holder = fmt.Sprintf("origins[%d]", j-1)
			}
			return &ConfigError{Field: f + ".host", Value: fmt.Sprintf("%q", o.Host), Allowed: "a host not used before (" + holder + " has it)"}
		}
		hosts[strings.ToLower(o.Host)] = i + 1
	}
	for i, o := range c.Origins {
		f := fmt.Sprintf("origins[%d]", i)
		if o.SameServer != "" {
			j, ok := hosts[strings.ToLower(o.SameServer)]
			switch {
			case !ok:
				return &ConfigError{Field: f + ".same_server", Value: fmt.Sprintf("%q", o.SameServer), Allowed: "http.host or another origin's host"}
			case j == i+1:
				return &ConfigError{Field: f + ".same_server", Value: fmt.Sprintf("%q", o.SameServer), Allowed: "another host than the origin's own"}
			case j > 0 && c.Origins[j-1].SameServer != "":
				return &ConfigError{Field: f + ".same_server", Value: fmt.Sprintf("%q", o.SameServer), Allowed: "a host with a server of its own (that one names same_server too)"}
			}
			continue
		}
		if err := o.Server.validate(); err != nil {
			err.(*ConfigError).Field = f + ".server." + err.(*ConfigError).Field[len("server."):]
			return err
		}
		if err := o.TLS.validate(); err != nil {
			err.(*ConfigError).Field = f + ".tls." + err.(*ConfigError).Field[len("tls."):]
			return err
		}
	}
	return nil
}

// validateResourceOrigins checks that page's resources name origins that
// exist; prefix is the page's scenario path.
func (c *Config) validateResourceOrigins(p *Page, prefix string) error {
	for i, r := range p.Resources {
		if r.Origin < 0 || r.Origin > len(c.Origins) {
			return &ConfigError{Field: fmt.Sprintf("%sresources[%d].origin", prefix, i), Value: fmt.Sprint(r.Origin),
				Allowed: fmt.Sprintf("0 (http.host) to %d (the origins listed)", len(c.Origins))}
		}
	}
	return nil
}

// validHost reports whether h can be a host name in a Host header.
func validHost(h string) bool {
	return h != "" && !strings.ContainsAny(h, " /") && strings.IndexFunc(h, unicode.IsControl) < 0
}

// hostOf is origin o's name.
func (c *Config) hostOf(o int) string {
	if o == 0 {
		return c.HTTP.Host
	}
	return c.Origins[o-1].Host
}

// serverOf is the origin whose server serves origin o: o itself, or the
// one its SameServer names.
func (c *Config) serverOf(o int) int {
	if o == 0 || c.Origins[o-1].SameServer == "" {
		return o
	}
	name := c.Origins[o-1].SameServer
	if strings.EqualFold(name, c.HTTP.Host) {
		return 0
	}
	for j, x := range c.Origins {
		if strings.EqualFold(x.Host, name) {
			return j + 1
		}
	}
	panic("model: serverOf: same_server validated earlier names no origin")
}

// coalescedOnto is the origin whose HTTP/2 connection carries origin o's
// requests: its server's, when the browser coalesces (HTTP.Coalesce), the
// run is HTTP/2 and that server speaks HTTP/2 over TLS (RFC 9113 §9.1.1
// needs the certificate to cover the name), else o itself.
func (c *Config) coalescedOnto(o int) int {
	s := c.serverOf(o)
	if s == o || !c.HTTP.Coalesce || c.HTTP.Protocol != HTTP2 {
		return o
	}
	if c.protocolOf(s) != HTTP2 || c.tlsOf(s).Version == NoTLS {
		return o
	}
	return s
}

// tlsOf is the TLS of origin o's connections: its server's.
func (c *Config) tlsOf(o int) TLSConfig {
	if s := c.serverOf(o); s > 0 {
		return c.Origins[s-1].TLS
	}
	return c.TLS
}

// protocolOf is what the browser speaks to origin o: the run's protocol,
// or HTTP/1.1 keep-alive in an HTTP/2 run when o's server does not speak
// HTTP/2.
func (c *Config) protocolOf(o int) Protocol {
	if s := c.serverOf(o); s > 0 && c.HTTP.Protocol == HTTP2 && !c.Origins[s-1].HTTP2 {
		return HTTP11
	}
	return c.HTTP.Protocol
}

// originHop is the configuration a browser's pool to origin o uses: the
// run's, with the origin's host, server, TLS and (when the origin does
// not speak HTTP/2) HTTP/1.1 keep-alive in place of HTTP/2.
func (c *Config) originHop(o int) *Config {
	if o == 0 {
		return c
	}
	hop := *c
	hop.HTTP.Host = c.Origins[o-1].Host
	hop.HTTP.Protocol, hop.TLS = c.protocolOf(o), c.tlsOf(o)
	if s := c.serverOf(o); s > 0 {
		hop.Server = c.Origins[s-1].Server
	}
	return &hop
}

// origin is what every browser's pool to one origin starts from, made
// once per run (Config.origins), not per browser: 100,000 clients on a
// page of 12 hosts would otherwise copy the configuration 1.2 million
// times.
type origin struct {
	hop    *Config // the pool's settings (originHop)
	server *server // its server's, shared by the hosts that name it
	onto   int     // the origin whose open HTTP/2 connection may carry its requests (coalescedOnto)
	extra  sim.Time
}

// origins makes the run's origins, the main host's (served by main:
// the origin, or its proxy) first: an origin that names SameServer gets
// that host's server. The other origins' servers keep no memory account:
// the server the gauges follow is the main host's.
func (c *Config) origins(n *Network, main *server) []origin {
	os := make([]origin, 1+len(c.Origins))
	os[0].server = main
	far := false
	for o := 1; o < len(os); o++ {
		if c.serverOf(o) == o {
			os[o].server = newOrigin(n, &c.Origins[o-1].Server, c.Ideal)
			far = far || c.Origins[o-1].Delay > 0
		}
	}
	for o := range os {
		s := c.serverOf(o)
		os[o].server, os[o].hop, os[o].onto = os[s].server, c.originHop(o), c.coalescedOnto(o)
		if s > 0 {
			os[o].extra = c.Origins[s-1].Delay
		}
	}
	if far {
		n.farOrigins()
	}
	return os
}

// HostOf is origin o's host name: HTTP.Host for 0, Origins[o-1].Host
// otherwise.
func (c *Config) HostOf(o int) string { return c.hostOf(o) }

// SchemeOf is the URL scheme of origin o: https when the server that
// serves it runs TLS.
func (c *Config) SchemeOf(o int) string {
	if c.TLSOf(o).Version == NoTLS {
		return "http"
	}
	return "https"
}

// TLSOf is the TLS of origin o's connections: its server's.
func (c *Config) TLSOf(o int) TLSConfig { return c.tlsOf(o) }

// ProtocolOf is the protocol the browser speaks to origin o: the run's,
// or HTTP/1.1 for an origin without HTTP/2 in an HTTP/2 run.
func (c *Config) ProtocolOf(o int) Protocol { return c.protocolOf(o) }

// ServerOf is the origin whose server serves origin o: o, or the host
// its SameServer names. Origins with the same server share an address.
func (c *Config) ServerOf(o int) int { return c.serverOf(o) }
