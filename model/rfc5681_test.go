package model_test

import (
	"math/big"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// cwndSeries returns the sender's (cwnd, ssthresh) changes on connection 1.
func cwndSeries(recs []trace.Record, dir trace.Dir) []trace.Record {
	var out []trace.Record
	for _, r := range recs {
		if r.Kind == trace.CwndChanged && r.Conn == 1 && r.Dir == dir {
			out = append(out, r)
		}
	}
	return out
}

// TestFlightSizeWithoutLimitedTransmit: a 20-segment flight whose first
// segment is lost. The first two duplicate ACKs each let limited transmit
// send a new segment (RFC 3042), so 22 segments are outstanding at the
// third; but those two are not part of FlightSize (RFC 5681 §3.2 step 2:
// "additional data sent in limited transmit MUST NOT be included in this
// calculation"; RFC 3042 §2). So ssthresh = max(FlightSize/2, 2·SMSS) =
// 10 segments, cwnd = ssthresh + 3·SMSS = 13 during fast recovery, and
// the full ACK deflates it to ssthresh, 10 (RFC 6582 §3.2 step 3).
func TestFlightSizeWithoutLimitedTransmit(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 2}} // the first data segment
	cfg := model.RFCTCP()
	cfg.InitialWindow, cfg.DelayedAck = 20, false
	mss := cfg.MSS
	res := fetch(t, 1, link, cfg, 300, 40*mss)
	var cut, after *trace.Record
	series := cwndSeries(res.log.Records, trace.Down)
	for i := range series {
		r := &series[i]
		if cut == nil && r.Ssthresh > 0 {
			cut = r
			continue
		}
		if cut != nil && r.Cwnd < series[i-1].Cwnd {
			after = r
			break
		}
	}
	if cut == nil || after == nil {
		t.Fatalf("no fast recovery in the trace: %v", series)
	}
	if cut.Ssthresh != 10*mss || cut.Cwnd != 13*mss {
		t.Errorf("at fast retransmit ssthresh %d and cwnd %d segments, want 10 and 13", cut.Ssthresh/mss, cut.Cwnd/mss)
	}
	if after.Cwnd != 10*mss {
		t.Errorf("after recovery cwnd %.2f segments, want 10", float64(after.Cwnd)/float64(mss))
	}
}

// TestCongestionAvoidanceExact: RFC 5681 §3.1 eq. 3, cwnd += SMSS·SMSS/cwnd
// per ACK, follows its real-number value to the byte. From cwnd = ssthresh
// = 10 segments of 1460 bytes the increments are 146, 144.55, 143.16…
// bytes; whole-byte division would lose about 0.5 byte per ACK.
func TestCongestionAvoidanceExact(t *testing.T) {
	cfg := model.RFCTCP()
	cfg.InitialWindow, cfg.InitialSsthresh, cfg.DelayedAck = 10, 10*cfg.MSS, false
	mss := int64(cfg.MSS)
	res := fetch(t, 1, realistic(100*sim.Millisecond, 1*model.Gbps), cfg, 300, 3000*cfg.MSS)
	series := cwndSeries(res.log.Records, trace.Down)
	// 256-bit floats stand in for the reals (exact rationals would double
	// their size at every step).
	const prec = 256
	w := new(big.Float).SetPrec(prec).SetInt64(10 * mss)
	sq := new(big.Float).SetPrec(prec).SetInt64(mss * mss)
	steps := 0
	for _, r := range series[1:] { // the first record is the initial window
		if r.Ssthresh != 10*cfg.MSS {
			break
		}
		w.Add(w, new(big.Float).SetPrec(prec).Quo(sq, w))
		floor, _ := w.Int64()
		if int64(r.Cwnd) != floor {
			t.Fatalf("after %d ACKs cwnd = %d bytes, the real-number rule gives %s", steps+1, r.Cwnd, w.Text('f', 3))
		}
		steps++
	}
	if steps < 2000 {
		t.Fatalf("only %d increments checked", steps)
	}
}

// TestByteCountingAddsOneSegmentPerWindow: with appropriate byte counting
// (RFC 3465 §2.1, RFC 5681 §3.1) every cwnd's worth of acknowledged bytes
// adds exactly one SMSS, whatever the ACK pattern.
func TestByteCountingAddsOneSegmentPerWindow(t *testing.T) {
	for _, delack := range []bool{false, true} {
		cfg := model.RFCTCP()
		cfg.InitialWindow, cfg.InitialSsthresh, cfg.DelayedAck = 10, 10*cfg.MSS, delack
		cfg.Avoidance = model.ByteCounting
		res := fetch(t, 1, realistic(100*sim.Millisecond, 1*model.Gbps), cfg, 300, 2000*cfg.MSS)
		series := cwndSeries(res.log.Records, trace.Down)
		for i, r := range series[1:] {
			if d := r.Cwnd - series[i].Cwnd; d != cfg.MSS {
				t.Fatalf("delayed ACK %v: cwnd went from %d to %d, want +%d", delack, series[i].Cwnd, r.Cwnd, cfg.MSS)
			}
		}
		if len(series) < 10 {
			t.Errorf("delayed ACK %v: only %d windows", delack, len(series))
		}
	}
}

// TestFINAckDoesNotGrowCwnd: cwnd grows by the "previously unacknowledged
// bytes" an ACK covers (RFC 5681 §3.1); the FIN takes a sequence number
// but is not a byte of data, so the ACK of a FIN alone changes nothing.
func TestFINAckDoesNotGrowCwnd(t *testing.T) {
	cfg := model.RFCTCP()
	cfg.DelayedAck = false
	res := fetch(t, 1, realistic(100*sim.Millisecond, 10*model.Mbps), cfg, 300, 5000)
	var finAcked sim.Time = -1
	for _, r := range res.log.Records {
		// The client acknowledges the server's FIN (sequence 5001) with 5002.
		if r.Kind == trace.PacketArrived && r.Dir == trace.Up && r.Ack == 5002 && finAcked < 0 {
			finAcked = r.At
		}
	}
	if finAcked < 0 {
		t.Fatal("the server's FIN was never acknowledged")
	}
	for _, r := range cwndSeries(res.log.Records, trace.Down) {
		if r.At >= finAcked {
			t.Errorf("cwnd changed to %d at %v, when the ACK of the FIN arrived", r.Cwnd, r.At)
		}
	}
}
