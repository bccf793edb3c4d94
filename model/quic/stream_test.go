package quic

import "testing"

// TestStreamReceiver: bytes delivered in order as they become
// contiguous; a gap holds back only what lies after it; duplicates and
// overlaps count once; FIN tells the end.
func TestStreamReceiver(t *testing.T) {
	var s StreamReceiver
	steps := []struct {
		offset   uint64
		n        int
		fin      bool
		newly    uint64
		readable uint64
		blocked  bool
	}{
		{0, 1000, false, 1000, 1000, false},
		{2000, 1000, false, 0, 1000, true},     // 1000-2000 lost: held
		{3000, 500, true, 0, 1000, true},       // the end, still held
		{2500, 1000, false, 0, 1000, true},     // an overlap
		{1000, 1000, false, 2500, 3500, false}, // the retransmission: all readable
		{0, 1000, false, 0, 3500, false},       // a duplicate
	}
	for i, st := range steps {
		if got := s.Receive(st.offset, st.n, st.fin); got != st.newly || s.Readable != st.readable || s.Blocked() != st.blocked {
			t.Errorf("step %d (%d+%d): newly %d, readable %d, blocked %v; want %d, %d, %v", i, st.offset, st.n, got, s.Readable, s.Blocked(), st.newly, st.readable, st.blocked)
		}
	}
	if !s.Done() || s.Final != 3500 {
		t.Errorf("done %v, final %d; want the stream's 3500 bytes", s.Done(), s.Final)
	}
}

// TestStreamsAreIndependent: two streams multiplexed over packets, one
// packet lost: the stream whose bytes it carried waits for the
// retransmission; the other is read whole at once (issue 16's lesson).
func TestStreamsAreIndependent(t *testing.T) {
	var a, b StreamReceiver
	// Packets carry 1000 bytes of a, then of b, alternately; a's second
	// chunk (1000-2000) is lost.
	a.Receive(0, 1000, false)
	b.Receive(0, 1000, false)
	b.Receive(1000, 1000, true)
	a.Receive(2000, 1000, true)
	if !b.Done() || a.Done() || a.Readable != 1000 || !a.Blocked() {
		t.Fatalf("after the loss: b done %v, a readable %d blocked %v", b.Done(), a.Readable, a.Blocked())
	}
	a.Receive(1000, 1000, false)
	if !a.Done() {
		t.Error("a is not done after its retransmission")
	}
}
