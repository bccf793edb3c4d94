package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// What a server's memory holds per connection, in bytes: the kernel's
// share is the slab objects Linux allocates for it (the objsize column
// of /proc/slabinfo on Linux 6.18, x86-64), Go's is what net/http and
// crypto/tls hold, measured by scenarios/memcost (TestPrintMemory,
// go1.26.8 on linux/amd64, 200 connections or streams; docs/lifecycle.md
// "What connections cost the server" records the runs). The kernel's
// buffers are counted apart, as the data they hold (serverMemory.data).
const (
	// memSynRecv is a connection in SYN-RECEIVED: a request_sock_TCP
	// (struct tcp_request_sock), not yet a socket (net/ipv4/tcp_input.c
	// tcp_conn_request).
	memSynRecv = 320
	// memSocket is an established socket: its struct tcp_sock (slab
	// "TCP", 2368 B), the socket and its inode (sock_inode_cache, 832 B),
	// the open file (filp, 192 B) and its dentry (192 B), and Go's
	// netpoller's epoll entry (eventpoll_epi, 128 B).
	memSocket = 2368 + 832 + 192 + 192 + 128
	// memTimeWait is a socket in TIME-WAIT, or an orphaned one in
	// FIN-WAIT-2, which Linux replaces with a struct
	// tcp_timewait_sock (slab "tw_sock_TCP", 256 B) as the server closes
	// (net/ipv4/tcp_minisocks.c tcp_time_wait; tcp_fin_timeout 60 s is not
	// longer than TCP_TIMEWAIT_LEN, so FIN-WAIT-2 takes the small socket
	// at once, tcp_rcv_state_process).
	memTimeWait = 256
	// memConn is Go's net/http server connection once a worker took it:
	// its conn, bufio reader and writer (4 KiB each), the goroutine that
	// serves it and its stack, the netFD (measured 18,382–18,575 B).
	memConn = 18_575
	// memTLS is crypto/tls's Conn beyond that: its record buffers, keys
	// and handshake state kept (measured 5,931–6,467 B, TLS 1.3, ECDSA
	// P-256).
	memTLS = 6_091
	// memHTTP2 is the HTTP/2 server connection beyond the TLS one: its
	// framer, HPACK tables, flow-control state and the goroutines that
	// read and write frames (measured 9,823–10,499 B).
	memHTTP2 = 10_144
	// memStream is an HTTP/2 stream whose request is being answered: the
	// stream, its request and response writer, the handler's goroutine
	// (measured 7,609–8,260 B).
	memStream = 8_058
)

// kernelBytes is what a server socket in state st holds in the kernel,
// besides the data in its buffers.
func kernelBytes(st State) int64 {
	switch st {
	case Closed, Listen:
		return 0
	case SynReceived:
		return memSynRecv
	case FinWait2, TimeWait:
		return memTimeWait
	}
	return memSocket
}

// serverMemory counts what the server the browsers reach holds, and
// records each change as a ServerMemory record with the new total: its
// connections' kernel sockets, Go's connection, TLS and HTTP/2 state, its
// HTTP/2 streams being answered, and the data in its sockets' send
// buffers that the client has not yet acknowledged (Linux keeps it for
// retransmission; the model's application writes a whole response at
// once, so what Linux would also hold unsent up to tcp_wmem is not
// counted). The receive side holds nothing: the server reads each request
// as it arrives.
type serverMemory struct {
	bytes    int64
	recorded int64 // the total the last record carried
	// A packet burst changes the unacknowledged data many times in one
	// instant: those changes are recorded once, when the instant's events
	// are done (flush, a timeout), stamped with the last connection that
	// changed.
	flush   sim.Timer
	pending *session
}

func newServerMemory(s *sim.Simulator) *serverMemory {
	m := &serverMemory{}
	m.flush.Init(s, m.flushData)
	return m
}

