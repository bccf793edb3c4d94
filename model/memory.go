package model

import (
	"fmt"
	"unsafe"
)

// DefaultMaxMemory is the memory budget of one run (limits.max_memory):
// 1 GiB, the budget docs/reliability.md promises for any input the
// validator accepts.
const DefaultMaxMemory = 1 << 30

// MaxClients bounds clients.count: a server with 100,000 browsers is
// already a load test, and each client has a link of its own.
const MaxClients = 100_000

// MinMaxMemory is the smallest budget a run may be given: the model's
// fixed state and one page load fit many times over.
const MinMaxMemory = 1 << 20

// memoryMeter counts, deterministically, the bytes the model's state
// holds — packets in links' queues and in flight, connections, clients —
// and stops the run once they pass the budget. Counting what the model
// allocates, rather than asking the runtime, keeps the stop at the same
// event on every run, as limits.max_events does, and on every machine of
// one word size (the estimates take the structs' sizes, which a 32-bit
// build would make smaller).
//
// The counted state may take three tenths of the budget (stateShare): the
// Go garbage collector lets the heap grow to twice what is live before it
// collects (GOGC=100), slices that grow leave their old arrays behind
// until it does, and a little of what is live is not counted (timers'
// closures, the summary's maps): measured on 5,000 clients loading 11
// resources each, the count was 90 % of the live heap
// (docs/reliability.md#memory).
type memoryMeter struct {
	bytes int64 // counted so far
	max   int64 // stop past this (0: no bound)
	stop  func()
	// over is set once the count passed max: the run stops after the
	// event being handled.
	over bool
}

// Estimates of what a connection, a client and a resource hold besides
// the packets, which are counted exactly (fifo): from the heap profile of
// 5,000 clients loading 11 resources each, rounded up. A connection's two
// endpoints (unsafe.Sizeof(Endpoint{}) 1.4 KB each), its timers,
// scoreboard and send buffer, its session; a client's browser and its link
// (two channels); a resource's exchange, its place in the page's tables
// and its timings in the summary (startPage, discover: 590 bytes). What a
// closed connection or a loaded page held stays counted until the run
// ends: the summary keeps their records.
const (
	connStateBytes     = int64(2*unsafe.Sizeof(Endpoint{})+unsafe.Sizeof(Conn{})+unsafe.Sizeof(session{})) + 2048
	clientStateBytes   = int64(unsafe.Sizeof(browser{})+2*unsafe.Sizeof(channel{})) + poolStateBytes + 1024
	poolStateBytes     = int64(unsafe.Sizeof(pool{})) // a browser's per origin
	resourceStateBytes = 640
	// packetExtraBytes is what a packet queued or in flight holds besides
	// its place in a link's queue: its pending event in the simulator's
	// heap (a 24-byte entry and its slot, 40 bytes) and its entry in the
	// sender's scoreboard (txSeg, 32 bytes). It is counted with each slot
	// of a link's queue (fifo.extra): a page sent at once over an
	// unlimited link (ideal mode) has all its packets in flight.
	packetExtraBytes = 40 + int64(unsafe.Sizeof(txSeg{}))
)

// stateShare is the part of limits.max_memory the counted state may
// take: 3/10 (see memoryMeter). Measured with a 10 GiB page sent at once
// to 64 clients over an unlimited link, the heap reached about 2.6 times
// the count at its peak, and the process's resident memory 3.4 times.
func stateShare(budget int64) int64 { return budget / 10 * 3 }

// clientsState is what the clients and their pages take before any
// packet is sent: known from the configuration, so a run that could not
// fit is refused up front rather than stopped.
func (c *Config) clientsState() int64 {
	resources := len(c.Page.Resources)
	for _, v := range c.Visits {
		resources += len(v.Page.Resources)
	}
	// Every client opens at least one connection, which stays counted.
	// A pool for the main host is in clientStateBytes; one more for each
	// other origin.
	return int64(c.Clients.Count) * (clientStateBytes + int64(len(c.Origins))*poolStateBytes + connStateBytes + int64(resources)*resourceStateBytes)
}

// checkMemory refuses a configuration whose clients and pages alone
// would take more than limits.max_memory allows, naming the estimate.
func (c *Config) checkMemory() error {
	if c.MaxMemory == 0 || c.clientsState() <= stateShare(c.MaxMemory) {
		return nil
	}
	perClient := c.clientsState() / int64(c.Clients.Count)
	if fit := stateShare(c.MaxMemory) / perClient; fit >= 1 {
		return &ConfigError{Field: "clients.count", Value: fmt.Sprint(c.Clients.Count),
			Allowed: fmt.Sprintf("at most %d clients with these pages under limits.max_memory %s (each client, its first connection and its pages take about %d KB of model state before a packet is sent); raise limits.max_memory or use fewer clients or smaller pages",
				fit, bytesText(c.MaxMemory), (perClient+1023)/1024)}
	}
	// Not one client fits: the pages are the problem.
	field, pages := "page", 1+len(c.Visits)
	if len(c.Visits) > 0 {
		field = "visits"
	}
	return &ConfigError{Field: field, Value: fmt.Sprintf("%d pages", pages),
		Allowed: fmt.Sprintf("pages whose model state fits limits.max_memory %s: these take about %d MB before a packet is sent, more than the %d MB a run's state may take; raise limits.max_memory or use fewer or smaller pages",
			bytesText(c.MaxMemory), perClient>>20, stateShare(c.MaxMemory)>>20)}
}

// bound makes the meter stop the run with stop once the count passes
// the state's share of budget (0: no bound).
func (m *memoryMeter) bound(budget int64, stop func()) {
	m.max, m.stop = stateShare(budget), stop
	if m.max > 0 && m.bytes > m.max && !m.over {
		m.over = true
		stop()
	}
}

// add counts n more bytes (n may be negative) and stops the run the
// first time the count passes the bound. A nil meter counts nothing.
func (m *memoryMeter) add(n int64) {
	if m == nil {
		return
	}
	m.bytes += n
	if m.max > 0 && m.bytes > m.max && !m.over {
		m.over = true
		m.stop()
	}
}
