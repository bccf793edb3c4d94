package quic

import (
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// TestHyStart: hybrid slow start (quic-go's hybrid_slow_start.go) ends
// slow start once the first 8 RTT samples of a round all exceed the
// minimum RTT by more than max(4 ms, min(16 ms, minRTT/8)), and not while
// the window is under 16 packets.
func TestHyStart(t *testing.T) {
	const minRTT = 100 * ms // threshold 12.5 ms
	round := func(h *HyStart, latest int64, window int) (exit bool) {
		for range 8 {
			exit = h.ShouldExit(simTime(latest), minRTT, window)
		}
		return exit
	}
	var h HyStart
	h.OnSent(10)
	if round(&h, int64(112*ms), 40) {
		t.Fatal("12 ms over the minimum ends slow start; the threshold is 12.5 ms")
	}
	h.OnAcked(11) // past the round's last packet
	h.OnSent(30)
	if !round(&h, int64(113*ms), 40) {
		t.Fatal("13 ms over the minimum does not end slow start")
	}
	var small HyStart
	if round(&small, int64(150*ms), 15) {
		t.Fatal("slow start ends with a window under 16 packets")
	}
	if !small.ShouldExit(150*ms, minRTT, 16) {
		t.Fatal("once found, slow start does not end at 16 packets")
	}
	// A short path: the threshold is at least 4 ms (10/8 = 1.25 ms).
	var s2 HyStart
	for range 8 {
		s2.ShouldExit(13*ms, 10*ms, 40)
	}
	if s2.found {
		t.Error("3 ms over a 10 ms minimum ends slow start; the floor is 4 ms")
	}
	var s3 HyStart
	for range 8 {
		s3.ShouldExit(15*ms, 10*ms, 40)
	}
	if !s3.found {
		t.Error("5 ms over a 10 ms minimum does not end slow start")
	}
}

func simTime(ns int64) sim.Time { return sim.Time(ns) }
