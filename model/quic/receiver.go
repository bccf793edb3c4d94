package quic

import "github.com/keepalive-sim/keepalive/sim"

// Receiver is one packet number space's receiving side: the packet
// numbers received, as the ranges an ACK frame lists, and when to send
// that ACK (RFC 9000 §13.2).
type Receiver struct {
	// Space is the packet number space: Initial and Handshake packets
	// are acknowledged at once (§13.2.1).
	Space Space
	// MaxAckDelay is this endpoint's max_ack_delay: how long it may wait
	// before acknowledging an ack-eliciting packet (§13.2.1, §18.2).
	MaxAckDelay sim.Time
	// Threshold is how many ack-eliciting packets are acknowledged at
	// once: 0 is kAckElicitingThreshold, 2 (RFC 9000 §13.2.2); 1
	// acknowledges every packet (the model's ideal mode).
	Threshold int
	ranges    []AckRange // received, descending, disjoint and not adjacent
	unacked   int        // ack-eliciting packets received since the last ACK
	largestAE uint64     // the largest ack-eliciting packet received
	anyAE     bool
	// Deadline is when the delayed ACK is due while Pending: the first
	// unacknowledged ack-eliciting packet's arrival plus MaxAckDelay.
	Deadline sim.Time
	Pending  bool
	// LargestAt is when the largest packet received arrived: an ACK's
	// ACK Delay counts from it (RFC 9000 §13.2.5).
	LargestAt sim.Time
}

// Received takes packet pn, arrived at now, and says whether to
// acknowledge at once: an Initial or Handshake packet; the second
// ack-eliciting packet since the last ACK (§13.2.2, "at least two");
// an ack-eliciting packet below the largest received, or above it with
// packets missing between (§13.2.1, to help the sender detect loss).
// Otherwise an ack-eliciting packet starts the delayed-ACK deadline if
// none runs; a packet of ACK or PADDING alone is never acknowledged by
// itself (§13.2.1). A duplicate changes nothing but is acknowledged at
// once if ack-eliciting, as a retransmission's sender is waiting.
func (r *Receiver) Received(pn uint64, ackEliciting bool, now sim.Time) (ackNow bool) {
	dup := r.has(pn)
	reordered := ackEliciting && r.anyAE && (pn < r.largestAE || pn > r.largestAE+1 && !r.hasAll(r.largestAE+1, pn-1))
	if !dup {
		if len(r.ranges) == 0 || pn > r.ranges[0].Largest {
			r.LargestAt = now
		}
		r.add(pn)
	}
	if !ackEliciting {
		return false
	}
	if pn > r.largestAE || !r.anyAE {
		r.largestAE, r.anyAE = pn, true
	}
	r.unacked++
	if r.Space != ApplicationData || dup || reordered || r.unacked >= r.threshold() {
		return true
	}
	if !r.Pending {
		r.Pending, r.Deadline = true, now+r.MaxAckDelay
	}
	return false
}

// Acked records that an ACK was sent: the count and the deadline start
// again.
func (r *Receiver) Acked() { r.unacked, r.Pending = 0, false }

// Ranges are the received packet numbers, largest first, as an ACK
// frame lists them (§19.3.1); at most max of them (the oldest are left
// out, §13.2.4), all if max is 0.
func (r *Receiver) Ranges(max int) []AckRange {
	if max > 0 && len(r.ranges) > max {
		return r.ranges[:max]
	}
	return r.ranges
}

func (r *Receiver) has(pn uint64) bool { return r.hasAll(pn, pn) }

// hasAll reports whether every packet from lo to hi was received.
func (r *Receiver) hasAll(lo, hi uint64) bool {
	for _, g := range r.ranges {
		if g.Smallest <= lo && hi <= g.Largest {
			return true
		}
	}
	return false
}

// add puts pn in the ranges, joining those it touches.
func (r *Receiver) add(pn uint64) {
	i := 0
	for i < len(r.ranges) && r.ranges[i].Smallest > pn { // ranges above pn
		i++
	}
	// pn is below ranges[:i]; ranges[i], if any, has Smallest ≤ pn.
	joinAbove := i > 0 && r.ranges[i-1].Smallest == pn+1
	joinBelow := i < len(r.ranges) && r.ranges[i].Largest+1 == pn
	switch {
	case joinAbove && joinBelow:
		r.ranges[i-1].Smallest = r.ranges[i].Smallest
		r.ranges = append(r.ranges[:i], r.ranges[i+1:]...)
	case joinAbove:
		r.ranges[i-1].Smallest = pn
	case joinBelow:
		r.ranges[i].Largest = pn
	default:
		r.ranges = append(r.ranges, AckRange{})
		copy(r.ranges[i+1:], r.ranges[i:])
		r.ranges[i] = AckRange{Largest: pn, Smallest: pn}
	}
}

func (r *Receiver) threshold() int {
	if r.Threshold > 0 {
		return r.Threshold
	}
	return AckElicitingThreshold
}
