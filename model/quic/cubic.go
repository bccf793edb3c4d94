package quic

import (
	"math"

	"github.com/keepalive-sim/keepalive/sim"
)

// Cubic is quic-go's CUBIC (internal/congestion/cubic.go, Chromium's
// port of RFC 9438's curve in fixed point), for a NewReno controller's
// congestion avoidance and loss response when Congestion is cubic:
// after a loss the window is β = 0.7 of what it was and grows along
// W(t) = C·(t − K)³ + W_max with C = 410/1024 ≈ 0.4 (RFC 9438 §4.1,
// §5.1), never slower than a Reno-friendly estimate (§4.3), and at most
// half the bytes acknowledged per ACK beyond the window.
type Cubic struct {
	epoch              sim.Time
	epochSet           bool
	lastMax            int // W_max, in bytes
	ackedBytes         int
	estimatedTCPWindow int
	originWindow       int
	timeToOrigin       int64 // K, in 1/1024 s
	lastTarget         int
}

// quic-go's constants (cubic.go): the curve's scale (2^40 for 1/1024 s
// cubed), C as 410/1024, and the datagram size the curve counts in, its
// initial 1,280 bytes whatever the path's.
const (
	cubeScale       = 40
	cubeWindowScale = 410
	cubeDatagram    = 1280
	cubeFactor      = 1 << cubeScale / cubeWindowScale / cubeDatagram
	cubicBeta       = 0.7  // RFC 9438 §4.6's β_cubic
	cubicBetaMax    = 0.85 // fast convergence: W_max·(1+β)/2 (RFC 9438 §4.7)
	// alpha is the Reno-friendly region's additive increase for one
	// connection, 3·(1−β)/(1+β) (RFC 9438 §4.3).
	cubicAlpha = 3 * (1 - cubicBeta) / (1 + cubicBeta)
)

// OnApplicationLimited starts a new epoch at the next ACK: the curve's
// time does not run while the sender does not use its window.
func (c *Cubic) OnApplicationLimited() { c.epochSet = false }

// Reset forgets the curve (after persistent congestion).
func (c *Cubic) Reset() { *c = Cubic{} }

// AfterLoss is the window after a loss at window w (RFC 9438 §4.6, with
// §4.7's fast convergence when w is below the last W_max).
func (c *Cubic) AfterLoss(w int) int {
	if w+cubeDatagram < c.lastMax {
		c.lastMax = int(float32(cubicBetaMax) * float32(w))
	} else {
		c.lastMax = w
	}
	c.epochSet = false
	return int(float32(w) * float32(cubicBeta))
}

// AfterAck is the window after acked bytes are acknowledged at now in
// congestion avoidance, from window w; minRTT is the path's minimum RTT,
// by which the curve looks ahead (as quic-go does).
func (c *Cubic) AfterAck(acked, w int, minRTT, now sim.Time) int {
	c.ackedBytes += acked
	if !c.epochSet {
		c.epoch, c.epochSet = now, true
		c.ackedBytes = acked
		c.estimatedTCPWindow = w
		if c.lastMax <= w {
			c.timeToOrigin, c.originWindow = 0, w
		} else {
			c.timeToOrigin = int64(math.Cbrt(float64(cubeFactor * (c.lastMax - w))))
			c.originWindow = c.lastMax
		}
	}
	elapsed := int64((now+minRTT-c.epoch)/sim.Microsecond) << 10 / 1_000_000
	offset := c.timeToOrigin - elapsed
	if offset < 0 {
		offset = -offset
	}
	delta := int(cubeWindowScale * offset * offset * offset * cubeDatagram >> cubeScale)
	target := c.originWindow - delta
	if elapsed > c.timeToOrigin {
		target = c.originWindow + delta
	}
	target = min(target, w+c.ackedBytes/2)
	c.estimatedTCPWindow += int(float32(c.ackedBytes) * float32(cubicAlpha) * float32(cubeDatagram) / float32(c.estimatedTCPWindow))
	c.ackedBytes = 0
	c.lastTarget = target
	return max(target, c.estimatedTCPWindow)
}
