package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// session is one TCP connection as a pool (a browser's or a proxy's) and
// a server use it: an optional TLS handshake, then HTTP/1.x exchanges or
// HTTP/2 streams. Both ends' application logic lives here because both
// are simulated; the client half is in this file and reaches its pool,
// the server half is in session_server.go and reaches its server. Every
// record of the connection, either half's, is stamped by the pool's
// requester: it is that client's connection.
type session struct {
	pool  *pool   // the client half's: the connections it belongs to
	srv   *server // the server half's: the server it reached
	cfg   *Config // the hop's settings, shared by both ends
	sizes sizes   // what its messages weigh (sizes.go)
	conn  *Conn
	up    pipe // client → server
	down  pipe // server → client
	// upFirst and downFirst are the pipes' first room for messages:
	// a connection that never has more than two in flight each way (an
	// HTTP/1.0 one) allocates no queue.
	upFirst, downFirst [2]*message
	ready              bool // the client may send requests
	closed             bool // the pool will not use it again
	used               int  // requests sent
	idle               sim.Timer

	// f is how the connection frames HTTP (framing.go); h1 holds its
	// state when that is HTTP/1.x, saving an allocation per connection.
	f  framing
	h1 h1state

	flights     []tlsFlight
	clientReady int

	// Server half (session_server.go).
	accepted  bool // holds a worker slot
	accepting bool // its accept(2) waits for or holds a core
	resumed   bool // its TLS handshake resumes a session
	waiting   bool // in the accept backlog
	pending   int  // bytes that arrived while waiting for a slot
	srvDone   bool // the server has closed the connection
	// lingerUntil and lingerEnd are, after a response with "Connection:
	// close", until when the server still reads and discards what arrives
	// instead of resetting the connection, and when that ends at the
	// latest (see lingeringTimeout).
	lingerUntil, lingerEnd sim.Time
	busy                   int // requests received and not yet answered
	streams                int // HTTP/2 streams counted in the server's memory
	srvIdle                sim.Timer
}

func newSession(p *pool, c *Conn) *session {
	s := &session{pool: p, srv: p.srv, cfg: p.cfg, sizes: sizesOf(p.cfg), conn: c}
	s.initTimers()
	s.up.ep, s.down.ep = c.Client, c.Server
	s.up.q.buf, s.down.q.buf = s.upFirst[:0], s.downFirst[:0]
	s.up.s, s.down.s = s, s
	s.sizes.bytes = c.net.messages != nil
	s.down.toClient = true
	c.Client.app = (*clientHalf)(s)
	s.initServer()
	s.f = p.frame(s)
	if p.cfg.HTTP.Protocol == HTTP3 {
		// quic.discovery alt-svc: HTTP/2 over TCP until an Alt-Svc
		// header announces HTTP/3, every response saying so.
		h := newH2Framing(s).(*h2state)
		h.respHPACK.altSvc = true
		s.f = h
	}
	return s
}

// sessionTimers is a session as the owner of its halves' idle timers,
// which need no callback bound to each (an allocation apiece).
type sessionTimers session

const (
	timerClientIdle = iota // the browser's idle timeout
	timerServerIdle        // the server's keep-alive timeout
)

func (t *sessionTimers) Expired(which int) {
	s := (*session)(t)
	switch which {
	case timerClientIdle:
		s.clientIdleTimeout()
	case timerServerIdle:
		s.serverIdleTimeout()
	default:
		panic("model: unknown session timer")
	}
}

// initTimers makes the idle timers, held in the session to save an
// allocation each.
func (s *session) initTimers() {
	s.idle.InitOwned(s.pool.sim, (*sessionTimers)(s), timerClientIdle)
	s.srvIdle.InitOwned(s.srv.sim, (*sessionTimers)(s), timerServerIdle)
}

func (s *session) open() bool { return !s.closed }

func (s *session) record(r trace.Record) {
	r.Conn = s.conn.ID
	s.pool.user.record(r)
}

// clientHalf is a session as its client endpoint's application
// (tcp_app.go).
type clientHalf session

func (c *clientHalf) onEstablished()     { (*session)(c).connected() }
func (c *clientHalf) onData(n int)       { c.down.received(n) }
func (c *clientHalf) onEOF()             { (*session)(c).clientEOF() }
func (c *clientHalf) onClosed()          {}
func (c *clientHalf) onReset(why string) { (*session)(c).clientReset(why) }
func (c *clientHalf) onSyn() bool        { return true } // a client does not listen
func (c *clientHalf) onAcked()           {}
func (c *clientHalf) onDrained()         {}

