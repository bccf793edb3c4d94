package quic

import (
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

const us = sim.Microsecond

// data is an ack-eliciting 1,200-byte packet n sent at at milliseconds.
func data(n uint64, at int) Sent {
	return Sent{Number: n, Time: sim.Time(at) * ms, Bytes: 1200, AckEliciting: true, InFlight: true}
}

// TestRecoveryAckAndLoss: ten packets sent at once over a confirmed
// connection; an ACK of 0-5 at 100 ms is the first RTT sample and grows
// the window in slow start; an ACK of 9 at 110 ms shows 6 lost by the
// packet threshold and leaves 7 and 8 to the time threshold, 9/8 of the
// latest RTT after they were sent; the loss halves the window once.
func TestRecoveryAckAndLoss(t *testing.T) {
	r := NewRecovery(false, 1200, DefaultMaxAckDelay)
	r.Confirmed = true
	for n := uint64(0); n < 10; n++ {
		r.OnSent(ApplicationData, data(n, 0))
	}
	acked, lost := r.OnAck(ApplicationData, []AckRange{{5, 0}}, 0, 100*ms, false)
	if len(acked) != 6 || len(lost) != 0 || r.RTT.Smoothed != 100*ms || r.CC.Window != 19200 {
		t.Fatalf("ACK of 0-5: acked %d, lost %d, smoothed %v, window %d", len(acked), len(lost), r.RTT.Smoothed, r.CC.Window)
	}
	if at, set := r.Timer(100 * ms); !set || at != 325*ms { // sent at 0 + 100 + 4·50 + 25
		t.Errorf("the PTO at %v (set %v), want 325ms", at, set)
	}
	acked, lost = r.OnAck(ApplicationData, []AckRange{{9, 9}, {5, 0}}, 0, 110*ms, false)
	if len(acked) != 1 || numbers(lost) != "6" {
		t.Fatalf("ACK of 9: acked %d, lost %s; want 9 acknowledged and 6 lost", len(acked), numbers(lost))
	}
	if r.CC.Window != 9600 || r.CC.RecoveryStart != 110*ms {
		t.Errorf("after the loss: window %d, recovery from %v; want 9600 from 110ms", r.CC.Window, r.CC.RecoveryStart)
	}
	at, set := r.Timer(110 * ms)
	if !set || at != 123750*us { // 9/8 · 110 ms after 0
		t.Fatalf("the time-threshold timer at %v (set %v), want 123.75ms", at, set)
	}
	lost, _, probing := r.OnTimeout(at)
	if numbers(lost) != "7 8" || probing || r.CC.Window != 9600 {
		t.Errorf("at the timer: lost %s, probing %v, window %d; want 7 8 lost, no second reduction", numbers(lost), probing, r.CC.Window)
	}
	if _, set := r.Timer(at); set {
		t.Error("a timer is set with nothing in flight")
	}
}

// TestRecoveryPTO: an unanswered packet's probe timeout doubles after
// each expiry (§6.2.1); the application data space waits for the
// handshake's confirmation (§6.2.1), the Initial space counts no ack
// delay, and a server at its amplification limit arms nothing (A.8).
func TestRecoveryPTO(t *testing.T) {
	r := NewRecovery(true, 1200, DefaultMaxAckDelay)
	r.Confirmed = true
	r.OnSent(ApplicationData, data(0, 0))
	if at, _ := r.Timer(0); at != 1024*ms { // 333 + 4·166.5 + 25
		t.Errorf("the first PTO at %v, want 1.024s", at)
	}
	_, probe, probing := r.OnTimeout(1024 * ms)
	if !probing || probe != ApplicationData || r.PTOCount != 1 {
		t.Errorf("the timeout: probe %v in %v, count %d", probing, probe, r.PTOCount)
	}
	if at, _ := r.Timer(1024 * ms); at != 2048*ms {
		t.Errorf("the second PTO at %v, want 2.048s (doubled)", at)
	}
	r.AtAmplificationLimit = true
	if _, set := r.Timer(0); set {
		t.Error("a server at its amplification limit arms a timer")
	}

	c := NewRecovery(false, 1200, DefaultMaxAckDelay)
	c.OnSent(ApplicationData, data(0, 0)) // 0-RTT: not before confirmation
	if _, set := c.Timer(0); set {
		t.Error("a PTO for application data before the handshake is confirmed")
	}
	c.OnSent(Initial, data(0, 5))
	if at, _ := c.Timer(5 * ms); at != 1004*ms { // 5 + 999: no ack delay in Initial
		t.Errorf("the Initial PTO at %v, want 1.004s", at)
	}
}

// TestRecoveryAntiDeadlock: a client whose peer has not validated its
// address arms the PTO with nothing in flight, from now, and probes in
// Initial, or Handshake once it has the keys (A.8, A.9).
func TestRecoveryAntiDeadlock(t *testing.T) {
	c := NewRecovery(false, 1200, DefaultMaxAckDelay)
	at, set := c.Timer(50 * ms)
	if !set || at != 1049*ms {
		t.Fatalf("the anti-deadlock timer at %v (set %v), want 50ms + 999ms", at, set)
	}
	if _, probe, probing := c.OnTimeout(at); !probing || probe != Initial {
		t.Errorf("the anti-deadlock probe in %v (%v), want Initial", probe, probing)
	}
	c.HandshakeKeys = true
	if _, probe, _ := c.OnTimeout(at); probe != Handshake {
		t.Errorf("with Handshake keys the probe is in %v", probe)
	}
	c.HandshakeAcked = true
	if _, set := c.Timer(at); set {
		t.Error("a validated client with nothing in flight arms a timer")
	}
}

// TestRecoveryPersistentCongestion: after an RTT sample, packets 1-8
// sent 200 ms apart are all lost (the ACK of 9 shows it): 1.4 s between
// the first and the last, more than (100 + 4·37.5 + 25) · 3 = 825 ms,
// with none acknowledged between: the window drops to two datagrams and
// slow start begins again.
func TestRecoveryPersistentCongestion(t *testing.T) {
	r, lost := lossRun(200, 200)
	if numbers(lost) != "1 2 3 4 5 6 7 8" {
		t.Fatalf("lost %s, want 1-8", numbers(lost))
	}
	if r.CC.Window != 3600 || r.CC.Recovering { // 2400, then 9's ack in slow start
		t.Errorf("after persistent congestion: window %d, recovering %v; want 3600, false", r.CC.Window, r.CC.Recovering)
	}
	// The same losses over a shorter time are one congestion event.
	q, _ := lossRun(250, 50)
	if q.CC.Window != 6600 || !q.CC.Recovering {
		t.Errorf("losses over 350ms: window %d, recovering %v; want half, 6600, in recovery", q.CC.Window, q.CC.Recovering)
	}
}

// lossRun is a confirmed connection with an RTT sample (packet 0 sent
// at 0, acknowledged at 100 ms) that sends packets 1-8 from first ms,
// step ms apart, then packet 9 100 ms after the last, whose ACK (100
// ms later) shows 1-8 lost: the recovery and the packets lost.
func lossRun(first, step int) (*Recovery, []Sent) {
	r := NewRecovery(false, 1200, DefaultMaxAckDelay)
	r.Confirmed = true
	r.OnSent(ApplicationData, data(0, 0))
	r.OnAck(ApplicationData, []AckRange{{0, 0}}, 0, 100*ms, false)
	for n := 1; n <= 8; n++ {
		r.OnSent(ApplicationData, data(uint64(n), first+step*(n-1)))
	}
	last := first + step*7 + 100
	r.OnSent(ApplicationData, data(9, last))
	_, lost := r.OnAck(ApplicationData, []AckRange{{9, 9}, {0, 0}}, 0, sim.Time(last+100)*ms, false)
	return r, lost
}
