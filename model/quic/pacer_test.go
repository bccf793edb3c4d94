package quic

import "testing"

// TestPacer checks quic-go v0.65.0's pacer (internal/congestion/pacer.go)
// on hand-computed figures: a 32-packet window of 1,280 bytes over a
// 100 ms smoothed RTT is 409,600 B/s, twice that (819,200 B/s) in slow
// start; the bucket starts with a burst of 10 datagrams; each datagram
// then takes 1,280 / 819,200 s = 1.5625 ms to earn, but never less than
// 1 ms after the last send.
func TestPacer(t *testing.T) {
	const mds = 1280
	rate := PacingRate(32*mds, 100*ms, true, true)
	if rate != 819_200 {
		t.Fatalf("slow-start rate %d B/s, want 819200", rate)
	}
	if ca := PacingRate(32*mds, 100*ms, false, true); ca != 512_000 {
		t.Errorf("congestion-avoidance rate %d B/s, want 5/4 of 409600 = 512000", ca)
	}
	p := &Pacer{MaxDatagramSize: mds}
	if b := p.Budget(0, rate); b != 10*mds {
		t.Fatalf("first budget %d, want a burst of 10 datagrams (12800)", b)
	}
	for i := range 10 {
		if p.Budget(0, rate) < mds {
			t.Fatalf("datagram %d of the first burst has no budget", i)
		}
		p.Sent(0, mds, rate)
	}
	if p.Budget(0, rate) >= mds {
		t.Fatal("an eleventh datagram at once has budget")
	}
	// 1280·1e9/819200 = 1,562,500 ns exactly.
	if next := p.Next(rate, mds); next != 1_562_500 {
		t.Fatalf("next send at %v, want 1.5625ms", next)
	}
	if b := p.Budget(1_562_500, rate); b != mds {
		t.Errorf("budget after 1.5625 ms %d, want one datagram", b)
	}
	// A fast rate still waits minPacingDelay after the last send.
	fast := PacingRate(1000*mds, 10*ms, true, true)
	q := &Pacer{MaxDatagramSize: mds}
	for q.Budget(0, fast) >= mds {
		q.Sent(0, mds, fast)
	}
	if next := q.Next(fast, mds); next != ms {
		t.Errorf("next send at a fast rate %v, want the 1 ms minimum", next)
	}
	// Larger datagrams than the pacer counts in: the send waits until the
	// bucket holds one, past quic-go's own deadline (1,452 bytes at
	// 819,200 B/s: 1,772,461 ns, rounded up).
	if next := p.Next(rate, 1452); next != 1_772_461 {
		t.Errorf("next 1,452-byte send at %v, want 1.772461ms", next)
	}
	// Without an RTT sample the rate divides by the 1 ms granularity.
	if r := PacingRate(32*mds, 0, true, false); r != 2*32*mds*1000 {
		t.Errorf("rate before a sample %d, want %d", r, 2*32*mds*1000)
	}
}
