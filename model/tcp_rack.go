package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// caState is Linux's congestion-avoidance state (tcp_ca_state).
type caState uint8

const (
	caOpen     caState = iota // nothing suspicious
	caDisorder                // SACKs or duplicate ACKs seen, no loss marked yet
	caCWR                     // the window is being reduced (after a loss a probe repaired)
	caRecovery                // fast recovery: lost segments are being retransmitted
	caLoss                    // after a retransmission timeout
)

// Constants of Linux's recovery (include/net/tcp.h, tcp_recovery.c).
const (
	// RACK's reordering window is a quarter of the minimum RTT
	// (RFC 8985 §6.2 step 4, tcp_rack_reo_wnd with reo_wnd_steps = 1);
	// with three or more segments SACKed above a hole and no reordering
	// seen, it is 0, like three duplicate ACKs.
	rackReoDivisor = 4
	// TCP_TIMEOUT_MIN: RACK's timer and a probe with several packets in
	// flight wait 2 ms (2 jiffies) more.
	timerSlack = 2 * sim.Millisecond
)

// rackRecovery is a Linux sender's loss-recovery state: the congestion
// state machine (tcp_fastretrans_alert), RACK's most recently delivered
// segment (RFC 8985 §6.1), proportional rate reduction (RFC 6937), the
// tail loss probe (RFC 8985 §7) and what an undo needs (RFC 3522,
// RFC 5682).
type rackRecovery struct {
	state   caState
	highSeq int64 // snd_nxt when the reduction or recovery began

	// PRR.
	prrDelivered, prrOut int
	priorCwndPkts        int64

	// RACK: the most recently sent segment known delivered.
	rackSent   sim.Time
	rackEnd    int64
	rackRTT    sim.Time
	advanced   bool
	probeIsReo bool // probeTimer is RACK's reordering timer, not a TLP

	// Tail loss probe.
	tlpHighSeq int64 // snd_nxt when the probe went, 0 if none outstanding
	tlpRetrans bool  // the probe was a retransmission

	// Undo.
	undoMarker   bool
	undoRetrans  int      // retransmissions not proven unnecessary by a D-SACK
	retransStamp sim.Time // first retransmission of the episode (for Eifel), 0 if none
	frto         bool
	frtoNew      bool // F-RTO step 2b: this ACK sends new data, not retransmissions
}

// inReduction is tcp_in_cwnd_reduction: PRR is setting the window.
func (e *Endpoint) inReduction() bool {
	if !e.rack() {
		return e.nr.inRecovery
	}
	return e.rec.state == caCWR || e.rec.state == caRecovery
}

// addSACK fills seg's SACK blocks from the receiver's out-of-order data:
// a D-SACK first if a duplicate arrived, then the block that grew last,
// then the others from the highest (RFC 2018 §4, RFC 2883 §4). It returns
// the option bytes they take.
func (e *Endpoint) addSACK(seg *Segment) int {
	n := 0
	if e.dsack.end > e.dsack.start {
		seg.Sack[0], seg.DSack, n = e.dsack, true, 1
		e.dsack = span{}
	}
	// An out-of-order FIN is SACKed too: it sits in Linux's out-of-order
	// queue with the sequence number it takes.
	blocks := e.ooo
	last := e.oooLast
	if e.peerFin > e.rcvNxt {
		blocks = append(e.sackScratch[:0], e.ooo...)
		fin := span{e.peerFin, e.peerFin + 1}
		if k := len(blocks) - 1; k >= 0 && blocks[k].end == e.peerFin {
			blocks[k].end++
		} else {
			blocks = append(blocks, fin)
		}
		e.sackScratch = blocks
		if last.end == e.peerFin || last.end <= last.start {
			last = fin
		}
	}
	if len(blocks) > 0 {
		lastIdx := -1
		for i, s := range blocks {
			if s.start <= last.start && last.start < s.end {
				lastIdx = i
			}
		}
		if lastIdx >= 0 && n < maxSACK {
			seg.Sack[n] = blocks[lastIdx]
			n++
		}
		for i := len(blocks) - 1; i >= 0 && n < maxSACK; i-- {
			if i != lastIdx {
				seg.Sack[n] = blocks[i]
				n++
			}
		}
	}
	seg.NSack = uint8(n)
	return sackOptionBytes(n)
}

