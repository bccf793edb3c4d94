package model

import "github.com/keepalive-sim/keepalive/sim"

// rttEstimator is a sender's round-trip estimate and retransmission
// timeout, by one of two rules (TCPConfig.Estimator):
//
//   - RFC 6298 §2: one segment timed per round trip (Karn's rule: never a
//     retransmitted one), SRTT and RTTVAR with gains 1/8 and 1/4, RTO =
//     SRTT + 4·RTTVAR within [MinRTO, MaxRTO].
//   - Linux (net/ipv4/tcp_input.c tcp_rtt_estimator, tcp_set_rto): a
//     sample from every ACK of new data; mdev (four times the mean
//     deviation) with the same gains but rising only slowly when the
//     round trip falls; RTTVAR the largest mdev of the last window and
//     never below MinRTO, so that RTO = SRTT + RTTVAR ≥ SRTT + 200 ms.
//
// It is a value inside Endpoint: no allocation on the hot path.
type rttEstimator struct {
	rule           RTTEstimator
	minRTO, maxRTO sim.Time

	have   bool
	srtt   sim.Time
	rttvar sim.Time // RFC 6298: RTTVAR; Linux: rttvar_us (4·mean deviation, ≥ MinRTO)
	rto    sim.Time // current timeout, backed off by timeouts

	// RFC 6298: the segment being timed.
	timedEnd   int64 // its end sequence number, -1 if none
	timedStart sim.Time

	// Linux: mdev_us and mdev_max_us, and the window (rtt_seq) at the end
	// of which RTTVAR decays towards mdevMax.
	mdev, mdevMax sim.Time
	windowEnd     int64

	// minRTT is the smallest sample seen (Linux tcp_min_rtt, whose 300 s
	// window outlasts any page load); RACK's reordering window uses it.
	minRTT sim.Time
}

func (r *rttEstimator) init(c *TCPConfig) {
	*r = rttEstimator{rule: c.Estimator, minRTO: c.MinRTO, maxRTO: c.MaxRTO, rto: c.InitialRTO, timedEnd: -1}
}

// fromPath starts the estimator as if the round trip R had been measured
// once (RFC 6298 §2.2): SRTT = R, RTTVAR = R/2, RTO = 3R, clamped.
func (r *rttEstimator) fromPath(rtt sim.Time) {
	r.srtt, r.rttvar, r.have = rtt, rtt/2, true
	r.rto = r.clamp(rtoOf(r.srtt, r.rttvar))
}

// linux reports whether the estimator samples every ACK.
func (r *rttEstimator) linux() bool { return r.rule == EstimatorLinux }

// timeSegment starts timing the segment ending at end, sent now, if none
// is being timed (RFC 6298 §3; retransmissions are never timed).
func (r *rttEstimator) timeSegment(end int64, now sim.Time) {
	if r.timedEnd < 0 {
		r.timedEnd, r.timedStart = end, now
	}
}

// cancel stops timing: the timed segment was retransmitted (Karn).
func (r *rttEstimator) cancel() { r.timedEnd = -1 }

// acked takes RFC 6298's sample when ack covers the timed segment.
func (r *rttEstimator) acked(ack int64, now sim.Time) bool {
	if r.timedEnd < 0 || ack < r.timedEnd {
		return false
	}
	r.timedEnd = -1
	r.sampleRFC(now - r.timedStart)
	return true
}

// sampleRFC is RFC 6298 §2.2–2.3 with clock granularity 1 ns.
func (r *rttEstimator) sampleRFC(m sim.Time) {
	r.noteMin(m)
	if !r.have {
		r.srtt, r.rttvar, r.have = m, m/2, true
	} else {
		d := r.srtt - m
		if d < 0 {
			d = -d
		}
		// RTTVAR = (1−β)·RTTVAR + β·|SRTT−R'|, SRTT = (1−α)·SRTT + α·R'
		// with α = 1/8, β = 1/4, written so that no sum can overflow.
		r.rttvar += (d - r.rttvar) / 4
		r.srtt += (m - r.srtt) / 8
	}
	r.rto = r.clamp(rtoOf(r.srtt, r.rttvar))
}

// sampleLinux is tcp_rtt_estimator with one sample m, at an ACK that
// moved snd_una to una while snd_nxt was nxt. Linux keeps SRTT eight
// times and mdev four times scaled; here both are plain nanoseconds and
// the update is the same arithmetic: SRTT += (m − SRTT)/8; mdev moves a
// quarter of the way to |m − SRTT|, but only a 32nd of it when the round
// trip fell (a falling RTT should not raise the timeout); RTTVAR follows
// the window's largest mdev up at once and down by a quarter per window,
// never below MinRTO.
func (r *rttEstimator) sampleLinux(m sim.Time, una, nxt int64) {
	m = max(m, 1)
	r.noteMin(m)
	if !r.have {
		r.srtt, r.mdev, r.have = m, 2*m, true
		r.rttvar = max(r.mdev, r.minRTO)
		r.mdevMax = r.rttvar
		r.windowEnd = nxt
	} else {
		err := m - r.srtt
		r.srtt += err / 8
		if err < 0 {
			err = -err - r.mdev/4
			if err > 0 {
				err /= 8
			}
		} else {
			err -= r.mdev / 4
		}
		r.mdev += err
		if r.mdev > r.mdevMax {
			r.mdevMax = r.mdev
			r.rttvar = max(r.rttvar, r.mdevMax)
		}
		if una > r.windowEnd {
			if r.mdevMax < r.rttvar {
				r.rttvar -= (r.rttvar - r.mdevMax) / 4
			}
			r.windowEnd = nxt
			r.mdevMax = r.minRTO
		}
	}
	r.srtt = max(r.srtt, 1)
	// __tcp_set_rto and tcp_bound_rto: SRTT + RTTVAR, at most TCP_RTO_MAX.
	r.rto = min(r.srtt+r.rttvar, r.maxRTO)
}

func (r *rttEstimator) noteMin(m sim.Time) {
	if r.minRTT == 0 || m < r.minRTT {
		r.minRTT = m
	}
}

// backoff doubles the timeout after it fired (RFC 6298 §5.5), without
// overflowing, up to MaxRTO.
func (r *rttEstimator) backoff() {
	r.rto = min(min(r.rto, sim.Forever/2)*2, r.maxRTO)
}

func (r *rttEstimator) clamp(t sim.Time) sim.Time { return min(max(t, r.minRTO), r.maxRTO) }

// rtoOf is SRTT + max(G, 4·RTTVAR) (RFC 6298 §2.3, clock granularity G
// = 1 ns), saturating at sim.Forever.
func rtoOf(srtt, rttvar sim.Time) sim.Time {
	v := max(sim.Nanosecond, rttvar)
	if v > (sim.Forever-srtt)/4 {
		return sim.Forever
	}
	return srtt + max(sim.Nanosecond, 4*v)
}
