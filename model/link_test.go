package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// twoTransfers starts two connections at once, each answering a 1-byte
// request with size bytes, and returns when each response completed.
func twoTransfers(t *testing.T, q model.QueueDiscipline, size int) [2]sim.Time {
	t.Helper()
	s := sim.New(1, 0)
	log := &trace.Log{}
	link := model.LinkConfig{Delay: 10 * sim.Millisecond, Up: 10 * model.Mbps, Down: 10 * model.Mbps, Queue: q}
	n, _ := model.NewNetwork(s, link, log)
	var done [2]sim.Time
	for i := 0; i < 2; i++ {
		cfg := model.IdealTCP()
		c, _ := n.NewConn(cfg)
		got := 0
		c.Client.OnEstablished = func() { c.Client.WriteNegligible("GET") }
		c.Server.OnData = func(int) { c.Server.Write(size, "resp") }
		c.Client.OnData = func(k int) {
			got += k
			if got == size {
				done[i] = s.Now()
			}
		}
		c.Client.Open()
	}
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, log.Records)
	return done
}

// TestFairQueueSharesEqually: two equal transfers started together end
// together under fair sharing (each gets R/2), while FIFO serves the first
// connection's whole burst first.
func TestFairQueueSharesEqually(t *testing.T) {
	const size = 100_000 // 80 ms at 10 Mbit/s
	fair := twoTransfers(t, model.Fair, size)
	// 2·RTT + 2·O/R: both finish at 40 ms + 160 ms.
	want := 40*sim.Millisecond + 160*sim.Millisecond
	if fair[0] != want || fair[1] != want {
		t.Errorf("fair: done at %v and %v, want both at %v", fair[0], fair[1], want)
	}
	fifo := twoTransfers(t, model.FIFO, size)
	if fifo[0] != 40*sim.Millisecond+80*sim.Millisecond || fifo[1] != want {
		t.Errorf("fifo: done at %v and %v, want 120ms and %v", fifo[0], fifo[1], want)
	}
}

// TestDropTail: a buffer of 5 packets on a slow link drops the rest of a
// 10-segment initial burst, and TCP still delivers everything.
func TestDropTail(t *testing.T) {
	link := model.LinkConfig{Delay: 20 * sim.Millisecond, Up: 1 * model.Mbps, Down: 1 * model.Mbps, Buffer: 5}
	res := fetch(t, 1, link, model.DefaultTCP(), 300, 50_000)
	drops := 0
	for _, r := range res.log.Records {
		if r.Kind == trace.PacketDropped && r.Note == "queue full" {
			drops++
		}
	}
	if drops == 0 || res.done == 0 {
		t.Errorf("drops %d, done %v: want tail drops and a complete transfer", drops, res.done)
	}
}

// TestReceiveWindowLimits: with a 2-segment receive window and no
// congestion limit, the sender keeps 2 segments in flight; 10 segments take
// 2·RTT + O/R + 4·(RTT − S/R) (the slow-start formula with a constant
// window of 2: K = 5 windows, 4 stalls of S/R + RTT − 2·S/R).
func TestReceiveWindowLimits(t *testing.T) {
	cfg := model.IdealTCP()
	cfg.RecvWindow = 2 * 1460
	rtt, r := 100*sim.Millisecond, 10*model.Mbps
	sr := 1168 * sim.Microsecond // 1460 bytes at 10 Mbit/s
	want := 2*rtt + 10*sr + 4*(rtt-sr)
	if got := fetch(t, 1, ideal(rtt, r), cfg, 1, 10*1460).done; got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestCongestionAvoidance: above ssthresh, byte counting adds exactly one
// segment per round trip (RFC 5681 §3.1); the per-ACK rule (eq. 3) adds a
// little less than one, as cwnd grows within the round.
func TestCongestionAvoidance(t *testing.T) {
	rtt := 100 * sim.Millisecond
	for _, ca := range []model.CongestionAvoidance{model.ByteCounting, model.RenoPerAck} {
		cfg := model.IdealTCP()
		cfg.InitialWindow, cfg.InitialSsthresh, cfg.Avoidance = 10, 10*1460, ca
		res := fetch(t, 1, ideal(rtt, 1*model.Gbps), cfg, 1, 2_000_000)
		for k := 0; k < 5; k++ {
			got := cwndAt(res.log.Records, 1, trace.Down, 3*rtt+sim.Time(k)*rtt)
			want := (10 + k + 1) * 1460
			switch ca {
			case model.ByteCounting:
				if got != want {
					t.Errorf("byte counting, round %d: cwnd %d, want %d", k+1, got, want)
				}
			default:
				if got >= want || got <= want-1460 {
					t.Errorf("per-ACK, round %d: cwnd %d, want between %d and %d", k+1, got, want-1460, want)
				}
			}
		}
	}
}

// TestReceiveWindowBelowMSS: a receive window smaller than one segment
// caps the segment size; the transfer completes, one window per RTT.
func TestReceiveWindowBelowMSS(t *testing.T) {
	cfg := model.IdealTCP()
	cfg.RecvWindow = 1000
	rtt := 100 * sim.Millisecond
	res := fetch(t, 1, ideal(rtt, 10*model.Mbps), cfg, 1, 5000)
	// Five 1000-byte segments, one per round trip after the first:
	// 2·RTT + 4·RTT + 5 × 0.8 ms.
	if want := 6*rtt + 4*sim.Millisecond; res.done != want {
		t.Errorf("done at %v, want %v", res.done, want)
	}
}
