package tui

import (
	"fmt"
	"strings"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// A QUIC datagram's record names its packets in its label, as the
// model writes them: "Initial 0: CRYPTO PADDING + Handshake 0: CRYPTO".
// The sentences below read that label, and nothing else is assumed.

// quicPacket is one packet of a datagram's label.
type quicPacket struct {
	typ    string // Initial, Handshake, 0-RTT, 1-RTT
	number string
	frames []string
}

func (p quicPacket) has(frame string) bool {
	for _, f := range p.frames {
		if f == frame {
			return true
		}
	}
	return false
}

// quicPackets reads a datagram's label; ok is false if it is not one.
func quicPackets(label string) (ps []quicPacket, ok bool) {
	for _, s := range strings.Split(label, " + ") {
		head, frames, found := strings.Cut(s, ": ")
		typ, num, found2 := strings.Cut(head, " ")
		if !found || !found2 {
			return nil, false
		}
		switch typ {
		case "Initial", "Handshake", "0-RTT", "1-RTT":
		default:
			return nil, false
		}
		ps = append(ps, quicPacket{typ, num, strings.Fields(frames)})
	}
	return ps, len(ps) > 0
}

// quicPart says what one packet carries, in a phrase, for the end that
// sent it (client true).
func quicPart(p quicPacket, client bool) string {
	var what []string
	if p.has("CRYPTO") {
		switch {
		case p.typ == "Initial" && client:
			what = append(what, "the TLS ClientHello (or part of it) in CRYPTO frames")
		case p.typ == "Initial":
			what = append(what, "the TLS ServerHello in CRYPTO frames")
		case p.typ == "Handshake" && client:
			what = append(what, "the client's TLS Finished: the handshake is complete at the client")
		case p.typ == "Handshake":
			what = append(what, "the server's certificate, its signature and Finished (or part of them) in CRYPTO frames")
		default:
			what = append(what, "a TLS session ticket for a later 0-RTT connection")
		}
	}
	if p.has("STREAM") {
		switch {
		case p.typ == "0-RTT":
			what = append(what, "request bytes sent as 0-RTT data, before the handshake completes (RFC 9001 §4.6.1)")
		case client:
			what = append(what, "stream data: requests, each on a stream of its own")
		default:
			what = append(what, "stream data: responses, each stream delivered on its own")
		}
	}
	if p.has("STREAM(control)") {
		what = append(what, "HTTP/3 control stream: SETTINGS when the connection opens, GOAWAY before an idle close (RFC 9114 §6.2.1)")
	}
	if p.has("HANDSHAKE_DONE") {
		what = append(what, "HANDSHAKE_DONE: the server confirms the handshake (RFC 9001 §4.1.2)")
	}
	if p.has("MAX_DATA") || p.has("MAX_STREAM_DATA") {
		what = append(what, "a flow-control update that lets the peer send more (RFC 9000 §4.2)")
	}
	if p.has("MAX_STREAMS") {
		what = append(what, "MAX_STREAMS: a request stream ended, so the client may open another (RFC 9000 §4.6)")
	}
	if p.has("PING") {
		what = append(what, "a PING that asks for an acknowledgment")
	}
	if p.has("CONNECTION_CLOSE") {
		what = append(what, "CONNECTION_CLOSE: the connection ends at once, in one packet, without a closing handshake or a TIME-WAIT (RFC 9000 §10.2)")
	}
	if p.has("ACK") {
		what = append(what, "an ACK of the packets received")
	}
	if p.has("PADDING") {
		what = append(what, "padding, so the datagram is at least 1,200 bytes (RFC 9000 §14.1)")
	}
	return p.typ + " packet " + p.number + ": " + strings.Join(what, ", ")
}

// quicDatagram is the sentence body for a datagram: its packets.
func quicDatagram(r *trace.Record, client bool) string {
	ps, _ := quicPackets(r.Label)
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = quicPart(p, client)
	}
	return strings.Join(parts, "; ")
}

// quicSize is a datagram's size for a sentence.
func quicSize(r *trace.Record) string {
	if r.Wire == 0 {
		return "negligible in ideal mode"
	}
	return fmt.Sprintf("%d bytes with UDP and IP", r.Wire)
}

// explainQUIC explains a QUIC datagram's record, or says ok false for a
// record that is not one.
func explainQUIC(r *trace.Record) (string, bool) {
	if r.Flags != 0 {
		return "", false
	}
	if _, ok := quicPackets(r.Label); !ok {
		return "", false
	}
	by, at := side(r.Dir), other(r.Dir)
	body := quicDatagram(r, r.Dir == trace.Up)
	prefix := ""
	if r.Retx {
		prefix = "retransmission, in a new packet number (QUIC never resends a packet, only its frames): "
	}
	switch r.Kind {
	case trace.PacketSent:
		return fmt.Sprintf("%sQUIC datagram sent by %s on connection %d (%s): %s", prefix, by, r.Conn, quicSize(r), body), true
	case trace.PacketArrived:
		return fmt.Sprintf("QUIC datagram arrived at %s on connection %d: %s", at, r.Conn, body), true
	case trace.PacketDropped:
		return fmt.Sprintf("QUIC datagram dropped (%s) on connection %d: %s. The sender learns of it from the ACKs of later packets, or its probe timeout, and sends the frames again (RFC 9002 §6)", orWord(r.Note, "lost"), r.Conn, body), true
	}
	return "", false
}
