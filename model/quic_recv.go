package model

import (
	"maps"
	"slices"
	"time"

	"github.com/keepalive-sim/keepalive/model/quic"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// deliver hands an arrived datagram to the end on side to.
func (q *quicConn) deliver(seg Segment, to trace.Dir) {
	e := q.client
	if to == trace.Down {
		e = q.server
	}
	e.receive(seg)
}

// receive takes a datagram: its packets in order, then whatever they
// let the end send.
func (e *quicEnd) receive(seg Segment) {
	if e.closed {
		return
	}
	e.received += seg.Wire - e.q.udpOverhead()
	e.resetIdle()
	e.sentSinceRecv = false
	for _, p := range seg.quic.packets {
		e.process(p)
	}
	e.flush()
}

// process takes one packet, or holds it until it may be read (RFC 9001
// §5.7): until its keys are installed (the ServerHello's keys decrypt
// what follows it), and at the server a 1-RTT packet until the
// handshake is complete, when the client's Finished has arrived (0-RTT
// packets are read at once).
func (e *quicEnd) process(p *qPacket) {
	sp := p.space
	if e.dropped[sp] || e.closed {
		return
	}
	if !e.keys[sp] || sp == quic.ApplicationData && !e.oneRTT && (!e.server() || !p.early) {
		e.held = append(e.held, p)
		return
	}
	if !e.server() {
		e.peerCID = true // the server's connection ID from its first packet on
	} else if e.state == trace.NoState {
		e.setState(trace.QUICHandshake)
		e.recordCwnd(trace.CwndInitial, 0)
	}
	if e.server() && sp == quic.Handshake && !e.validated {
		// A Handshake packet proves the client's address (RFC 9000 §8.1);
		// the server then discards its Initial keys (RFC 9001 §4.9.1).
		e.validated, e.rec.AtAmplificationLimit = true, false
		e.discard(quic.Initial)
	}
	now := e.now()
	if e.recv[sp].Received(p.pn, p.ackEliciting, now) {
		e.ackDue[sp] = true
	}
	if p.ackEliciting {
		e.ackNew[sp] = true
	}
	for i := range p.frames {
		e.frame(sp, &p.frames[i])
		if e.closed {
			return
		}
	}
}

// frame takes one frame of a packet of space sp.
func (e *quicEnd) frame(sp quic.Space, f *qFrame) {
	now := e.now()
	switch f.kind {
	case qfAck:
		if !e.anyAcked[sp] || f.ranges[0].Largest > e.largestAcked[sp] {
			e.largestAcked[sp], e.anyAcked[sp] = f.ranges[0].Largest, true
		}
		delay := f.delay
		if e.q.ideal {
			delay = 0
		}
		cc := e.rec.CC
		slow, ssthresh := cc.Window < cc.SSThresh, cc.SSThresh
		acked, lost := e.rec.OnAck(sp, f.ranges, delay, now, !e.cwndLimited())
		e.onAcked(sp, acked)
		e.onLost(sp, lost)
		switch {
		case len(lost) > 0:
			e.recordCwnd(e.lossState(), 0)
		case slow && cc.SSThresh != ssthresh:
			e.recordCwnd(trace.CwndHyStart, ackedBytes(acked))
		case slow:
			e.recordCwnd(trace.CwndSlowStart, ackedBytes(acked))
		default:
			e.recordCwnd(trace.CwndAvoidance, ackedBytes(acked))
		}
	case qfCrypto:
		in := &e.cryptoIn[sp]
		in.Receive(f.off, f.n, false)
		if !e.gotAll[sp] && e.flights[sp] > 0 && in.Readable >= e.flights[sp] {
			e.gotAll[sp] = true
			e.gotCrypto(sp)
			e.release()
		}
	case qfStream:
		if e.gone(f.stream) {
			return // a late copy: the stream ended both ways
		}
		st := e.stream(f.stream)
		if n := st.in.Receive(f.off, f.n, f.fin); n > 0 || f.fin && st.in.Done() {
			e.read(st, n)
			if !e.closed {
				e.done(st)
			}
		}
	case qfMaxStreams:
		if f.value > e.streamLimit {
			e.streamLimit = f.value
			if e.onMaxStreams != nil {
				e.onMaxStreams()
			}
		}
	case qfMaxData:
		e.connWin.OnMax(f.value)
		// The blocked streams again, in the order of their IDs: the map's
		// order is random, and a run must not be.
		for _, id := range slices.Sorted(maps.Keys(e.streams)) {
			if st := e.streams[id]; st.out.sent < st.out.written {
				e.sched.Activate(id)
			}
		}
	case qfMaxStreamData:
		if st := e.streams[f.stream]; st != nil {
			st.win.OnMax(f.value)
			e.sched.Activate(f.stream)
		}
	case qfHandshakeDone:
		if !e.server() {
			// The handshake is confirmed at the client (RFC 9001 §4.1.2).
			e.rec.Confirmed = true
			e.discard(quic.Handshake)
		}
	case qfClose:
		e.shut("the peer closed the QUIC connection (CONNECTION_CLOSE)")
	}
}

// read hands n newly in-order bytes of st to the application, which
// reads them at once, and raises the peer's limits as quic-go does when
// a quarter of a window has been read (quic.ReceiveWindow).
func (e *quicEnd) read(st *qStream, n uint64) {
	cfg := e.q.cfg
	if n > 0 {
		e.onStream(st.id, int(n))
	}
	if e.closed {
		return
	}
	srtt := e.rec.RTT.Smoothed
	if cfg.StreamWindow != Unlimited && !st.in.FinKnown {
		st.rwin.OnRead(n)
		if limit, ok := st.rwin.Update(e.now(), srtt, nil); ok {
			e.ctl = append(e.ctl, qFrame{kind: qfMaxStreamData, stream: st.id, value: limit})
		}
	}
	if cfg.ConnWindow != Unlimited {
		e.connRecv.OnRead(n)
		if limit, ok := e.connRecv.Update(e.now(), srtt, nil); ok {
			e.ctl = append(e.ctl, qFrame{kind: qfMaxData, value: limit})
		}
	}
}

// onAcked takes the packets an ACK newly acknowledged: their data has
// arrived.
func (e *quicEnd) onAcked(sp quic.Space, acked []quic.Sent) {
	for _, s := range acked {
		p := e.sent[sp][s.Number]
		delete(e.sent[sp], s.Number)
		if p == nil {
			continue
		}
		for _, f := range p.frames {
			switch f.kind {
			case qfCrypto:
				e.crypto[sp].acked.Receive(f.off, f.n, false)
			case qfStream:
				if st := e.streams[f.stream]; st != nil {
					st.out.acked.Receive(f.off, f.n, f.fin)
					e.done(st)
				}
			}
		}
	}
}

// onLost queues again what the lost packets of space sp carried: data,
// and control frames still current (RFC 9000 §13.3).
func (e *quicEnd) onLost(sp quic.Space, lost []quic.Sent) {
	for _, s := range lost {
		p := e.sent[sp][s.Number]
		delete(e.sent[sp], s.Number)
		if p == nil || !p.ackEliciting {
			continue // an ACK-only packet: nothing to send again
		}
		e.q.conn.net.rec.Record(trace.Record{At: e.now(), Kind: trace.Retransmit, Conn: e.q.conn.ID, Dir: e.side,
			Seq: int64(p.pn), Label: e.q.label(p), Note: trace.RetxQUICLost})
		e.requeue(p)
	}
}

// requeue queues p's retransmittable frames to be sent again.
func (e *quicEnd) requeue(p *qPacket) {
	sp := p.space
	for _, f := range p.frames {
		switch f.kind {
		case qfCrypto:
			e.crypto[sp].lose(f.off, f.n, false)
		case qfStream:
			if st := e.streams[f.stream]; st != nil {
				st.out.lose(f.off, f.n, f.fin)
				e.sched.Lost(f.stream)
			}
		case qfMaxData:
			e.ctl = append(e.ctl, qFrame{kind: qfMaxData, value: e.connRecv.Limit})
		case qfMaxStreamData:
			if st := e.streams[f.stream]; st != nil && !st.in.FinKnown {
				e.ctl = append(e.ctl, qFrame{kind: qfMaxStreamData, stream: f.stream, value: st.rwin.Limit})
			}
		case qfHandshakeDone:
			e.ctl = append(e.ctl, f)
		case qfMaxStreams:
			e.ctl = append(e.ctl, qFrame{kind: qfMaxStreams, value: e.streamsAllowed()})
		}
	}
}

// cwndLimited reports whether the window, not the application, holds the
// sender back, so that an ACK may grow it (RFC 9002 §7.8): quic-go's
// rule (cubicSender.isCwndLimited) — the window is full, or in slow start
// more than half used, or less than 3 datagrams of it free.
func (e *quicEnd) cwndLimited() bool {
	cc := e.rec.CC
	if e.q.ideal || cc.InFlight >= cc.Window {
		return true
	}
	if cc.Window < cc.SSThresh && cc.InFlight > cc.Window/2 {
		return true
	}
	return cc.Window-cc.InFlight <= quicMaxBurst*cc.MaxDatagramSize
}

// quicMaxBurst is quic-go's maxBurstPackets (internal/congestion).
const quicMaxBurst = 3

// ackedBytes is the in-flight bytes of the packets acknowledged.
func ackedBytes(acked []quic.Sent) int {
	n := 0
	for _, p := range acked {
		if p.InFlight {
			n += p.Bytes
		}
	}
	return n
}

// lossState is why the window changed on a loss: a recovery period, or
// persistent congestion when the window is back at the minimum outside
// recovery.
func (e *quicEnd) lossState() trace.State {
	if cc := e.rec.CC; !cc.Recovering && cc.Window == quic.MinimumWindow(cc.MaxDatagramSize) {
		return trace.CwndPersistent
	}
	return trace.CwndQUICLoss
}

// recordCwnd records the congestion window and threshold when they
// changed (or for the first time: the initial window).
func (e *quicEnd) recordCwnd(why trace.State, acked int) {
	cc := e.rec.CC
	if e.cwndSeen && cc.Window == e.lastCwnd && cc.SSThresh == e.lastSsthresh {
		return
	}
	if !e.cwndSeen {
		why = trace.CwndInitial
	}
	e.cwndSeen, e.lastCwnd, e.lastSsthresh = true, cc.Window, cc.SSThresh
	r := trace.Record{At: e.now(), Kind: trace.CwndChanged, Conn: e.q.conn.ID, Dir: e.side,
		Cwnd: recorded(int64(cc.Window)), Ssthresh: recorded(int64(min(cc.SSThresh, int(unlimitedBytes)))), State: why,
		Wnd: cc.InFlight, Queued: time.Duration(e.rec.RTT.Smoothed)}
	switch why {
	case trace.CwndInitial:
		r.Note = trace.RecoveryQUIC
	case trace.CwndHyStart:
		r.Note = trace.HyStartQUIC
	case trace.CwndSlowStart, trace.CwndAvoidance:
		r.Note, r.Len = trace.GrowthQUIC, acked
		if why == trace.CwndAvoidance && cc.Cubic != nil {
			r.Note = trace.GrowthCubic
		}
	}
	e.q.conn.net.rec.Record(r)
}
