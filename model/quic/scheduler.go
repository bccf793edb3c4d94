package quic

// MinStreamFrameRoom is the room a packet must have left for another
// STREAM frame to be added to it (quic-go v0.65.0,
// internal/protocol/params.go: MinStreamFrameSize).
const MinStreamFrameRoom = 128

// Scheduler picks the streams whose data fill each packet, as quic-go
// v0.65.0's framer (framer.go, AppendStreamFrames) does for an HTTP/3
// server's responses when the client sent no Priority header (urgency
// 3, incremental: http3/server_conn.go): lost data first, stream by
// stream in the order their losses were found, each stream's lost data
// whole before the next's; then new data round-robin, one frame per
// stream per turn, while MinStreamFrameRoom bytes are left. A stream
// whose frame did not finish its data goes to the back of the queue.
type Scheduler struct {
	active, retx     []uint64 // stream IDs, in turn
	inActive, inRetx map[uint64]bool
}

// NewScheduler is a scheduler with no stream to send.
func NewScheduler() *Scheduler {
	return &Scheduler{inActive: map[uint64]bool{}, inRetx: map[uint64]bool{}}
}

// Activate queues stream id, which has new data, unless it is queued.
func (s *Scheduler) Activate(id uint64) {
	if !s.inActive[id] {
		s.inActive[id] = true
		s.active = append(s.active, id)
	}
}

// Busy is whether a stream is queued, with new data or lost data.
func (s *Scheduler) Busy() bool { return len(s.active)+len(s.retx) > 0 }

// Lost queues stream id, which has data to send again, unless queued.
func (s *Scheduler) Lost(id uint64) {
	if !s.inRetx[id] {
		s.inRetx[id] = true
		s.retx = append(s.retx, id)
	}
}

// Chunk is one STREAM frame Pack put in a packet.
type Chunk struct {
	Stream         uint64
	Retransmission bool
	Bytes          int // the frame's bytes: without its Length field if last
	lengthField    int
}

// Take builds stream id's next frame of at most max bytes (lost data if
// retx) and returns its size with its Length field (0: none fitted), the
// size of that field, and whether the stream has more data of the kind.
type Take func(id uint64, retx bool, max int) (size, lengthField int, more bool)

// Pack fills a packet with room bytes for frames, asking take for each
// frame, and returns the frames in the order packed. Each frame is asked
// for with room plus the length of a Length field, as quic-go does: the
// packet's last frame goes without one, which Pack then takes off it.
func (s *Scheduler) Pack(room int, take Take) []Chunk {
	var out []Chunk
	for len(s.retx) > 0 && room >= MinStreamFrameRoom {
		id := s.retx[0]
		size, lf, more := take(id, true, room+VarintLen(uint64(room)))
		if !more {
			s.retx = s.retx[1:]
			delete(s.inRetx, id)
		}
		if size == 0 {
			if more {
				break // it did not fit: the next packet
			}
			continue
		}
		out = append(out, Chunk{id, true, size, lf})
		room -= size
	}
	for range len(s.active) {
		if room < MinStreamFrameRoom || len(s.active) == 0 {
			break
		}
		id := s.active[0]
		s.active = s.active[1:]
		size, lf, more := take(id, false, room+VarintLen(uint64(room)))
		if more {
			s.active = append(s.active, id)
		} else {
			delete(s.inActive, id)
		}
		if size > 0 {
			out = append(out, Chunk{id, false, size, lf})
			room -= size
		}
	}
	if n := len(out); n > 0 {
		out[n-1].Bytes -= out[n-1].lengthField
	}
	return out
}
