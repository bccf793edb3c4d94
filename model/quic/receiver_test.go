package quic

import (
	"slices"
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// TestReceiverRanges: packets received in any order make the ACK
// frame's ranges, largest first, joined where they touch (RFC 9000
// §19.3.1), and a cap keeps the newest.
func TestReceiverRanges(t *testing.T) {
	r := &Receiver{Space: ApplicationData, MaxAckDelay: DefaultMaxAckDelay}
	for _, pn := range []uint64{0, 1, 2, 5, 6, 9, 4, 3, 12, 11} {
		r.Received(pn, false, 0)
	}
	want := []AckRange{{12, 11}, {9, 9}, {6, 0}}
	if got := r.Ranges(0); !slices.Equal(got, want) {
		t.Errorf("ranges %v, want %v", got, want)
	}
	if got := r.Ranges(2); !slices.Equal(got, want[:2]) {
		t.Errorf("two ranges %v, want %v", got, want[:2])
	}
	r.Received(10, false, 0) // joins 9 and 11-12
	if got := r.Ranges(0); !slices.Equal(got, []AckRange{{12, 9}, {6, 0}}) {
		t.Errorf("after 10: %v", got)
	}
	r.Received(6, false, 0) // a duplicate
	if got := r.Ranges(0); !slices.Equal(got, []AckRange{{12, 9}, {6, 0}}) {
		t.Errorf("after a duplicate: %v", got)
	}
}

// TestReceiverAckTiming: RFC 9000 §13.2's rules for when to acknowledge.
func TestReceiverAckTiming(t *testing.T) {
	r := &Receiver{Space: ApplicationData, MaxAckDelay: DefaultMaxAckDelay}
	if r.Received(0, true, 10*ms) || !r.Pending || r.Deadline != 35*ms {
		t.Fatalf("the first ack-eliciting packet: pending %v until %v; want a delayed ACK at 35ms", r.Pending, r.Deadline)
	}
	if !r.Received(1, true, 12*ms) { // the second: at once (§13.2.2)
		t.Error("the second ack-eliciting packet is not acknowledged at once")
	}
	r.Acked()
	if r.Received(2, false, 13*ms) || r.Pending {
		t.Error("an ACK-only packet is acknowledged or starts the delayed ACK")
	}
	if r.Received(3, true, 14*ms) {
		t.Error("an in-order packet after an ACK is acknowledged at once")
	}
	r.Acked()
	if !r.Received(6, true, 15*ms) { // 4 and 5 missing (§13.2.1)
		t.Error("a packet after a gap is not acknowledged at once")
	}
	r.Acked()
	if !r.Received(5, true, 16*ms) { // below the largest
		t.Error("a reordered packet is not acknowledged at once")
	}
	r.Acked()
	if !r.Received(5, true, 17*ms) { // a duplicate: its sender retransmitted
		t.Error("a duplicate is not acknowledged at once")
	}
	hs := &Receiver{Space: Handshake, MaxAckDelay: DefaultMaxAckDelay}
	if !hs.Received(0, true, 0) {
		t.Error("a Handshake packet is not acknowledged at once (§13.2.1)")
	}
	in := &Receiver{Space: Initial}
	if !in.Received(0, true, 0) {
		t.Error("an Initial packet is not acknowledged at once (§13.2.1)")
	}
}

// TestReceiverLargestAt: an ACK's ACK Delay counts from the receipt of
// its largest acknowledged packet (RFC 9000 §13.2.5), whether or not
// that packet was ack-eliciting, and a packet below the largest moves
// nothing.
func TestReceiverLargestAt(t *testing.T) {
	r := &Receiver{Space: ApplicationData, MaxAckDelay: DefaultMaxAckDelay}
	for _, c := range []struct {
		pn        uint64
		eliciting bool
		at, want  sim.Time
	}{
		{0, true, 10, 10},
		{2, false, 11, 11}, // ACK-only, but the largest
		{1, true, 12, 11},  // reordered: below the largest
		{2, true, 13, 11},  // a duplicate
		{3, true, 14, 14},
	} {
		r.Received(c.pn, c.eliciting, c.at*ms)
		if r.LargestAt != c.want*ms {
			t.Errorf("after packet %d at %v: LargestAt %v, want %v", c.pn, c.at*ms, r.LargestAt, c.want*ms)
		}
	}
}
