package sim_test

import (
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// The benchmarks below use the classic hold model: the queue is filled with
// N events, then each fired event schedules one successor at now plus an
// increment, so the queue stays at N events. Increments come from a table
// of exponential delays (mean 1µs) computed before the timer starts, so the
// cost of drawing random numbers stays out of the figure. One op is one
// fired event (which includes scheduling its successor).

const holdTableSize = 4096 // a power of two

var holdSizes = []int{1000, 100000}

// holdDelays returns the table of increments: exponential with mean 1µs,
// rounded to whole nanoseconds, at least 1ns.
func holdDelays() []int64 {
	rng := rand.New(rand.NewPCG(20240601, 1))
	d := make([]int64, holdTableSize)
	for i := range d {
		d[i] = max(1, int64(math.Round(rng.ExpFloat64()*float64(sim.Microsecond))))
	}
	return d
}

func BenchmarkSchedulerHold(b *testing.B) {
	delays := holdDelays()
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			s := sim.New(1, 0)
			k := 0
			var hold func()
			hold = func() {
				k++
				s.After(sim.Time(delays[k&(holdTableSize-1)]), hold)
			}
			for i := range n {
				s.At(sim.Time(delays[i&(holdTableSize-1)]), hold)
			}
			// Warm up: let the queue reach its steady-state shape and the
			// free lists their full size before measuring.
			for range n {
				s.Step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				s.Step()
			}
			b.StopTimer()
			if s.Pending() != n {
				b.Fatalf("Pending() = %d, want %d", s.Pending(), n)
			}
		})
	}
}

// baseEvent and baseHeap are a hand-specialised binary min-heap ordered by
// (at, seq): the reference the engine is measured against. It has none of
// the engine's features (no cancellation, no IDs), only ordering.
type baseEvent struct {
	at  int64
	seq uint64
	fn  func()
}

type baseHeap struct {
	h   []baseEvent
	now int64
	seq uint64
}

func (q *baseHeap) at(t int64, fn func()) {
	q.seq++
	e := baseEvent{at: t, seq: q.seq, fn: fn}
	h := append(q.h, e)
	i := len(h) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h[p].at < e.at || (h[p].at == e.at && h[p].seq < e.seq) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = e
	q.h = h
}

func (q *baseHeap) step() bool {
	h := q.h
	if len(h) == 0 {
		return false
	}
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h[n] = baseEvent{}
	h = h[:n]
	if n > 0 {
		i := 0
		for {
			c := 2*i + 1
			if c >= n {
				break
			}
			if r := c + 1; r < n && (h[r].at < h[c].at || (h[r].at == h[c].at && h[r].seq < h[c].seq)) {
				c = r
			}
			if last.at < h[c].at || (last.at == h[c].at && last.seq < h[c].seq) {
				break
			}
			h[i] = h[c]
			i = c
		}
		h[i] = last
	}
	q.h = h
	q.now = top.at
	top.fn()
	return true
}

func BenchmarkBaselineHeapHold(b *testing.B) {
	delays := holdDelays()
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			q := &baseHeap{}
			k := 0
			var hold func()
			hold = func() {
				k++
				q.at(q.now+delays[k&(holdTableSize-1)], hold)
			}
			for i := range n {
				q.at(delays[i&(holdTableSize-1)], hold)
			}
			for range n {
				q.step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				q.step()
			}
			b.StopTimer()
			if len(q.h) != n {
				b.Fatalf("queue holds %d events, want %d", len(q.h), n)
			}
		})
	}
}

// boxedEvent and boxedHeap drive the same model through container/heap with
// one heap-allocated event per schedule, the textbook approach, for contrast.
type boxedEvent struct {
	at  int64
	seq uint64
	fn  func()
}

type boxedHeap []*boxedEvent

func (h boxedHeap) Len() int { return len(h) }
func (h boxedHeap) Less(i, j int) bool {
	return h[i].at < h[j].at || (h[i].at == h[j].at && h[i].seq < h[j].seq)
}
func (h boxedHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *boxedHeap) Push(x any)   { *h = append(*h, x.(*boxedEvent)) }
func (h *boxedHeap) Pop() any {
	old := *h
	n := len(old) - 1
	e := old[n]
	old[n] = nil
	*h = old[:n]
	return e
}

func BenchmarkContainerHeapHold(b *testing.B) {
	delays := holdDelays()
	for _, n := range holdSizes {
		b.Run(fmt.Sprintf("pending=%d", n), func(b *testing.B) {
			var (
				h   boxedHeap
				now int64
				seq uint64
				k   int
			)
			schedule := func(t int64, fn func()) {
				seq++
				heap.Push(&h, &boxedEvent{at: t, seq: seq, fn: fn})
			}
			step := func() {
				e := heap.Pop(&h).(*boxedEvent)
				now = e.at
				e.fn()
			}
			var hold func()
			hold = func() {
				k++
				schedule(now+delays[k&(holdTableSize-1)], hold)
			}
			for i := range n {
				schedule(delays[i&(holdTableSize-1)], hold)
			}
			for range n {
				step()
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				step()
			}
			b.StopTimer()
			if h.Len() != n {
				b.Fatalf("queue holds %d events, want %d", h.Len(), n)
			}
		})
	}
}

// BenchmarkTimerRestart measures the TCP pattern the Timer is built for: an
// ACK every microsecond restarts a 200µs retransmission timer. One op is
// one ACK (its event, the Reset, and the timer's share of wake-ups).
func BenchmarkTimerRestart(b *testing.B) {
	s := sim.New(1, 0)
	rto := sim.NewTimer(s, func() { b.Fatal("RTO expired") })
	acks := 0
	var ack func()
	ack = func() {
		acks++
		rto.Reset(200 * sim.Microsecond)
		s.After(sim.Microsecond, ack)
	}
	s.At(0, ack)
	for acks < 1000 {
		s.Step()
	}
	b.ReportAllocs()
	b.ResetTimer()
	for acks < b.N+1000 {
		s.Step()
	}
	b.StopTimer()
	if p := s.Pending(); p > 2 {
		b.Fatalf("Pending() = %d, want at most 2", p)
	}
}
