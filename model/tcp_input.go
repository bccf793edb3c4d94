package model

import "github.com/keepalive-sim/keepalive/model/trace"

// receive processes a segment that arrived for this endpoint
// (RFC 9293 §3.10.7, simplified to what a page load needs).
func (e *Endpoint) receive(seg Segment) {
	if seg.Flags&trace.RST != 0 {
		switch {
		case e.state == TimeWait:
			// An RST at the sequence number expected next ends TIME-WAIT
			// at once, as RFC 9293 §3.10.7.4 says and Linux does
			// (tcp_timewait_state_process, with net.ipv4.tcp_rfc1337 at
			// its default 0): the "TIME-WAIT assassination" of RFC 1337.
			// Any other RST is ignored.
			if seg.Seq == e.rcvNxt {
				e.twTimer.Stop()
				e.onTimeWait()
			}
		case e.state != Closed && e.state != Listen:
			e.reset("connection reset by peer")
		}
		return
	}
	e.heard()
	if seg.Flags&trace.SYN != 0 || seg.Seq <= e.ack.rcvWup {
		e.tsRecent = seg.TSval // RFC 7323 §4.3: from the segment at the left edge
	}
	switch e.state {
	case Closed:
		// Nothing listens here any more: answer with a reset (§3.10.7.1).
		e.xmit(trace.RST, seg.Ack, 0, false, "RST")
		return
	case Listen:
		if seg.Flags&trace.SYN == 0 {
			return
		}
		if !e.app.onSyn() {
			return // the server's backlog is full: the SYN is dropped
		}
		e.rcvNxt = seg.Seq + 1
		e.ack.rcvWup = e.rcvNxt
		e.rwnd = int64(seg.Wnd)
		e.setState(SynReceived)
		e.recordCwnd(trace.CwndInitial, 0)
		e.sendSyn(false)
		return
	case SynSent:
		if seg.Flags&(trace.SYN|trace.ACK) != trace.SYN|trace.ACK || seg.Ack != 1 {
			return
		}
		e.rcvNxt = seg.Seq + 1
		e.ack.rcvWup = e.rcvNxt
		e.rwnd = int64(seg.Wnd)
		e.ackReceived(seg)
		e.setState(Established)
		e.rwin.established(e.rcvNxt, e.conn.net.sim.Now())
		if !e.cfg.AckWithData {
			e.sendAck() // as real stacks do: the ACK first, data after
		}
		e.established() // the application may write now
		if e.cfg.AckWithData && e.sndMax == 1 {
			e.sendAck() // nothing rode on the final ACK
		}
		e.output()
		return
	}

	if seg.Flags&trace.SYN != 0 {
		// A retransmitted SYN or SYN-ACK: our reply was lost. Answer again.
		if e.state == SynReceived {
			e.sendSyn(true)
		} else {
			e.sendAck()
		}
		return
	}
	if seg.Flags&trace.ACK != 0 {
		if e.state == SynReceived && seg.Ack >= 1 {
			e.ackReceived(seg)
			e.setState(Established)
			e.rwin.established(e.rcvNxt, e.conn.net.sim.Now())
			e.established()
			if e.state == Established && e.finQueued {
				e.setState(FinWait1)
			}
		} else {
			e.ackReceived(seg)
		}
		if e.state == Closed {
			return
		}
		if seg.Len == 0 && seg.Flags == trace.ACK && seg.Seq < e.rcvNxt {
			// A keep-alive probe (RFC 9293 §3.8.4): answer it.
			e.xmit(trace.ACK, e.sndNxt, 0, false, trace.ProbeAckLabel)
			return
		}
	}
	if seg.Len > 0 || seg.Flags&trace.FIN != 0 {
		e.dataReceived(seg)
	}
}

func (e *Endpoint) established() {
	e.app.onEstablished()
}

// reset tears the connection down after an RST or after giving up.
func (e *Endpoint) reset(why string) {
	e.teardown(Closed)
	e.app.onReset(why)
}

