package quic

import "github.com/keepalive-sim/keepalive/sim"

// HyStart is quic-go v0.65.0's hybrid slow start
// (internal/congestion/hybrid_slow_start.go, from Chromium's, after
// tcp_cubic.c): slow start ends early when the round trips of a round's
// first packets have grown by more than an eighth of the path's minimum
// (within 4 to 16 ms) over it, that is when a queue has begun to build,
// before any packet is lost. Ported exactly, quirks included: the rounds
// are counted in packet numbers, whatever their space.
type HyStart struct {
	endPN, lastSentPN uint64
	started, found    bool
	currentMin        sim.Time
	samples           int
}

// HyStart's constants (hybrid_slow_start.go).
const (
	hystartLowWindow  = 16 // packets: no exit below this window
	hystartMinSamples = 8  // the first samples of a round give its minimum
	hystartDelayMin   = 4 * sim.Millisecond
	hystartDelayMax   = 16 * sim.Millisecond
)

// OnSent takes the number of an ack-eliciting packet sent.
func (h *HyStart) OnSent(pn uint64) { h.lastSentPN = pn }

// ShouldExit takes an RTT sample (latest, and the path's minimum) with
// the window in packets, and says whether slow start should end.
func (h *HyStart) ShouldExit(latest, minRTT sim.Time, windowPackets int) bool {
	if !h.started {
		// A round starts: it ends when a packet sent after now is acked.
		h.endPN, h.currentMin, h.samples, h.started = h.lastSentPN, 0, 0, true
	}
	if h.found {
		return true
	}
	h.samples++
	if h.samples <= hystartMinSamples && (h.currentMin == 0 || h.currentMin > latest) {
		h.currentMin = latest
	}
	if h.samples == hystartMinSamples {
		// minRTT/8 in whole microseconds, as quic-go computes it.
		threshold := minRTT / sim.Microsecond >> 3 * sim.Microsecond
		threshold = max(min(threshold, hystartDelayMax), hystartDelayMin)
		if h.currentMin > minRTT+threshold {
			h.found = true
		}
	}
	return windowPackets >= hystartLowWindow && h.found
}

// OnAcked takes an acknowledged packet's number in slow start: past the
// round's last packet, the next ACK starts a new round.
func (h *HyStart) OnAcked(pn uint64) {
	if h.endPN < pn {
		h.started = false
	}
}

// Restart forgets what was found, after persistent congestion.
func (h *HyStart) Restart() { h.started, h.found = false, false }
