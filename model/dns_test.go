package model_test

import (
	"errors"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// textbookDNS is K&R's setting for problems P2.7 and P2.8: transmission
// times negligible (an unlimited link, tiny objects), RTT0 to the web
// server, and a lookup that visits n DNS servers, RTT_1 + … + RTT_n in
// all (dns.rtt is that sum).
func textbookDNS(rtt0, lookup sim.Time, objects int) model.Config {
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: rtt0 / 2, Up: model.UnlimitedRate, Down: model.UnlimitedRate}
	cfg.Page = model.SyntheticPage(1, objects, []int{1})
	cfg.ApplyIdeal()
	cfg.DNS = model.DNSConfig{Enabled: true, RTT: lookup, TTL: 60 * sim.Second}
	return cfg
}

// hostCase is a textbook page load with DNS or on several hosts: its
// configuration and the formula's time.
type hostCase struct {
	name, formula, source string
	cfg                   model.Config
	want                  sim.Time
	lookups               int
}

// dnsCases are Kurose & Ross, "Computer Networking: A Top-Down
// Approach" (8th ed.), problems P2.7 and P2.8, with RTT0 = 100 ms and
// RTT_1 + RTT_2 + RTT_3 = 3 + 20 + 26 ms = 49 ms:
//
//	P7  one object:                           RTT_DNS + 2·RTT0
//	P8a 8 objects, non-persistent, serial:    RTT_DNS + 2·RTT0 + 8·2·RTT0
//	P8b 8 objects, non-persistent, 5 at once: RTT_DNS + 2·RTT0 + 2·2·RTT0
//	P8c 8 objects, persistent, pipelined:     RTT_DNS + 2·RTT0 + RTT0
//	    8 objects, persistent, one at a time: RTT_DNS + 2·RTT0 + 8·RTT0
//
// The lookup happens once: the objects are on the same server, whose
// address the browser has cached.
func dnsCases() []hostCase {
	rtt0, dns := 100*sim.Millisecond, 49*sim.Millisecond
	var cases []hostCase
	for _, tc := range []struct {
		name, formula string
		objects       int
		proto         model.Protocol
		parallel      int
		want          sim.Time
	}{
		{"P7 the base file only", "RTT_DNS + 2·RTT0", 0, model.HTTP10, 1, dns + 2*rtt0},
		{"P8a non-persistent, serial", "RTT_DNS + 2·RTT0 + 8·2·RTT0", 8, model.HTTP10, 1, dns + 2*rtt0 + 8*2*rtt0},
		{"P8b non-persistent, 5 parallel", "RTT_DNS + 2·RTT0 + 2·2·RTT0", 8, model.HTTP10, 5, dns + 2*rtt0 + 2*2*rtt0},
		{"P8c persistent, pipelined", "RTT_DNS + 2·RTT0 + RTT0", 8, model.HTTP11Pipelined, 1, dns + 2*rtt0 + rtt0},
		{"persistent, without pipelining", "RTT_DNS + 2·RTT0 + 8·RTT0", 8, model.HTTP11, 1, dns + 2*rtt0 + 8*rtt0},
	} {
		cfg := textbookDNS(rtt0, dns, tc.objects)
		cfg.HTTP.Protocol, cfg.HTTP.Parallel = tc.proto, tc.parallel
		cases = append(cases, hostCase{tc.name, tc.formula, "Kurose & Ross P2.7, P2.8", cfg, tc.want, 1})
	}
	return cases
}

// TestDNSTextbook checks dnsCases to the nanosecond.
func TestDNSTextbook(t *testing.T) {
	for _, c := range dnsCases() {
		t.Run(c.name, func(t *testing.T) { checkHostCase(t, c) })
	}
}

// checkHostCase runs c and compares it with its formula and lookups.
func checkHostCase(t *testing.T, c hostCase) model.Result {
	t.Helper()
	log := &trace.Log{}
	res, err := model.Run(c.cfg, log)
	if err != nil || !res.Complete {
		t.Fatalf("complete %v, %v", res.Complete, err)
	}
	if res.PageLoad != c.want {
		t.Errorf("page load %v, %s = %v (diff %v)", res.PageLoad, c.formula, c.want, res.PageLoad-c.want)
	}
	if res.DNSLookups != c.lookups {
		t.Errorf("%d lookups, want %d", res.DNSLookups, c.lookups)
	}
	checkInvariants(t, log.Records)
	return res
}

