package model

import (
	"slices"
	"testing"
)

// TestQUICLostRangesJoin: a range queued to be sent again twice (a PTO
// probe's copy of the oldest packet, then the same packet declared lost)
// goes once: overlapping ranges join, and what the peer acknowledged
// since is left out (RFC 9000 §13.3 asks for the data again, not twice).
func TestQUICLostRangesJoin(t *testing.T) {
	var s qSendStream
	s.written, s.sent = 10_000, 10_000
	s.lose(1000, 1000, false)
	s.lose(1000, 1000, false) // the same packet again
	s.lose(1500, 1000, false) // overlapping
	s.lose(5000, 500, false)
	if want := [][2]uint64{{1000, 2500}, {5000, 5500}}; !slices.Equal(s.lost, want) {
		t.Fatalf("lost ranges %v, want %v", s.lost, want)
	}
	s.acked.Receive(0, 1200, false)
	off, n, _, retx, ok := s.takeLost(5000)
	if !ok || !retx || off != 1200 || n != 1300 {
		t.Fatalf("takeLost: off %d n %d retx %v ok %v; want 1300 bytes from 1200", off, n, retx, ok)
	}
}
