package quic

import (
	"fmt"
	"strings"
	"testing"
)

// streams is a Take over streams with bytes left to send, new and lost,
// each frame as large as max allows (RFC 9000 §19.8's fields).
type streams struct {
	left, lost map[uint64]int
	offset     map[uint64]uint64
}

func (st *streams) take(id uint64, retx bool, max int) (int, int, bool) {
	m := st.left
	if retx {
		m = st.lost
	}
	off := st.offset[id]
	head := StreamFrame(id, off, 0, true) + VarintLen(uint64(max)) // with a Length field as long as max's
	if max <= head {
		return 0, 0, m[id] > 0
	}
	n := min(m[id], max-head)
	m[id] -= n
	if !retx {
		st.offset[id] += uint64(n)
	}
	return StreamFrame(id, off, n, false), VarintLen(uint64(n)), m[id] > 0
}

func packed(cs []Chunk) string {
	var b strings.Builder
	for _, c := range cs {
		if c.Retransmission {
			b.WriteString("r")
		}
		fmt.Fprintf(&b, "%d:%d ", c.Stream, c.Bytes)
	}
	return strings.TrimSpace(b.String())
}

// TestSchedulerRoundRobin: three responses of 3,000 bytes share packets
// of 1,200 bytes of room a stream at a time, in turn, as quic-go's
// incremental streams do; a packet takes a second stream's frame only
// if 128 bytes are left.
func TestSchedulerRoundRobin(t *testing.T) {
	st := &streams{left: map[uint64]int{0: 3000, 4: 3000, 8: 3000}, lost: map[uint64]int{}, offset: map[uint64]uint64{}}
	s := NewScheduler()
	for _, id := range []uint64{0, 4, 8} {
		s.Activate(id)
	}
	var got []string
	for p := 0; p < 8; p++ {
		if cs := s.Pack(1200, st.take); len(cs) > 0 {
			got = append(got, packed(cs))
		}
	}
	// Each stream's frame fills its packet, the streams in turn (1,198
	// bytes of data first, then 1,196 with an Offset field); a stream's
	// last 606 bytes leave 588 for the next stream's frame, whose last
	// frame goes without its Length field.
	want := "0:1200 | 4:1200 | 8:1200 | 0:1200 | 4:1200 | 8:1200 | 0:612 4:588 | 8:612 4:26"
	if g := strings.Join(got, " | "); g != want {
		t.Errorf("packets\n %s\nwant\n %s", g, want)
	}
	if st.left[0] != 0 || st.left[4] != 0 || st.left[8] != 0 {
		t.Errorf("data left: %v", st.left)
	}
}

// TestSchedulerRetransmissionsFirst: lost data goes before new data,
// a stream's lost bytes whole before the next stream's.
func TestSchedulerRetransmissionsFirst(t *testing.T) {
	st := &streams{left: map[uint64]int{0: 5000}, lost: map[uint64]int{4: 1500, 8: 500}, offset: map[uint64]uint64{}}
	s := NewScheduler()
	s.Activate(0)
	s.Lost(4)
	s.Lost(8)
	first, second := packed(s.Pack(1200, st.take)), packed(s.Pack(1200, st.take))
	if !strings.HasPrefix(first, "r4:") || strings.Contains(first, "r8") {
		t.Errorf("the first packet: %s; want stream 4's lost data alone", first)
	}
	if !strings.HasPrefix(second, "r4:") || !strings.Contains(second, "r8:") {
		t.Errorf("the second packet: %s; want the rest of 4's, then 8's", second)
	}
	if st.lost[4] != 0 || st.lost[8] != 0 {
		t.Errorf("lost data left: %v", st.lost)
	}
}