// rackAck processes an ACK for a Linux sender (tcp_ack): cumulative and
// selective acknowledgements, the RTT sample, the tail loss probe's
// outcome, RACK loss detection and the state machine, the window (PRR in
// recovery, slow start or CUBIC otherwise), timers, and transmission.
func (e *Endpoint) rackAck(seg Segment) {
	ack := seg.Ack
	if ack > e.sndMax {
		return // acknowledges something never sent
	}
	now := e.conn.net.sim.Now()
	advanced := ack > e.sndUna
	synAck := advanced && ack == 1 && !e.state.synchronized()
	r := newAckResult()
	acked := int64(0)
	if advanced {
		end := e.dataEnd()
		acked = max(0, min(ack, end)-max(e.sndUna, 1))
		e.sb.ackTo(ack, &r)
	}
	dsack := false
	for i := 0; i < int(seg.NSack); i++ {
		b := seg.Sack[i]
		if i == 0 && seg.DSack {
			dsack = true
			if e.rec.undoRetrans > 0 {
				e.rec.undoRetrans--
			}
			continue
		}
		e.sb.sack(b.start, b.end, &r)
	}
	windowChanged := int64(seg.Wnd) != e.rwnd
	e.rwnd = int64(seg.Wnd)
	if advanced {
		e.sndUna = ack
		if e.sndNxt < ack {
			e.sndNxt = ack
		}
		e.retries = 0
		e.noteData()
	}
	if synAck {
		e.synAcked(seg)
	} else if advanced || r.newlySACKed > 0 {
		// tcp_ack_update_rtt: the earliest newly acknowledged segment sent
		// once; else, after retransmissions, the echoed timestamp.
		switch {
		case r.firstSent >= 0:
			e.rtt.sampleLinux(now-r.firstSent, e.sndUna, e.sndNxt)
		case advanced && seg.TSecr > 0:
			e.rtt.sampleLinux(max(now-seg.TSecr, sim.Millisecond), e.sndUna, e.sndNxt)
		}
		if r.lastSent >= 0 {
			e.cubicAcked(now - r.lastSent)
		}
		e.rackAdvance(&r, seg.TSecr, now)
	}
	if e.rec.tlpHighSeq != 0 {
		e.tlpAck(ack, advanced, seg.Len > 0 || windowChanged || advanced, r.newlySACKed > 0, dsack)
	}
	dubious := !advanced || r.newlySACKed > 0 || dsack || e.rec.state != caOpen
	setTimer := advanced
	if dubious && e.state.synchronized() {
		if e.fastRetransAlert(advanced, &r, dsack, seg.TSecr) {
			setTimer = false // RACK armed its reordering timer
		}
	}
	if setTimer {
		if e.sb.packetsOut() == 0 {
			e.rtoTimer.Stop()
			e.probeTimer.Stop()
		} else if !e.scheduleProbe(true) {
			e.rearmRTO()
		}
	}
	// tcp_cong_control: PRR while reducing, else grow on data acked.
	if e.inReduction() {
		e.prr(r.delivered, advanced)
	} else if acked > 0 && !synAck {
		if why := e.growOnAck(acked, r.delivered); why != trace.NoState {
			e.recordCwnd(why, acked)
		}
	}
	if e.finQueued && ack == e.dataEnd()+1 && advanced {
		e.finAcked()
		if e.state == Closed || e.state == TimeWait {
			return
		}
	}
	e.output()
	e.rec.frtoNew = false
	e.windowOpened()
}

// rackAdvance is tcp_rack_advance for the most recently sent segment
// this ACK delivered: a retransmission whose delivery may be the
// original's (its timestamp echo predates it, or it came back faster
// than any round trip) does not count.
func (e *Endpoint) rackAdvance(r *ackResult, tsecr sim.Time, now sim.Time) {
	if r.rackSent < 0 {
		return
	}
	rtt := now - r.rackSent
	if r.rackRetx && (rtt < e.rtt.minRTT || tsecr > 0 && tsecr < r.rackSent) {
		return
	}
	e.rec.advanced = true
	e.rec.rackRTT = rtt
	if sentAfter(r.rackSent, r.rackEnd, e.rec.rackSent, e.rec.rackEnd) {
		e.rec.rackSent, e.rec.rackEnd = r.rackSent, r.rackEnd
	}
}

