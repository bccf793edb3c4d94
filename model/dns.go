package model

import (
	"strings"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// DNSConfig is the browser's name resolution: before its first
// connection to a host it looks the name up, and keeps the answer for
// TTL, across the pages of its session.
type DNSConfig struct {
	// Enabled makes the browser look hosts up; off, names resolve at once
	// (the textbook's formulas leave RTT_DNS out unless they ask for it).
	Enabled bool
	// RTT is how long a lookup takes: the round trip to the resolver and
	// its answer, K&R's RTT_DNS (the sum RTT_1 + … + RTT_n when the
	// resolver asks n servers in turn). 0 takes the client's link round
	// trip, 2·link.delay: a resolver at the access network answering
	// from its cache.
	RTT sim.Time
	// TTL is how long the browser keeps an answer: Chrome keeps what the
	// system resolver returns for 60 s (net/dns/host_resolver_manager.cc,
	// kCacheEntryTTLSeconds), Firefox for 60 s too
	// (network.dnsCacheExpiration). 0 keeps nothing: a request for a
	// host with no connection open looks it up again (the requests that
	// waited for one lookup all go on its answer, and a pool with a
	// connection open opens more without one).
	TTL sim.Time
}

// DefaultDNS is lookups off, with Chrome's cache lifetime for when they
// are switched on.
func DefaultDNS() DNSConfig { return DNSConfig{TTL: 60 * sim.Second} }

func (c DNSConfig) validate() error {
	switch {
	case c.RTT < 0:
		return &ConfigError{Field: "dns.rtt", Value: c.RTT.String(), Allowed: "a duration ≥ 0 (0 = the link's round trip)"}
	case c.TTL < 0:
		return &ConfigError{Field: "dns.ttl", Value: c.TTL.String(), Allowed: "a duration ≥ 0 (0 = no cache)"}
	}
	return nil
}

// resolver is one browser's name lookups and their cache. Requests for
// a host being looked up wait for its answer; one lookup serves them all,
// and every host of that name (a.example and a.example:8443: DNS has no
// ports).
type resolver struct {
	sim     *sim.Simulator
	rtt     sim.Time
	ttl     sim.Time
	record  func(trace.Record)
	expires map[string]sim.Time // name (dnsName) → when its cached answer expires
	waiting map[string][]*exchange
}

func newResolver(s *sim.Simulator, cfg *Config, record func(trace.Record)) *resolver {
	rtt := cfg.DNS.RTT
	if rtt == 0 {
		rtt = 2 * cfg.Link.Delay
	}
	return &resolver{sim: s, rtt: rtt, ttl: cfg.DNS.TTL, record: record,
		expires: map[string]sim.Time{}, waiting: map[string][]*exchange{}}
}

// dnsName is the name a lookup for host asks for: host without its
// ":port" (RFC 3986 §3.2.2, an IPv6 literal in brackets), in lower case
// (names compare case-insensitively, RFC 4343).
func dnsName(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[:i+1]
		}
	} else if i := strings.IndexByte(host, ':'); i >= 0 && strings.Count(host, ":") == 1 {
		host = host[:i]
	}
	return strings.ToLower(host)
}

// known reports whether host has an answer in the cache.
func (r *resolver) known(host string) bool {
	t, ok := r.expires[dnsName(host)]
	return ok && r.sim.Now() < t
}

// wait queues ex until host is resolved, starting its lookup unless one
// is under way; then hands every request waiting for it to done.
// The records name host, the first that asked.
func (r *resolver) wait(host string, ex *exchange, done func([]*exchange)) {
	name := dnsName(host)
	if q, busy := r.waiting[name]; busy {
		r.waiting[name] = append(q, ex)
		return
	}
	r.waiting[name] = []*exchange{ex}
	r.record(trace.Record{Kind: trace.DNSStarted, Label: host})
	r.sim.After(r.rtt, func() {
		r.expires[name] = r.sim.Now() + r.ttl
		r.record(trace.Record{Kind: trace.DNSDone, Label: host, Note: "looked up in " + r.rtt.String()})
		exs := r.waiting[name]
		delete(r.waiting, name)
		done(exs)
	})
}

// looked reports whether host has been resolved before, its answer
// expired or not: a connection opened then may go on being used.
func (r *resolver) looked(host string) bool {
	_, ok := r.expires[dnsName(host)]
	return ok
}
