package quic

import (
	"math"
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

const ms = sim.Millisecond

// TestWindowsAndLimits: RFC 9002 §7.2's initial window, min(10·mds,
// max(14,720, 2·mds)), and minimum window 2·mds over the sizes QUIC
// allows (1,200 to 1,472 bytes on Ethernet); RFC 9000 §8.1's three
// times what the server received; §14.1's 1,200-byte Initial datagrams.
func TestWindowsAndLimits(t *testing.T) {
	for _, tc := range []struct{ mds, initial, minimum int }{
		{1200, 12000, 2400}, // 10 datagrams, under 14,720
		{1252, 12520, 2504},
		{1472, 14720, 2944},  // exactly the byte limit
		{1500, 14720, 3000},  // the byte limit binds
		{9000, 18000, 18000}, // jumbo: two datagrams bind
	} {
		if got := InitialWindow(tc.mds); got != tc.initial {
			t.Errorf("InitialWindow(%d) = %d, want %d", tc.mds, got, tc.initial)
		}
		if got := MinimumWindow(tc.mds); got != tc.minimum {
			t.Errorf("MinimumWindow(%d) = %d, want %d", tc.mds, got, tc.minimum)
		}
	}
	for _, tc := range []struct{ received, sent, budget int }{{1200, 0, 3600}, {1200, 3600, 0}, {1200, 5000, 0}, {2400, 3600, 3600}} {
		if got := AmplificationBudget(tc.received, tc.sent); got != tc.budget {
			t.Errorf("AmplificationBudget(%d, %d) = %d, want %d", tc.received, tc.sent, got, tc.budget)
		}
	}
	if PaddedInitial(300) != 1200 || PaddedInitial(1350) != 1350 {
		t.Errorf("PaddedInitial: %d, %d", PaddedInitial(300), PaddedInitial(1350))
	}
}

// TestRTTEstimator: RFC 9002 §5.3 in integer nanoseconds, with erratum
// 7539's order (rttvar from the smoothed RTT before the sample).
func TestRTTEstimator(t *testing.T) {
	r := NewRTT(InitialRTT)
	// §6.2.2: "handshakes starting with a PTO of 1 second": 333 ms +
	// 4 · 166.5 ms, no ack delay in the Initial space.
	if got := r.PTO(DefaultMaxAckDelay, false, 0); got != 999*ms {
		t.Errorf("the first PTO %v, want 999ms", got)
	}
	if got := r.PTO(DefaultMaxAckDelay, false, 2); got != 4*999*ms {
		t.Errorf("after two timeouts %v, want 3.996s (doubled twice)", got)
	}
	r.Update(100*ms, 7*ms, DefaultMaxAckDelay, false) // the first sample: no ack delay
	if r.Smoothed != 100*ms || r.Var != 50*ms || r.Min != 100*ms || !r.Sampled {
		t.Fatalf("after the first sample: %+v", r)
	}
	// 120 ms, 10 ms of ack delay: adjusted 110 ms; rttvar (3·50 + |100 −
	// 110|)/4 = 40 ms (39.6875 ms in §5.3's uncorrected order); smoothed
	// (7·100 + 110)/8 = 101.25 ms.
	r.Update(120*ms, 10*ms, DefaultMaxAckDelay, true)
	if r.Var != 40*ms || r.Smoothed != 101250*sim.Microsecond {
		t.Errorf("after 120ms with 10ms of ack delay: rttvar %v, smoothed %v; want 40ms, 101.25ms", r.Var, r.Smoothed)
	}
	// Once confirmed, the ack delay is at most max_ack_delay: 130 − 25.
	s := r
	s.Update(130*ms, 50*ms, DefaultMaxAckDelay, true)
	if want := (7*101250*sim.Microsecond + 105*ms) / 8; s.Smoothed != want {
		t.Errorf("ack delay above max_ack_delay: smoothed %v, want %v", s.Smoothed, want)
	}
	// Before confirmation it is not capped: 130 − 30 = 100.
	s = r
	s.Update(130*ms, 30*ms, DefaultMaxAckDelay, false)
	if want := (7*101250*sim.Microsecond + 100*ms) / 8; s.Smoothed != want {
		t.Errorf("before confirmation: smoothed %v, want %v", s.Smoothed, want)
	}
	// Never below min_rtt: 105 − 10 would be 95 < 100, so 105.
	s = r
	s.Update(105*ms, 10*ms, DefaultMaxAckDelay, true)
	if want := (7*101250*sim.Microsecond + 105*ms) / 8; s.Smoothed != want {
		t.Errorf("an adjustment below min_rtt: smoothed %v, want %v", s.Smoothed, want)
	}
	// A lower sample lowers min_rtt.
	s.Update(90*ms, 0, DefaultMaxAckDelay, true)
	if s.Min != 90*ms {
		t.Errorf("min_rtt %v after a 90ms sample", s.Min)
	}
}

// TestTimers: §6.1.2's loss delay and §6.2.1's PTO and §7.6.1's
// persistent congestion duration, with kGranularity as their floor.
func TestTimers(t *testing.T) {
	r := RTT{Latest: 120 * ms, Min: 100 * ms, Smoothed: 100 * ms, Var: 40 * ms, Sampled: true}
	if got := r.LossDelay(); got != 135*ms { // 9/8 · max(100, 120)
		t.Errorf("loss delay %v, want 135ms", got)
	}
	if got := r.PTO(DefaultMaxAckDelay, true, 0); got != 285*ms { // 100 + 4·40 + 25
		t.Errorf("PTO %v, want 285ms", got)
	}
	if got := r.PTO(DefaultMaxAckDelay, false, 1); got != 520*ms { // (100 + 160)·2, no ack delay
		t.Errorf("handshake PTO after a timeout %v, want 520ms", got)
	}
	if got := r.PersistentCongestionDuration(DefaultMaxAckDelay); got != 855*ms { // 285 · 3
		t.Errorf("persistent congestion duration %v, want 855ms", got)
	}
	tiny := RTT{Latest: 200 * sim.Microsecond, Smoothed: 200 * sim.Microsecond, Var: 10 * sim.Microsecond, Sampled: true}
	if tiny.LossDelay() != Granularity || tiny.PTO(0, false, 0) != 200*sim.Microsecond+Granularity {
		t.Errorf("on a 200µs path: loss delay %v, PTO %v; want 1ms and 1.2ms", tiny.LossDelay(), tiny.PTO(0, false, 0))
	}
}

// TestDetectLost: A.10 on packets 1–6 sent 10 ms apart, 5 acknowledged,
// a 100 ms RTT (loss delay 112.5 ms): 1 and 2 are kPacketThreshold
// older than 5; 3 and 4 are not, and wait for the time threshold; 6 is
// after 5 and untouched. Later, the time threshold takes 3 and 4.
func TestDetectLost(t *testing.T) {
	r := RTT{Latest: 100 * ms, Smoothed: 100 * ms, Var: 50 * ms, Min: 100 * ms, Sampled: true}
	var unacked []Sent
	for n := uint64(1); n <= 6; n++ {
		if n != 5 {
			unacked = append(unacked, Sent{Number: n, Time: sim.Time(n-1) * 10 * ms, Bytes: 1200, AckEliciting: true, InFlight: true})
		}
	}
	lost, kept, at, timer := DetectLost(unacked, 5, 60*ms, &r)
	if numbers(lost) != "1 2" || numbers(kept) != "3 4 6" || !timer || at != 20*ms+112500*sim.Microsecond {
		t.Errorf("at 60ms: lost %s, kept %s, timer %v at %v; want 1 2, 3 4 6, at 132.5ms", numbers(lost), numbers(kept), timer, at)
	}
	lost, kept, _, timer = DetectLost(kept, 5, at, &r)
	if numbers(lost) != "3" || numbers(kept) != "4 6" || !timer {
		t.Errorf("at 132.5ms: lost %s, kept %s (timer %v); want 3, then 4 and 6", numbers(lost), numbers(kept), timer)
	}
	lost, kept, _, timer = DetectLost(kept, 5, 200*ms, &r)
	if numbers(lost) != "4" || numbers(kept) != "6" || timer {
		t.Errorf("at 200ms: lost %s, kept %s (timer %v); want 4, then 6 and no timer", numbers(lost), numbers(kept), timer)
	}
}

func numbers(ps []Sent) string {
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		s += string(rune('0' + p.Number))
	}
	return s
}

