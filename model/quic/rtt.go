package quic

import "github.com/keepalive-sim/keepalive/sim"

// RTT is an endpoint's RTT estimator (RFC 9002 §5): the latest sample,
// the minimum, and the smoothed RTT and its variation.
type RTT struct {
	Latest, Min, Smoothed, Var sim.Time
	// Adjusted is the latest sample less its ACK delay where §5.3 allows
	// it (never below min_rtt): what quic-go keeps as its latest RTT
	// (rtt_stats.go, UpdateRTT) and gives hybrid slow start.
	Adjusted sim.Time
	// Sampled is whether a sample has been taken; before it, Smoothed and
	// Var hold the initial RTT and half of it (§5.3).
	Sampled bool
}

// NewRTT is an estimator before any sample: initial is kInitialRtt, or a
// resumed connection's earlier smoothed RTT (RFC 9002 §6.2.2).
func NewRTT(initial sim.Time) RTT { return RTT{Smoothed: initial, Var: initial / 2} }

// Update takes a sample: latest is the time from sending the largest
// newly acknowledged packet to the acknowledgment, ackDelay the ACK
// frame's acknowledgment delay, maxAckDelay the peer's max_ack_delay,
// confirmed whether the handshake is confirmed (RFC 9002 §5.3).
//
// rttvar is updated with the smoothed RTT before this sample, as RFC
// 9002 Appendix A.7 and RFC 6298 §2.3 do: §5.3's text had the two lines
// the other way round, which erratum 7539 corrects. The fractions are
// computed in integer nanoseconds, truncated.
func (r *RTT) Update(latest, ackDelay, maxAckDelay sim.Time, confirmed bool) {
	r.Latest = latest
	if !r.Sampled {
		// The first sample resets the estimator (§5.3) and sets min_rtt
		// (§5.2).
		r.Sampled, r.Min, r.Smoothed, r.Var, r.Adjusted = true, latest, latest, latest/2, latest
		return
	}
	r.Min = min(r.Min, latest) // §5.2: min_rtt before the ack delay
	if confirmed {
		ackDelay = min(ackDelay, maxAckDelay)
	}
	adjusted := latest
	if latest >= r.Min+ackDelay {
		adjusted = latest - ackDelay // never below min_rtt (§5.3)
	}
	r.Adjusted = adjusted
	diff := r.Smoothed - adjusted
	if diff < 0 {
		diff = -diff
	}
	r.Var = (3*r.Var + diff) / 4
	r.Smoothed = (7*r.Smoothed + adjusted) / 8
}

// PTO is the probe timeout period before backoff: smoothed_rtt +
// max(4·rttvar, kGranularity) + max_ack_delay, the ack delay counted only
// in the application data space (RFC 9002 §6.2.1), then doubled for each
// of ptoCount timeouts in a row (§6.2.1: "the PTO period being set to
// twice its current value").
func (r *RTT) PTO(maxAckDelay sim.Time, applicationData bool, ptoCount int) sim.Time {
	pto := r.Smoothed + max(4*r.Var, Granularity)
	if applicationData {
		pto += maxAckDelay
	}
	return max(pto, Granularity) << ptoCount
}

// LossDelay is how long after sending a packet it is declared lost once
// a later one is acknowledged: max(kTimeThreshold · max(smoothed_rtt,
// latest_rtt), kGranularity) (RFC 9002 §6.1.2).
func (r *RTT) LossDelay() sim.Time {
	return max(max(r.Smoothed, r.Latest)*TimeThresholdNum/TimeThresholdDen, Granularity)
}

// PersistentCongestionDuration is how long a run of lost packets must
// span to be persistent congestion: (smoothed_rtt + max(4·rttvar,
// kGranularity) + max_ack_delay) · kPersistentCongestionThreshold, the
// ack delay counted whatever the space (RFC 9002 §7.6.1).
func (r *RTT) PersistentCongestionDuration(maxAckDelay sim.Time) sim.Time {
	return (r.Smoothed + max(4*r.Var, Granularity) + maxAckDelay) * PersistentCongestionThreshold
}
