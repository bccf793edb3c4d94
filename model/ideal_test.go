package model_test

import (
	"math/big"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// slowStartLatency is the Kurose & Ross slow-start latency model
// (Kurose & Ross, "Computer Networking: A Top-Down Approach", §3.7
// "Modeling TCP latency" / Problem P3.x of the later editions), generalised
// from an initial window of one segment to W segments:
//
//	Latency = 2·RTT + O/R + Σ_{k=1}^{K−1} [S/R + RTT − W·2^{k−1}·S/R]⁺
//
// where window k carries W·2^{k−1} segments and K is the number of windows
// that cover the object (the smallest K with W·(2^K − 1) ≥ ⌈O/S⌉).
// It is computed in exact rationals and returned in nanoseconds, rounded up.
func slowStartLatency(O, S int, R model.Rate, rtt sim.Time, W int) sim.Time {
	sec := func(bits int64) *big.Rat { return new(big.Rat).SetFrac64(bits, int64(R)) }
	lat := new(big.Rat).SetFrac64(2*int64(rtt), 1e9)
	lat.Add(lat, sec(8*int64(O)))
	segs := (O + S - 1) / S
	K := 0
	for covered := 0; covered < segs; K++ {
		covered += W << K
	}
	sr := sec(8 * int64(S))
	rttS := new(big.Rat).SetFrac64(int64(rtt), 1e9)
	for k := 1; k <= K-1; k++ {
		stall := new(big.Rat).Add(sr, rttS)
		stall.Sub(stall, new(big.Rat).Mul(sr, new(big.Rat).SetInt64(int64(W)<<(k-1))))
		if stall.Sign() > 0 {
			lat.Add(lat, stall)
		}
	}
	ns := new(big.Rat).Mul(lat, new(big.Rat).SetInt64(1e9))
	q := new(big.Int).Quo(ns.Num(), ns.Denom())
	if new(big.Rat).SetInt(q).Cmp(ns) < 0 {
		q.Add(q, big.NewInt(1))
	}
	return sim.Time(q.Int64())
}

// TestIdealSlowStartLatency fetches one object over a fresh connection in
// ideal mode and compares the time from SYN to last byte with the
// textbook's model.
func TestIdealSlowStartLatency(t *testing.T) {
	for _, tc := range []struct {
		name string
		O, S int
		R    model.Rate
		rtt  sim.Time
		W    int
		want sim.Time // hand-checked value of the formula, 0 to skip
		tol  sim.Time // rounding: at most 1 ns per window when S/R is not whole
	}{
		// 10 segments, W = 1: windows 1, 2, 4, 8; stalls 100, 98.832 and
		// 96.496 ms; 200 + 11.68 + 295.328 = 507.008 ms.
		{"K&R 10 segments W=1", 10 * 1460, 1460, 10 * model.Mbps, 100 * sim.Millisecond, 1, 507008 * sim.Microsecond, 0},
		{"partial last segment", 100_000, 1460, 1 * model.Mbps, 20 * sim.Millisecond, 1, 0, 0},
		{"W=4 large object", 1_000_000, 1460, 100 * model.Mbps, 100 * sim.Millisecond, 4, 0, 0},
		{"W=10 fits in first window", 14_000, 1460, 10 * model.Mbps, 100 * sim.Millisecond, 10, 200*sim.Millisecond + 11_200*sim.Microsecond, 0},
		{"W=2 S=536", 50_000, 536, 2 * model.Mbps, 60 * sim.Millisecond, 2, 0, 0},
		{"rate not a divisor", 30_000, 1000, 3 * model.Mbps, 40 * sim.Millisecond, 1, 0, 6},
		{"no stalls: S/R exceeds RTT", 20 * 1460, 1460, 64 * model.Kbps, 100 * sim.Millisecond, 1, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := model.IdealTCP()
			cfg.MSS, cfg.InitialWindow = tc.S, tc.W
			model := slowStartLatency(tc.O, tc.S, tc.R, tc.rtt, tc.W)
			if tc.want != 0 && model != tc.want {
				t.Fatalf("formula gives %v, hand computation %v", model, tc.want)
			}
			got := fetch(t, 1, ideal(tc.rtt, tc.R), cfg, 1, tc.O).done
			if d := got - model; d > tc.tol || d < -tc.tol {
				t.Errorf("simulated %v, K&R model %v (diff %v)", got, model, d)
			}
		})
	}
}