// reoWindow is tcp_rack_reo_wnd: no reordering is ever seen on the
// model's links, so the window is 0 in recovery or once three segments
// are SACKed, else a quarter of the minimum RTT, at most SRTT.
func (e *Endpoint) reoWindow() sim.Time {
	if e.rec.state >= caRecovery || e.sb.sacked >= dupThresh {
		return 0
	}
	return min(e.rtt.minRTT/rackReoDivisor, e.rtt.srtt)
}

// rackDetect is tcp_rack_detect_loss: every segment sent before the most
// recently delivered one and still unacknowledged RACK.rtt + reo_wnd
// after it was sent is lost. It returns how long until the next one
// would be, or 0.
func (e *Endpoint) rackDetect() sim.Time {
	now := e.conn.net.sim.Now()
	reo := e.reoWindow()
	wait := sim.Time(0)
	l := e.sb.live()
	for i := range l {
		s := &l[i]
		if s.sacked || s.lost && !s.retxOut {
			continue
		}
		if !sentAfter(e.rec.rackSent, e.rec.rackEnd, s.sent, s.end) {
			continue
		}
		left := e.rec.rackRTT + reo - (now - s.sent)
		if left <= 0 {
			e.sb.markLost(s)
		} else {
			wait = max(wait, left)
		}
	}
	return wait
}

// rackMarkLost is tcp_rack_mark_lost: detection after an ACK that moved
// RACK on; if a segment may still be lost, the reordering timer is armed
// and it reports true.
func (e *Endpoint) rackMarkLost() bool {
	if !e.rec.advanced {
		return false
	}
	e.rec.advanced = false
	wait := e.rackDetect()
	if wait == 0 {
		return false
	}
	e.armProbe(wait+timerSlack, true)
	return true
}

// fastRetransAlert is tcp_fastretrans_alert for a SACK sender. It
// reports whether RACK's timer was armed.
func (e *Endpoint) fastRetransAlert(advanced bool, r *ackResult, dsack bool, tsecr sim.Time) bool {
	armed := e.rackMarkLost()
	switch {
	case e.rec.state == caOpen:
		e.rec.retransStamp = 0
	case e.sndUna >= e.rec.highSeq:
		switch e.rec.state {
		case caCWR:
			if e.sndUna != e.rec.highSeq {
				e.endReduction(trace.CwndRecovered)
				e.rec.state = caOpen
			}
		case caRecovery:
			if e.tryUndo(tsecr, false) {
				return armed
			}
			e.endReduction(trace.CwndRecovered)
			e.rec.state = caOpen
		}
	}
	switch e.rec.state {
	case caRecovery:
		// Retransmit what is marked lost (output).
	case caLoss:
		e.processLoss(advanced, r, tsecr)
	default:
		if e.sb.lost == 0 {
			e.tryKeepOpen()
			return armed
		}
		e.enterRecovery()
	}
	return armed
}

// tryKeepOpen is tcp_try_keep_open (and tcp_try_to_open): Disorder while
// segments are SACKed or retransmitted, Open otherwise.
func (e *Endpoint) tryKeepOpen() {
	if e.rec.state == caCWR {
		return
	}
	st := caOpen
	if e.sb.sacked > 0 || e.sb.lost > 0 || e.sb.retrans > 0 {
		st = caDisorder
	}
	if e.rec.state != st {
		e.rec.state = st
		e.rec.highSeq = e.sndNxt
	}
}

// enterRecovery is tcp_enter_recovery: ssthresh falls (CUBIC: to 0.7 of
// cwnd), and PRR will bring cwnd down to it over the next round trip as
// ACKs come back, retransmitting the lost segments first.
func (e *Endpoint) enterRecovery() {
	e.rec.undoMarker, e.rec.undoRetrans = true, 0
	e.cc.priorSsthresh = 0
	if !e.inReduction() {
		e.cc.priorSsthresh = e.currentSsthresh()
		e.initReduction()
	}
	e.rec.state = caRecovery
	e.recordCwnd(trace.CwndLoss, 0)
}

// initReduction is tcp_init_cwnd_reduction.
func (e *Endpoint) initReduction() {
	e.rec.highSeq = e.sndNxt
	e.rec.tlpHighSeq = 0
	e.cc.cwndCnt = 0
	e.cc.priorCwnd = e.cc.cwnd
	e.rec.priorCwndPkts = e.cwndPackets()
	e.rec.prrDelivered, e.rec.prrOut = 0, 0
	e.cc.ssthresh = e.lossThreshold()
}

