package quic

import (
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// TestHyStartUsesAdjustedRTT: quic-go's MaybeExitSlowStart passes
// rttStats.LatestRTT() to HybridSlowStart (cubic_sender.go), and
// RTTStats.UpdateRTT stores in latestRTT the sample *after* subtracting
// the ACK delay (rtt_stats.go: "sample -= ackDelay ...
// r.latestRTT.Store(sample)"). A round whose ACKs were each delayed 20 ms
// by the peer, with an unchanged path RTT of 100 ms, does not end slow
// start in quic-go, nor here: Recovery.OnAck hands HyStart RTT.Adjusted.
func TestHyStartUsesAdjustedRTT(t *testing.T) {
	const mds = 1280
	r := NewRecovery(true, mds, 25*ms)
	r.CC.Window = 32 * mds
	r.CC.HyStart = &HyStart{}
	r.Confirmed = true
	send := func(pn uint64, at sim.Time) {
		r.OnSent(ApplicationData, Sent{Number: pn, Time: at, Bytes: mds, AckEliciting: true, InFlight: true})
	}
	ack := func(pn uint64, at, delay sim.Time) {
		r.OnAck(ApplicationData, []AckRange{{Largest: pn, Smallest: 0}}, delay, at, false)
	}
	send(0, 0)
	ack(0, 100*ms, 0) // the first sample: min_rtt 100 ms
	for pn := uint64(1); pn <= 12; pn++ {
		send(pn, 100*ms)
	}
	// Each ACK 120 ms after its packet, 20 ms of it the peer's ACK delay:
	// the path's RTT is still 100 ms.
	for pn := uint64(1); pn <= 12; pn++ {
		ack(pn, 220*ms, 20*ms)
	}
	t.Logf("latest %v (adjusted smoothed %v), min %v, ssthresh %d, window %d", r.RTT.Latest, r.RTT.Smoothed, r.RTT.Min, r.CC.SSThresh, r.CC.Window)
	if r.CC.SSThresh != int(^uint(0)>>1) {
		t.Fatalf("slow start ended (ssthresh %d) on ACK delay alone: quic-go's HyStart sees the ack-delay-adjusted 100 ms", r.CC.SSThresh)
	}
}

// TestHyStartSurvivesPersistentCongestion: quic-go v0.65.0 never
// calls cubicSender.OnRetransmissionTimeout (grep: its only callers are
// mocks) and has no persistent-congestion response, so a HybridSlowStart
// that found a delay increase keeps hystartFound for the connection's
// life, even when the model is asked for the RFC's persistent-congestion
// response (the rfc9002 profile, which has no HyStart anyway).
func TestHyStartSurvivesPersistentCongestion(t *testing.T) {
	c := NewNewReno(1280)
	c.HyStart = &HyStart{}
	for range 8 {
		c.HyStart.ShouldExit(150*ms, 100*ms, 40)
	}
	if !c.HyStart.found {
		t.Fatal("setup: no delay increase found")
	}
	c.OnLost([]Sent{{Number: 1, Time: 0, Bytes: 1280, AckEliciting: true, InFlight: true}}, 5*sim.Second, true)
	if !c.HyStart.found {
		t.Fatal("persistent congestion cleared HyStart's finding; quic-go v0.65.0 never restarts it")
	}
}