// TestPersistentCongestion: RFC 9002 §7.6.3's example, shifted to start
// at 10 s (a duration of 2 · 3 = 6 s; packet 1 at t=0 acknowledged, 2–8
// lost from t=1 to t=8, 9 acknowledged): 8 − 1 = 7 > 6 is persistent
// congestion when an RTT sample came before packet 2. When the ack of 1
// is the first sample (t=1.2), packet 2 does not count (§7.6.2: "a
// prior RTT sample existed when these two packets were sent") and 3–8
// span exactly 6: not more. An acknowledgment inside the run breaks it.
func TestPersistentCongestion(t *testing.T) {
	base := 10 * sim.Second
	at := func(s float64) sim.Time { return base + sim.Time(s*float64(sim.Second)) }
	example := []Fate{{Time: at(0), AckEliciting: true, Acked: true}}
	for _, s := range []float64{1, 2, 3, 4, 5, 6, 8} {
		example = append(example, Fate{Time: at(s), AckEliciting: true, Lost: true})
	}
	example = append(example, Fate{Time: at(12), AckEliciting: true, Acked: true})
	if !PersistentCongestion(example, 5*sim.Second, 6*sim.Second) {
		t.Error("§7.6.3's example is not persistent congestion")
	}
	if PersistentCongestion(example, at(1.2), 6*sim.Second) {
		t.Error("with the first RTT sample at t=1.2, packets 3–8 span 6 s, not more than 6 s")
	}
	broken := append([]Fate{}, example...)
	broken[4] = Fate{Time: at(4), AckEliciting: true, Acked: true} // packet 5 acknowledged
	if PersistentCongestion(broken, 5*sim.Second, 6*sim.Second) {
		t.Error("an acknowledged packet inside the run still makes persistent congestion")
	}
	nonEliciting := append([]Fate{}, example...)
	nonEliciting[7].AckEliciting = false // packet 8: ACK-only
	if PersistentCongestion(nonEliciting, 5*sim.Second, 6*sim.Second) {
		t.Error("an ACK-only packet counted as the run's last")
	}
}

