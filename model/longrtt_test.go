package model_test

import (
	"fmt"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestIdealAtAnyRTT: ideal mode gives the Kurose & Ross slow-start latency
// model, 2·RTT + O/R + Σ_{k=1}^{K−1} [S/R + RTT − W·2^{k−1}·S/R]⁺ (K&R
// "Modeling TCP latency"; equivalently 2·RTT + O/R + P·(RTT + S/R) −
// (2^P − 1)·S/R with P = min(Q, K−1) for W = 1), and 2·RTT + O/R with an
// unlimited window (K&R §2.2.2), at round-trip times at and beyond
// RFC 6298's 1 s initial RTO. The textbook has no timeouts: a spurious
// one would resend the SYN, and the duplicate SYN-ACK's duplicate ACKs
// would let limited transmit send early.
func TestIdealAtAnyRTT(t *testing.T) {
	type link struct {
		S int
		R model.Rate
	}
	for _, rtt := range []sim.Time{1 * sim.Second, 2 * sim.Second, 10 * sim.Second, 60 * sim.Second} {
		for _, w := range []int{1, 3, 10, model.Unlimited} {
			for _, l := range []link{{536, 1 * model.Mbps}, {1460, 10 * model.Mbps}, {1000, 3 * model.Mbps}} {
				const O = 100_000
				name := fmt.Sprintf("RTT=%v/W=%d/S=%d/R=%v", rtt, w, l.S, l.R)
				t.Run(name, func(t *testing.T) {
					cfg := model.IdealTCP()
					cfg.MSS, cfg.InitialWindow = l.S, w
					var want sim.Time
					if w == model.Unlimited {
						want = 2*rtt + sim.Time(8*O*int64(sim.Second)/int64(l.R))
					} else {
						want = slowStartLatency(O, l.S, l.R, rtt, w)
					}
					res := fetch(t, 1, ideal(rtt, l.R), cfg, 1, O)
					// 3 Mbit/s does not divide a 1000-byte segment into whole
					// nanoseconds: at most 1 ns of rounding per window.
					tol := sim.Time(0)
					if l.R == 3*model.Mbps {
						tol = 8
					}
					if d := res.done - want; d > tol || d < -tol {
						t.Errorf("simulated %v, K&R %v (diff %v)", res.done, want, d)
					}
					for _, r := range res.log.Records {
						if r.Kind == trace.Retransmit {
							t.Fatalf("ideal mode retransmitted at %v (%s)", r.At, r.Note)
						}
					}
				})
			}
		}
	}
}

// TestIdealPageAtTwoSecondRTT is the reproducer of the slow-start latency
// model at RTT = 2 s through the whole page-load path (keepalive run
// --ideal --iw 1 --mss 536 --rtt 2s --bandwidth 1Mbps --objects 0
// --html-size 100000B --protocol http1.0): O = 100,000 B, S = 536 B,
// R = 1 Mbit/s, so S/R = 4.288 ms, O/R = 800 ms, K = 8 windows and
// P = min(Q, K−1) = 7: 2·2000 + 800 + 7·(2000 + 4.288) − 127·4.288 =
// 18,285.440 ms (Kurose & Ross, "Modeling TCP latency").
func TestIdealPageAtTwoSecondRTT(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.ApplyIdeal()
	cfg.TCP.MSS, cfg.TCP.InitialWindow = 536, 1
	cfg.Link.Delay, cfg.Link.Up, cfg.Link.Down = sim.Second, model.Mbps, model.Mbps
	cfg.Page = model.SyntheticPage(100_000, 0, nil)
	cfg.HTTP.Protocol = model.HTTP10
	res, _ := mustRun(t, cfg)
	if want := 18_285_440 * sim.Microsecond; res.PageLoad != want || res.Retransmissions != 0 {
		t.Errorf("page load %v with %d retransmissions, want %v and none", res.PageLoad, res.Retransmissions, want)
	}
}

// TestSYNAnsweredAtTheRTO: a SYN-ACK that arrives at exactly the 1 s
// initial RTO (RFC 6298 §2.1) is in the client's hands when its timer
// expires, so the SYN is not sent again (see package sim: timeouts fire
// after the other events of their instant). The handshake's final ACK,
// 8 bytes shorter than the SYN-ACK (tcp.syn_header_bytes 60, header_bytes
// 52), reaches the server 6.4 µs before its own timer.
func TestSYNAnsweredAtTheRTO(t *testing.T) {
	cfg := model.DefaultTCP()
	r := 10 * model.Mbps
	ser := sim.Time(int64(cfg.SynHeaderBytes) * 8 * int64(sim.Second) / int64(r)) // 48 µs
	link := model.LinkConfig{Delay: cfg.InitialRTO/2 - ser, Up: r, Down: r, Buffer: 1000}
	res := fetch(t, 1, link, cfg, 300, 20_000)
	var synAck sim.Time = -1
	for _, rec := range res.log.Records {
		if rec.Kind == trace.PacketArrived && rec.Flags == trace.SYN|trace.ACK {
			synAck = rec.At
		}
		if rec.Kind == trace.Retransmit {
			t.Errorf("%v retransmitted at %v (%s)", rec.Dir, rec.At, rec.Note)
		}
	}
	if synAck != cfg.InitialRTO {
		t.Fatalf("SYN-ACK arrived at %v, want exactly the initial RTO %v", synAck, cfg.InitialRTO)
	}
}

// TestSpuriousTimeoutsNeverHelp: at round trips longer than the 1 s
// initial RTO a realistic TCP times out spuriously (as real stacks do),
// but a spurious retransmission must never make a page load faster than
// the same load with a timer that does not fire.
func TestSpuriousTimeoutsNeverHelp(t *testing.T) {
	for _, rtt := range []sim.Time{1 * sim.Second, 1500 * sim.Millisecond, 2 * sim.Second, 3 * sim.Second, 5 * sim.Second} {
		for _, p := range model.Protocols {
			t.Run(fmt.Sprintf("%v/%v", rtt, p), func(t *testing.T) {
				cfg := model.DefaultConfig()
				cfg.Page = newsPage()
				cfg.HTTP.Protocol = p
				cfg.Link.Delay = rtt / 2
				spurious, _ := runPage(t, cfg)
				cfg.TCP.InitialRTO, cfg.TCP.MinRTO, cfg.TCP.MaxRTO = sim.Hour, sim.Hour, sim.Hour
				patient, _ := runPage(t, cfg)
				if !spurious.Complete || !patient.Complete {
					t.Fatalf("incomplete: %v %v", spurious.Complete, patient.Complete)
				}
				if spurious.PageLoad < patient.PageLoad {
					t.Errorf("with %d spurious retransmissions the page loaded in %v, faster than %v without",
						spurious.Retransmissions, spurious.PageLoad, patient.PageLoad)
				}
			})
		}
	}
}
