package model

import "github.com/keepalive-sim/keepalive/sim"

// txSeg is one segment sent and not yet cumulatively acknowledged: what
// Linux keeps per skb in its retransmission queue (tcp_skb_cb: seq,
// end_seq, the sacked bits and the transmit time).
type txSeg struct {
	start, end int64    // sequence range; a FIN takes the number after the data
	sent       sim.Time // last transmission
	retx       bool     // retransmitted at least once (TCPCB_EVER_RETRANS): no sequence RTT sample
	sacked     bool     // selectively acknowledged (TCPCB_SACKED_ACKED)
	lost       bool     // marked lost (TCPCB_LOST)
	retxOut    bool     // a retransmission is in flight (TCPCB_SACKED_RETRANS)
}

// scoreboard is the sender's list of segments in flight, in sequence
// order, with Linux's counters: packets_out, sacked_out, lost_out and
// retrans_out, from which the packets in flight follow
// (tcp_packets_in_flight). It is the ground truth for a window counted
// in packets, for an RTT sample per ACK, and for SACK-based recovery.
type scoreboard struct {
	q                     []txSeg
	head                  int // q[head:] is live; the prefix is reused
	sacked, lost, retrans int
}

func (b *scoreboard) live() []txSeg { return b.q[b.head:] }

// packetsOut is Linux's packets_out: segments sent and not cumulatively
// acknowledged.
func (b *scoreboard) packetsOut() int { return len(b.q) - b.head }

// inFlight is tcp_packets_in_flight: packets_out − (sacked_out +
// lost_out) + retrans_out.
func (b *scoreboard) inFlight() int { return b.packetsOut() - b.sacked - b.lost + b.retrans }

// add records a new segment sent at now.
func (b *scoreboard) add(start, end int64, now sim.Time) {
	if b.head > 0 && (b.head == len(b.q) || len(b.q) == cap(b.q)) {
		// Reuse the acknowledged prefix rather than grow the buffer: it
		// never holds more than the largest flight.
		n := copy(b.q, b.q[b.head:])
		b.q, b.head = b.q[:n], 0
	}
	b.q = append(b.q, txSeg{start: start, end: end, sent: now})
}

// find returns the index in live() of the segment holding seq, or -1.
func (b *scoreboard) find(seq int64) int {
	l := b.live()
	lo, hi := 0, len(l)
	for lo < hi {
		m := (lo + hi) / 2
		if l[m].end <= seq {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(l) && l[lo].start <= seq {
		return lo
	}
	return -1
}

// ackResult is what a cumulative or selective acknowledgement did to the
// scoreboard.
type ackResult struct {
	delivered   int      // segments newly acknowledged or SACKed (tcp_newly_delivered)
	firstSent   sim.Time // earliest transmission among newly acked, never-retransmitted segments (seq RTT), or -1
	lastSent    sim.Time // latest transmission among newly delivered, never-retransmitted segments (ca_rtt), or -1
	origAcked   bool     // data never retransmitted was newly delivered (FLAG_ORIG_SACK_ACKED)
	retxAcked   bool     // a retransmitted segment was newly delivered
	newlySACKed int
	rackSent    sim.Time // transmission time and end of the most recently sent
	rackEnd     int64    // segment newly delivered (RACK's candidate), rackSent -1 if none
	rackRetx    bool
}

func newAckResult() ackResult {
	return ackResult{firstSent: -1, lastSent: -1, rackSent: -1}
}

// deliver accounts for one segment newly acknowledged or SACKed.
func (r *ackResult) deliver(s *txSeg, cumulative bool) {
	r.delivered++
	if !s.retx {
		r.origAcked = true
		if cumulative && (r.firstSent < 0 || s.sent < r.firstSent) {
			r.firstSent = s.sent
		}
		if s.sent > r.lastSent {
			r.lastSent = s.sent
		}
	} else {
		r.retxAcked = true
	}
	if r.rackSent < 0 || sentAfter(s.sent, s.end, r.rackSent, r.rackEnd) {
		r.rackSent, r.rackEnd, r.rackRetx = s.sent, s.end, s.retx
	}
}

// sentAfter is tcp_rack_sent_after: was (t1, seq1) sent after (t2, seq2)?
func sentAfter(t1 sim.Time, seq1 int64, t2 sim.Time, seq2 int64) bool {
	return t1 > t2 || t1 == t2 && seq1 > seq2
}

// ackTo removes every segment that ends at or before ack; a segment ack
// falls inside keeps its remainder (tcp_trim_head).
func (b *scoreboard) ackTo(ack int64, r *ackResult) {
	for b.head < len(b.q) {
		s := &b.q[b.head]
		if s.end > ack {
			if s.start < ack {
				s.start = ack
			}
			return
		}
		if !s.sacked {
			r.deliver(s, true)
		} else {
			b.sacked--
		}
		b.unmark(s)
		b.head++
	}
}

// unmark clears the lost and retransmitted marks of s from the counters.
func (b *scoreboard) unmark(s *txSeg) {
	if s.lost {
		b.lost--
		s.lost = false
	}
	if s.retxOut {
		b.retrans--
		s.retxOut = false
	}
}

// sack marks the segments wholly inside [start, end) as SACKed.
func (b *scoreboard) sack(start, end int64, r *ackResult) {
	i := b.find(start)
	if i < 0 {
		// start may fall before the first live segment or in a gap.
		l := b.live()
		i = 0
		for i < len(l) && l[i].end <= start {
			i++
		}
	}
	l := b.live()
	for ; i < len(l) && l[i].start < end; i++ {
		s := &l[i]
		if s.sacked || s.start < start || s.end > end {
			continue
		}
		s.sacked = true
		b.sacked++
		b.unmark(s)
		r.newlySACKed++
		r.deliver(s, false)
	}
}

// markLost marks s lost (tcp_mark_skb_lost): a retransmission in flight
// is lost with it.
func (b *scoreboard) markLost(s *txSeg) {
	if s.retxOut {
		s.retxOut = false
		b.retrans--
	}
	if !s.lost {
		s.lost = true
		b.lost++
	}
}

// retransmitted records that s was sent again at now.
func (b *scoreboard) retransmitted(s *txSeg, now sim.Time) {
	s.sent, s.retx = now, true
	if !s.retxOut {
		s.retxOut = true
		b.retrans++
	}
}

// truncate forgets every segment from seq on: a go-back-N sender will
// send them again as new segments.
func (b *scoreboard) truncate(seq int64) {
	l := b.live()
	i := len(l)
	for i > 0 && l[i-1].start >= seq {
		i--
		b.unmarkAll(&l[i])
	}
	b.q = b.q[:b.head+i]
}

func (b *scoreboard) unmarkAll(s *txSeg) {
	if s.sacked {
		b.sacked--
		s.sacked = false
	}
	b.unmark(s)
}

// clearLost unmarks every lost segment (an undo: the loss was spurious).
func (b *scoreboard) clearLost() {
	l := b.live()
	for i := range l {
		if l[i].lost {
			l[i].lost = false
			b.lost--
		}
	}
}

// reset empties the scoreboard.
func (b *scoreboard) reset() {
	b.q, b.head = b.q[:0], 0
	b.sacked, b.lost, b.retrans = 0, 0, 0
}