// add changes the count by n for connection s, naming what changed, and
// records the new total; changes of unacknowledged data wait for the end
// of the instant, or for the next other change. A nil serverMemory (an origin behind a proxy) counts
// nothing.
func (m *serverMemory) add(s *session, n int64, what string) {
	if m == nil || n == 0 {
		return
	}
	if what == trace.MemData {
		m.bytes += n
		if m.pending == nil {
			m.flush.Reset(0)
		}
		m.pending = s
		return
	}
	// The data changed so far this instant is recorded first, so that
	// each record's change from the one before is what its Label names.
	if m.pending != nil && m.bytes != m.recorded {
		m.record(m.pending, trace.MemData)
	}
	m.bytes += n
	m.record(s, what)
}

func (m *serverMemory) record(s *session, what string) {
	m.recorded = m.bytes
	s.record(trace.Record{Kind: trace.ServerMemory, Len: int(m.bytes), Label: what})
}

func (m *serverMemory) flushData() {
	s := m.pending
	m.pending = nil
	if m.bytes != m.recorded {
		m.record(s, trace.MemData)
	}
}

// endpointMemory is what a server endpoint last reported to its
// session's serverMemory: its kernel socket and its unacknowledged data.
type endpointMemory struct {
	m            *serverMemory // nil: not counted
	s            *session
	kernel, data int64
}

// add reports a change of n bytes of what (a trace Mem word).
func (em *endpointMemory) add(n int64, what string) { em.m.add(em.s, n, what) }

// noteState reports the kernel's share for the endpoint's new state st;
// a closed socket, or one in TIME-WAIT, holds no data any more.
func (e *Endpoint) noteState(st State) {
	m := &e.mem
	if m.m == nil {
		return
	}
	if k := kernelBytes(st); k != m.kernel {
		m.add(k-m.kernel, trace.MemSocket)
		m.kernel = k
	}
	if st == Closed || st == TimeWait {
		e.noteData()
	}
}

// noteData reports the data bytes sent and not yet acknowledged
// (between snd.una and snd.max, the SYN and the FIN left out), which the
// kernel keeps in the send queue for retransmission.
func (e *Endpoint) noteData() {
	m := &e.mem
	if m.m == nil {
		return
	}
	var d int64
	if e.state != Closed && e.state != TimeWait {
		d = max(0, min(e.sndMax, e.dataEnd())-max(e.sndUna, 1))
	}
	if d != m.data {
		m.add(d-m.data, trace.MemData)
		m.data = d
	}
}

// appBytes is Go's state for an accepted connection of s: net/http's, and
// crypto/tls's and HTTP/2's when s runs them.
func (s *session) appBytes() int64 {
	n := int64(memConn)
	if s.tls() != NoTLS {
		n += memTLS
	}
	if _, h2 := s.f.(*h2state); h2 {
		n += memHTTP2
	}
	return n
}

// MemoryItem is one entry of the server's memory sizes, for the docs'
// table (docs/lifecycle.md, generated by TestLifecycleDocFacts).
type MemoryItem struct {
	What   string // what holds it, in words
	Bytes  int64
	Source string // where the figure comes from
}

// ServerMemorySizes lists what each thing the server holds weighs, in the
// order the docs show them.
func ServerMemorySizes() []MemoryItem {
	const slab = "Linux 6.18 slab objsize (/proc/slabinfo)"
	const measured = "measured by scenarios/memcost"
	return []MemoryItem{
		{"a connection in SYN-RECEIVED (request_sock_TCP)", memSynRecv, slab},
		{"an established socket (TCP, sock_inode_cache, filp, dentry, eventpoll_epi)", memSocket, slab},
		{"a socket in TIME-WAIT, or FIN-WAIT-2 after the server closed (tw_sock_TCP)", memTimeWait, slab},
		{"Go's net/http connection, once a worker took it", memConn, measured},
		{"its crypto/tls state, under TLS", memTLS, measured},
		{"its HTTP/2 server connection, under HTTP/2", memHTTP2, measured},
		{"an HTTP/2 stream being answered", memStream, measured},
		{"data sent and not yet acknowledged", 1, "its bytes, while unacknowledged"},
	}
}
