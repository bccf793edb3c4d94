package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
)

// The QUIC side of a session, for HTTP/3: the pool opens a QUIC
// connection in place of a TCP one, and the session hears from its two
// ends (quic_end.go) what it hears from TCP's endpoints otherwise.

// tls is the TLS version the session's connection runs: QUIC's is
// always 1.3 (RFC 9001).
func (s *session) tls() TLSVersion {
	if s.conn.quic != nil {
		return TLS13
	}
	return s.cfg.TLS.Version
}

// openQUIC opens a new QUIC connection to the server.
func (p *pool) openQUIC() *session {
	resumed := p.quicTicket && p.cfg.TLS.Resume
	q := p.net.newQUICConn(p.link, &p.cfg.QUIC, p.cfg.Ideal, resumed, p.cfg.TLS.EarlyData)
	c := q.conn
	c.extra = p.extra
	s := &session{pool: p, srv: p.srv, cfg: p.cfg, conn: c, resumed: resumed}
	s.initTimers()
	s.sizes = sizes{ideal: p.cfg.Ideal} // QUIC protects packets, not records: no TLS record bytes
	s.f = p.frame(s)
	h := s.f.(*h3state)
	cl, sv := q.client, q.server
	cl.onReady = func() {
		s.record(trace.Record{Kind: trace.TLSDone, State: trace.TLS13})
		p.quicTicket = true // the server's NewSessionTicket follows; later QUIC connections may resume
		s.setReady()
	}
	cl.onStream = func(id uint64, n int) { h.data(id, false, n) }
	cl.onClosed = s.clientQUICClosed
	cl.onMaxStreams = p.dispatch
	sv.onClientHello = func(then func()) {
		s.srv.arrived(s)
		s.srv.handshake(s, then)
	}
	// The server opens its control stream with its SETTINGS (RFC 9114
	// §6.2.1) as soon as it may send, in 0.5-RTT data behind its
	// handshake flight, as quic-go's http3.Server does on accepting an
	// early connection.
	sv.onReady = h.serverReady
	sv.onStream = func(id uint64, n int) { h.data(id, true, n) }
	sv.onClosed = func(string) {
		if !s.srvDone {
			s.srvDone = true
			s.srvIdle.Stop()
			s.srv.release(s)
		}
	}
	p.sessions = append(p.sessions, s)
	p.user.opened(c, p.cfg.HTTP.Host)
	how := trace.TLSFull
	if resumed {
		how = trace.TLSResumed
	}
	s.record(trace.Record{Kind: trace.TLSStarted, State: trace.TLS13, Note: how})
	cl.open()
	return s
}

// clientQUICClosed: the connection ended under the client (the server's
// CONNECTION_CLOSE, an idle timeout). Requests still unanswered are lost.
func (s *session) clientQUICClosed(why string) {
	wasReady := s.ready
	s.retire()
	if !wasReady && s.used == 0 {
		s.pool.unreachable("could not connect: " + why)
		return
	}
	s.dropAll(why)
	s.pool.dispatch()
}