// dataReceived handles payload and FIN: in-order bytes go to the
// application, out-of-order ones wait, and ACKs follow the receiver's
// policy (tcp_ack.go).
func (e *Endpoint) dataReceived(seg Segment) {
	start := seg.Seq
	end := start + int64(seg.Len)
	segEnd := end
	if seg.Flags&trace.FIN != 0 {
		e.peerFin = end
		segEnd++
	}
	linux := e.linuxAcks()
	if segEnd <= e.rcvNxt {
		// A duplicate: the peer missed our ACK, or retransmitted too soon.
		if e.rack() && end > start {
			e.dsack = span{start, end}
		}
		if linux {
			e.oldData()
		}
		e.sendAck()
		if e.state == TimeWait && seg.Flags&trace.FIN != 0 {
			e.twTimer.Reset(e.cfg.TimeWait) // RFC 9293 §3.10.7.4: restart the 2·MSL timeout
		}
		return
	}
	if start > e.rcvNxt {
		if seg.Len > 0 {
			if e.rack() && covered(e.ooo, start, end) {
				e.dsack = span{start, end}
			}
			e.ooo = insertSpan(e.ooo, span{start, end})
			e.oooLast = span{start, end}
		}
		if !linux {
			e.sendAck() // out of order: a duplicate ACK at once (RFC 5681 §4.2)
			return
		}
		e.ack.scheduled = true
		e.rwin.segment(int64(seg.Len), seg.Len >= e.cfg.MSS)
		e.ackCheck(true)
		return
	}
	before := e.rcvNxt
	filledGap := len(e.ooo) > 0
	if end > e.rcvNxt {
		e.rcvNxt = end
	}
	for len(e.ooo) > 0 && e.ooo[0].start <= e.rcvNxt {
		e.rcvNxt = max(e.rcvNxt, e.ooo[0].end)
		e.ooo = e.ooo[1:]
	}
	n := e.rcvNxt - before
	if linux {
		e.linuxDataReceived(seg, n, filledGap)
		return
	}
	if n > 0 {
		e.app.onData(int(n))
	}
	if e.state == Closed { // the application aborted
		return
	}
	if e.peerFin >= 0 && e.rcvNxt == e.peerFin {
		e.rcvNxt++ // the FIN takes one sequence number
		e.finReceived()
		return
	}
	switch {
	case e.ack.lastAck == e.rcvNxt:
		// The application answered at once and its data carried the ACK.
	case !e.cfg.DelayedAck || filledGap:
		e.sendAck()
	case seg.Len >= e.cfg.MSS && e.ack.unacked >= 1:
		e.sendAck() // the second full-sized segment
	default:
		if seg.Len >= e.cfg.MSS {
			e.ack.unacked++
		}
		if !e.ack.timer.Armed() {
			e.ack.timer.Reset(e.cfg.DelayedAckDelay)
		}
	}
}

// linuxDataReceived is the rest of dataReceived for a Linux receiver, in
// the kernel's order: the segment is accounted and the ACK decided (in
// the softirq), then the application reads it and may answer (its data
// carrying the ACK), then the read may release an ACK still owed.
func (e *Endpoint) linuxDataReceived(seg Segment, n int64, filledGap bool) {
	now := e.conn.net.sim.Now()
	if seg.Len > 0 {
		e.dataArrived(int64(seg.Len), seg.Flags&trace.PSH != 0)
		if int64(seg.Len) >= e.ack.rcvMSS && seg.TSecr > 0 {
			e.rwin.sampleRTT(now - seg.TSecr)
		}
	}
	if filledGap && len(e.ooo) == 0 {
		e.ack.now = true // RFC 5681 §4.2: the gap is filled
	}
	fin := e.peerFin >= 0 && e.rcvNxt == e.peerFin
	if fin {
		e.rcvNxt++ // the FIN takes one sequence number
		e.ack.scheduled = true
	} else {
		e.ackCheck(false) // with a FIN, finReceived decides (tcp_fin)
	}
	if n > 0 {
		e.app.onData(int(n))
	}
	if e.state == Closed { // the application aborted
		return
	}
	e.rwin.read(e.rcvNxt, now)
	if fin {
		e.finReceived()
		return
	}
	e.readDone()
}

// covered reports whether [start, end) is already inside spans.
func covered(spans []span, start, end int64) bool {
	for _, s := range spans {
		if s.start <= start && end <= s.end {
			return true
		}
	}
	return false
}

// finReceived moves through the closing states when the peer's FIN
// arrives in order, and acknowledges it: at once, or (a Linux receiver
// in ESTABLISHED) with the application's own FIN or after the delayed-ACK
// timer (tcp_fin).
func (e *Endpoint) finReceived() {
	switch e.state {
	case Established, SynReceived:
		e.setState(CloseWait)
	case FinWait1: // simultaneous close: our FIN is not acknowledged yet
		e.setState(Closing)
	case FinWait2:
		e.sendAck()
		e.teardown(TimeWait)
		return
	}
	if e.state == CloseWait && e.linuxAcks() {
		e.delayFin()
	} else {
		e.sendAck()
	}
	if e.state == CloseWait {
		e.app.onEOF()
	}
}

// finAcked moves on once the peer has acknowledged our FIN.
func (e *Endpoint) finAcked() {
	switch e.state {
	case FinWait1:
		e.setState(FinWait2)
	case Closing:
		e.teardown(TimeWait)
	case LastAck:
		e.teardown(Closed)
		e.app.onClosed()
	}
}

func insertSpan(s []span, v span) []span {
	i := 0
	for i < len(s) && s[i].start < v.start {
		i++
	}
	s = append(s, span{})
	copy(s[i+1:], s[i:])
	s[i] = v
	// merge overlapping neighbours
	out := s[:0]
	for _, x := range s {
		if n := len(out); n > 0 && x.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, x.end)
			continue
		}
		out = append(out, x)
	}
	return out
}
