package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// dupThresh is the number of duplicate ACKs that signals a loss
// (RFC 5681 §3.2: "the arrival of three duplicate ACKs").
const dupThresh = 3

// rfc6298SynRTO is the RTO data starts with after a SYN timeout
// (RFC 6298 §5.7).
const rfc6298SynRTO = 3 * sim.Second

// newReno is the RFC 5681 / RFC 6582 loss-recovery state of a sender
// without SACK.
type newReno struct {
	dupAcks    int
	limited    int64 // RFC 3042 allowance beyond cwnd, bytes
	ltSent     int64 // bytes limited transmit sent since the last new ACK: not FlightSize (RFC 5681 §3.2 step 2)
	inRecovery bool
	recover    int64 // RFC 6582 "recover"
	// partialSeen: a partial ACK has come in this recovery, and reset
	// the retransmission timer; later ones do not (RFC 6582 §3.2 step 5,
	// the "Impatient" variant of §4).
	partialSeen bool
}

// ackReceived processes the acknowledgement field of an arrived segment.
func (e *Endpoint) ackReceived(seg Segment) {
	if e.rack() {
		e.rackAck(seg)
		return
	}
	e.renoAck(seg)
}

// synAcked handles the ACK of our SYN (or SYN-ACK): the first RTT sample,
// and the initial window after a lost SYN.
func (e *Endpoint) synAcked(seg Segment) {
	now := e.conn.net.sim.Now()
	if e.rtt.linux() {
		// With timestamps every handshake yields a sample, even after a
		// retransmission (tcp_ack_update_rtt falls back to TSecr).
		e.rtt.sampleLinux(now-seg.TSecr, seg.Ack, e.sndNxt)
		// tcp_init_transfer: one segment only after more than one
		// retransmission of the SYN or SYN-ACK.
		if e.synRetx > 1 {
			e.cc.cwnd = min(e.cc.cwnd, int64(e.cfg.MSS))
			e.recordCwnd(trace.CwndSynLost, 0)
		}
		return
	}
	e.rtt.acked(seg.Ack, now)
	if e.synRetx > 0 {
		// RFC 6298 §5.7: after a SYN timeout, data starts with RTO = 3 s.
		e.rtt.rto = rfc6298SynRTO
		// RFC 6928 §2 (and RFC 5681 §3.1): when the SYN or SYN-ACK was
		// lost, the initial window is one segment.
		e.cc.cwnd = min(e.cc.cwnd, int64(e.cfg.MSS))
		e.recordCwnd(trace.CwndSynLost, 0)
	}
}