// endReduction is tcp_end_cwnd_reduction: the window is ssthresh.
func (e *Endpoint) endReduction(why trace.State) {
	if e.cc.ssthresh < unlimitedBytes/2 && (e.rec.state == caCWR || e.rec.undoMarker) {
		e.cc.cwnd = e.cc.ssthresh
		e.cc.cwndStamp = e.conn.net.sim.Now()
	}
	e.recordCwnd(why, 0)
}

// prr is tcp_cwnd_reduction (RFC 6937 §3): while the flight is above
// ssthresh, send in proportion to what is delivered (ssthresh/prior
// cwnd of it); below, catch up by slow start, at most to ssthresh; and
// always let the first retransmission out.
func (e *Endpoint) prr(newly int, unaAdvanced bool) {
	if newly <= 0 || e.rec.priorCwndPkts == 0 {
		return
	}
	e.rec.prrDelivered += newly
	thresh := e.cc.ssthresh / int64(e.cfg.MSS)
	flight := int64(e.flightPackets())
	delta := thresh - flight
	var snd int64
	if delta < 0 {
		snd = (thresh*int64(e.rec.prrDelivered)+e.rec.priorCwndPkts-1)/e.rec.priorCwndPkts - int64(e.rec.prrOut)
	} else {
		snd = max(int64(e.rec.prrDelivered-e.rec.prrOut), int64(newly))
		if unaAdvanced {
			snd++
		}
		snd = min(delta, snd)
	}
	if e.rec.prrOut == 0 {
		snd = max(snd, 1)
	}
	snd = max(snd, 0)
	e.cc.cwnd = (flight + snd) * int64(e.cfg.MSS)
	e.recordCwnd(trace.CwndPRR, 0)
}

// retransmitLost is tcp_xmit_retransmit_queue: resend segments marked
// lost, oldest first, while the window has room.
func (e *Endpoint) retransmitLost() {
	if e.sb.lost == 0 || e.rec.frtoNew {
		return
	}
	l := e.sb.live()
	for i := range l {
		if e.flight() >= e.cc.cwnd || e.sb.retrans >= e.sb.lost {
			return
		}
		s := &l[i]
		if !s.lost || s.sacked || s.retxOut {
			continue
		}
		why := trace.RetxLost
		if e.rec.state == caLoss {
			why = trace.RetxAfterTimeout
		}
		e.retransmitSeg(s, why)
		if e.inReduction() {
			e.rec.prrOut++
		}
	}
}

// retransmitSeg sends s again.
func (e *Endpoint) retransmitSeg(s *txSeg, why string) {
	n := e.conn.net
	now := n.sim.Now()
	n.rec.Record(trace.Record{At: now, Kind: trace.Retransmit, Conn: e.conn.ID, Dir: e.side, Seq: s.start, Note: why})
	e.sb.retransmitted(s, now)
	if e.rec.retransStamp == 0 {
		e.rec.retransStamp = now
	}
	e.rec.undoRetrans++
	start, end := s.start, s.end
	dataEnd := e.dataEnd()
	switch {
	case start < dataEnd:
		last := min(end, dataEnd)
		flags := e.dataFlags(start, last-start)
		e.xmit(flags, start, int(last-start), true, "")
	default:
		e.xmit(trace.FIN|trace.ACK, start, 0, true, "")
	}
}

// scheduleProbe is tcp_schedule_loss_probe: in the Open or CWR state,
// with data in flight, a probe after two round trips (plus 200 ms with
// one segment out, so that its delayed ACK comes back first), no later
// than the RTO would fire. advancing says the RTO restarts from now.
func (e *Endpoint) scheduleProbe(advancing bool) bool {
	if e.sb.packetsOut() == 0 || e.rec.state != caOpen && e.rec.state != caCWR || !e.state.synchronized() {
		return false
	}
	if e.rec.probeIsReo && e.probeTimer.Armed() {
		return false
	}
	now := e.conn.net.sim.Now()
	t := e.cfg.InitialRTO
	if e.rtt.have {
		t = 2 * e.rtt.srtt
		if e.sb.packetsOut() == 1 {
			t += e.cfg.MinRTO
		} else {
			t += timerSlack
		}
	}
	rto := e.rtt.rto
	if !advancing {
		rto = e.sb.live()[0].sent + e.rtt.rto - now
	}
	if rto > 0 {
		t = min(t, rto)
	}
	e.armProbe(t, false)
	return true
}

