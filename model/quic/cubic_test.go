package quic

import (
	"math"
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// TestCubicCurve checks quic-go's fixed-point CUBIC against RFC 9438's
// curve: a loss at W_max = 100 datagrams leaves β·W_max = 70 (§4.6); the
// window then follows W(t) = C·(t − K)³ + W_max, C = 0.4, with
// K = ∛(W_max·(1 − β)/C) = ∛75 ≈ 4.217 s (§4.2, eq. 2): back at W_max at
// K, and C·K³ = 30 datagrams above it at 2K. Within a datagram: the
// fixed point counts time in 1/1024 s and C as 410/1024.
func TestCubicCurve(t *testing.T) {
	const mss = cubeDatagram
	var c Cubic
	w := c.AfterLoss(100 * mss)
	if w != 70*mss {
		t.Fatalf("after a loss at 100 datagrams: %d bytes, want 70 datagrams (β = 0.7)", w)
	}
	k := math.Cbrt(100 * (1 - cubicBeta) / 0.4)
	at := func(sec float64) sim.Time { return sim.Time(sec * float64(sim.Second)) }
	c.AfterAck(0, w, 0, 0) // the epoch starts
	for _, tc := range []struct {
		t    float64
		want float64 // datagrams, by RFC 9438 eq. 1
	}{
		{k / 2, 0.4*math.Pow(k/2-k, 3) + 100},
		{k, 100},
		{2 * k, 0.4*math.Pow(k, 3) + 100},
	} {
		// A large enough ACK that the per-ACK cap does not bind.
		got := float64(c.AfterAck(1<<20, w, 0, at(tc.t))) / mss
		if math.Abs(got-tc.want) > 1 {
			t.Errorf("at %.3f s: %.2f datagrams, RFC 9438 says %.2f", tc.t, got, tc.want)
		}
	}
}

// TestCubicFastConvergence: a loss below the last W_max lowers W_max to
// (1 + β)/2 of the window (RFC 9438 §4.7).
func TestCubicFastConvergence(t *testing.T) {
	var c Cubic
	c.AfterLoss(100 * cubeDatagram)
	c.AfterLoss(80 * cubeDatagram)
	if want := int(float32(0.85) * 80 * cubeDatagram); c.lastMax != want {
		t.Errorf("W_max after a second loss at 80 datagrams: %d bytes, want %d (0.85 of 80)", c.lastMax, want)
	}
}
