package model

import (
	"strings"

	"github.com/keepalive-sim/keepalive/model/quic"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// quicConn is one QUIC connection (RFC 9000) on a client's link: a
// client end and a server end, each with its packet number spaces, its
// TLS handshake in CRYPTO frames, its streams, loss recovery and
// congestion control (package quic). It carries HTTP/3 (h3.go). Its
// datagrams travel the same links as TCP's segments, one per Segment.
type quicConn struct {
	conn           *Conn
	cfg            *QUICConfig
	prof           quic.Profile
	ideal          bool // no header bytes, weightless handshake, an ACK per packet
	lossless       bool // ideal on a path that cannot lose: no loss timer
	resumed, early bool // the TLS session resumes, with 0-RTT data
	client, server *quicEnd
}

// newQUICConn opens the next connection of the network from client,
// with both ends idle: set their callbacks, then call client.open.
func (n *Network) newQUICConn(client int, cfg *QUICConfig, ideal, resumed, early bool) *quicConn {
	c := &Conn{ID: len(n.conns) + 1, net: n, link: n.links[client], ClientIndex: client}
	q := &quicConn{conn: c, cfg: cfg, prof: cfg.profile(), ideal: ideal, resumed: resumed, early: early && resumed}
	q.lossless = ideal && c.link.lossless()
	c.quic = q
	q.client = newQUICEnd(q, trace.Up)
	q.server = newQUICEnd(q, trace.Down)
	q.client.peer, q.server.peer = q.server, q.client
	n.conns = append(n.conns, c)
	n.meter.add(connStateBytes)
	return q
}

// qFrameKind is a QUIC frame type the model sends (RFC 9000 §19).
type qFrameKind uint8

const (
	qfAck qFrameKind = iota
	qfCrypto
	qfStream
	qfMaxData
	qfMaxStreamData
	qfMaxStreams
	qfPing
	qfHandshakeDone
	qfClose
)

var qFrameNames = [...]string{qfAck: "ACK", qfCrypto: "CRYPTO", qfStream: "STREAM", qfMaxData: "MAX_DATA",
	qfMaxStreamData: "MAX_STREAM_DATA", qfMaxStreams: "MAX_STREAMS", qfPing: "PING", qfHandshakeDone: "HANDSHAKE_DONE", qfClose: "CONNECTION_CLOSE"}

// qFrame is one frame of a packet.
type qFrame struct {
	kind   qFrameKind
	fin    bool
	retx   bool
	n      int // data bytes (CRYPTO, STREAM)
	stream uint64
	off    uint64
	value  uint64 // MAX_DATA, MAX_STREAM_DATA, MAX_STREAMS
	ranges []quic.AckRange
	delay  sim.Time // ACK Delay
}

// qPacket is one QUIC packet as its sender keeps it until it is
// acknowledged or lost.
type qPacket struct {
	space        quic.Space
	pn           uint64
	early        bool // a 0-RTT packet (long header, application data space)
	frames       []qFrame
	bytes        int // the packet's bytes: header, frames, tag (RFC 9002's sent_bytes)
	padding      int
	ackEliciting bool
}

// datagram is what one Segment of a QUIC connection carries: its
// packets, coalesced (RFC 9000 §12.2).
type datagram struct {
	packets []*qPacket
}

// spaceName is how the ladder names a packet's type.
func (p *qPacket) typeName() string {
	switch {
	case p.space == quic.Initial:
		return "Initial"
	case p.space == quic.Handshake:
		return "Handshake"
	case p.early:
		return "0-RTT"
	}
	return "1-RTT"
}

// label is p's label for a record, or "" when the run keeps no trace
// (Network.traced).
func (q *quicConn) label(p *qPacket) string {
	if !q.conn.net.traced {
		return ""
	}
	return p.label()
}

// label names d's packets on the ladder, in order, joined by " + ".
func (d *datagram) label() string {
	labels := make([]string, 0, len(d.packets))
	for _, p := range d.packets {
		labels = append(labels, p.label())
	}
	return strings.Join(labels, " + ")
}

// label is the packet on the ladder: its type, number and frames, a run
// of frames of one type named once. STREAM(control) is a STREAM frame of
// a unidirectional stream, HTTP/3's control streams (SETTINGS, GOAWAY),
// so that no one reads it as a request or a response.
func (p *qPacket) label() string {
	b := []byte(p.typeName())
	b = append(b, ' ')
	b = appendUint(b, p.pn)
	b = append(b, ':')
	last := ""
	for _, f := range p.frames {
		name := qFrameNames[f.kind]
		if f.kind == qfStream && !bidi(f.stream) {
			name = "STREAM(control)"
		}
		if name == last {
			continue
		}
		last = name
		b = append(b, ' ')
		b = append(b, name...)
	}
	if p.padding > 0 {
		b = append(b, " PADDING"...)
	}
	return string(b)
}

func appendUint(b []byte, v uint64) []byte {
	if v >= 10 {
		b = appendUint(b, v/10)
	}
	return append(b, byte('0'+v%10))
}

// The UDP, IP and QUIC bytes of the model's packets (quic.LongHeader,
// quic.ShortHeader): none in ideal mode.
func (q *quicConn) udpOverhead() int {
	if q.ideal {
		return 0
	}
	return quic.UDPIPv4Header
}

// cids is the connection ID lengths: the client's first Destination
// Connection ID is at least 8 bytes (RFC 9000 §7.2), later ones are the
// profile's.
func (q *quicConn) cid() int { return q.prof.ConnectionIDLen }
