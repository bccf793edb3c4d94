package trace_test

import (
	"net/netip"
	"testing"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestAddressesOf: a connection's addresses are a function of the seed
// and its number: the same every time, the port in Linux's ephemeral
// range, and different connections and seeds differ.
func TestAddressesOf(t *testing.T) {
	seen := map[trace.Addresses]bool{}
	for seed := uint64(1); seed <= 3; seed++ {
		for conn := 1; conn <= 50; conn++ {
			a := trace.AddressesOf(seed, conn)
			if a != trace.AddressesOf(seed, conn) {
				t.Fatalf("seed %d conn %d: two calls differ", seed, conn)
			}
			if a.ClientPort < trace.EphemeralLow || a.ClientPort > trace.EphemeralHigh || a.ClientISN == a.ServerISN {
				t.Errorf("seed %d conn %d: %+v", seed, conn, a)
			}
			seen[a] = true
		}
	}
	if len(seen) != 150 {
		t.Errorf("%d distinct addresses of 150 connections", len(seen))
	}
}

// TestClientAddress: every client up to model.MaxClients (100,000) has
// an address of its own, in TEST-NET-2 for the first 254 and in
// 198.18.0.0/15 after, and a run's only client (0) is client 1.
func TestClientAddress(t *testing.T) {
	for _, tc := range []struct {
		client int
		want   string
	}{{0, "198.51.100.1"}, {1, "198.51.100.1"}, {254, "198.51.100.254"}, {255, "198.18.1.0"}, {256, "198.18.1.1"}, {100_000, "198.19.134.161"}} {
		if got := trace.ClientAddress(tc.client); got != tc.want {
			t.Errorf("client %d: %s, want %s", tc.client, got, tc.want)
		}
	}
	seen := map[string]bool{}
	for c := 1; c <= 100_000; c++ {
		a := netip.MustParseAddr(trace.ClientAddress(c))
		if seen[a.String()] {
			t.Fatalf("client %d: %s again", c, a)
		}
		seen[a.String()] = true
		if !netip.MustParsePrefix("198.51.100.0/24").Contains(a) && !netip.MustParsePrefix("198.18.0.0/15").Contains(a) {
			t.Fatalf("client %d: %s is not a documentation or benchmarking address", c, a)
		}
	}
}

// TestClientPortsDiffer: no two of a run's first 28,232 connections (the
// ephemeral range's size) have the same client port, whatever the seed:
// Wireshark would take two connections of one client on one port for
// one.
func TestClientPortsDiffer(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		seen := map[uint16]int{}
		for conn := 1; conn <= trace.EphemeralHigh-trace.EphemeralLow+1; conn++ {
			p := trace.AddressesOf(seed, conn).ClientPort
			if prev, dup := seen[p]; dup {
				t.Fatalf("seed %d: connections %d and %d on port %d", seed, prev, conn, p)
			}
			seen[p] = conn
		}
	}
}
