package trace_test

import (
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