// connected runs when the TCP handshake completes at the client.
func (s *session) connected() {
	v := s.cfg.TLS.Version
	if v == NoTLS {
		s.setReady()
		return
	}
	resumed := s.pool.resumed && s.cfg.TLS.Resume
	s.flights, s.clientReady = tlsScript(v, resumed, resumed && s.cfg.TLS.EarlyData)
	s.resumed = resumed
	how := trace.TLSFull
	if resumed {
		how = trace.TLSResumed
	}
	s.record(trace.Record{Kind: trace.TLSStarted, State: v.traced(), Note: how})
	s.tlsSend(0, true)
}

// tlsSend writes the handshake flights from index i on while they are the
// given side's to send.
func (s *session) tlsSend(i int, client bool) {
	for ; i < len(s.flights) && s.flights[i].fromClient == client; i++ {
		f := s.flights[i]
		m := &message{kind: msgTLS, label: f.label, step: i}
		s.sizes.tlsFlight(m, f.bytes)
		if client {
			s.up.write(m)
			if i == s.clientReady {
				s.setReady()
			}
		} else {
			s.down.write(m)
		}
	}
}

// setReady lets requests flow on the connection.
func (s *session) setReady() {
	if s.ready {
		return
	}
	s.ready = true
	if s.flights != nil && s.conn.quic == nil {
		s.record(trace.Record{Kind: trace.TLSDone, State: s.cfg.TLS.Version.traced()})
	}
	s.f.ready()
	s.pool.dispatch()
	s.maybeIdle()
}

// inFlight lists the exchanges sent on s and not yet answered.
func (s *session) inFlight() []*exchange { return s.f.inFlight() }

// send writes the request for ex.
func (s *session) send(ex *exchange) {
	ex.sess = s
	s.used++
	s.idle.Stop()
	s.f.request(ex)
}

// maybeIdle starts the client's idle timer once nothing is outstanding.
func (s *session) maybeIdle() {
	t := s.cfg.Browser.IdleTimeout
	if t == 0 || s.closed || !s.ready || len(s.inFlight()) > 0 {
		return
	}
	s.idle.Reset(t)
}

func (s *session) clientIdleTimeout() {
	if s.closed || len(s.inFlight()) > 0 {
		return
	}
	s.record(trace.Record{Kind: trace.IdleTimeout, Dir: trace.Up, Note: "the browser closes a connection it has not used for " + s.cfg.Browser.IdleTimeout.String()})
	s.retire()
	if q := s.conn.quic; q != nil {
		q.client.close("the browser closed the idle connection")
		return
	}
	s.conn.Client.Close()
}

// retire stops the pool from using s.
func (s *session) retire() {
	if !s.closed {
		s.pool.forget(s)
	}
	s.closed = true
	s.idle.Stop()
}

// dropAll hands every request in flight on s back to the pool.
func (s *session) dropAll(why string) {
	for _, ex := range s.f.takeInFlight() {
		s.pool.lost(ex, why)
	}
}

// clientEOF: the server closed its side. Requests still unanswered were
// sent into a closing connection — the close race — and are lost.
func (s *session) clientEOF() {
	s.retire()
	s.dropAll("the server closed the connection before answering (its FIN crossed the request)")
	s.conn.Client.Close()
	s.pool.dispatch()
}

// clientReset: the connection was reset or gave up.
func (s *session) clientReset(why string) {
	wasReady := s.ready
	s.retire()
	if !wasReady && s.used == 0 {
		// Never connected: the server is unreachable from here.
		s.pool.unreachable("could not connect: " + why)
		return
	}
	s.dropAll(why)
	s.pool.dispatch()
}

func (s *session) clientStart(m *message) {
	switch m.kind {
	case msgResponse, msgH2Headers:
		s.pool.firstByte(m.ex)
	}
}

// clientGot handles a whole message at the client.
func (s *session) clientGot(m *message) {
	switch m.kind {
	case msgTLS:
		if s.flights[m.step].ticket {
			s.pool.resumed = true // later connections may resume this session
		}
		if m.step == s.clientReady {
			s.setReady()
		}
		s.tlsSend(m.step+1, true)
	default:
		s.f.clientGot(m)
	}
}

// label is what names a message of ex's on the ladder: what, then the
// resource's path ("GET /img3.png", "DATA /app.js"). It is empty when
// the run keeps no trace: nobody would read it (Network.traced).
func (s *session) label(what string, ex *exchange) string {
	if !s.conn.net.traced {
		return ""
	}
	return what + ex.res.Path
}
