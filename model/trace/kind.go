package trace

import (
	"fmt"
	"strconv"
	"strings"
)

// Kind says what a [Record] is about.
type Kind uint8

// The kinds of record. New kinds are added at the end so that encoded
// traces stay comparable.
const (
	_ Kind = iota
	// PacketSent: a segment was handed to the link by its sender.
	PacketSent
	// PacketArrived: a segment reached the far end of the link.
	PacketArrived
	// PacketDropped: a segment was lost (Note: "queue full" or "random loss").
	PacketDropped
	// CwndChanged: the sender's congestion window or ssthresh changed.
	// State says why (CwndInitial, CwndSlowStart, …); for growth, Note
	// names the rule (GrowthRFC5681, GrowthABC or GrowthLinux in slow
	// start, GrowthReno, GrowthByteCounting or GrowthCubic in congestion
	// avoidance) and Len is the data bytes the ACK newly acknowledged
	// (RFC 5681's N).
	CwndChanged
	// StateChanged: a TCP endpoint moved to State (a TCP state: Closed
	// … TimeWait, RFC 9293 §3.3.2 names).
	StateChanged
	// Retransmit: the sender retransmitted (Note: why, one of the Retx
	// words: RetxFastRetransmit, RetxTimeout, RetxSynTimeout, …; State:
	// SynLinear for a SYN timeout that did not back off).
	Retransmit
	// ConnFailed: a connection gave up (Note says why).
	ConnFailed
	// ResourceQueued: the browser found a reference to Resource (Label is
	// its path, Len its body size) and queued a request for it.
	ResourceQueued
	// TLSStarted: the client began a TLS handshake on Conn (Note: TLSFull
	// or TLSResumed, State: the version, TLS12 or TLS13).
	TLSStarted
	// TLSDone: the client finished the TLS handshake on Conn.
	TLSDone
	// RequestSent: the browser wrote the request for Resource on Conn
	// (Stream for HTTP/2); Len is its head's bytes before TLS (the
	// HTTP/1.x header block, or the HTTP/2 HEADERS frame), 0 in ideal
	// mode.
	RequestSent
	// FirstByte: the first byte of Resource's response reached the
	// browser; Len is the response head's bytes, as for RequestSent.
	FirstByte
	// LastByte: the whole response to Resource has arrived (Len: body bytes).
	LastByte
	// PageLoaded: the last resource of the page has arrived.
	PageLoaded
	// PageStarted: the user navigated to Page (navigation start).
	PageStarted
	// RequestRetried: the request for Resource died with its connection
	// (Note says how: FIN crossing it, reset, 408) and is sent again on
	// another connection.
	RequestRetried
	// RequestFailed: the request for Resource died with its connection and
	// the browser gave up on it.
	RequestFailed
	// IdleTimeout: the side Dir (Up: browser, Down: server) closes the idle
	// connection Conn.
	IdleTimeout
	// Backlogged: the server has no free slot; connection Conn waits in
	// the accept backlog.
	Backlogged
	// Accepted: a server worker slot took connection Conn.
	Accepted
	// Refused: the server's backlog was full and it dropped the SYN of
	// connection Conn (the client's TCP will retry it).
	Refused
	// SlotReleased: the server closed connection Conn and freed its slot.
	SlotReleased
	// ServerBusy and ServerIdle: the server connection Conn got a request
	// to answer, or has answered everything and now waits (holding a slot).
	ServerBusy
	ServerIdle
	// ResponseCached: Resource was already in the browser's cache.
	ResponseCached
	// OriginConn: a proxy opened connection Conn to the origin server.
	OriginConn
	// PageFailed: the last resource of Page has been dealt with, but at
	// least one request failed, so the page did not load (Note says why).
	PageFailed
	// PageUnfinished: the run ended before Page of Client had an outcome,
	// or before it started (Note says why). Recorded at the end of the run.
	PageUnfinished
	// RunStopped: a limit ended the run (State names it: StopMaxTime,
	// StopMaxEvents, StopMaxMemory or StopTraceFull; Note says where it stood).
	RunStopped
	// CPUQueued, CPUStarted and CPUDone: a server's work item for
	// connection Conn (Label: one of the CPU words, WorkAccept …
	// WorkRequest) is ready and waits for a core, a core takes it, and the
	// core is done with it. Work that costs nothing is not recorded.
	CPUQueued
	CPUStarted
	CPUDone
	// ServerMemory: what the server the browsers reach holds changed
	// (Label: what changed, one of the memory words, MemSocket …
	// MemData; its change from the record before is that item's); Len is
	// the bytes it now holds in all, for every connection (the sizes are
	// in model/server_memory.go and docs/lifecycle.md). The data's
	// changes of one instant are recorded as one.
	ServerMemory
	// DNSStarted and DNSDone: the browser starts looking up host Label,
	// and has its answer (Note says how long it took). Only runs with
	// dns.enabled have them.
	DNSStarted
	DNSDone
	// ConnHost: the browser opens connection Conn to host Label. Only
	// runs whose pages use several hosts have it, so that a trace of one
	// host reads as before.
	ConnHost
)

