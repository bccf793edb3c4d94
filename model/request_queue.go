package model

// requestQueue holds the requests a pool (a browser's or a proxy's) has not
// yet handed to a connection, in the order they will be sent. Requests
// leave from the front (dispatch), arrive at the back (discovery) and,
// when retried or resent, go back to the front. Every operation is
// amortised O(1) per request moved, so that a page of 10,000 objects
// costs no more per packet than a page of 50: a slice with append to the
// front and a scan of the whole queue per dispatch made it quadratic.
type requestQueue struct {
	items []*exchange // items[head:] are queued
	head  int
}

// len is the number of requests queued.
func (q *requestQueue) len() int { return len(q.items) - q.head }

// at is the i-th request from the front.
func (q *requestQueue) at(i int) *exchange { return q.items[q.head+i] }

// pushBack queues ex last.
func (q *requestQueue) pushBack(ex *exchange) { q.items = append(q.items, ex) }

// pushFront queues exs first, in their order, before everything queued.
func (q *requestQueue) pushFront(exs ...*exchange) {
	if len(exs) > q.head {
		// Make room in front: as much as is queued, so that a run of
		// retries is amortised like append.
		room := len(exs) + q.len()
		items := make([]*exchange, room+q.len(), room+q.len()+cap(q.items)/2)
		copy(items[room:], q.items[q.head:])
		q.items, q.head = items, room
	}
	q.head -= len(exs)
	copy(q.items[q.head:], exs)
}

// consume removes the first n requests, except kept (some of those n,
// in order), which stay at the front. It costs O(len(kept)), not O(n):
// kept are written just before the rest.
func (q *requestQueue) consume(n int, kept []*exchange) {
	end := q.head + n
	start := end - len(kept)
	copy(q.items[start:end], kept)
	clear(q.items[q.head:start]) // let the sent ones be collected
	q.head = start
	if q.head == len(q.items) {
		q.items, q.head = q.items[:0], 0
	} else if q.head > 1024 && q.head > len(q.items)/2 {
		// Compact once the dead prefix dominates, so the backing array
		// does not grow with every request ever queued.
		live := copy(q.items, q.items[q.head:])
		clear(q.items[live:])
		q.items, q.head = q.items[:live], 0
	}
}

// takeAll removes and returns every queued request.
func (q *requestQueue) takeAll() []*exchange {
	all := q.items[q.head:]
	q.items, q.head = nil, 0
	return all
}