// TestNewReno: RFC 9002 Appendix B's controller: slow start by bytes
// acknowledged, one reduction per recovery period, growth of a datagram
// per window in congestion avoidance, the minimum window, and
// persistent congestion's return to slow start.
func TestNewReno(t *testing.T) {
	c := NewNewReno(1200)
	if c.Window != 12000 || c.SSThresh != math.MaxInt || c.Recovering {
		t.Fatalf("a new controller: %+v", c)
	}
	pkt := func(n uint64, sent sim.Time) Sent {
		return Sent{Number: n, Time: sent, Bytes: 1200, AckEliciting: true, InFlight: true}
	}
	for n := uint64(0); n < 10; n++ {
		c.OnSent(pkt(n, 0))
	}
	if c.InFlight != 12000 || c.CanSend(1) {
		t.Errorf("ten datagrams sent: in flight %d, may send more: %v", c.InFlight, c.CanSend(1))
	}
	c.OnAcked(pkt(0, 0), false) // slow start: + its bytes
	if c.Window != 13200 || c.InFlight != 10800 {
		t.Errorf("after an ack in slow start: window %d, in flight %d; want 13200, 10800", c.Window, c.InFlight)
	}
	c.OnAcked(pkt(1, 0), true) // application limited: no growth
	if c.Window != 13200 || c.InFlight != 9600 {
		t.Errorf("an ack while application limited: window %d, in flight %d", c.Window, c.InFlight)
	}
	c.OnLost([]Sent{pkt(2, 0), pkt(3, 0)}, 100*ms, false) // a loss: half
	if c.SSThresh != 6600 || c.Window != 6600 || !c.Recovering || c.RecoveryStart != 100*ms || c.InFlight != 7200 {
		t.Errorf("after a loss: %+v", c)
	}
	c.OnLost([]Sent{pkt(4, 0)}, 110*ms, false) // sent before the period: no second reduction
	c.OnAcked(pkt(5, 0), false)                // sent before it: no growth
	if c.Window != 6600 || c.RecoveryStart != 100*ms {
		t.Errorf("inside the recovery period: window %d, start %v", c.Window, c.RecoveryStart)
	}
	// Congestion avoidance: 6,600 bytes acknowledged of packets sent
	// after the period began grow the window by one datagram.
	for n := uint64(20); n < 26; n++ {
		c.OnSent(pkt(n, 150*ms))
		if c.OnAcked(pkt(n, 150*ms), false); n < 25 && c.Window != 6600 {
			t.Fatalf("window %d after %d bytes in congestion avoidance", c.Window, (n-19)*1200)
		}
	}
	if c.Window != 7800 {
		t.Errorf("after a window acknowledged in congestion avoidance: %d, want 7800", c.Window)
	}
	// A loss of a packet sent after the period began: a new one; the
	// window never goes below two datagrams.
	c.Window = 3000
	c.OnLost([]Sent{pkt(30, 200*ms)}, 300*ms, false)
	if c.SSThresh != 1500 || c.Window != 2400 {
		t.Errorf("a loss at a 3000-byte window: ssthresh %d, window %d; want 1500, 2400", c.SSThresh, c.Window)
	}
	// Persistent congestion: the minimum window and no recovery period,
	// so that a packet sent before it, acknowledged after, grows the
	// window again (in slow start, below a threshold of 10,000 bytes).
	c.Window = 20000
	c.OnLost([]Sent{pkt(31, 400*ms)}, 500*ms, true)
	if c.Window != 2400 || c.Recovering {
		t.Errorf("persistent congestion: window %d, recovering %v", c.Window, c.Recovering)
	}
	c.SSThresh = 10000
	c.OnAcked(pkt(32, 450*ms), false) // sent before 500 ms, but no period now
	if c.Window != 3600 {
		t.Errorf("after persistent congestion an ack grows the window in slow start: %d, want 3600", c.Window)
	}
}
