package model

import (
	"strconv"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// Segment is one TCP segment in one IP packet. Sequence numbers are
// relative: each side's SYN is sequence 0, its first data byte 1.
type Segment struct {
	ID    uint64 // run-wide packet id, for pairing trace records
	Conn  int
	Seq   int64
	Ack   int64
	Len   int // payload bytes
	Wnd   int // receive window advertised
	Wire  int // payload + headers: what serialization is charged for
	Label string
	// The timestamps option (RFC 7323 §3): the sender's clock when it
	// sent the segment, and the peer's it echoes. The sender hands the
	// segment to its link at once, so TSval is also when it joined the
	// link's transmit queue.
	TSval, TSecr sim.Time
	// wireAt is when the link began to serialize it: it left the
	// transmit queue then, so wireAt − TSval is how long it waited
	// (trace.Record.Queued).
	wireAt sim.Time
	// SACK blocks (RFC 2018): NSack of them, the first a D-SACK (RFC 2883)
	// when DSack is set.
	Sack [maxSACK]span
	// quic is a QUIC datagram's packets; nil for a TCP segment.
	quic  *datagram
	Dir   trace.Dir
	Flags trace.Flags
	Retx  bool
	NSack uint8
	DSack bool
}

// maxSACK is how many SACK blocks fit beside the timestamps option in the
// 40 bytes of TCP options (RFC 2018 §3: 8 bytes each plus 2, padded).
const maxSACK = 3

// sackOptionBytes is the option space n SACK blocks take: two NOPs, kind
// and length, and 8 bytes per block (Linux TCPOLEN_SACK_BASE_ALIGNED +
// n·TCPOLEN_SACK_PERBLOCK).
func sackOptionBytes(n int) int {
	if n == 0 {
		return 0
	}
	return 4 + 8*n
}

// end is the sequence number just past the segment; SYN and FIN each take
// one (RFC 9293 §3.4).
func (s *Segment) end() int64 {
	e := s.Seq + int64(s.Len)
	if s.Flags&trace.SYN != 0 {
		e++
	}
	if s.Flags&trace.FIN != 0 {
		e++
	}
	return e
}

// sackText writes the SACK blocks for the trace (trace.Record.Sack).
func (s *Segment) sackText() string {
	b := make([]byte, 0, 48)
	for i := 0; i < int(s.NSack); i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		if i == 0 && s.DSack {
			b = append(b, "D:"...)
		}
		b = strconv.AppendInt(b, s.Sack[i].start, 10)
		b = append(b, '-')
		b = strconv.AppendInt(b, s.Sack[i].end, 10)
	}
	return string(b)
}
