package model

import "github.com/keepalive-sim/keepalive/model/trace"

// Segment is one TCP segment in one IP packet. Sequence numbers are
// relative: each side's SYN is sequence 0, its first data byte 1.
type Segment struct {
	ID    uint64 // run-wide packet id, for pairing trace records
	Conn  int
	Dir   trace.Dir
	Flags trace.Flags
	Seq   int64
	Ack   int64
	Len   int // payload bytes
	Wnd   int // receive window advertised
	Wire  int // payload + headers: what serialization is charged for
	Retx  bool
	Label string
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
