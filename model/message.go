package model

import "github.com/keepalive-sim/keepalive/model/trace"

// msgKind says what an application message on a connection is.
type msgKind uint8

const (
	msgTLS msgKind = iota
	msgRequest
	msgResponse
	msgH2Control
	msgH2Headers
	msgH2Data
	msg408 // an unsolicited 408 Request Timeout before an idle close
)

// message is one application-level unit written to a TCP connection: a
// TLS handshake flight, an HTTP/1.x request or response, an HTTP/2 frame.
// The receiver learns where messages start and end by counting bytes, as
// a real parser would from lengths in the data.
type message struct {
	kind msgKind
	size int // bytes in the TCP stream (1 when negligible)
	head int // leading bytes that are not body (HTTP head, frame header)
	// headBytes is an HTTP message's head as the model sized it, before
	// TLS: an HTTP/1.x header block, or an HTTP/2 HEADERS frame with its
	// HPACK block; 0 in ideal mode. The trace records it
	// (RequestSent.Len, FirstByte.Len) for the packet inspector.
	headBytes int
	body      int // body bytes carried
	label     string
	ex        *exchange
	last      bool // HTTP/2: END_STREAM
	step      int  // TLS: which flight
	neg       bool // negligible: one weightless placeholder byte
	inc       int  // HTTP/2 WINDOW_UPDATE increment (ex nil: the connection's)
	// closeAfter marks a response sent with "Connection: close": the
	// server closes after it (HTTP/1.0, or the request limit reached).
	closeAfter bool
	// closeStream ends an HTTP/3 stream's sending side after m (its FIN).
	closeStream bool
	ctl         h2Control
	// split, when between 0 and size, is the size of a first write to
	// TCP; the rest follows in a second (ServerConfig.FirstWrite).
	split int
	// wire is what a capture needs beyond the sizes, only when one is
	// taken (sizes.bytes).
	wire *messageWire
}

// messageWire is a message's bytes that its sizes do not say: its HTTP
// head as sized, an HTTP/2 SETTINGS frame's parameters, a GOAWAY's last
// stream.
type messageWire struct {
	head       []byte
	settings   []trace.Setting
	lastStream int
}

// pipe is one direction of a connection as the application sees it: the
// messages written and not yet wholly received, in order.
type pipe struct {
	ep  *Endpoint // the writer
	s   *session
	q   fifo[*message]
	got int // bytes of the front message received so far

	// quic, for an HTTP/3 stream, sends a message on its QUIC stream in
	// place of ep.
	quic func(*message)

	// toClient says which of the session's halves reads the pipe: the
	// client's (clientStart and clientGot) or the server's (serverGot).
	toClient bool
	// follow, if set, is told how much of the front message has arrived
	// whenever more of it does.
	follow follower
}

// A follower follows a message as it arrives (a browser reading a page
// for its references).
type follower interface {
	progress(m *message, got int)
}

// write sends m, unless the writer has closed its side already (the
// connection is being torn down and nobody will read it).
func (p *pipe) write(m *message) {
	if p.quic != nil {
		p.quic(m)
		p.q.push(m)
		return
	}
	if !p.ep.Writable() {
		return
	}
	seq := p.ep.dataEnd()
	if m.neg {
		m.size = 1
		p.ep.WriteNegligible(m.label)
	} else if m.split > 0 && m.split < m.size {
		p.ep.Write(m.split, m.label)
		p.ep.Write(m.size-m.split, "")
	} else {
		p.ep.Write(m.size, m.label)
	}
	if f := p.ep.conn.net.messages; f != nil {
		p.s.traceMessage(f, p.ep.side, m, seq)
	}
	p.q.push(m)
}

// received consumes n in-order bytes at the reader.
func (p *pipe) received(n int) {
	for n > 0 && p.q.len() > 0 {
		m := *p.q.front()
		take := min(n, m.size-p.got)
		if p.got == 0 && p.toClient {
			p.s.clientStart(m)
		}
		p.got += take
		n -= take
		if p.follow != nil {
			p.follow.progress(m, p.got)
		}
		if p.got == m.size {
			p.q.pop()
			p.got = 0
			if p.toClient {
				p.s.clientGot(m)
			} else {
				p.s.serverGot(m)
			}
		}
	}
}

// bodyAt is how many body bytes the first got of m's size bytes hold:
// the head comes first, and what the wire adds (TLS records) is spread
// over the message in proportion.
func (m *message) bodyAt(got int) int { return got*(m.head+m.body)/m.size - m.head }