// armProbe arms Linux's second transmit timer: RACK's (reo) or the tail
// loss probe; like Linux's single pending timer it replaces the RTO.
func (e *Endpoint) armProbe(t sim.Time, reo bool) {
	if e.noDataRTO {
		return
	}
	e.rtoTimer.Stop()
	e.rec.probeIsReo = reo
	e.probeTimer.Reset(max(t, 1))
}

// rearmRTO is tcp_rearm_rto: the RTO runs from the head segment's
// transmission if a probe timer was pending, else from now.
func (e *Endpoint) rearmRTO() {
	if e.sb.packetsOut() == 0 && e.state.synchronized() {
		e.rtoTimer.Stop()
		e.probeTimer.Stop()
		return
	}
	t := e.rtt.rto
	if e.probeTimer.Armed() && e.sb.packetsOut() > 0 {
		t = max(e.sb.live()[0].sent+e.rtt.rto-e.conn.net.sim.Now(), 1)
	}
	if e.noDataRTO && e.state.synchronized() {
		return
	}
	e.probeTimer.Stop()
	e.rtoTimer.Reset(t)
}

// onProbeTimer fires RACK's reordering timer or the tail loss probe.
func (e *Endpoint) onProbeTimer() {
	if !e.state.synchronized() && e.state != FinWait1 {
		return
	}
	if e.rec.probeIsReo {
		e.reoTimeout()
		return
	}
	e.sendProbe()
}

// reoTimeout is tcp_rack_reo_timeout.
func (e *Endpoint) reoTimeout() {
	before := e.flightPackets()
	wait := e.rackDetect()
	if e.flightPackets() != before {
		if e.rec.state != caRecovery {
			e.enterRecovery()
			e.prr(1, false)
		}
		e.output()
	}
	if wait > 0 {
		e.armProbe(wait+timerSlack, true)
		return
	}
	if !e.rtoTimer.Armed() {
		e.rearmRTO()
	}
}

// sendProbe is tcp_send_loss_probe (RFC 8985 §7.3): one new segment if
// the windows allow it, else the last segment again; one probe per
// episode.
func (e *Endpoint) sendProbe() {
	defer func() {
		if !e.rtoTimer.Armed() {
			e.rearmRTO()
		}
	}()
	if e.rec.tlpHighSeq != 0 || e.sb.packetsOut() == 0 {
		return
	}
	e.rec.tlpRetrans = false
	if e.sndNxt < e.dataEnd() {
		n := min(e.segmentSize(), e.dataEnd()-e.sndNxt)
		if n > 0 && e.sndNxt+n-e.sndUna <= e.rwnd {
			e.sendData(e.sndNxt, n, false)
			e.rec.tlpHighSeq = e.sndNxt
			e.probeTimer.Stop()
			e.rtoTimer.Reset(e.rtt.rto)
			return
		}
	}
	l := e.sb.live()
	for i := len(l) - 1; i >= 0; i-- {
		if !l[i].sacked {
			e.retransmitSeg(&l[i], trace.RetxTailLossProbe)
			e.rec.tlpRetrans = true
			e.rec.tlpHighSeq = e.sndNxt
			e.probeTimer.Stop()
			e.rtoTimer.Reset(e.rtt.rto)
			return
		}
	}
}

// tlpAck is tcp_process_tlp_ack: once the ACK reaches the probe, either
// the probe was new data or both copies arrived (nothing lost), or the
// probe repaired a loss and the window is cut at once (RFC 8985 §7.4).
func (e *Endpoint) tlpAck(ack int64, advanced, notDup, sacked, dsack bool) {
	if ack < e.rec.tlpHighSeq {
		return
	}
	switch {
	case !e.rec.tlpRetrans || dsack:
		e.rec.tlpHighSeq = 0
	case ack > e.rec.tlpHighSeq:
		e.initReduction()
		e.rec.state = caCWR
		e.endReduction(trace.CwndProbeLoss)
		e.tryKeepOpen()
	case !(advanced || notDup || sacked):
		e.rec.tlpHighSeq = 0
	}
}