// The memory words: what changed in a ServerMemory record (its Label).
const (
	MemSocket     = "socket"              // a connection's kernel socket changed with its TCP state: opened, to TIME-WAIT, freed
	MemConnOpened = "connection accepted" // a worker took the connection: the server's own state for it (TLS and HTTP/2 too)
	MemConnClosed = "connection closed"   // the server freed that state
	MemStreamOpen = "stream opened"       // an HTTP/2 request is being answered
	MemStreamDone = "stream answered"     // its state is freed (a reset may free several at once)
	MemData       = "unacknowledged data" // data sent and not yet acknowledged, kept for retransmission
)

// The CPU words: what a server's work item is (the Label of CPUQueued,
// CPUStarted and CPUDone).
const (
	WorkAccept     = "accept"
	WorkFullTLS    = "TLS full handshake"
	WorkResumedTLS = "TLS resumed handshake"
	WorkRequest    = "request"
)

var kindNames = [...]string{
	PacketSent:     "packet-sent",
	PacketArrived:  "packet-arrived",
	PacketDropped:  "packet-dropped",
	CwndChanged:    "cwnd",
	StateChanged:   "state",
	Retransmit:     "retransmit",
	ConnFailed:     "conn-failed",
	ResourceQueued: "queued",
	TLSStarted:     "tls-start",
	TLSDone:        "tls-done",
	RequestSent:    "request",
	FirstByte:      "first-byte",
	LastByte:       "last-byte",
	PageLoaded:     "page-loaded",
	PageStarted:    "page-start",
	RequestRetried: "retry",
	RequestFailed:  "request-failed",
	IdleTimeout:    "idle-timeout",
	Backlogged:     "backlog",
	Accepted:       "accept",
	Refused:        "refused",
	SlotReleased:   "slot-free",
	ServerBusy:     "server-busy",
	ServerIdle:     "server-idle",
	ResponseCached: "cached",
	OriginConn:     "origin-conn",
	PageFailed:     "page-failed",
	PageUnfinished: "page-unfinished",
	RunStopped:     "run-stopped",
	CPUQueued:      "cpu-queued",
	CPUStarted:     "cpu-start",
	CPUDone:        "cpu-done",
	ServerMemory:   "server-memory",
	DNSStarted:     "dns-start",
	DNSDone:        "dns-done",
	ConnHost:       "conn-host",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind reads a kind as String writes it ("idle-timeout",
// "packet-sent"); an unknown word is an error that lists the kinds.
func ParseKind(s string) (Kind, error) {
	for k, n := range kindNames {
		if n != "" && n == s {
			return Kind(k), nil
		}
	}
	return 0, fmt.Errorf("unknown kind %q (allowed: %s)", s, strings.Join(KindNames(), ", "))
}

// KindNames returns the name of every kind, in the order of the kinds.
func KindNames() []string {
	var out []string
	for _, n := range kindNames {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}
