package model_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// twoHosts is the textbook page split over two hosts: the base document
// on www.example.com, RTT0 away, and m objects on cdn.example.com, an
// extra delay d farther each way (RTT_B = RTT0 + 2·d); transmission
// negligible; DNS lookups of dns each.
func twoHosts(rtt0, d, dns sim.Time, m int) model.Config {
	cfg := textbookDNS(rtt0, dns, m)
	cfg.Origins = []model.OriginConfig{{Host: "cdn.example.com", Delay: d, Server: cfg.Server, TLS: cfg.TLS}}
	for i := 1; i < len(cfg.Page.Resources); i++ {
		cfg.Page.Resources[i].Origin = 1
	}
	return cfg
}

// originCases extend Kurose & Ross's response times (§2.2.2, P2.7–P2.8)
// to a page on two hosts: the browser looks the second host up when the
// base document has arrived (it is first named there), then opens its
// connections to it, each exchange taking that host's round trip
// RTT_B = RTT0 + 2·d. RTT0 = 100 ms, d = 20 ms, DNS = 30 ms, M = 4.
func originCases() []hostCase {
	rtt0, d, dns := 100*sim.Millisecond, 20*sim.Millisecond, 30*sim.Millisecond
	rttB := rtt0 + 2*d
	const m = 4
	var cases []hostCase
	for _, tc := range []struct {
		name     string
		proto    model.Protocol
		parallel int
		formula  string
		want     sim.Time
	}{
		{"two hosts, non-persistent, serial", model.HTTP10, 1, "2·DNS + 2·RTT0 + M·2·RTT_B", 2*dns + 2*rtt0 + m*2*rttB},
		{"two hosts, non-persistent, M parallel", model.HTTP10, m, "2·DNS + 2·RTT0 + 2·RTT_B", 2*dns + 2*rtt0 + 2*rttB},
		{"two hosts, persistent, one connection", model.HTTP11, 1, "2·DNS + 2·RTT0 + (M+1)·RTT_B", 2*dns + 2*rtt0 + (m+1)*rttB},
		{"two hosts, persistent, pipelined", model.HTTP11Pipelined, 1, "2·DNS + 2·RTT0 + 2·RTT_B", 2*dns + 2*rtt0 + 2*rttB},
	} {
		cfg := twoHosts(rtt0, d, dns, m)
		cfg.HTTP.Protocol, cfg.HTTP.Parallel = tc.proto, tc.parallel
		cases = append(cases, hostCase{tc.name, tc.formula, "derived from Kurose & Ross §2.2.2 and P2.7", cfg, tc.want, 2})
	}
	return cases
}

// TestOriginsTextbook checks originCases to the nanosecond, and that each
// connection names its host, the first the base document's.
func TestOriginsTextbook(t *testing.T) {
	for _, c := range originCases() {
		t.Run(c.name, func(t *testing.T) {
			log := &trace.Log{}
			res, err := model.Run(c.cfg, log)
			if err != nil {
				t.Fatal(err)
			}
			checkHostCase(t, c)
			hosts := map[int]string{}
			for _, r := range log.Records {
				if r.Kind == trace.ConnHost {
					hosts[r.Conn] = r.Label
				}
			}
			if len(hosts) != res.Connections || hosts[1] != "www.example.com" {
				t.Errorf("hosts %v for %d connections", hosts, res.Connections)
			}
		})
	}
}

// TestOriginsShareTheLink: objects on two hosts load at once, one
// keep-alive connection to each, and the page waits for the slower:
// max(M_A·RTT0, DNS + (M_B+1)·RTT_B) after the base document.
func TestOriginsShareTheLink(t *testing.T) {
	rtt0, d, dns := 100*sim.Millisecond, 50*sim.Millisecond, 30*sim.Millisecond
	rttB := rtt0 + 2*d
	cfg := twoHosts(rtt0, d, dns, 6)
	cfg.HTTP.Protocol, cfg.HTTP.Parallel = model.HTTP11, 1
	for i := 1; i <= 4; i++ {
		cfg.Page.Resources[i].Origin = 0 // four on the main host, two on the CDN
	}
	res, err := model.Run(cfg, nil)
	if err != nil || !res.Complete {
		t.Fatalf("complete %v, %v", res.Complete, err)
	}
	want := dns + 2*rtt0 + max(4*rtt0, dns+3*rttB)
	if res.PageLoad != want || res.Connections != 2 {
		t.Errorf("page load %v with %d connections, want %v with 2", res.PageLoad, res.Connections, want)
	}
}

// TestOriginsHTTP2 covers what HTTP/2 does with several hosts: one
// connection per origin; a host that does not speak HTTP/2 gets HTTP/1.1
// and up to http.parallel connections (ALPN, RFC 7301); and connection
// coalescing (RFC 9113 §9.1.1), on only when the browser does it and the
// server it shares speaks HTTP/2 over TLS.
func TestOriginsHTTP2(t *testing.T) {
	for _, tc := range []struct {
		name     string
		http2    bool
		same     string
		coalesce bool
		tls      model.TLSVersion
		conns    int
		lookups  int
	}{
		{"one connection per origin", true, "", false, model.TLS13, 2, 2},
		{"an HTTP/1.1-only origin: 6 connections", false, "", false, model.TLS13, 1 + 6, 2},
		{"same server, not coalescing", true, "www.example.com", false, model.TLS13, 2, 2},
		{"same server, coalescing", true, "www.example.com", true, model.TLS13, 1, 2},
		{"coalescing needs TLS", true, "www.example.com", true, model.NoTLS, 2, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := twoHosts(100*sim.Millisecond, 0, 10*sim.Millisecond, 6)
			cfg.HTTP.Protocol, cfg.HTTP.Parallel, cfg.HTTP.Coalesce = model.HTTP2, 6, tc.coalesce
			cfg.TLS = model.TLSConfig{Version: tc.tls}
			o := &cfg.Origins[0]
			o.HTTP2, o.SameServer, o.TLS = tc.http2, tc.same, cfg.TLS
			log := &trace.Log{}
			res, err := model.Run(cfg, log)
			if err != nil || !res.Complete {
				t.Fatalf("complete %v, %v", res.Complete, err)
			}
			if res.Connections != tc.conns || res.DNSLookups != tc.lookups {
				t.Errorf("%d connections and %d lookups, want %d and %d", res.Connections, res.DNSLookups, tc.conns, tc.lookups)
			}
			checkInvariants(t, log.Records)
		})
	}
}