// rackTimeout is tcp_retransmit_timer and tcp_enter_loss for a SACK
// sender: everything not SACKed (but what was sent too recently to be
// judged) is lost, ssthresh falls unless this loss episode already cut
// it, cwnd is one segment, CUBIC forgets its curve, the head segment goes
// again, and F-RTO will tell a spurious timeout by the next ACKs.
func (e *Endpoint) rackTimeout() {
	now := e.conn.net.sim.Now()
	newRecovery := e.rec.state < caRecovery
	e.rec.tlpHighSeq = 0
	l := e.sb.live()
	for i := range l {
		s := &l[i]
		if s.sacked {
			continue
		}
		if i > 0 && e.rec.rackRTT-(now-s.sent) > 0 {
			continue // sent too recently to call lost
		}
		e.sb.markLost(s)
	}
	if e.rec.state <= caDisorder || e.rec.highSeq <= e.sndUna || e.rec.state == caLoss && e.retries == 1 {
		e.cc.priorSsthresh = e.currentSsthresh()
		e.cc.priorCwnd = e.cc.cwnd
		e.cc.ssthresh = e.lossThreshold()
		e.rec.undoMarker, e.rec.undoRetrans = true, 0
	}
	e.setCwndPackets(int64(e.flightPackets()) + 1)
	e.cc.cwndCnt = 0
	e.cc.cwndStamp = now
	e.rec.state = caLoss
	if e.cfg.Avoidance == Cubic {
		e.cubicReset()
	}
	e.rec.highSeq = e.sndNxt
	e.rec.frto = newRecovery || e.retries > 1
	e.recordCwnd(trace.CwndTimeout, 0)
	if len(l) > 0 {
		e.retransmitSeg(&e.sb.live()[0], trace.RetxTimeout)
	}
	e.rtt.backoff()
	e.probeTimer.Stop()
	e.rtoTimer.Reset(e.rtt.rto)
}

// processLoss is tcp_process_loss: in the Loss state, an ACK that proves
// the timeout spurious undoes it (Eifel's timestamp test, or F-RTO's
// never-retransmitted data acknowledged); the first ACK that moves on
// sends new data instead of more retransmissions (F-RTO step 2b); the
// end of the episode returns to Open.
func (e *Endpoint) processLoss(advanced bool, r *ackResult, tsecr sim.Time) {
	recovered := e.sndUna >= e.rec.highSeq
	if advanced && e.tryUndo(tsecr, true) {
		return
	}
	if e.rec.frto {
		if r.origAcked && e.undoLoss(true) {
			return
		}
		if e.sndNxt > e.rec.highSeq {
			if r.newlySACKed > 0 || !advanced {
				e.rec.frto = false // step 3a: the loss was real
			}
		} else if advanced && !recovered {
			e.rec.highSeq = e.sndNxt
			if e.sndNxt < e.dataEnd() && e.sndNxt < e.sndUna+e.rwnd {
				e.rec.frtoNew = true
				return
			}
			e.rec.frto = false
		}
	}
	if recovered {
		e.tryUndo(tsecr, false)
		e.rec.state = caOpen
	}
}

// mayUndo is tcp_may_undo: every retransmission was D-SACKed, or the
// ACK echoes a timestamp older than the first retransmission (the
// original got through: RFC 3522).
func (e *Endpoint) mayUndo(tsecr sim.Time) bool {
	if !e.rec.undoMarker {
		return false
	}
	return e.rec.undoRetrans == 0 || e.rec.retransStamp > 0 && tsecr > 0 && tsecr < e.rec.retransStamp
}

// tryUndo undoes a reduction the ACK proves unnecessary; loss says the
// episode is a timeout's (tcp_try_undo_loss), else a recovery's
// (tcp_try_undo_recovery).
func (e *Endpoint) tryUndo(tsecr sim.Time, loss bool) bool {
	if !e.mayUndo(tsecr) {
		if !loss {
			e.rec.state = caOpen
		}
		return false
	}
	if loss {
		return e.undoLoss(false)
	}
	e.undo()
	e.rec.state = caOpen
	return true
}

func (e *Endpoint) undoLoss(frto bool) bool {
	e.undo()
	e.retries = 0
	e.rec.state = caOpen
	return true
}

// undo is tcp_undo_cwnd_reduction: the window and threshold from before.
func (e *Endpoint) undo() {
	e.sb.clearLost()
	if e.cc.priorSsthresh > 0 {
		e.cc.cwnd = max(e.cc.cwnd, e.cc.priorCwnd)
		if e.cc.priorSsthresh > e.cc.ssthresh {
			e.cc.ssthresh = e.cc.priorSsthresh
		}
	}
	e.rec.undoMarker = false
	e.rec.retransStamp = 0
	e.recordCwnd(trace.CwndUndo, 0)
}
