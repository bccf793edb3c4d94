package trace

import (
	"strconv"
	"time"
)

// Dir is the direction a packet travels.
type Dir uint8

// Directions. Up is client to server, Down is server to client.
const (
	NoDir Dir = iota
	Up
	Down
)

func (d Dir) String() string {
	switch d {
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return ""
}

// Flags are the TCP control bits of a segment.
type Flags uint8

// TCP control bits (RFC 9293 §3.1).
const (
	FIN Flags = 1 << iota
	SYN
	RST
	PSH
	ACK
)

// String returns the set bits as Wireshark lists them, e.g. "SYN, ACK",
// "FIN, ACK", "FIN, PSH, ACK": a FIN with an ACK is not an answer to a
// FIN, and the comma keeps it from reading like one.
func (f Flags) String() string {
	switch f { // the common ones, without allocating
	case ACK:
		return "ACK"
	case SYN:
		return "SYN"
	case SYN | ACK:
		return "SYN, ACK"
	case FIN | ACK:
		return "FIN, ACK"
	case PSH | ACK:
		return "PSH, ACK"
	case FIN | PSH | ACK:
		return "FIN, PSH, ACK"
	case RST:
		return "RST"
	case RST | ACK:
		return "RST, ACK"
	}
	var b []byte
	add := func(bit Flags, name string) {
		if f&bit != 0 {
			if len(b) > 0 {
				b = append(b, ", "...)
			}
			b = append(b, name...)
		}
	}
	// Wireshark's order: FIN, SYN, RST, PSH, ACK.
	add(FIN, "FIN")
	add(SYN, "SYN")
	add(RST, "RST")
	add(PSH, "PSH")
	add(ACK, "ACK")
	return string(b)
}

// Record is one event of a run. Which fields are meaningful depends on Kind;
// the others are zero. Times are virtual, since the start of the run.
//
// The one-byte fields sit together after At, so that the record packs
// without padding: a terminal UI lesson keeps millions of them.
type Record struct {
	At    time.Duration // when it happened
	Kind  Kind
	Dir   Dir   // packet direction, or the side (Up = client, Down = server) for TCP state
	Flags Flags // a packet's TCP control bits
	Retx  bool  // a packet that is a retransmission
	// State is the new TCP state (StateChanged) or another short word
	// of a closed set: see [State] for which kinds carry which.
	State State
	Conn  int // TCP connection id, from 1; 0 when not about a connection

	// Packet fields (PacketSent, PacketArrived, PacketDropped).
	Packet uint64 // run-wide packet id pairing sent, arrived and dropped
	Seq    int64  // relative sequence number of the first byte (SYN is 0)
	Ack    int64  // relative acknowledgement number, when Flags has ACK
	Len    int    // payload bytes
	Wire   int    // bytes on the wire: payload plus headers
	Wnd    int    // receive window advertised
	// Sack lists the SACK blocks an ACK carries (RFC 2018): relative
	// sequence ranges "left-right", right edge exclusive, separated by
	// spaces; a D-SACK (RFC 2883: data that arrived twice) first, marked
	// "D:".
	Sack string
	// Queued and Serialized are, for PacketArrived and for a
	// PacketDropped after it left the queue, how long the packet waited
	// in its sender's transmit queue behind earlier packets and how long
	// its bits took to go onto the wire at the link's rate: with the
	// propagation delay they make up its time from sent to arrived, and
	// a packet inspector shows them apart. Both 0 on an unlimited link.
	Queued, Serialized time.Duration

	// Congestion state (CwndChanged), in bytes. A QUIC sender's record
	// also carries its bytes in flight in Wnd and its smoothed RTT in
	// Queued (RFC 9002 §5.3), which a qlog's metrics_updated reports.
	Cwnd     int
	Ssthresh int

	// Label says what a packet carries ("GET /img3.png", "DATA 1-1460") or
	// names a resource.
	Label string
	// Resource is the page resource an HTTP record is about, numbered from
	// 1 (the base document); 0 when not about a resource.
	Resource int
	// Stream is the HTTP/2 stream id, 0 otherwise.
	Stream int
	// Client is the browser a record is about, from 1, when a run has
	// several clients; 0 otherwise.
	Client int
	// Page is the page of a browsing session an HTTP record is about,
	// from 1; 0 when not about a page.
	Page int
	// Note is a plain-words reason: why a packet was dropped, why a
	// connection failed.
	Note string
}

// Describe says what a packet record carries, for a ladder diagram or a
// log line: its Label when the sender named it ("GET /img3.png",
// "SYN-ACK"), else the byte range of its data ("DATA 1461–2920").
func (r *Record) Describe() string {
	if r.Label != "" || r.Len == 0 {
		if r.Label == "" {
			return r.Flags.String()
		}
		return r.Label
	}
	return "DATA " + strconv.FormatInt(r.Seq, 10) + "–" + strconv.FormatInt(r.Seq+int64(r.Len)-1, 10)
}
