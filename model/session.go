package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
)

// session is one TCP connection as the browser and the server use it:
// an optional TLS handshake, then HTTP/1.x exchanges or HTTP/2 streams.
// Both ends' application logic lives here because both are simulated.
type session struct {
	b      *browser
	conn   *Conn
	up     pipe // client → server
	down   pipe // server → client
	ready  bool // the client may send requests
	closed bool // the browser will not use it again
	used   int  // requests sent

	outstanding []*exchange // HTTP/1.x: awaiting responses, in order
	srvQueue    []*exchange // HTTP/1.x server: requests received, in order

	flights     []tlsFlight
	clientReady int
	h2          *h2state
}

func newSession(b *browser, c *Conn) *session {
	s := &session{b: b, conn: c}
	s.up.ep, s.down.ep = c.Client, c.Server
	c.Server.OnData = s.up.received
	c.Client.OnData = s.down.received
	s.up.onEnd = s.serverGot
	s.down.onStart = s.clientStart
	s.down.onProgress = s.clientProgress
	s.down.onEnd = s.clientGot
	c.Client.OnEstablished = s.connected
	c.Client.OnEOF = func() {
		s.closed = true
		c.Client.Close()
		s.b.dispatch()
	}
	c.Client.OnReset = s.reset
	c.Server.OnEOF = c.Server.Close
	if b.cfg.HTTP.Protocol == HTTP2 {
		s.h2 = newH2(s)
		c.Server.OnAcked = s.h2.pump
	}
	return s
}

func (s *session) open() bool { return !s.closed }

func (s *session) record(r trace.Record) {
	r.Conn = s.conn.ID
	s.b.record(r)
}

// connected runs when the TCP handshake completes at the client.
func (s *session) connected() {
	v := s.b.cfg.TLS.Version
	if v == NoTLS {
		s.setReady()
		return
	}
	resumed := s.b.resumed && s.b.cfg.TLS.Resume
	s.flights, s.clientReady = tlsScript(v, resumed, resumed && s.b.cfg.TLS.EarlyData)
	how := "full"
	if resumed {
		how = "resumed"
	}
	s.record(trace.Record{Kind: trace.TLSStarted, State: v.String(), Note: how})
	s.tlsSend(0, true)
}

// tlsSend writes the handshake flights from index i on while they are the
// given side's to send.
func (s *session) tlsSend(i int, client bool) {
	for ; i < len(s.flights) && s.flights[i].fromClient == client; i++ {
		f := s.flights[i]
		m := &message{kind: msgTLS, size: f.bytes, label: f.label, step: i, neg: s.b.cfg.Ideal}
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
	if s.flights != nil {
		s.record(trace.Record{Kind: trace.TLSDone, State: s.b.cfg.TLS.Version.String()})
	}
	if s.h2 != nil {
		s.h2.clientStart()
	}
	s.b.dispatch()
}

// reset: the connection failed or was reset under the browser.
func (s *session) reset(why string) {
	s.closed = true
	s.b.failed = true
}

// wireSize is what n plaintext bytes take in the TCP stream.
func (s *session) wireSize(n int) int {
	if s.b.cfg.Ideal {
		return n
	}
	return n + tlsOverhead(s.b.cfg.TLS.Version, n)
}

// send writes the request for ex.
func (s *session) send(ex *exchange) {
	ex.sess = s
	s.used++
	if s.h2 != nil {
		s.h2.request(ex)
		return
	}
	cfg := s.b.cfg
	m := &message{kind: msgRequest, ex: ex, label: requestLabel(ex.res), neg: cfg.Ideal}
	if !cfg.Ideal {
		version, keep := "1.1", true
		if cfg.HTTP.Protocol == HTTP10 {
			version, keep = "1.0", false
		}
		m.size = s.wireSize(h1RequestBytes(cfg.HTTP.Host, ex.res, version, keep))
	}
	s.outstanding = append(s.outstanding, ex)
	s.up.write(m)
	s.record(trace.Record{Kind: trace.RequestSent, Resource: ex.id + 1, Label: m.label})
}

// serverGot handles a whole message at the server.
func (s *session) serverGot(m *message) {
	switch m.kind {
	case msgTLS:
		s.tlsSend(m.step+1, false)
	case msgRequest:
		ex := m.ex
		s.srvQueue = append(s.srvQueue, ex)
		s.afterThink(ex, s.serverFlush)
	default:
		s.h2.serverGot(m)
	}
}

// afterThink marks ex ready once the server's think time has passed.
func (s *session) afterThink(ex *exchange, then func()) {
	if ex.res.Think == 0 {
		ex.ready = true
		then()
		return
	}
	s.b.sim.After(ex.res.Think, func() {
		ex.ready = true
		then()
	})
}

// serverFlush writes HTTP/1.x responses strictly in request order
// (RFC 9112 §9.3.2): a response that is not ready holds back the others.
func (s *session) serverFlush() {
	cfg := s.b.cfg
	for len(s.srvQueue) > 0 && s.srvQueue[0].ready {
		ex := s.srvQueue[0]
		s.srvQueue = s.srvQueue[1:]
		head := 0
		if !cfg.Ideal {
			version, keep := "1.1", true
			if cfg.HTTP.Protocol == HTTP10 {
				version, keep = "1.0", false
			}
			head = h1ResponseBytes(ex.res, version, keep)
		}
		m := &message{kind: msgResponse, ex: ex, head: head, body: ex.res.Size,
			label: "200 OK " + ex.res.Path}
		m.size = s.wireSize(head + ex.res.Size)
		m.neg = m.size == 0
		s.down.write(m)
		if cfg.HTTP.Protocol == HTTP10 {
			s.conn.Server.Close() // HTTP/1.0: the end of the connection ends the response
		}
	}
}

func (s *session) clientStart(m *message) {
	switch m.kind {
	case msgResponse, msgH2Headers:
		s.b.firstByte(m.ex)
	}
}

func (s *session) clientProgress(m *message, got int) {
	if m.kind == msgResponse && m.body > 0 {
		// Body bytes so far, in proportion across TLS record overhead.
		body := got*(m.head+m.body)/m.size - m.head
		if body > 0 {
			s.b.progress(m.ex, body)
		}
	}
}

// clientGot handles a whole message at the client.
func (s *session) clientGot(m *message) {
	switch m.kind {
	case msgTLS:
		if m.step == len(s.flights)-1 && s.flights[0].bytes == clientHelloBytes {
			s.b.resumed = true // a full handshake ends with a session ticket
		}
		if m.step == s.clientReady {
			s.setReady()
		}
		s.tlsSend(m.step+1, true)
	case msgResponse:
		s.outstanding = s.outstanding[1:]
		if s.b.cfg.HTTP.Protocol == HTTP10 {
			s.closed = true
		}
		s.b.complete(m.ex)
	default:
		s.h2.clientGot(m)
	}
}