// renoAck processes an ACK for a sender without SACK: RTT sampling, cwnd
// growth, duplicate ACKs, fast retransmit and NewReno fast recovery.
func (e *Endpoint) renoAck(seg Segment) {
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
		partial := false
		r := newAckResult()
		e.sb.ackTo(ack, &r)
		synAck := ack == 1 && !e.state.synchronized()
		if !synAck {
			if e.rtt.linux() {
				if r.firstSent >= 0 {
					e.rtt.sampleLinux(e.conn.net.sim.Now()-r.firstSent, ack, e.sndNxt)
				}
			} else {
				e.rtt.acked(ack, e.conn.net.sim.Now())
			}
		}
		e.sndUna = ack
		if e.sndNxt < ack {
			e.sndNxt = ack
		}
		e.retries = 0
		e.noteData()
		e.nr.dupAcks = 0
		e.nr.limited, e.nr.ltSent = 0, 0
		e.rwnd = int64(seg.Wnd)
		if synAck { // our SYN is acknowledged
			e.synAcked(seg)
		} else if acked > 0 {
			if e.nr.inRecovery {
				why := e.renoRecoveryAck(acked, mss)
				partial = why == trace.CwndPartialAck
				e.recordCwnd(why, acked)
			} else if why := e.growOnAck(acked, r.delivered); why != trace.NoState {
				e.recordCwnd(why, acked)
			}
		}
		switch {
		case e.sndUna == e.sndMax:
			e.rtoTimer.Stop()
		case partial && e.nr.partialSeen:
			// Only the first partial ACK of a recovery resets the timer
			// (RFC 6582 §3.2 step 5): with many holes, the timer rather
			// than a round trip per hole ends the recovery (§4, "Impatient").
		default:
			e.armRTO() // RFC 6298 §5.3
			e.nr.partialSeen = e.nr.partialSeen || partial
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
		e.nr.dupAcks++
		switch {
		case e.nr.dupAcks < dupThresh && !e.nr.inRecovery:
			// Limited transmit (RFC 3042): each of the first two duplicate
			// ACKs lets one new segment out, so that a small window still
			// produces the third duplicate ACK fast retransmit needs.
			e.nr.limited = int64(e.nr.dupAcks) * mss
			e.output()
		case e.nr.dupAcks == dupThresh && !e.nr.inRecovery && ack > e.nr.recover:
			e.nr.limited = 0
			e.fastRetransmit()
		case e.nr.inRecovery:
			e.cc.cwnd += mss // RFC 6582 §3.2 step 4: inflate for each segment that left
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

// windowOpened tells a sender that paces its writes (onAcked) that the
// windows may let more out: new data acknowledged, a duplicate ACK that
// inflated cwnd or allowed limited transmit, or a window update.
func (e *Endpoint) windowOpened() {
	if e.state.canSend() {
		e.app.onAcked()
	}
}

// renoRecoveryAck applies NewReno's partial/full ACK rules in fast
// recovery and says which it applied.
func (e *Endpoint) renoRecoveryAck(acked, mss int64) trace.State {
	if e.sndUna >= e.nr.recover { // full ACK: RFC 6582 §3.2 step 3, option 1
		flight := e.sndMax - e.sndUna
		e.cc.cwnd = min(e.cc.ssthresh, max(flight, mss)+mss)
		e.nr.inRecovery = false
		return trace.CwndRecovered
	}
	// Partial ACK: retransmit the next hole, deflate by what was acked,
	// add back one segment (RFC 6582 §3.2 step 4).
	e.retransmitFirst(trace.RetxPartialAck)
	e.cc.cwnd -= acked
	if acked >= mss {
		e.cc.cwnd += mss
	}
	e.cc.cwnd = max(e.cc.cwnd, mss)
	return trace.CwndPartialAck
}

// fastRetransmit reacts to the third duplicate ACK (RFC 5681 §3.2 steps
// 2–3, RFC 6582 §3.2 step 2).
func (e *Endpoint) fastRetransmit() {
	mss := int64(e.cfg.MSS)
	e.cc.ssthresh = e.lossThreshold()
	e.nr.recover = e.sndMax
	e.nr.inRecovery, e.nr.partialSeen = true, false
	e.retransmitFirst(trace.RetxFastRetransmit)
	e.cc.cwnd = e.cc.ssthresh + dupThresh*mss
	e.recordCwnd(trace.CwndFastRetransmit, 0)
	e.output()
}

// retransmitFirst resends the first unacknowledged segment.
func (e *Endpoint) retransmitFirst(why string) {
	e.retransmitFirstAs(why, trace.NoState)
}

// retransmitFirstAs is retransmitFirst with the Retransmit record's
// State: trace.SynLinear for a SYN timeout that did not back off.
func (e *Endpoint) retransmitFirstAs(why string, state trace.State) {
	n := e.conn.net
	n.rec.Record(trace.Record{At: n.sim.Now(), Kind: trace.Retransmit, Conn: e.conn.ID, Dir: e.side, Seq: e.sndUna, Note: why, State: state})
	e.rtt.cancel() // Karn: no sample from a retransmitted segment
	if i := e.sb.find(e.sndUna); i >= 0 {
		s := &e.sb.live()[i]
		s.retx, s.sent = true, n.sim.Now()
	}
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

// armRTO (re)starts the retransmission timer for what is in flight,
// unless ideal mode has no use for one.
func (e *Endpoint) armRTO() {
	if e.noDataRTO && e.state.synchronized() {
		e.rtoTimer.Stop()
		return
	}
	e.probeTimer.Stop()
	e.rtoTimer.Reset(e.rtt.rto)
}

// onRTO handles the retransmission timer: the handshake's, then NewReno's
// (RFC 6298 §5.4–5.6, RFC 5681 §3.1 eq. 4 and the loss window of one
// segment, go-back-N) or Linux's (tcp_rack.go).
func (e *Endpoint) onRTO() {
	e.retries++
	switch e.state {
	case SynSent, SynReceived:
		limit := e.cfg.SynRetries
		what := "SYN"
		if e.state == SynReceived {
			limit, what = e.cfg.SynAckRetries, "SYN-ACK"
		}
		if e.rtt.linux() && e.state == SynSent {
			// Linux adds the linear timeouts to tcp_syn_retries
			// (tcp_write_timeout): with 6, eleven SYNs in 131 s.
			limit += synLinearTimeouts
		}
		if e.retries > limit {
			e.fail(fmt.Sprintf("connection failed after %d %s retransmissions", limit, what))
			return
		}
		e.synRetx++
		// Linux keeps the SYN's first timeouts at 1 s
		// (tcp_syn_linear_timeouts = 4) before it backs off.
		linear := e.rtt.linux() && e.state == SynSent && e.retries <= synLinearTimeouts
		if !linear {
			e.rtt.backoff()
		}
		state := trace.NoState
		if linear {
			state = trace.SynLinear
		}
		e.retransmitFirstAs(trace.RetxSynTimeout, state)
		e.rtoTimer.Reset(e.rtt.rto)
		return
	}
	if e.retries > e.cfg.DataRetries {
		e.fail(fmt.Sprintf("connection timed out after %d retransmissions", e.cfg.DataRetries))
		return
	}
	if e.rack() {
		e.rackTimeout()
		return
	}
	mss := int64(e.cfg.MSS)
	if e.state.synchronized() {
		flight := e.sndMax - e.sndUna
		if e.packets() {
			flight = int64(e.sb.packetsOut()) * mss
		}
		e.cc.ssthresh = max(flight/2, 2*mss)
		if e.cfg.Avoidance == Cubic {
			e.cc.ssthresh = e.lossThreshold()
			e.cubicReset()
		}
		e.cc.cwnd = mss
	}
	e.nr.recover = e.sndMax
	e.nr.inRecovery = false
	e.nr.dupAcks = 0
	e.nr.limited, e.nr.ltSent = 0, 0 // the loss window is one segment (RFC 5681 §3.1)
	e.recordCwnd(trace.CwndTimeout, 0)
	e.rtt.backoff()     // §5.5
	e.sndNxt = e.sndUna // go back N: resend from the first hole
	e.sb.truncate(e.sndUna)
	e.retransmitFirst(trace.RetxTimeout)
	e.rtoTimer.Reset(e.rtt.rto)
	e.output()
}

// synLinearTimeouts is Linux's tcp_syn_linear_timeouts: SYN timeouts
// that keep the initial RTO before exponential backoff.
const synLinearTimeouts = 4

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
