package model

import "unsafe"

// fifo is a first-in first-out queue that reuses its backing array, so a
// queue that fills and drains in steady state does not allocate.
type fifo[T any] struct {
	buf   []T
	head  int
	meter *memoryMeter // counts the backing array's growth, if set
	extra int64        // bytes each slot stands for besides its element (packetExtraBytes)
}

func (q *fifo[T]) len() int { return len(q.buf) - q.head }

func (q *fifo[T]) push(v T) {
	if q.head > 0 && len(q.buf) == cap(q.buf) {
		n := copy(q.buf, q.buf[q.head:])
		clear(q.buf[n:])
		q.buf = q.buf[:n]
		q.head = 0
	}
	before := cap(q.buf)
	q.buf = append(q.buf, v)
	if grown := cap(q.buf) - before; grown != 0 && q.meter != nil {
		q.meter.add(int64(grown) * (int64(unsafe.Sizeof(v)) + q.extra))
	}
}

func (q *fifo[T]) front() *T { return &q.buf[q.head] }

func (q *fifo[T]) pop() T {
	var zero T
	v := q.buf[q.head]
	q.buf[q.head] = zero
	q.head++
	if q.head == len(q.buf) {
		q.buf = q.buf[:0]
		q.head = 0
	}
	return v
}
