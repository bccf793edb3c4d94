package sim

// The pending events form a binary min-heap of value entries ordered by
// (at, seq); seq breaks ties so equal-time events fire in FIFO order.
//
// A 4-ary heap (half as deep) was measured too: on the hold-model benchmark
// it was slower with both 1,000 and 100,000 pending events, because picking
// the least of four children costs more hard-to-predict branches than the
// depth saves (see docs/performance.md).

func less(a, b *entry) bool {
	return a.at < b.at || (a.at == b.at && a.seq < b.seq)
}

func (s *Simulator) push(e entry) {
	h := append(s.heap, e)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !less(&e, &h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
	s.heap = h
}

func (s *Simulator) pop() entry {
	h := s.heap
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	s.heap = h
	if n == 0 {
		return top
	}
	// siftDown's loop, written out: as a call (Go does not inline a
	// function with this loop) it cost 10-15 % on BenchmarkSchedulerHold
	// with 100,000 pending events, and pop is the event loop's hottest
	// path. heapify, run rarely, calls siftDown.
	i := 0
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && less(&h[r], &h[c]) {
			c = r
		}
		if !less(&h[c], &last) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = last
	return top
}

// siftDown puts e at position i of h, moving it down past its smaller
// children until the heap order holds below i.
func siftDown(h []entry, i int, e entry) {
	n := len(h)
	for {
		c := 2*i + 1
		if c >= n {
			break
		}
		if r := c + 1; r < n && less(&h[r], &h[c]) {
			c = r
		}
		if !less(&h[c], &e) {
			break
		}
		h[i] = h[c]
		i = c
	}
	h[i] = e
}

// heapify restores the heap order of the whole heap (Floyd's method,
// O(n)).
func (s *Simulator) heapify() {
	for i := len(s.heap)/2 - 1; i >= 0; i-- {
		siftDown(s.heap, i, s.heap[i])
	}
}
