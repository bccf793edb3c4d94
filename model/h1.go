package model

import (
	"slices"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// h1state is HTTP/1.x on one connection (RFC 9112): each request is
// answered in full, in the order the requests came (§9.3). HTTP/1.0
// closes the connection after its one response (RFC 1945); HTTP/1.1
// keeps it open for the next request and, pipelined, lets the client
// send requests before the responses to earlier ones have arrived
// (§9.3.2).
type h1state struct {
	s          *session
	version    string // on the request and status lines: "1.0" or "1.1"
	persistent bool   // more than one request per connection (keep-alive)
	pipelined  bool

	outstanding []*exchange // client: awaiting responses, in order
	received    []*exchange // server: requests received, in order
	served      int         // server: responses written
	// The first request's room in outstanding and received, kept here:
	// an HTTP/1.0 connection, or a keep-alive one not pipelining, never
	// needs more, and so never allocates the slices.
	outFirst, recvFirst [1]*exchange
}

var _ framing = (*h1state)(nil)

// The HTTP/1.x framings. Each keeps its state in the session's own h1
// field, so that an HTTP/1.x connection costs no allocation more than
// the session.
func newH10(s *session) framing { return s.h1init(h1state{version: "1.0"}) }

func newH11(s *session) framing { return s.h1init(h1state{version: "1.1", persistent: true}) }

func newH11Pipelined(s *session) framing {
	return s.h1init(h1state{version: "1.1", persistent: true, pipelined: true})
}

// h1init sets up s's HTTP/1.x framing as h: the client follows a
// response's body as it arrives, to find the references in it.
func (s *session) h1init(h h1state) *h1state {
	h.s = s
	s.h1 = h
	s.h1.outstanding, s.h1.received = s.h1.outFirst[:0], s.h1.recvFirst[:0]
	s.down.follow = &s.h1
	return &s.h1
}

func (h *h1state) ready() {}

// takes: an idle connection, and for HTTP/1.0 one not used yet.
func (h *h1state) takes() bool {
	return len(h.outstanding) == 0 && (h.persistent || h.s.used == 0)
}

func (h *h1state) pipelines() bool { return h.pipelined }

func (h *h1state) inFlight() []*exchange { return h.outstanding }

func (h *h1state) takeInFlight() []*exchange {
	lost := h.outstanding
	h.outstanding = nil
	return lost
}

// request writes the request head (a GET has no body).
func (h *h1state) request(ex *exchange) {
	s := h.s
	m := ex.req.hold(message{kind: msgRequest, ex: ex, label: s.label("GET ", ex)})
	s.sizes.h1Request(m, s.cfg.HTTP.Host, ex.res, h.version, h.persistent)
	h.outstanding = append(h.outstanding, ex)
	s.up.write(m)
	s.record(trace.Record{Kind: trace.RequestSent, Resource: ex.rid, Label: m.label, Len: m.headBytes})
}

// progress tells the pool how much of a response's body has arrived once
// got bytes of it are in, in proportion across TLS record overhead.
func (h *h1state) progress(m *message, got int) {
	if m.kind == msgResponse && m.body > 0 {
		if body := m.bodyAt(got); body > 0 {
			h.s.pool.progress(m.ex, body)
		}
	}
}

// clientGot handles a whole response, or a 408, at the client.
func (h *h1state) clientGot(m *message) {
	s := h.s
	switch m.kind {
	case msgResponse:
		if len(h.outstanding) > 0 && h.outstanding[0] == m.ex {
			h.outstanding = slices.Delete(h.outstanding, 0, 1) // keeps the array: no allocation per request
		}
		if m.closeAfter {
			s.retire() // "Connection: close": no more requests on it
			// Requests pipelined behind this response were never processed:
			// the server closes after it (RFC 9112 §9.6). They go again on
			// another connection, at no cost to the retry budget meant for
			// requests that may have been processed (§9.3.2).
			unanswered := h.outstanding
			h.outstanding = nil
			s.pool.resend(unanswered, "the server closed the connection after the response before it (Connection: close), so this pipelined request was never processed")
		}
		s.pool.complete(m.ex)
		s.maybeIdle()
	case msg408:
		s.retire()
		s.dropAll("408 Request Timeout: the server closed the idle connection as the request arrived")
		s.pool.dispatch()
	}
}

// serverGot takes a whole request at the server: its response is written
// once ready and once every response before it has been.
func (h *h1state) serverGot(m *message) {
	s := h.s
	s.markBusy()
	ex := m.ex
	h.received = append(h.received, ex)
	s.srv.answer(s, ex)
}

// answered: a response is ready; those before it may not be yet.
func (h *h1state) answered(*exchange) { h.flush() }

// flush writes responses strictly in request order (RFC 9112 §9.3.2): a
// response that is not ready holds back the others.
func (h *h1state) flush() {
	s := h.s
	for len(h.received) > 0 && h.received[0].ready && !s.srvDone {
		ex := h.received[0]
		h.received = slices.Delete(h.received, 0, 1)
		h.served++
		last := !h.persistent || s.srv.cfg.MaxRequests > 0 && h.served >= s.srv.cfg.MaxRequests
		m := ex.resp.hold(message{kind: msgResponse, ex: ex, label: s.label("200 OK ", ex), closeAfter: last})
		s.sizes.h1Response(m, ex.res, h.version, !last, s.srv.cfg.FirstWrite)
		ex.respHead = m.headBytes
		s.down.write(m)
		s.markAnswered()
		if last {
			// HTTP/1.0, or "Connection: close" after the last request allowed.
			s.lingerUntil = s.srv.sim.Now() + lingeringTimeout
			s.lingerEnd = s.srv.sim.Now() + lingeringTime
			s.serverClose()
		}
	}
}

// closeIdle sends "408 Request Timeout" first if the server is set to
// (RFC 9110 §15.5.9); by default it says nothing and closes.
func (h *h1state) closeIdle() {
	s := h.s
	if s.srv.cfg.IdleClose != Close408 {
		return
	}
	m := &message{kind: msg408, label: H1TimeoutLabel}
	s.sizes.h1Timeout(m)
	s.down.write(m)
}
