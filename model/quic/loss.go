package quic

import "github.com/keepalive-sim/keepalive/sim"

// Sent is a packet sent and neither acknowledged nor declared lost yet,
// as loss detection keeps it (RFC 9002 A.1.1).
type Sent struct {
	Number       uint64   // its packet number in its space
	Time         sim.Time // when it was sent
	Bytes        int      // its size: the QUIC packet, without IP and UDP
	AckEliciting bool     // it carries a frame other than ACK, PADDING or CONNECTION_CLOSE
	InFlight     bool     // it counts in bytes in flight (ack-eliciting or PADDING)
}

// DetectLost is RFC 9002 A.10's DetectAndRemoveLostPackets for one
// packet number space: of the packets unacked (in the order sent), those
// sent before largestAcked that are kPacketThreshold packets older than
// it or were sent at least the loss delay before now are lost; the rest
// are kept, and lossTime is when the earliest kept packet sent before
// largestAcked will be, 0 and false if none (the time-threshold timer).
//
// The packet threshold counts packet numbers, so it assumes the sender
// left no gaps in them (A.10's note).
func DetectLost(unacked []Sent, largestAcked uint64, now sim.Time, rtt *RTT) (lost, kept []Sent, lossTime sim.Time, timer bool) {
	delay := rtt.LossDelay()
	lostBefore := now - delay // packets sent at or before it are lost
	for _, p := range unacked {
		switch {
		case p.Number > largestAcked:
			kept = append(kept, p)
		case p.Time <= lostBefore || largestAcked >= p.Number+PacketThreshold:
			lost = append(lost, p)
		default:
			kept = append(kept, p)
			if at := p.Time + delay; !timer || at < lossTime {
				lossTime, timer = at, true
			}
		}
	}
	return lost, kept, lossTime, timer
}

// Fate is what became of a packet, for persistent congestion: when it
// was sent, whether it was ack-eliciting, and whether it has been
// acknowledged or declared lost (neither: still in flight).
type Fate struct {
	Time         sim.Time
	AckEliciting bool
	Acked, Lost  bool
}

// PersistentCongestion is RFC 9002 §7.6.2: whether, among packets (every
// packet of the connection in the order sent, across packet number
// spaces), two ack-eliciting packets declared lost and both sent after
// the first RTT sample (taken at firstSample) span more than duration
// (RTT.PersistentCongestionDuration) with no packet sent between them
// acknowledged. A packet still in flight between them does not break the
// run: it is not acknowledged.
func PersistentCongestion(packets []Fate, firstSample, duration sim.Time) bool {
	start, running := sim.Time(0), false
	for _, p := range packets {
		switch {
		case p.Acked:
			running = false // an acknowledgment between ends the run
		case p.Lost && p.AckEliciting && p.Time > firstSample:
			if !running {
				start, running = p.Time, true
			} else if p.Time-start > duration {
				return true
			}
		}
	}
	return false
}
