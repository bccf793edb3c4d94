package model

import (
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
	for _, p := range seg.quic.packets {
		e.process(p)
	}
	e.flush()
}

// process takes one packet, or holds it until its keys are installed
// (RFC 9001 §5.7: the ServerHello's keys decrypt what follows it).
func (e *quicEnd) process(p *qPacket) {
	sp := p.space
	if e.dropped[sp] || e.closed {
		return
	}
	if !e.keys[sp] || sp == quic.ApplicationData && !e.server() && !e.oneRTT {
		e.held = append(e.held, p)
		return
	}
	if !e.server() {
		e.peerCID = true // the server's connection ID from its first packet on
	} else if e.state == trace.NoState {
		e.setState(trace.QUICHandshake)
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
		e.ackNew[sp], e.lastRecv[sp] = true, now
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
		acked, lost := e.rec.OnAck(sp, f.ranges, delay, now, false)
		e.onAcked(sp, acked)
		e.onLost(sp, lost)
	case qfCrypto:
		in := &e.cryptoIn[sp]
		in.Receive(f.off, f.n, false)
		if !e.gotAll[sp] && e.flights[sp] > 0 && in.Readable >= e.flights[sp] {
			e.gotAll[sp] = true
			e.gotCrypto(sp)
			e.release()
		}
	case qfStream:
		st := e.stream(f.stream)
		if n := st.in.Receive(f.off, f.n, f.fin); n > 0 || f.fin && st.in.Done() {
			e.read(st, n)
		}
	case qfMaxData:
		e.connWin.OnMax(f.value)
		for id, st := range e.streams {
			if st.out.sent < st.out.written {
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
			Seq: int64(p.pn), Label: p.label(), Note: trace.RetxQUICLost})
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
		}
	}
}
