package model

import (
	"fmt"
	"math/bits"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// ackReceived processes the acknowledgement field of an arrived segment:
// RTT sampling, cwnd growth, duplicate ACKs, fast retransmit and NewReno
// fast recovery.
func (e *Endpoint) ackReceived(seg Segment) {
	ack := seg.Ack
	if ack > e.sndMax {
		return // acknowledges something never sent
	}
	mss := int64(e.cfg.MSS)
	if ack > e.sndUna {
		// RFC 5681 §3.1 counts the "previously unacknowledged bytes": data,
		// not the sequence numbers the SYN and FIN take.
		end := e.dataEnd()
		acked := max(0, min(ack, end)-max(e.sndUna, 1))
		e.sampleRTT(ack)
		e.sndUna = ack
		if e.sndNxt < ack {
			e.sndNxt = ack
		}
		e.retries = 0
		e.dupAcks = 0
		e.limited, e.ltSent = 0, 0
		e.rwnd = int64(seg.Wnd)
		if ack == 1 && !e.state.synchronized() { // our SYN is acknowledged
			if e.synRetx {
				// RFC 6298 §5.7: after a SYN timeout, data starts with RTO = 3 s.
				e.rto, e.synRetx = 3*sim.Second, false
				// RFC 6928 §2 (and RFC 5681 §3.1): when the SYN or SYN-ACK
				// was lost, the initial window is one segment.
				e.cwnd = min(e.cwnd, int64(e.cfg.MSS))
				e.recordCwnd(trace.CwndSynLost, 0)
			}
		} else if acked > 0 {
			e.recordCwnd(e.growOnAck(acked, mss), acked)
		}
		if e.sndUna == e.sndMax {
			e.rtoTimer.Stop()
		} else {
			e.armRTO() // RFC 6298 §5.3
		}
		if e.finQueued && ack == e.dataEnd()+1 {
			e.finAcked()
			if e.state == Closed || e.state == TimeWait {
				return
			}
		}
		e.output()
		e.windowOpened()
		return
	}
	// RFC 5681 §2: a duplicate ACK acknowledges nothing new, carries no
	// data, does not change the window, and arrives while data is
	// outstanding.
	if ack == e.sndUna && seg.Len == 0 && seg.Flags&(trace.SYN|trace.FIN) == 0 &&
		e.sndMax > e.sndUna && int64(seg.Wnd) == e.rwnd {
		e.dupAcks++
		switch {
		case e.dupAcks < 3 && !e.inRecovery:
			// Limited transmit (RFC 3042): each of the first two duplicate
			// ACKs lets one new segment out, so that a small window still
			// produces the third duplicate ACK fast retransmit needs.
			e.limited = int64(e.dupAcks) * mss
			e.output()
		case e.dupAcks == 3 && !e.inRecovery && ack > e.recover:
			e.limited = 0
			e.fastRetransmit()
		case e.inRecovery:
			e.cwnd += mss // RFC 6582 §3.2 step 4: inflate for each segment that left
			e.recordCwnd(trace.CwndRecovery, 0)
			e.output()
		}
		e.windowOpened()
		return
	}
	e.rwnd = int64(seg.Wnd)
	e.output()
	e.windowOpened()
}

// windowOpened tells a sender that paces its writes (OnAcked) that the
// windows may let more out: new data acknowledged, a duplicate ACK that
// inflated cwnd or allowed limited transmit, or a window update.
func (e *Endpoint) windowOpened() {
	if e.OnAcked != nil && e.state.canSend() {
		e.OnAcked()
	}
}

// growOnAck applies slow start or congestion avoidance to an ACK of new
// data, or NewReno's partial/full ACK rules in fast recovery, and says
// which it applied (a trace.Cwnd* cause).
func (e *Endpoint) growOnAck(acked, mss int64) string {
	if e.inRecovery {
		if e.sndUna >= e.recover { // full ACK: RFC 6582 §3.2 step 3, option 1
			flight := e.sndMax - e.sndUna
			e.cwnd = min(e.ssthresh, max(flight, mss)+mss)
			e.inRecovery = false
			return trace.CwndRecovered
		}
		// Partial ACK: retransmit the next hole, deflate by what was acked,
		// add back one segment (RFC 6582 §3.2 step 4).
		e.retransmitFirst("partial ACK")
		e.cwnd -= acked
		if acked >= mss {
			e.cwnd += mss
		}
		e.cwnd = max(e.cwnd, mss)
		return trace.CwndPartialAck
	}
	if e.cwnd >= unlimitedBytes {
		return trace.CwndSlowStart
	}
	if e.cwnd < e.ssthresh {
		switch e.cfg.Growth {
		case SlowStartABC:
			e.cwnd += min(acked, 2*mss) // RFC 3465 §2.2, L = 2·SMSS
		case SlowStartLinux:
			// Every segment acknowledged, up to ssthresh (Linux tcp_slow_start).
			e.cwnd = min(e.cwnd+acked, e.ssthresh)
		default:
			e.cwnd += min(acked, mss) // RFC 5681 §3.1, eq. 2
		}
		return trace.CwndSlowStart
	}
	switch e.cfg.Avoidance {
	case ByteCounting:
		// RFC 5681 §3.1 / RFC 3465 §2.1: one SMSS per cwnd of bytes acked.
		e.bytesAcked += acked
		if e.bytesAcked >= e.cwnd {
			e.bytesAcked -= e.cwnd
			e.cwnd += mss
		}
	default:
		e.avoidPerAck(mss)
	}
	return trace.CwndAvoidance
}

// caFracBits is the fixed-point precision of RenoPerAck's cwnd: 2⁻²⁴ of a
// byte, so that a million ACKs lose less than a tenth of a byte against
// the real-number rule, and cwnd stays exact up to 2⁴⁰ bytes.
const (
	caFracBits = 24
	caMaxCwnd  = 1 << 40
)

// avoidPerAck adds SMSS·SMSS/cwnd (RFC 5681 §3.1, eq. 3) computed on a
// cwnd that keeps its fraction of a byte from one ACK to the next, so the
// window grows as the real-number rule says (146, 144.55, 143.16… bytes
// for SMSS 1460 from 10 segments), not by truncated whole bytes.
func (e *Endpoint) avoidPerAck(mss int64) {
	if e.cwnd >= caMaxCwnd {
		return
	}
	if e.caBase != e.cwnd { // cwnd was set by another rule: no fraction
		e.caFrac = 0
	}
	w := uint64(e.cwnd)<<caFracBits | e.caFrac
	// SMSS² / (w·2⁻²⁴) bytes, in 2⁻²⁴ units: SMSS²·2⁴⁸ / w.
	sq := uint64(mss) * uint64(mss)
	hi, lo := sq>>(64-2*caFracBits), sq<<(2*caFracBits)
	inc, _ := bits.Div64(hi, lo, w)
	w += max(inc, 1)
	e.cwnd = int64(w >> caFracBits)
	e.caFrac = w & (1<<caFracBits - 1)
	e.caBase = e.cwnd
}

// fastRetransmit reacts to the third duplicate ACK (RFC 5681 §3.2 steps
// 2–3, RFC 6582 §3.2 step 2).
func (e *Endpoint) fastRetransmit() {
	mss := int64(e.cfg.MSS)
	// FlightSize without what limited transmit sent (RFC 5681 §3.2 step 2,
	// RFC 3042 §2): those segments were sent because of the loss.
	flight := e.sndMax - e.sndUna - e.ltSent
	e.ssthresh = max(flight/2, 2*mss) // RFC 5681 eq. 4
	e.recover = e.sndMax
	e.inRecovery = true
	e.retransmitFirst("fast retransmit")
	e.cwnd = e.ssthresh + 3*mss
	e.recordCwnd(trace.CwndFastRetransmit, 0)
	e.output()
}

// retransmitFirst resends the first unacknowledged segment.
func (e *Endpoint) retransmitFirst(why string) {
	n := e.conn.net
	n.rec.Record(trace.Record{At: n.sim.Now(), Kind: trace.Retransmit, Conn: e.conn.ID, Dir: e.side, Seq: e.sndUna, Note: why})
	e.rttSeq = -1 // Karn: no sample from a retransmitted segment
	end := e.dataEnd()
	switch {
	case e.sndUna == 0:
		e.sendSyn(true)
	case e.sndUna < end:
		e.sendData(e.sndUna, min(e.segmentSize(), end-e.sndUna), true)
	case e.finQueued:
		e.xmit(trace.FIN|trace.ACK, e.sndUna, 0, true, "")
	}
}

// sampleRTT updates SRTT, RTTVAR and RTO from the timed segment
// (RFC 6298 §2.2–2.3, clock granularity 1 ns).
func (e *Endpoint) sampleRTT(ack int64) {
	if e.rttSeq < 0 || ack < e.rttSeq {
		return
	}
	r := e.conn.net.sim.Now() - e.rttStart
	e.rttSeq = -1
	if !e.haveRTT {
		e.srtt, e.rttvar, e.haveRTT = r, r/2, true
	} else {
		d := e.srtt - r
		if d < 0 {
			d = -d
		}
		// RTTVAR = (1−β)·RTTVAR + β·|SRTT−R'|, SRTT = (1−α)·SRTT + α·R'
		// with α = 1/8, β = 1/4, written so that no sum can overflow.
		e.rttvar += (d - e.rttvar) / 4
		e.srtt += (r - e.srtt) / 8
	}
	e.rto = rtoOf(e.srtt, e.rttvar)
	e.clampRTO()
}

// rtoOf is SRTT + max(G, 4·RTTVAR) (RFC 6298 §2.3, clock granularity G
// = 1 ns), saturating at sim.Forever.
func rtoOf(srtt, rttvar sim.Time) sim.Time {
	v := max(sim.Nanosecond, rttvar)
	if v > (sim.Forever-srtt)/4 {
		return sim.Forever
	}
	return srtt + max(sim.Nanosecond, 4*v)
}

func (e *Endpoint) clampRTO() {
	e.rto = min(max(e.rto, e.cfg.MinRTO), e.cfg.MaxRTO)
}

// armRTO (re)starts the retransmission timer for what is in flight,
// unless ideal mode has no use for one.
func (e *Endpoint) armRTO() {
	if e.noDataRTO && e.state.synchronized() {
		e.rtoTimer.Stop()
		return
	}
	e.rtoTimer.Reset(e.rto)
}

// onRTO handles the retransmission timer (RFC 6298 §5.4–5.6, RFC 5681
// §3.1 eq. 4 and the loss window of one segment).
func (e *Endpoint) onRTO() {
	e.retries++
	switch e.state {
	case SynSent, SynReceived:
		limit := e.cfg.SynRetries
		what := "SYN"
		if e.state == SynReceived {
			limit, what = e.cfg.SynAckRetries, "SYN-ACK"
		}
		if e.retries > limit {
			e.fail(fmt.Sprintf("connection failed after %d %s retransmissions", limit, what))
			return
		}
		e.synRetx = true
	default:
		if e.retries > e.cfg.DataRetries {
			e.fail(fmt.Sprintf("connection timed out after %d retransmissions", e.cfg.DataRetries))
			return
		}
		mss := int64(e.cfg.MSS)
		if e.state.synchronized() {
			e.ssthresh = max((e.sndMax-e.sndUna)/2, 2*mss)
			e.cwnd = mss
		}
		e.recover = e.sndMax
		e.inRecovery = false
		e.dupAcks = 0
		e.limited, e.ltSent = 0, 0 // the loss window is one segment (RFC 5681 §3.1)
		e.recordCwnd(trace.CwndTimeout, 0)
	}
	e.rto = min(e.rto, sim.Forever/2) * 2 // back off (§5.5), without overflowing
	e.rto = min(e.rto, e.cfg.MaxRTO)
	what := "timeout"
	if e.sndUna == 0 {
		what = "SYN timeout"
	}
	e.sndNxt = e.sndUna // go back N: resend from the first hole
	e.retransmitFirst(what)
	e.rtoTimer.Reset(e.rto)
	e.output()
}

// fail gives up on the connection: record why, reset the peer if the
// handshake got that far, and tell the application.
func (e *Endpoint) fail(why string) {
	n := e.conn.net
	n.rec.Record(trace.Record{At: n.sim.Now(), Kind: trace.ConnFailed, Conn: e.conn.ID, Dir: e.side, Note: why})
	if e.state.synchronized() {
		e.xmit(trace.RST, e.sndNxt, 0, false, "RST")
	}
	e.reset(why)
}
