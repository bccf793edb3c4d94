package model

import (
	"slices"

	"github.com/keepalive-sim/keepalive/model/quic"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// quicEnd is one end of a QUIC connection: what it has to send at each
// encryption level, what it has received, and its recovery.
type quicEnd struct {
	q    *quicConn
	side trace.Dir // Up: the client
	peer *quicEnd
	rec  *quic.Recovery
	recv [3]quic.Receiver
	// ackDue: an ACK is owed in the space now; ackNew: packets arrived
	// since the last ACK sent, which any packet of the space carries.
	ackDue, ackNew [3]bool
	nextPN         [3]uint64
	// largestAcked and anyAcked are the peer's largest acknowledgment
	// per space (for packet number lengths).
	largestAcked  [3]uint64
	anyAcked      [3]bool
	sent          [3]map[uint64]*qPacket
	keys, dropped [3]bool // keys installed; discarded (RFC 9001 §4.9)
	crypto        [3]qSendStream
	cryptoIn      [3]quic.StreamReceiver
	// flights is, per space, the handshake bytes the peer sends there
	// and what to do once they are all in.
	flights [3]uint64
	gotAll  [3]bool
	// serverFlight is, at the server, its ServerHello and Handshake
	// bytes (the client's open knows what both ends send).
	serverFlight [2]int
	streams      map[uint64]*qStream
	sched        *quic.Scheduler
	ctl          []qFrame // MAX_DATA, MAX_STREAM_DATA, MAX_STREAMS, HANDSHAKE_DONE waiting for a 1-RTT packet
	closing      *qFrame  // CONNECTION_CLOSE to send once
	probes       int      // ack-eliciting packets a PTO owes, in probeSpace
	probeSpace   quic.Space
	// received and sentBytes count UDP payloads for the server's
	// anti-amplification limit until the client's address is validated
	// (RFC 9000 §8.1).
	received, sentBytes int
	validated           bool
	// sentSinceRecv: an ack-eliciting packet left since the last packet
	// arrived (the idle timer's rule, RFC 9000 §10.1).
	sentSinceRecv bool
	peerCID       bool // the client learned the server's connection ID
	oneRTT        bool // 1-RTT keys: the handshake is complete here
	connWin       quic.SendWindow
	connRecv      *quic.ReceiveWindow
	nextStream    uint64
	// streamLimit is, at the client, how many bidirectional streams it
	// may open in all: the server's initial_max_streams_bidi, raised by
	// MAX_STREAMS (RFC 9000 §4.6). At the server, peerOpened and live
	// count the client's bidirectional streams opened and not yet done
	// both ways, for the MAX_STREAMS it sends as each ends.
	streamLimit      uint64
	peerOpened, live uint64
	closed           bool
	// The window last recorded (recordCwnd).
	cwndSeen               bool
	lastCwnd, lastSsthresh int
	// thinking: the server's handshake is on a core; like quic-go's
	// connection loop, which runs TLS inline, it sends nothing, its ACKs
	// neither, until the flight is ready.
	thinking bool
	state    trace.State
	held     []*qPacket // arrived before their keys (RFC 9001 §5.7)

	// pacer spaces the packets out (the quic-go profile); paceBlocked:
	// the last flush stopped for want of its budget.
	pacer       quic.Pacer
	paceBlocked bool

	timer, ackTimer, idleTimer, paceTimer *sim.Timer
	// kickTimer flushes at the end of the current instant what was
	// written outside a receipt (a request on an idle connection).
	kickTimer *sim.Timer

	// onReady runs when the end may send application data: the client
	// its requests with its 1-RTT (or 0-RTT) keys; the server once its
	// flight is written (0.5-RTT data), when quic-go's early listener,
	// which http3.Server uses, hands the connection to HTTP/3
	// (baseServer.handleNewConn: once the client's transport parameters
	// are processed).
	onReady func()
	// onStream takes n more in-order bytes of stream id.
	onStream func(id uint64, n int)
	// onClosed: the connection ended (why: how).
	onClosed func(why string)
	// onMaxStreams: the client may open more streams.
	onMaxStreams func()
	// onClientHello runs at the server when the ClientHello is whole; it
	// calls then when the server's flight may leave (the handshake's
	// processor time).
	onClientHello func(then func())
}

// qSendStream is what an end sends of one byte stream, a stream's or a
// level's CRYPTO data: what was written, how far it has gone, what was
// lost and must go again, what the peer acknowledged.
type qSendStream struct {
	written, sent uint64
	fin, finSent  bool
	lost          [][2]uint64
	lostFin       bool
	acked         quic.StreamReceiver
	free          []span // weightless bytes (ideal mode): sequence, no wire
}

// qStream is one bidirectional stream at one end.
type qStream struct {
	id   uint64
	out  qSendStream
	win  quic.SendWindow // the peer's MAX_STREAM_DATA
	in   quic.StreamReceiver
	rwin *quic.ReceiveWindow
}

func newQUICEnd(q *quicConn, side trace.Dir) *quicEnd {
	server := side == trace.Down
	e := &quicEnd{q: q, side: side, streams: map[uint64]*qStream{}, sched: quic.NewScheduler()}
	mad := quic.DefaultMaxAckDelay
	e.rec = quic.NewRecovery(server, q.prof.MaxDatagramSize, mad)
	e.rec.RTT = quic.NewRTT(q.prof.InitialRTT)
	e.rec.FirstPTO = q.prof.InitialPTO
	e.rec.CC.Window = q.prof.InitialWindow()
	if q.cfg.Congestion == "cubic" {
		e.rec.CC.Cubic = &quic.Cubic{}
	}
	e.rec.NoPersistentCongestion = q.prof.NoPersistentCongestion
	if q.prof.HyStart && !q.ideal {
		e.rec.CC.HyStart = &quic.HyStart{}
	}
	if q.prof.ReductionDen > 0 {
		e.rec.CC.ReductionNum, e.rec.CC.ReductionDen = q.prof.ReductionNum, q.prof.ReductionDen
	}
	if q.ideal && q.cfg.InitialWindow == 0 {
		e.rec.CC.Window = int(unlimitedBytes)
	}
	for sp := range e.recv {
		e.recv[sp] = quic.Receiver{Space: quic.Space(sp), MaxAckDelay: mad}
		if q.ideal {
			e.recv[sp].Threshold = 1 // an ACK per packet, as ideal TCP
		}
		e.sent[sp] = map[uint64]*qPacket{}
	}
	e.keys[quic.Initial] = true
	s := q.conn.net.sim
	e.timer = sim.NewTimer(s, e.onTimer)
	e.ackTimer = sim.NewTimer(s, e.onAckTimer)
	e.idleTimer = sim.NewTimer(s, e.onIdle)
	e.paceTimer = sim.NewTimer(s, e.flush)
	e.kickTimer = sim.NewTimer(s, e.flush)
	e.pacer.MaxDatagramSize = quic.PacerDatagramSize
	e.connWin.Limit = uint64(windowOf(q.cfg.ConnWindow))
	e.connRecv = quic.NewReceiveWindow(uint64(windowOf(q.cfg.ConnWindow)), uint64(max(windowOf(q.cfg.MaxConnWindow), windowOf(q.cfg.ConnWindow))), 0)
	if !server {
		e.validated = true
		e.streamLimit = uint64(windowOf(q.cfg.MaxStreams))
	}
	return e
}

func (e *quicEnd) server() bool { return e.side == trace.Down }

// setState records the end's connection state (trace.QUICHandshake …).
func (e *quicEnd) setState(st trace.State) {
	if e.state == st {
		return
	}
	e.state = st
	e.q.conn.net.rec.Record(trace.Record{At: e.now(), Kind: trace.StateChanged, Conn: e.q.conn.ID, Dir: e.side, State: st})
}
func (e *quicEnd) now() sim.Time { return e.q.conn.net.sim.Now() }

// open starts the handshake at the client: its ClientHello, and with
// 0-RTT the requests behind it.
func (e *quicEnd) open() {
	q := e.q
	facts := quicProfileFacts{maxUDP: q.prof.MaxDatagramSize, cid: q.cid()}
	hello, shello, shs := quicClientHello, quicServerHello, quicServerHandshake+q.cfg.CertificateBytes
	if q.resumed {
		hello, shello, shs = quicClientHelloPSK, quicServerHelloPSK, quicServerHandshakePSK
	}
	hello += quicTransportParams(false, q.cfg, facts)
	shs += quicTransportParams(true, q.cfg, facts)
	e.setState(trace.QUICHandshake)
	e.recordCwnd(trace.CwndInitial, 0)
	e.writeCrypto(quic.Initial, hello)
	e.flights[quic.Initial], e.flights[quic.Handshake] = uint64(q.weighed(shello)), uint64(q.weighed(shs))
	e.peer.flights[quic.Initial], e.peer.flights[quic.Handshake] = uint64(q.weighed(hello)), uint64(q.weighed(quicClientFinished))
	e.peer.serverFlight = [2]int{shello, shs}
	e.resetIdle()
	if q.early {
		e.keys[quic.ApplicationData] = true // 0-RTT keys from the resumed session
		e.onReady()
	}
	e.flush()
}

// weighed is a handshake message's bytes in its CRYPTO stream: one
// weightless byte in ideal mode.
func (q *quicConn) weighed(n int) int {
	if q.ideal {
		return 1
	}
	return n
}

// writeCrypto queues n bytes of handshake at level sp.
func (e *quicEnd) writeCrypto(sp quic.Space, n int) {
	c := &e.crypto[sp]
	n = e.q.weighed(n)
	if e.q.ideal {
		c.free = append(c.free, span{int64(c.written), int64(c.written) + int64(n)})
	}
	c.written += uint64(n)
}

// openStream is the client's next bidirectional stream (RFC 9000 §2.1:
// client-initiated bidirectional streams are 0, 4, 8, …).
func (e *quicEnd) openStream() uint64 {
	id := e.nextStream
	e.nextStream += 4
	e.stream(id)
	return id
}

// canOpen is whether the client may open another bidirectional stream
// (RFC 9000 §4.6).
func (e *quicEnd) canOpen() bool {
	return e.q.cfg.MaxStreams == Unlimited || e.nextStream/4 < e.streamLimit
}

// bidi is whether id is a client-initiated bidirectional stream, a
// request's (RFC 9000 §2.1).
func bidi(id uint64) bool { return id%4 == 0 }

// gone is whether stream id ended both ways here and was forgotten: a
// late copy of its frames opens nothing.
func (e *quicEnd) gone(id uint64) bool {
	if !bidi(id) || e.streams[id] != nil {
		return false
	}
	if e.server() {
		return id/4 < e.peerOpened
	}
	return id < e.nextStream
}

// stream is stream id at this end, made on first use.
func (e *quicEnd) stream(id uint64) *qStream {
	if st := e.streams[id]; st != nil {
		return st
	}
	if e.server() && bidi(id) {
		// A stream opened out of order opens the client's streams below
		// it too (RFC 9000 §3.2), as quic-go's incomingStreamsMap makes
		// them: they count against the limit until they end.
		for e.peerOpened < id/4 {
			e.newStream(e.peerOpened * 4)
			e.peerOpened++
			e.live++
		}
		e.peerOpened, e.live = id/4+1, e.live+1
	}
	return e.newStream(id)
}

// newStream makes stream id at this end.
func (e *quicEnd) newStream(id uint64) *qStream {
	cfg := e.q.cfg
	w := uint64(windowOf(cfg.StreamWindow))
	st := &qStream{id: id, win: quic.SendWindow{Limit: w},
		rwin: quic.NewReceiveWindow(w, uint64(max(windowOf(cfg.MaxStreamWindow), windowOf(cfg.StreamWindow))), e.now())}
	e.streams[id] = st
	return st
}

// write queues n bytes on stream id; weightless ones take sequence but
// no time on the wire (ideal mode's negligible messages).
func (e *quicEnd) write(id uint64, n int, weightless bool) {
	st := e.stream(id)
	if weightless {
		st.out.free = append(st.out.free, span{int64(st.out.written), int64(st.out.written) + int64(n)})
	}
	st.out.written += uint64(n)
	e.sched.Activate(id)
}

// streamsAllowed is, at the server, the client's bidirectional streams
// it allows in all: those opened, plus the limit, less those still live.
func (e *quicEnd) streamsAllowed() uint64 {
	return e.peerOpened + uint64(e.q.cfg.MaxStreams) - e.live
}

// kick has what was written sent once the current instant's work is
// done: every request the browser dispatches now goes in the same
// packets, as quic-go's send loop, woken by the writes, packs them. A
// receipt flushes by itself; a write from a timer (a page the user
// opens on an idle connection) needs this.
func (e *quicEnd) kick() {
	if !e.closed && !e.kickTimer.Armed() {
		e.kickTimer.Reset(0)
	}
}

// finish ends stream id after what was written (its FIN).
func (e *quicEnd) finish(id uint64) {
	e.stream(id).out.fin = true
	e.sched.Activate(id)
}

// done forgets stream st once it has ended both ways, its data all read
// and its own all acknowledged, as quic-go deletes a stream; the server
// then lets the client open another with MAX_STREAMS, as quic-go's
// incomingStreamsMap does on each deletion: the client's streams opened,
// plus the limit, less those still live (RFC 9000 §4.6, §19.11).
func (e *quicEnd) done(st *qStream) {
	if !bidi(st.id) || !st.in.Done() || !st.out.fin || !st.out.acked.Done() {
		return
	}
	delete(e.streams, st.id)
	if !e.server() {
		return
	}
	e.live--
	if e.q.cfg.MaxStreams != Unlimited {
		limit := e.streamsAllowed()
		// A MAX_STREAMS not yet sent is raised rather than repeated.
		for i := range e.ctl {
			if e.ctl[i].kind == qfMaxStreams {
				e.ctl[i].value = limit
				return
			}
		}
		e.ctl = append(e.ctl, qFrame{kind: qfMaxStreams, value: limit})
	}
}

// close sends CONNECTION_CLOSE (RFC 9000 §10.2) and stops.
func (e *quicEnd) close(why string) {
	if e.closed {
		return
	}
	e.closing = &qFrame{kind: qfClose}
	e.flush()
	e.shut(why)
}

// shut stops the end: no more packets, timers off.
func (e *quicEnd) shut(why string) {
	if e.closed {
		return
	}
	e.closed = true
	e.setState(trace.QUICClosed)
	e.timer.Stop()
	e.ackTimer.Stop()
	e.idleTimer.Stop()
	e.paceTimer.Stop()
	e.kickTimer.Stop()
	if e.onClosed != nil {
		e.onClosed(why)
	}
}

// resetIdle restarts the idle timer: on every packet received, and on
// the first ack-eliciting one sent after a receipt (RFC 9000 §10.1).
func (e *quicEnd) resetIdle() {
	if t := e.q.cfg.IdleTimeout; t > 0 && !e.closed {
		// "three times the current PTO" at least (§10.1).
		e.idleTimer.Reset(max(t, 3*e.rec.RTT.PTO(e.rec.MaxAckDelay, true, 0)))
	}
}

func (e *quicEnd) onIdle() {
	e.q.conn.net.rec.Record(trace.Record{At: e.now(), Kind: trace.IdleTimeout, Conn: e.q.conn.ID, Dir: e.side,
		Note: "QUIC idle timeout: nothing sent or received for " + e.q.cfg.IdleTimeout.String() + "; the connection is closed silently"})
	e.shut("the QUIC connection reached its idle timeout")
}

// discard drops the keys of space sp (RFC 9001 §4.9) and everything in
// flight at that level (RFC 9002 §6.4).
func (e *quicEnd) discard(sp quic.Space) {
	if e.dropped[sp] {
		return
	}
	e.dropped[sp] = true
	e.rec.Discard(sp)
	clear(e.sent[sp])
	e.crypto[sp] = qSendStream{}
	e.ackDue[sp], e.ackNew[sp] = false, false
	if e.probeSpace == sp {
		e.probes = 0 // nothing left there to probe with
	}
}

// gotCrypto runs when the peer's handshake at level sp is all in.
func (e *quicEnd) gotCrypto(sp quic.Space) {
	q := e.q
	switch {
	case !e.server() && sp == quic.Initial: // the ServerHello
		e.keys[quic.Handshake], e.rec.HandshakeKeys = true, true
	case !e.server() && sp == quic.Handshake: // EncryptedExtensions … Finished
		e.writeCrypto(quic.Handshake, quicClientFinished)
		e.keys[quic.ApplicationData], e.oneRTT = true, true
		e.setState(trace.QUICOpen)
		e.flush() // the Finished first: the requests follow it
		if !q.early {
			e.onReady()
		}
	case e.server() && sp == quic.Initial: // the ClientHello
		e.thinking = true
		e.onClientHello(func() {
			e.thinking = false
			if e.closed {
				return
			}
			e.writeCrypto(quic.Initial, e.serverFlight[0])
			e.writeCrypto(quic.Handshake, e.serverFlight[1])
			e.keys[quic.Handshake], e.keys[quic.ApplicationData] = true, true
			e.onReady() // 0.5-RTT data may follow the flight (RFC 9001 §4.1.1)
			e.release()
			e.flush()
		})
	case e.server() && sp == quic.Handshake: // the client's Finished
		e.oneRTT = true
		e.setState(trace.QUICOpen)
		e.rec.Confirmed = true // RFC 9001 §4.1.2: complete, hence confirmed, at the server
		e.ctl = append(e.ctl, qFrame{kind: qfHandshakeDone})
		e.discard(quic.Handshake)
		e.writeCrypto(quic.ApplicationData, quicSessionTicket)
	}
}

// release processes the packets that arrived before their keys.
func (e *quicEnd) release() {
	held := e.held
	e.held = nil
	for _, p := range held {
		e.process(p)
	}
}

// weightOf is the wire bytes of n stream bytes at off: those not
// weightless.
func weightOf(free []span, off uint64, n int) int {
	w := n
	for _, f := range free {
		lo, hi := max(f.start, int64(off)), min(f.end, int64(off)+int64(n))
		if hi > lo {
			w -= int(hi - lo)
		}
	}
	return w
}

// pending is whether s has anything to send: lost ranges or new bytes.
func (s *qSendStream) pending() bool {
	return len(s.lost) > 0 || s.lostFin || s.sent < s.written || s.fin && !s.finSent
}

// takeLost cuts the next lost range of s to send again, at most max
// bytes, skipping what the peer has acknowledged since.
func (s *qSendStream) takeLost(max int) (off uint64, n int, fin, retx, ok bool) {
	for len(s.lost) > 0 {
		r := s.lost[0]
		r[0] = maxU(r[0], s.acked.Readable)
		if r[1] <= r[0] { // acknowledged since
			s.lost = s.lost[1:]
			continue
		}
		n := int(min(uint64(max), r[1]-r[0]))
		if uint64(n) == r[1]-r[0] {
			s.lost = s.lost[1:]
		} else {
			s.lost[0][0] = r[0] + uint64(n)
		}
		fin := s.fin && r[0]+uint64(n) == s.written
		if fin {
			s.lostFin = false
		}
		return r[0], n, fin, true, true
	}
	if s.lostFin {
		s.lostFin = false
		return s.written, 0, true, true, true
	}
	return 0, 0, false, false, false
}

// takeNew cuts the next new range of s, at most max bytes and not past
// offset limit (flow control); a FIN alone once everything has gone.
func (s *qSendStream) takeNew(max int, limit uint64) (off uint64, n int, fin, ok bool) {
	room := min(uint64(max), s.written-s.sent, limit-min(limit, s.sent))
	if room == 0 && !(s.fin && !s.finSent && s.sent == s.written) {
		return 0, 0, false, false
	}
	off = s.sent
	s.sent += room
	fin = s.fin && s.sent == s.written
	if fin {
		s.finSent = true
	}
	return off, int(room), fin, true
}

func maxU(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// lose queues a lost frame's range to be sent again, unless the peer
// has acknowledged it since (another copy arrived).
func (s *qSendStream) lose(off uint64, n int, fin bool) {
	if n > 0 && off+uint64(n) > s.acked.Readable {
		s.lost = append(s.lost, [2]uint64{off, off + uint64(n)})
		slices.SortFunc(s.lost, func(a, b [2]uint64) int { return cmpU(a[0], b[0]) })
		// A range queued twice (a probe's copy of a packet later declared
		// lost too) is sent once: overlapping ranges are joined.
		out := s.lost[:1]
		for _, r := range s.lost[1:] {
			if last := &out[len(out)-1]; r[0] <= last[1] {
				last[1] = maxU(last[1], r[1])
			} else {
				out = append(out, r)
			}
		}
		s.lost = out
	} else if fin && n == 0 && !s.acked.Done() {
		s.lostFin = true
	}
}

func cmpU(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