// TestOriginServers: each origin has its own server settings; one that
// names same_server shares that server's worker slots.
func TestOriginServers(t *testing.T) {
	cfg := twoHosts(100*sim.Millisecond, 0, 0, 6)
	cfg.DNS.Enabled = false
	cfg.HTTP.Protocol, cfg.HTTP.Parallel = model.HTTP11, 6
	cfg.Server.MaxConnections = 1
	cfg.Origins[0].Server.MaxConnections = 0
	res, err := model.Run(cfg, nil)
	if err != nil || !res.Complete {
		t.Fatalf("complete %v, %v", res.Complete, err)
	}
	if res.BacklogWait != 0 {
		t.Errorf("a CDN of its own waited %v for a slot", res.BacklogWait)
	}
	cfg.Origins[0].SameServer = "www.example.com"
	res, err = model.Run(cfg, nil)
	if err != nil || !res.Complete {
		t.Fatalf("same server: complete %v, %v", res.Complete, err)
	}
	if res.BacklogWait == 0 {
		t.Error("sharing the main host's one slot, the CDN's connections never waited")
	}
}

func TestOriginsValidate(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(*model.Config)
		field string
		says  string // in the message, when given
	}{
		{"empty host", func(c *model.Config) { c.Origins[0].Host = "" }, "origins[0].host", ""},
		{"the main host again", func(c *model.Config) { c.Origins[0].Host = c.HTTP.Host }, "origins[0].host", "(http.host has it)"},
		{"a host twice", func(c *model.Config) { c.Origins = append(c.Origins, c.Origins[0]) }, "origins[1].host", "(origins[0] has it)"},
		{"a host in other case", func(c *model.Config) { c.Origins[0].Host = "WWW.Example.com" }, "origins[0].host", "(http.host has it)"},
		{"negative delay", func(c *model.Config) { c.Origins[0].Delay = -1 }, "origins[0].delay", ""},
		{"unknown same_server", func(c *model.Config) { c.Origins[0].SameServer = "nowhere.example" }, "origins[0].same_server", ""},
		{"same_server itself", func(c *model.Config) { c.Origins[0].SameServer = "cdn.example.com" }, "origins[0].same_server", ""},
		{"a server's field", func(c *model.Config) { c.Origins[0].Server.Backlog = -1 }, "origins[0].server.backlog", ""},
		{"a TLS field", func(c *model.Config) { c.Origins[0].TLS = model.TLSConfig{Resume: true} }, "origins[0].tls.resume", ""},
		{"a resource's origin", func(c *model.Config) { c.Page.Resources[1].Origin = 2 }, "page.resources[1].origin", ""},
		{"a visit's resource", func(c *model.Config) {
			c.Visits = []model.Visit{{Page: model.SyntheticPage(1, 1, []int{1})}}
			c.Visits[0].Page.Resources[1].Origin = -1
		}, "visits[0].page.resources[1].origin", ""},
		{"with a proxy", func(c *model.Config) { c.Proxy.Enabled = true }, "origins", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := twoHosts(100*sim.Millisecond, 0, 0, 2)
			tc.edit(&cfg)
			var ce *model.ConfigError
			err := cfg.Validate()
			if !errors.As(err, &ce) || ce.Field != tc.field || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%v, want a ConfigError on %s saying %q", err, tc.field, tc.says)
			}
		})
	}
	// The same path on two hosts is two resources.
	cfg := twoHosts(100*sim.Millisecond, 0, 0, 2)
	cfg.Page.Resources[2].Path = cfg.Page.Resources[1].Path
	cfg.Page.Resources[2].Origin = 0
	if err := cfg.Validate(); err != nil {
		t.Errorf("/img1.png on two hosts: %v", err)
	}
}

// TestCoalescingNeedsAnOpenConnection: a browser sends a host's requests
// on another host's HTTP/2 connection only when that connection exists;
// it opens none under the other host's name. Here the document is on
// static.example.com, which coalesces onto www.example.com, before any
// connection to www is open: static gets its own.
func TestCoalescingNeedsAnOpenConnection(t *testing.T) {
	cfg := twoHosts(100*sim.Millisecond, 0, 10*sim.Millisecond, 2)
	cfg.HTTP.Protocol, cfg.HTTP.Coalesce = model.HTTP2, true
	cfg.TLS = model.TLSConfig{Version: model.TLS13}
	cfg.Origins[0] = model.OriginConfig{Host: "static.example.com", SameServer: cfg.HTTP.Host}
	cfg.Page.Resources[0].Origin = 1 // the document on static
	cfg.Page.Resources[1].Origin, cfg.Page.Resources[2].Origin = 0, 1
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil || !res.Complete {
		t.Fatalf("complete %v, %v", res.Complete, err)
	}
	var hosts []string
	for _, r := range log.Records {
		if r.Kind == trace.ConnHost {
			hosts = append(hosts, r.Label)
		}
	}
	if fmt.Sprint(hosts) != "[static.example.com www.example.com]" {
		t.Errorf("connections to %v, want static's own, then www's", hosts)
	}
}
