package quic

// StreamReceiver is one stream's receiving side: the bytes that arrived,
// in any order, and how far from its start they are contiguous, which is
// what the application can read (RFC 9000 §2.2: "an endpoint MUST be
// able to deliver stream data to an application as an ordered byte
// stream"). Each stream has its own, so a lost packet holds back only
// the streams whose frames it carried: what QUIC changes for HTTP/3, where
// HTTP/2's one TCP byte stream holds back every stream behind a loss.
type StreamReceiver struct {
	// Readable is the contiguous bytes from offset 0.
	Readable uint64
	// Final is the stream's size once a frame with FIN has arrived.
	Final    uint64
	FinKnown bool
	// held are byte ranges [from, to) beyond Readable that arrived,
	// sorted and disjoint.
	held [][2]uint64
}

// Receive takes a STREAM frame's n bytes at offset (fin: the stream ends
// after them) and returns how many bytes became readable. Bytes that
// arrived before are counted once.
func (s *StreamReceiver) Receive(offset uint64, n int, fin bool) (newly uint64) {
	end := offset + uint64(n)
	if fin {
		s.Final, s.FinKnown = end, true
	}
	if end <= s.Readable {
		return 0 // a retransmission of what was read
	}
	offset = max(offset, s.Readable)
	s.held = insertRange(s.held, [2]uint64{offset, end})
	before := s.Readable
	for len(s.held) > 0 && s.held[0][0] <= s.Readable {
		s.Readable = max(s.Readable, s.held[0][1])
		s.held = s.held[1:]
	}
	return s.Readable - before
}

// Done reports whether the whole stream is readable.
func (s *StreamReceiver) Done() bool { return s.FinKnown && s.Readable == s.Final }

// Blocked reports whether bytes arrived that cannot be read yet: held
// behind a gap.
func (s *StreamReceiver) Blocked() bool { return len(s.held) > 0 }

// insertRange adds r to the sorted, disjoint ranges, merging overlaps and
// neighbours.
func insertRange(rs [][2]uint64, r [2]uint64) [][2]uint64 {
	out := make([][2]uint64, 0, len(rs)+1)
	placed := false
	for _, x := range rs {
		switch {
		case x[1] < r[0]:
			out = append(out, x)
		case r[1] < x[0]:
			if !placed {
				out, placed = append(out, r), true
			}
			out = append(out, x)
		default: // overlapping or touching: merge into r
			r = [2]uint64{min(r[0], x[0]), max(r[1], x[1])}
		}
	}
	if !placed {
		out = append(out, r)
	}
	return out
}
