package model

import (
	"slices"

	"github.com/keepalive-sim/keepalive/model/quic"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// flush sends what the end may send now, a datagram at a time, then
// arms its timers.
func (e *quicEnd) flush() {
	if e.closed && e.closing == nil || e.thinking {
		return
	}
	e.paceBlocked = false
	for {
		d, size := e.build()
		if d == nil {
			break
		}
		e.emit(d, size)
	}
	e.arm()
}

// build fills the next datagram: a packet per space with something to
// send, coalesced in the order Initial, Handshake, application (RFC 9000
// §12.2), within the datagram size, the anti-amplification limit and,
// for what is ack-eliciting, the congestion window (RFC 9002 §7).
func (e *quicEnd) build() (*datagram, int) {
	q := e.q
	room := q.prof.MaxDatagramSize
	// padless: the budget left before the client's address is validated
	// is less than a padded datagram, so an Initial packet may carry an
	// ACK but nothing ack-eliciting, which would need padding past the
	// limit (RFC 9000 §8.1, §14.1).
	padless := false
	if !e.validated && !q.ideal {
		budget := quic.AmplificationBudget(e.received, e.sentBytes)
		e.rec.AtAmplificationLimit = budget < quic.MinInitialDatagram
		room = min(room, budget)
		padless = budget < quic.MinInitialDatagram
	}
	if room <= 0 {
		return nil, 0
	}
	cc := e.rec.CC
	ccRoom := cc.Window - cc.InFlight
	// Out of pacing budget, only what is not ack-eliciting may go: ACKs
	// (quic-go: SendPacingLimited falls through to SendAck). Probes are
	// not paced.
	if e.pacing() && e.probes == 0 && e.pacer.Budget(e.now(), e.paceRate()) < q.prof.MaxDatagramSize {
		ccRoom, e.paceBlocked = 0, true
	}
	d := &datagram{}
	used := 0
	initial, initialEliciting := false, false
	for sp := quic.Initial; sp <= quic.ApplicationData; sp++ {
		if !e.keys[sp] || e.dropped[sp] {
			continue
		}
		open := ccRoom - used
		switch {
		case padless && sp == quic.Initial:
			open = 0
		case e.probes > 0 && sp == e.probeSpace:
			open = room - used // a probe is sent whatever the window (RFC 9002 §7.5), its packet only
		}
		p := e.packet(sp, room-used, open)
		if p == nil {
			continue
		}
		d.packets = append(d.packets, p)
		used += p.bytes
		if sp == quic.Initial {
			initial, initialEliciting = true, p.ackEliciting
		}
	}
	if len(d.packets) == 0 {
		return nil, 0
	}
	// A client's datagram with an Initial packet, and a server's with an
	// ack-eliciting one, is padded to 1,200 bytes (RFC 9000 §14.1).
	if !q.ideal && initial && (!e.server() || initialEliciting) && used < quic.MinInitialDatagram {
		last := d.packets[len(d.packets)-1]
		pad := quic.MinInitialDatagram - used
		last.padding += pad
		last.bytes += pad
		used += pad
	}
	return d, used
}

// header is the bytes of a packet of space sp before its frames: header,
// packet number and AEAD tag (none in ideal mode). payload is the
// Length field's estimate.
func (e *quicEnd) header(sp quic.Space, early bool, pnLen, payload int) int {
	q := e.q
	if q.ideal {
		return 0
	}
	dcid := q.cid()
	if !e.server() && !e.peerCID {
		dcid = max(8, dcid) // the client's first, random, Destination Connection ID (RFC 9000 §7.2)
	}
	if sp == quic.ApplicationData && !early {
		return quic.ShortHeader(dcid) + pnLen + quic.AEADTag
	}
	return quic.LongHeader(sp == quic.Initial, dcid, q.cid(), 0, pnLen, payload) + pnLen + quic.AEADTag
}

// packet builds the next packet of space sp in room bytes of datagram,
// ccRoom of them open to ack-eliciting frames; nil if it has nothing.
func (e *quicEnd) packet(sp quic.Space, room, ccRoom int) *qPacket {
	q := e.q
	early := !e.server() && sp == quic.ApplicationData && !e.oneRTT
	pn := e.nextPN[sp]
	pnLen := q.prof.PacketNumberLen(pn, e.largestAcked[sp], e.anyAcked[sp])
	over := e.header(sp, early, pnLen, room)
	avail := room - over
	if avail <= 0 {
		return nil
	}
	p := &qPacket{space: sp, pn: pn, early: early}
	size := 0
	add := func(f qFrame, n int) {
		p.frames = append(p.frames, f)
		size += n
		if f.kind != qfAck && f.kind != qfClose {
			p.ackEliciting = true
		}
	}
	// An ACK goes first when one is due, and rides on any ack-eliciting
	// packet of the space when packets arrived since the last (RFC 9000
	// §13.2.1): its room is kept, and given back if nothing else comes.
	ackAt := -1
	if (e.ackDue[sp] || e.ackNew[sp]) && !early {
		r := slices.Clone(e.recv[sp].Ranges(maxAckRanges))
		// From the largest's receipt (RFC 9000 §13.2.5); 0 in Initial and
		// Handshake ACKs, which a sender ignores (RFC 9002 §5.3) and
		// quic-go leaves at 0 (its receivedPacketTracker sets no delay
		// outside the application data space).
		var delay sim.Time
		if sp == quic.ApplicationData {
			delay = max(0, e.now()-e.recv[sp].LargestAt)
		}
		n := 0
		if !q.ideal {
			n = quic.AckFrame(r, quic.AckDelayField(delay, quic.DefaultAckDelayExponent))
		}
		if n <= avail {
			ackAt = size
			add(qFrame{kind: qfAck, ranges: r, delay: delay}, n)
		}
	}
	if e.closing != nil && sp == e.closeSpace() {
		n := 0
		if !q.ideal {
			// The application's close, H3_NO_ERROR (RFC 9114 §8.1), in a
			// 1-RTT packet; in an Initial or Handshake packet the
			// transport's (0x1c) with APPLICATION_ERROR (RFC 9000 §10.2.3).
			if sp == quic.ApplicationData {
				n = quic.ConnectionCloseFrame(false, 0x100, 0, 0)
			} else {
				n = quic.ConnectionCloseFrame(true, 0x0c, 0, 0)
			}
		}
		add(*e.closing, n)
		e.closing = nil
	}
	// Ack-eliciting frames fit in both the datagram and the window.
	open := func() int { return min(avail, ccRoom-over) - size }
	e.cryptoFrames(sp, p, open, add)
	if sp == quic.ApplicationData && !e.closed {
		if !early {
			for len(e.ctl) > 0 {
				f := e.ctl[0]
				n := e.ctlBytes(f)
				if n > open() {
					break
				}
				e.ctl = e.ctl[1:]
				add(f, n)
			}
		}
		if open() >= quic.MinStreamFrameRoom || q.ideal && open() > 0 {
			for _, c := range e.sched.Pack(open(), e.takeStream(p)) {
				size += c.Bytes
				p.ackEliciting = true
			}
		}
	}
	if e.probes > 0 && sp == e.probeSpace && !p.ackEliciting && open() >= quic.PingFrame {
		n := quic.PingFrame
		if q.ideal {
			n = 0
		}
		add(qFrame{kind: qfPing}, n)
	}
	if ackAt >= 0 && !e.ackDue[sp] && !p.ackEliciting {
		return nil // nothing for the ACK to ride on, and none due yet
	}
	if len(p.frames) == 0 {
		return nil
	}
	e.nextPN[sp]++
	if q.ideal {
		p.bytes = size
	} else {
		p.bytes = quic.PacketSize(e.header(sp, early, pnLen, pnLen+size)-pnLen-quic.AEADTag, pnLen, size)
	}
	return p
}

// maxAckRanges bounds an ACK frame's ranges, as quic-go does
// (protocol.MaxNumAckRanges).
const maxAckRanges = 32

// closeSpace is where CONNECTION_CLOSE goes: the highest level with keys.
func (e *quicEnd) closeSpace() quic.Space {
	for sp := quic.ApplicationData; sp > quic.Initial; sp-- {
		if e.keys[sp] && !e.dropped[sp] && (sp != quic.ApplicationData || e.oneRTT || e.server()) {
			return sp
		}
	}
	return quic.Initial
}

// cryptoFrames adds space sp's handshake data, lost first.
func (e *quicEnd) cryptoFrames(sp quic.Space, p *qPacket, open func() int, add func(qFrame, int)) {
	c := &e.crypto[sp]
	for c.pending() {
		room := open()
		hdr := 0
		if !e.q.ideal {
			hdr = quic.CryptoFrame(c.sent, room) - room
		}
		if room-hdr <= 0 {
			return
		}
		off, n, _, retx, ok := c.takeLost(room - hdr)
		if !ok {
			off, n, _, ok = c.takeNew(room-hdr, quic.MaxVarint)
		}
		if !ok || n == 0 {
			return
		}
		w := weightOf(c.free, off, n)
		if !e.q.ideal {
			w += quic.CryptoFrame(off, n) - n
		}
		add(qFrame{kind: qfCrypto, off: off, n: n, retx: retx}, w)
	}
}

// ctlBytes is a control frame's size.
func (e *quicEnd) ctlBytes(f qFrame) int {
	if e.q.ideal {
		return 0
	}
	switch f.kind {
	case qfMaxData:
		return quic.MaxDataFrame(f.value)
	case qfMaxStreamData:
		return quic.MaxStreamDataFrame(f.stream, f.value)
	case qfMaxStreams:
		return quic.MaxStreamsFrame(f.value)
	}
	return quic.HandshakeDoneFrame
}

// takeStream is the scheduler's Take for packet p: the next STREAM frame
// of a stream, lost data (retx) or new data within flow control.
func (e *quicEnd) takeStream(p *qPacket) quic.Take {
	return func(id uint64, retx bool, room int) (size, lengthField int, more bool) {
		st := e.streams[id]
		if st == nil {
			return 0, 0, false
		}
		s := &st.out
		over := 0
		if !e.q.ideal {
			over = quic.StreamFrame(id, s.sent, room, false) - room
		} else {
			// The scheduler allows a Length field the last frame drops;
			// ideal frames have none, so that allowance is not room.
			for l := 1; l <= 8; l *= 2 {
				if quic.VarintLen(uint64(room-l)) == l {
					over = l
					break
				}
			}
		}
		if room-over <= 0 {
			return 0, 0, true
		}
		var off uint64
		var n int
		var fin, ok bool
		want := room - over
		if e.q.ideal {
			want = stretch(s.free, s.sent, want) // weightless bytes take no room
		}
		if retx {
			off, n, fin, _, ok = s.takeLost(want)
			if !ok {
				return 0, 0, false
			}
		} else {
			limit := min(st.win.Limit, s.sent+e.connWin.Available())
			before := s.sent
			off, n, fin, ok = s.takeNew(want, limit)
			e.connWin.Sent += s.sent - before
			st.win.Sent = s.sent
			if !ok {
				return 0, 0, false // nothing, or blocked: MAX_*DATA activates it again
			}
		}
		size = weightOf(s.free, off, n)
		if !e.q.ideal {
			size += quic.StreamFrame(id, off, n, false) - n
			lengthField = quic.VarintLen(uint64(n))
		}
		p.frames = append(p.frames, qFrame{kind: qfStream, stream: id, off: off, n: n, fin: fin, retx: retx})
		if retx {
			more = len(s.lost) > 0 || s.lostFin
		} else {
			more = s.sent < s.written && s.sent < min(st.win.Limit, s.sent+e.connWin.Available()) || s.fin && !s.finSent
		}
		return size, lengthField, more
	}
}

// emit sends datagram d of size bytes (UDP payload).
func (e *quicEnd) emit(d *datagram, size int) {
	q := e.q
	now := e.now()
	var seg Segment
	seg.Seq = int64(d.packets[0].pn)
	eliciting := false
	for _, p := range d.packets {
		inFlight := p.ackEliciting || p.padding > 0
		e.rec.OnSent(p.space, quic.Sent{Number: p.pn, Time: now, Bytes: p.bytes, AckEliciting: p.ackEliciting, InFlight: inFlight})
		e.sent[p.space][p.pn] = p
		for _, f := range p.frames {
			switch f.kind {
			case qfAck:
				e.ackDue[p.space], e.ackNew[p.space] = false, false
				e.recv[p.space].Acked()
				seg.Ack = int64(f.ranges[0].Largest)
			}
			if f.retx {
				seg.Retx = true
			}
		}
		eliciting = eliciting || p.ackEliciting
		if p.ackEliciting && e.probes > 0 && p.space == e.probeSpace {
			e.probes--
		}
	}
	e.sentBytes += size
	if e.pacing() {
		e.pacer.Sent(now, size, e.paceRate())
	}
	seg.Conn, seg.Dir, seg.Len, seg.Wire = q.conn.ID, e.side, size, size+q.udpOverhead()
	if q.conn.net.traced {
		seg.Label = d.label()
	}
	seg.TSval = now
	seg.quic = d
	if eliciting && !e.sentSinceRecv {
		e.resetIdle() // the first ack-eliciting packet since a receipt (RFC 9000 §10.1)
		e.sentSinceRecv = true
	}
	q.conn.net.send(seg)
	// A client discards its Initial keys when it first sends a Handshake
	// packet (RFC 9001 §4.9.1).
	if !e.server() && !e.dropped[quic.Initial] && slices.ContainsFunc(d.packets, func(p *qPacket) bool { return p.space == quic.Handshake }) {
		e.discard(quic.Initial)
	}
}

// arm sets the loss detection timer (RFC 9002 A.8) and the ACK timer.
func (e *quicEnd) arm() {
	now := e.now()
	if e.closed {
		return
	}
	if at, ok := e.rec.Timer(now); ok && !e.q.lossless {
		e.timer.Reset(max(0, at-now))
	} else {
		e.timer.Stop()
	}
	if e.paceBlocked && e.pending() {
		e.paceTimer.Reset(max(0, e.pacer.Next(e.paceRate(), e.q.prof.MaxDatagramSize)-now))
	} else {
		e.paceTimer.Stop()
	}
	if r := &e.recv[quic.ApplicationData]; r.Pending && !e.ackDue[quic.ApplicationData] {
		e.ackTimer.Reset(max(0, r.Deadline-now))
	} else {
		e.ackTimer.Stop()
	}
}

// onAckTimer: max_ack_delay has passed since an ack-eliciting packet
// that is not yet acknowledged (RFC 9000 §13.2.1).
func (e *quicEnd) onAckTimer() {
	e.ackDue[quic.ApplicationData] = true
	e.flush()
}

// onTimer is the loss detection timer (RFC 9002 A.9): time-threshold
// losses, or a probe timeout, which sends up to two ack-eliciting
// packets (§6.2.4) carrying the oldest data in flight again, or a PING.
func (e *quicEnd) onTimer() {
	if e.closed {
		return
	}
	lost, sp, probing := e.rec.OnTimeout(e.now())
	e.onLost(sp, lost)
	if probing {
		e.probes, e.probeSpace = 2, sp
		if old := e.oldest(sp); old != nil {
			e.q.conn.net.rec.Record(trace.Record{At: e.now(), Kind: trace.Retransmit, Conn: e.q.conn.ID, Dir: e.side,
				Seq: int64(old.pn), Label: e.q.label(old), Note: trace.RetxQUICProbe})
			e.requeue(old)
		}
	}
	e.flush()
}

// oldest is space sp's oldest ack-eliciting packet in flight.
func (e *quicEnd) oldest(sp quic.Space) *qPacket {
	var best *qPacket
	for _, s := range e.rec.InFlight(sp) {
		if p := e.sent[sp][s.Number]; p != nil && p.ackEliciting && (best == nil || p.pn < best.pn) {
			best = p
		}
	}
	return best
}

// stretch is how many bytes from off weigh n: n, and the weightless
// bytes among them.
func stretch(free []span, off uint64, n int) int {
	for got := n; ; {
		w := weightOf(free, off, got)
		if w >= n {
			return got
		}
		got += n - w
	}
}

// pacing is whether this end paces (the profile's choice; never in
// ideal mode, where nothing queues).
func (e *quicEnd) pacing() bool { return e.q.prof.Pacing && !e.q.ideal }

// paceRate is the pacing rate now, from the window and smoothed RTT.
func (e *quicEnd) paceRate() uint64 {
	cc := e.rec.CC
	return quic.PacingRate(cc.Window, e.rec.RTT.Smoothed, cc.Window < cc.SSThresh, e.rec.RTT.Sampled)
}

// pending is whether the end has ack-eliciting data waiting: handshake
// bytes, control frames or stream data.
func (e *quicEnd) pending() bool {
	if len(e.ctl) > 0 || e.sched.Busy() {
		return true
	}
	for sp := quic.Initial; sp <= quic.ApplicationData; sp++ {
		if e.keys[sp] && !e.dropped[sp] && e.crypto[sp].pending() {
			return true
		}
	}
	return false
}
