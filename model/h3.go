package model

import (
	"github.com/quic-go/qpack"

	"github.com/keepalive-sim/keepalive/model/http3"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// h3state is the HTTP/3 layer of a session (RFC 9114) on its QUIC
// connection: each request on a client bidirectional stream of its own
// (§4.1), a control stream each way carrying SETTINGS (§6.2.1), field
// sections encoded by QPACK with its static table and literals (RFC 9204;
// quic-go's encoder uses no dynamic table). Each stream's bytes reach
// their message on their own: a packet lost delays only the streams whose
// frames it carried.
type h3state struct {
	s *session
	q *quicConn
	// open are the requests sent and not yet answered, at the client.
	open []*exchange
	// pipes are each stream's messages in one direction, keyed by
	// stream id and direction (up: the request stream's request, the
	// client's control stream).
	pipes map[h3key]*pipe
	// held are stream bytes that reached the server before a worker
	// took the connection.
	held      []h3bytes
	goingAway bool
}

type h3key struct {
	id uint64
	up bool
}

type h3bytes struct {
	id uint64
	n  int
}

var _ framing = (*h3state)(nil)

// The control streams' ids: the first unidirectional stream of each end
// (RFC 9000 §2.1: client 2, server 3).
const (
	h3ClientControl = 2
	h3ServerControl = 3
)

// The SETTINGS quic-go v0.65.0's HTTP/3 client and server send by
// default (http3/client.go, server.go: settingsFrame): the client its
// SETTINGS_MAX_FIELD_SECTION_SIZE, the 10 MB of response header it
// accepts (defaultMaxResponseHeaderBytes); the server its limit,
// net/http's DefaultMaxHeaderBytes (1 MB), and extended CONNECT.
var (
	h3ClientSettings = []http3.Setting{{ID: http3.SettingMaxFieldSectionSize, Value: 10 << 20}}
	h3ServerSettings = []http3.Setting{{ID: http3.SettingMaxFieldSectionSize, Value: 1 << 20}, {ID: http3.SettingEnableConnectProtocol, Value: 1}}
)

// newH3Framing is HTTP/3 on s's QUIC connection.
func newH3Framing(s *session) framing {
	h := &h3state{s: s, q: s.conn.quic, pipes: map[h3key]*pipe{}}
	return h
}

// pipe is stream id's pipe in direction up, made on first use.
func (h *h3state) pipe(id uint64, up bool) *pipe {
	k := h3key{id, up}
	if p := h.pipes[k]; p != nil {
		return p
	}
	p := &pipe{s: h.s, toClient: !up}
	end := h.q.server
	if up {
		end = h.q.client
	} else {
		p.follow = h
	}
	p.quic = func(m *message) {
		end.write(id, m.size, m.neg)
		if m.closeStream {
			end.finish(id)
		}
	}
	h.pipes[k] = p
	return p
}

// takes: a stream more, within the streams the server allows, its
// initial_max_streams_bidi raised by MAX_STREAMS as streams end (RFC
// 9000 §4.6).
func (h *h3state) takes() bool {
	return !h.goingAway && h.q.client.canOpen()
}

func (h *h3state) pipelines() bool { return false }

func (h *h3state) inFlight() []*exchange { return h.open }

func (h *h3state) takeInFlight() []*exchange {
	lost := h.open
	h.open = nil
	return lost
}

// ready opens the client's control stream with its SETTINGS (§6.2.1).
func (h *h3state) ready() {
	h.control(true, http3.ControlStream(h3ClientSettings), "SETTINGS")
}

// serverReady opens the server's control stream with its SETTINGS.
func (h *h3state) serverReady() {
	h.control(false, http3.ControlStream(h3ServerSettings), "SETTINGS")
}

// control writes n bytes on an end's control stream.
func (h *h3state) control(up bool, n int, label string) {
	id := uint64(h3ServerControl)
	if up {
		id = h3ClientControl
	}
	m := &message{kind: msgH2Control, label: label, size: n, neg: h.s.cfg.Ideal}
	if m.neg {
		m.size = 1
	}
	h.pipe(id, up).write(m)
}

// request opens a stream with the request's HEADERS frame and closes the
// stream's sending side: a GET has no body (§4.1).
func (h *h3state) request(ex *exchange) {
	id := h.q.client.openStream()
	ex.stream = uint32(id)
	m := ex.req.hold(message{kind: msgH2Headers, ex: ex, label: h.s.label("GET ", ex), closeStream: true})
	h.size(m, h.requestSection(ex.res))
	h.open = append(h.open, ex)
	h.pipe(id, true).write(m)
	h.q.client.kick()
	h.s.record(trace.Record{Kind: trace.RequestSent, Resource: ex.rid, Stream: int(id), Label: m.label, Len: m.headBytes})
}

// size makes m a HEADERS frame around a field section of n bytes, or
// negligible in ideal mode.
func (h *h3state) size(m *message, n int) {
	if h.s.cfg.Ideal {
		m.size, m.neg = 1, true
		return
	}
	m.headBytes = http3.HeadersFrame(n)
	m.size = m.headBytes
}

// requestSection is the QPACK field section of a request: the four
// pseudo-header fields, :authority in place of Host (§4.3.1).
func (h *h3state) requestSection(r *Resource) int {
	if h.s.cfg.Ideal {
		return 0
	}
	host := h.s.cfg.HTTP.Host
	var buf [maxFields + 4]field
	f := append(buf[:0], field{name: ":method", value: "GET"}, field{name: ":scheme", value: "https"}, field{name: ":authority", value: host}, field{name: ":path", value: r.Path})
	f = requestFields(f, host, "", r, spelled)
	f = append(f[:4], f[5:]...)
	return len(http3.FieldSection(qpackFields(f)))
}

func (h *h3state) responseSection(r *Resource) int {
	if h.s.cfg.Ideal {
		return 0
	}
	var buf [maxFields + 1]field
	return len(http3.FieldSection(qpackFields(responseFields(append(buf[:0], field{name: ":status", value: "200"}), r, spelled))))
}

func qpackFields(fs []field) []qpack.HeaderField {
	out := make([]qpack.HeaderField, len(fs))
	for i, f := range fs {
		out[i] = qpack.HeaderField{Name: f.name, Value: f.value}
	}
	return out
}

// serverGot handles a whole HTTP/3 message at the server: a request, or
// the client's SETTINGS.
func (h *h3state) serverGot(m *message) {
	if m.kind != msgH2Headers {
		return
	}
	h.s.markBusy()
	ex := m.ex
	h.s.srv.answer(h.s, ex)
}

func (h *h3state) answered(ex *exchange) { h.respond(ex) }

// respond writes ex's response on its stream: HEADERS, the body in one
// DATA frame (quic-go's server writes what the handler writes), and the
// stream's FIN. QUIC's scheduler, not HTTP/3, interleaves the streams.
func (h *h3state) respond(ex *exchange) {
	if h.s.srvDone {
		return
	}
	id := uint64(ex.stream)
	p := h.pipe(id, false)
	head := ex.resp.hold(message{kind: msgH2Headers, ex: ex, last: ex.res.Size == 0, closeStream: ex.res.Size == 0, label: h.s.label("HEADERS 200 ", ex)})
	h.size(head, h.responseSection(ex.res))
	ex.respHead = head.headBytes
	p.write(head)
	if ex.res.Size > 0 {
		m := &message{kind: msgH2Data, ex: ex, last: true, closeStream: true, label: h.s.label("DATA ", ex), body: ex.res.Size}
		if !h.s.cfg.Ideal {
			m.head = http3.DataFrame(ex.res.Size) - ex.res.Size
		}
		m.size = m.head + ex.res.Size
		p.write(m)
	}
	h.s.markAnswered()
	h.q.server.flush()
}

// progress tells the browser how much of a response body has arrived,
// as each packet's bytes do: a body is one DATA frame, and the browser
// finds what a document references as its bytes come (model/browser.go).
func (h *h3state) progress(m *message, got int) {
	if m.kind == msgH2Data && m.body > 0 {
		if body := m.bodyAt(got); body > 0 {
			h.s.pool.progress(m.ex, body)
		}
	}
}

// clientGot handles a whole HTTP/3 message at the client.
func (h *h3state) clientGot(m *message) {
	switch m.kind {
	case msgH2Control:
		if m.ctl == ctlGoAway {
			// Requests above the GOAWAY's stream id were not processed and
			// may be retried elsewhere (RFC 9114 §5.2).
			h.goingAway = true
			h.s.retire()
			h.s.dropAll("GOAWAY: the server closed the idle HTTP/3 connection before this request arrived")
			h.s.pool.dispatch()
		}
		return
	case msgH2Data:
		ex := m.ex
		ex.bodyGot += m.body
		h.s.pool.progress(ex, ex.bodyGot)
	}
	if m.last {
		for i, ex := range h.open {
			if ex == m.ex {
				h.open = append(h.open[:i], h.open[i+1:]...)
				break
			}
		}
		h.s.pool.complete(m.ex)
		h.s.maybeIdle()
	}
}

// closeIdle sends GOAWAY on the server's control stream (§5.2).
func (h *h3state) closeIdle() {
	n := 1
	if !h.s.cfg.Ideal {
		n = http3.GoAwayFrame(0)
	}
	m := &message{kind: msgH2Control, ctl: ctlGoAway, label: "GOAWAY", size: n, neg: h.s.cfg.Ideal}
	h.pipe(h3ServerControl, false).write(m)
	h.q.server.flush()
}

// data takes n in-order bytes of stream id at the end on side up (the
// server when up): they complete the stream's messages.
func (h *h3state) data(id uint64, up bool, n int) {
	if up && (!h.s.accepted || h.s.accepting) {
		h.held = append(h.held, h3bytes{id, n})
		return
	}
	k := h3key{id, up}
	p := h.pipes[k]
	if p == nil {
		return
	}
	p.received(n)
}

// release hands the server what arrived before a worker took the
// connection.
func (h *h3state) release() {
	held := h.held
	h.held = nil
	for _, b := range held {
		h.data(b.id, true, b.n)
	}
}
