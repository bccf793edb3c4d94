package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// The server half of a session: accepting into a worker slot, answering
// requests in order, closing idle connections and connections that reached
// their request limit, and resetting requests that arrive after it closed.

func (s *session) initServer() {
	c := s.conn.Server
	c.app = (*serverHalf)(s)
	if m := s.srv.mem; m != nil {
		c.mem.m, c.mem.s = m, s
	}
}

// serverHalf is a session as its server endpoint's application
// (tcp_app.go).
type serverHalf session

func (v *serverHalf) onSyn() bool    { return v.srv.admit((*session)(v)) }
func (v *serverHalf) onEstablished() { v.srv.arrived((*session)(v)) }
func (v *serverHalf) onData(n int)   { (*session)(v).serverData(n) }
func (v *serverHalf) onEOF()         { (*session)(v).serverClose() } // the client closed: so does the server
func (v *serverHalf) onClosed()      {}

func (v *serverHalf) onReset(string) {
	v.srvDone = true
	v.srv.release((*session)(v))
}

// onAcked and onDrained: HTTP/2's server writes its frames as TCP drains
// (h2state.pump).
func (v *serverHalf) onAcked() {
	if h, ok := v.f.(*h2state); ok {
		h.pump()
	}
}

func (v *serverHalf) onDrained() { v.onAcked() }

// serverData takes in-order request bytes at the server.
func (s *session) serverData(n int) {
	switch {
	case s.srvDone && s.srv.sim.Now() <= s.lingerUntil:
		// It closed after a response that said so, and lingers: requests
		// pipelined behind that response are read and dropped, so that a
		// reset does not destroy the responses still on their way; each
		// arrival keeps it lingering a while longer (nginx's
		// lingering_timeout), up to lingering_time in all.
		s.lingerUntil = min(s.srv.sim.Now()+lingeringTimeout, s.lingerEnd)
	case s.srvDone:
		// The server closed this socket: data arriving now (a request that
		// crossed its FIN) is answered with a reset (RFC 9293 §3.10.7.4).
		s.conn.Server.Abort()
	case !s.accepted || s.accepting:
		s.pending += n // waits in the kernel until a worker takes it
	default:
		s.up.received(n)
	}
}

// serverAccepted runs when a worker slot takes the connection. Until its
// first response the worker counts as busy (reading the first request,
// or the TLS handshake); keep-alive idleness starts after a response.
func (s *session) serverAccepted() {
	s.record(trace.Record{Kind: trace.ServerBusy, Note: "waiting for the first request"})
	s.armIdle()
	if n := s.pending; n > 0 {
		s.pending = 0
		s.up.received(n)
	}
	if h, ok := s.f.(*h3state); ok {
		h.release()
	}
}

// serverHandshaken runs when the server's core has done its side of the
// TLS handshake: it sends its first flight.
func (s *session) serverHandshaken() {
	if !s.srvDone { // not reset while it waited
		s.tlsSend(1, false)
	}
}

// serverGot handles a whole message at the server.
func (s *session) serverGot(m *message) {
	switch m.kind {
	case msgTLS:
		if m.step == 0 { // the ClientHello: the server's side of the handshake takes a core
			w := s.srv.handshakeWork(s)
			w.next = stepTLS
			s.srv.cpu.doWork(w)
			return
		}
		s.tlsSend(m.step+1, false)
	default:
		s.f.serverGot(m)
	}
}

// A server that announced "Connection: close" goes on reading (and
// dropping) what the client sends before a full close would answer it
// with a reset: nginx's lingering close (the server defaults follow
// nginx: keepalive_requests 1000, keepalive_timeout 75 s) waits
// lingering_timeout for more data each time, up to lingering_time in all
// (Go's net/http shuts down its writing side and waits 500 ms). Without
// it, requests pipelined behind the last response would reset the
// connection and lose the responses still in flight (RFC 9112 §9.6).
const (
	lingeringTimeout = 5 * sim.Second  // nginx lingering_timeout
	lingeringTime    = 30 * sim.Second // nginx lingering_time
)

// markBusy and markAnswered track whether the server owes responses; a
// connection that owes none is idle and runs the keep-alive timer.
func (s *session) markBusy() {
	if _, h2 := s.f.(*h2state); h2 {
		s.streams++
		s.srv.mem.add(s, memStream, trace.MemStreamOpen)
	}
	if s.busy == 0 {
		s.record(trace.Record{Kind: trace.ServerBusy})
		s.srvIdle.Stop()
	}
	s.busy++
}

func (s *session) markAnswered() {
	if s.streams > 0 {
		s.streams--
		s.srv.mem.add(s, -memStream, trace.MemStreamDone)
	}
	s.busy--
	if s.busy == 0 {
		s.markIdle()
	}
}

func (s *session) markIdle() {
	if s.srvDone {
		return
	}
	s.record(trace.Record{Kind: trace.ServerIdle})
	s.armIdle()
}

// armIdle starts the keep-alive timer.
func (s *session) armIdle() {
	if t := s.srv.cfg.IdleTimeout; t > 0 {
		s.srvIdle.Reset(t)
	}
}

// serverIdleTimeout closes a keep-alive connection that has waited too
// long for its next request.
func (s *session) serverIdleTimeout() {
	if s.busy > 0 || s.srvDone || !s.accepted {
		return
	}
	s.record(trace.Record{Kind: trace.IdleTimeout, Dir: trace.Down, Note: "the server closes a keep-alive connection idle for " + s.srv.cfg.IdleTimeout.String()})
	s.f.closeIdle()
	s.serverClose()
}

// serverClose closes the connection from the server and frees its slot.
func (s *session) serverClose() {
	if s.srvDone {
		return
	}
	s.srvDone = true
	s.srvIdle.Stop()
	if q := s.conn.quic; q != nil {
		q.server.close("the server closed the idle connection")
	} else {
		s.conn.Server.Close()
	}
	s.srv.release(s)
}
