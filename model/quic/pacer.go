package quic

import "github.com/keepalive-sim/keepalive/sim"

// Pacer spaces a sender's packets out over a round trip instead of
// sending a window's worth at once (RFC 9002 §7.7): quic-go v0.65.0's
// token bucket (internal/congestion/pacer.go), ported exactly. The bucket
// holds at most a burst of 10 datagrams (or 2 ms of the rate, if more),
// fills at the pacing rate, and each packet sent, ACK-only ones too,
// takes its bytes from it.
type Pacer struct {
	// MaxDatagramSize is the datagram size (quic-go: its current one).
	MaxDatagramSize int
	budget          int      // at the last send
	last            sim.Time // the last send
	sent            bool
}

// PacerDatagramSize is the datagram size quic-go's pacer counts its
// burst and its next send in: newPacer fixes it at 1,280 bytes
// (protocol.InitialPacketSize), and only path MTU discovery changes it,
// which the testbed turns off; so with larger datagrams its burst is
// fewer of them (8 of 1,452 bytes).
const PacerDatagramSize = 1280

// The pacer's constants (pacer.go: maxBurstSizePackets, minPacingDelay;
// internal/protocol/params.go: TimerGranularity).
const (
	pacerBurstPackets = 10
	minPacingDelay    = sim.Millisecond
	timerGranularity  = sim.Millisecond
)

// PacingRate is quic-go's pacing rate in bytes per second for a window
// of cwnd bytes over a smoothed RTT (cubic_sender.go: pacingRate): twice
// the window per RTT in slow start, so the rate can double each round
// trip, and 5/4 of it in congestion avoidance, for RTT variations. With
// no RTT sample yet (smoothed 0) it divides by the timer granularity.
func PacingRate(cwnd int, smoothed sim.Time, slowStart, sampled bool) uint64 {
	if !sampled || smoothed <= 0 {
		smoothed = timerGranularity
	}
	// BandwidthFromDelta in bits per second, then back to bytes, with
	// quic-go's integer steps (bandwidth.go).
	bits := uint64(cwnd) * uint64(sim.Second) / uint64(smoothed) * 8
	if slowStart {
		bits *= 2
	} else {
		bits = bits * 5 / 4
	}
	return bits / 8
}

// Budget is how many bytes may be sent at now, at rate bytes per second.
func (p *Pacer) Budget(now sim.Time, rate uint64) int {
	if !p.sent {
		return p.maxBurst(rate)
	}
	b := p.budget
	if d := now - p.last; d > 0 {
		b += p.scaled(d, rate)
	}
	return min(p.maxBurst(rate), b)
}

// Sent takes a packet of size bytes sent at now.
func (p *Pacer) Sent(now sim.Time, size int, rate uint64) {
	b := p.Budget(now, rate)
	p.budget = max(0, b-size)
	p.last, p.sent = now, true
}

// Next is when a datagram of need bytes may be sent, 0 if no send has
// been paced yet: the later of quic-go's TimeUntilSend (when the bucket
// holds MaxDatagramSize, at least 1 ms after the last send; "now" if it
// did then already) and the first instant the bucket holds need. The
// second matters when need is above MaxDatagramSize (larger datagrams
// than the pacer counts in): quic-go's send loop, told to send now, tries
// until the budget suffices, which in real time takes microseconds and
// in a simulation must be an instant of its own, or it would never end.
func (p *Pacer) Next(rate uint64, need int) sim.Time {
	if !p.sent || rate == 0 {
		return 0
	}
	var at sim.Time
	if p.budget < p.MaxDatagramSize {
		at = p.last + max(minPacingDelay, p.until(p.MaxDatagramSize, rate))
	}
	if p.budget < need {
		at = max(at, p.last+p.until(need, rate))
	}
	return at
}

// until is how long after the last send the bucket holds n bytes.
func (p *Pacer) until(n int, rate uint64) sim.Time {
	diff := uint64(sim.Second) * uint64(n-p.budget)
	d := diff / rate
	if diff%rate > 0 {
		d++ // rounded up, as quic-go does: never a budget just short of n
	}
	return sim.Time(d)
}

func (p *Pacer) maxBurst(rate uint64) int {
	return max(p.scaled(minPacingDelay+timerGranularity, rate), pacerBurstPackets*p.MaxDatagramSize)
}

// scaled is the bytes rate allows in d (timeScaledBandwidth).
func (p *Pacer) scaled(d sim.Time, rate uint64) int {
	if rate == 0 {
		return 0
	}
	ns := uint64(d)
	if ns > ^uint64(0)/rate {
		return pacerBurstPackets * p.MaxDatagramSize
	}
	return int(rate * ns / uint64(sim.Second))
}