// TestIdealUnlimitedWindow: with no slow start the textbook's response
// time for one object is 2·RTT + O/R (Kurose & Ross §2.2.2).
func TestIdealUnlimitedWindow(t *testing.T) {
	for _, tc := range []struct {
		O    int
		R    model.Rate
		rtt  sim.Time
		want sim.Time
	}{
		{100_000, 10 * model.Mbps, 100 * sim.Millisecond, 280 * sim.Millisecond},   // 200 + 80 ms
		{1_000_000, 100 * model.Mbps, 20 * sim.Millisecond, 120 * sim.Millisecond}, // 40 + 80 ms
		{1, 1 * model.Gbps, 10 * sim.Millisecond, 20*sim.Millisecond + 8},          // 8 ns for 8 bits
	} {
		cfg := model.IdealTCP()
		cfg.InitialWindow = model.Unlimited
		got := fetch(t, 1, ideal(tc.rtt, tc.R), cfg, 1, tc.O).done
		if got != tc.want {
			t.Errorf("O=%d R=%v RTT=%v: got %v, want 2·RTT + O/R = %v", tc.O, tc.R, tc.rtt, got, tc.want)
		}
	}
}

// TestIdealHandshakeIsOneRTT: SYN out, SYN-ACK back, one RTT; the request
// leaves with the final ACK at that instant.
func TestIdealHandshakeIsOneRTT(t *testing.T) {
	rtt := 100 * sim.Millisecond
	res := fetch(t, 1, ideal(rtt, 10*model.Mbps), model.IdealTCP(), 1, 1000)
	var synSent, synAckArrived, reqSent sim.Time = -1, -1, -1
	for _, r := range res.log.Records {
		switch {
		case r.Kind == trace.PacketSent && r.Flags == trace.SYN:
			synSent = r.At
		case r.Kind == trace.PacketArrived && r.Flags == trace.SYN|trace.ACK:
			synAckArrived = r.At
		case r.Kind == trace.PacketSent && r.Label == "GET /" && reqSent < 0:
			reqSent = r.At
		}
	}
	if synSent != 0 || synAckArrived != rtt || reqSent != rtt {
		t.Errorf("SYN sent %v, SYN-ACK back %v, request sent %v; want 0, %v, %v", synSent, synAckArrived, reqSent, rtt, rtt)
	}
}

// TestIdealCwndDoublesPerRTT: in slow start with an ACK per segment the
// window doubles every round trip (RFC 5681 §3.1; Kurose & Ross §3.7).
func TestIdealCwndDoublesPerRTT(t *testing.T) {
	rtt := 100 * sim.Millisecond
	for _, w := range []int{1, 2, 10} {
		cfg := model.IdealTCP()
		cfg.InitialWindow = w
		// A fast link keeps each window's transmission far below one RTT.
		res := fetch(t, 1, ideal(rtt, 1*model.Gbps), cfg, 1, 2_000_000)
		// Window k leaves the server at 1.5·RTT + k·RTT; its ACKs are back
		// one RTT later, so midway through the next round cwnd = W·2^(k+1).
		for k := 0; k < 5; k++ {
			at := 3*rtt + sim.Time(k)*rtt
			want := w << (k + 1) * cfg.MSS
			if got := cwndAt(res.log.Records, 1, trace.Down, at); got != want {
				t.Errorf("W=%d: cwnd at %v = %d, want %d (%d segments)", w, at, got, want, want/cfg.MSS)
			}
		}
	}
}