// TestDNSCache: a later page within the TTL looks nothing up; one after
// it has expired looks its host up again only if it has to open a
// connection, and the lookup comes before that connection's SYN.
func TestDNSCache(t *testing.T) {
	rtt0, dns := 100*sim.Millisecond, 30*sim.Millisecond
	for _, tc := range []struct {
		name    string
		think   sim.Time
		proto   model.Protocol
		idle    sim.Time // the browser's idle timeout
		lookups int
	}{
		{"within the TTL, a new connection", 10 * sim.Second, model.HTTP10, 0, 1},
		{"after the TTL, a new connection", 70 * sim.Second, model.HTTP10, 0, 2},
		{"after the TTL, the kept-alive connection", 70 * sim.Second, model.HTTP11, 0, 1},
		{"after the TTL, the connection timed out", 70 * sim.Second, model.HTTP11, 30 * sim.Second, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := textbookDNS(rtt0, dns, 2)
			cfg.HTTP.Protocol = tc.proto
			cfg.Browser.IdleTimeout = tc.idle
			cfg.Server.IdleTimeout = 0
			cfg.Visits = []model.Visit{{Think: tc.think, Page: model.SyntheticPage(1, 2, []int{1})}}
			cfg.Visits[0].Page.Resources[0].Path = "/next.html"
			log := &trace.Log{}
			res, err := model.Run(cfg, log)
			if err != nil || !res.Complete {
				t.Fatalf("complete %v, %v", res.Complete, err)
			}
			if res.DNSLookups != tc.lookups {
				t.Errorf("%d lookups, want %d", res.DNSLookups, tc.lookups)
			}
			// Every lookup ends before the SYN it was for.
			var done sim.Time = -1
			for _, r := range log.Records {
				switch {
				case r.Kind == trace.DNSStarted:
					done = -1
				case r.Kind == trace.DNSDone:
					done = r.At
					if r.Label != cfg.HTTP.Host {
						t.Errorf("looked up %q", r.Label)
					}
				case r.Kind == trace.PacketSent && r.Flags == trace.SYN && done < 0:
					t.Errorf("SYN at %v before a lookup's answer", r.At)
				}
			}
		})
	}
}

// TestDNSOffByDefault: the default configuration and ideal mode look
// nothing up, so the textbook's formulas without RTT_DNS still hold.
func TestDNSOffByDefault(t *testing.T) {
	cfg := model.DefaultConfig()
	if cfg.DNS.Enabled {
		t.Fatal("dns.enabled is on by default")
	}
	cfg.ApplyIdeal()
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range log.Records {
		if r.Kind == trace.DNSStarted || r.Kind == trace.DNSDone {
			t.Fatalf("a lookup with dns off: %+v", r)
		}
	}
	if res.DNSLookups != 0 {
		t.Errorf("%d lookups", res.DNSLookups)
	}
}

// TestDNSRTTDefault: dns.rtt 0 takes the link's round trip.
func TestDNSRTTDefault(t *testing.T) {
	cfg := textbookDNS(80*sim.Millisecond, 0, 0)
	res, err := model.Run(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 80*sim.Millisecond + 2*80*sim.Millisecond; res.PageLoad != want {
		t.Errorf("page load %v, want %v", res.PageLoad, want)
	}
}

func TestDNSValidate(t *testing.T) {
	for _, tc := range []struct {
		dns   model.DNSConfig
		field string
	}{
		{model.DNSConfig{Enabled: true, RTT: -1}, "dns.rtt"},
		{model.DNSConfig{Enabled: true, TTL: -1}, "dns.ttl"},
	} {
		cfg := model.DefaultConfig()
		cfg.DNS = tc.dns
		var ce *model.ConfigError
		if err := cfg.Validate(); !errors.As(err, &ce) || ce.Field != tc.field {
			t.Errorf("%+v: %v, want a ConfigError on %s", tc.dns, err, tc.field)
		}
	}
}

// TestDNSOneNamePerHost: DNS names have no ports and no case, so hosts
// that differ only there (http://a.example and https://a.example:443,
// as a HAR with a redirect to https gives) share one lookup; a
// different name gets its own. The objects of each host are found in
// the base document, so the second host asks while the first's lookup
// is answered or in its cache.
func TestDNSOneNamePerHost(t *testing.T) {
	for _, tc := range []struct {
		second  string
		lookups int
	}{
		{"www.example.com:443", 1},
		{"WWW.Example.com:8443", 1},
		{"[2001:db8::1]:443", 2},
		{"cdn.example.com", 2},
	} {
		t.Run(tc.second, func(t *testing.T) {
			cfg := textbookDNS(100*sim.Millisecond, 30*sim.Millisecond, 2)
			cfg.Origins = []model.OriginConfig{{Host: tc.second, Server: cfg.Server, TLS: cfg.TLS}}
			cfg.Page.Resources[1].Origin = 1
			res, err := model.Run(cfg, &trace.Log{})
			if err != nil || !res.Complete {
				t.Fatalf("complete %v, %v", res.Complete, err)
			}
			if res.DNSLookups != tc.lookups {
				t.Errorf("%d lookups, want %d", res.DNSLookups, tc.lookups)
			}
		})
	}
}

// TestDNSOneLookupTwoPools: two hosts of one name, both first named in
// the base document, wait for the same lookup; its answer sends each
// request to its own host's connection.
func TestDNSOneLookupTwoPools(t *testing.T) {
	cfg := textbookDNS(100*sim.Millisecond, 30*sim.Millisecond, 2)
	cfg.Origins = []model.OriginConfig{
		{Host: "cdn.example.com", Server: cfg.Server, TLS: cfg.TLS},
		{Host: "cdn.example.com:8443", Server: cfg.Server, TLS: cfg.TLS},
	}
	cfg.Page.Resources[1].Origin, cfg.Page.Resources[2].Origin = 1, 2
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil || !res.Complete {
		t.Fatalf("complete %v, %v", res.Complete, err)
	}
	if res.DNSLookups != 2 {
		t.Errorf("%d lookups, want 2 (www.example.com, cdn.example.com)", res.DNSLookups)
	}
	hosts := map[string]bool{}
	for _, r := range log.Records {
		if r.Kind == trace.ConnHost {
			hosts[r.Label] = true
		}
	}
	if !hosts["cdn.example.com"] || !hosts["cdn.example.com:8443"] || len(hosts) != 3 {
		t.Errorf("connections to %v, want www, cdn and cdn:8443", hosts)
	}
}
