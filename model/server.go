package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// server is a web server clients connect to: the origin, or a proxy's
// side toward the browsers. It owns the worker slots: a connection holds
// one from accept (after its handshake) until the server closes it, busy
// or idle; connections beyond MaxConnections wait in the accept backlog
// or, when that is full, have their SYN dropped. Its half of each
// connection is in session_server.go; where its responses come from is
// its source.
type server struct {
	sim     *sim.Simulator
	rec     trace.Recorder
	cfg     *ServerConfig
	source  responder
	used    int
	backlog []*session
	// processing is an origin's processor time per request, before the
	// resource's think time; the textbook's server (ideal mode) answers
	// at once.
	processing sim.Time
	// cpu is its processor, which its accepts, TLS handshakes and
	// requests queue for; costs are what they take.
	cpu   cpu
	costs costs
	// mem counts what it holds: the server the browsers reach only (an
	// origin behind a proxy has none).
	mem *serverMemory
}

var _ responder = (*server)(nil)

// A responder makes a server's responses ready: an origin's own files,
// or a proxy's relay from the origin.
type responder interface {
	// prepare marks ex, a request read on s, ready to be answered, then
	// tells s's framing (answered).
	prepare(ex *exchange, s *session)
}

// newServer returns a server whose responses come from source; in ideal
// mode its AutoCost costs are zero.
func newServer(n *Network, cfg *ServerConfig, ideal bool, source responder) *server {
	return &server{sim: n.sim, rec: n.rec, cfg: cfg, source: source, cpu: cpu{sim: n.sim, cores: cfg.CPUs},
		costs: costs{CPUCosts: cfg.CPU, key: cfg.Key, ideal: ideal}}
}

// newOrigin returns a server that answers from its own files.
func newOrigin(n *Network, cfg *ServerConfig, ideal bool) *server {
	v := newServer(n, cfg, ideal, nil)
	v.processing = cfg.Processing
	if ideal {
		v.processing = 0
	}
	v.source = v
	return v
}

// prepare is an origin's: ex is ready once the resource's think time
// has passed (the server's own processing came before, in answer).
func (v *server) prepare(ex *exchange, s *session) {
	d := ex.res.Think
	if d == 0 {
		ex.ready = true
		s.f.answered(ex)
		return
	}
	v.sim.After(d, func() {
		ex.ready = true
		s.f.answered(ex)
	})
}

// answer makes the response to ex, a request read on s, ready, then
// tells s's framing (answered): a core processes the request and
// encrypts the response (when s runs TLS) as one work item, then the
// source prepares it. The encryption is charged when the request is
// read, not as the response is written: the same processor time, a
// little earlier.
func (v *server) answer(s *session, ex *exchange) {
	cost := v.processing
	if s.tls() != NoTLS {
		cost += v.costs.encrypt(int64(ex.res.Size))
	}
	v.cpu.doWork(work{what: trace.WorkRequest, s: s, res: ex.rid, cost: cost, prepare: v.source, ex: ex})
}

// handshake runs the server's side of s's TLS handshake on a core, then
// calls then (which sends the server's first flight). The whole
// handshake's processor time is charged at the ClientHello: in TLS 1.3
// the signature and key exchange are all in the server's first flight
// (RFC 8446 §2); in TLS 1.2 the ECDHE key exchange finishes after the
// client's second flight, which this moves earlier by a round trip.
func (v *server) handshake(s *session, then func()) {
	w := v.handshakeWork(s)
	w.then = then
	v.cpu.doWork(w)
}

// handshakeWork is the core's item for s's TLS handshake, with nothing
// to follow it yet.
func (v *server) handshakeWork(s *session) work {
	ver := s.tls()
	what, cost := trace.WorkFullTLS, v.costs.full(ver)
	if s.resumed {
		what, cost = trace.WorkResumedTLS, v.costs.resumed(ver)
	}
	return work{what: what, s: s, cost: cost}
}

func (v *server) record(r trace.Record) {
	r.At = v.sim.Now()
	v.rec.Record(r)
}

// admit decides, when a SYN arrives for s, whether the server's kernel
// answers it: it drops the SYN when every slot is taken and the accept
// backlog is full, as Linux does when its accept queue overflows; the
// client's TCP retransmits the SYN later.
func (v *server) admit(s *session) bool {
	max := v.cfg.MaxConnections
	if max > 0 && v.used >= max && len(v.backlog) >= v.cfg.Backlog {
		v.record(trace.Record{Kind: trace.Refused, Conn: s.conn.ID, Note: "backlog full: SYN dropped"})
		return false
	}
	return true
}

// arrived takes a connection whose handshake has completed: a worker
// accepts it if a slot is free, else it waits in the backlog.
func (v *server) arrived(s *session) {
	if s.accepted || s.waiting {
		return
	}
	if max := v.cfg.MaxConnections; max == 0 || v.used < max {
		v.accept(s)
		return
	}
	s.waiting = true
	v.backlog = append(v.backlog, s)
	v.record(trace.Record{Kind: trace.Backlogged, Conn: s.conn.ID, Note: "all worker slots are taken"})
}

func (v *server) accept(s *session) {
	v.used++
	v.mem.add(s, s.appBytes(), trace.MemConnOpened)
	s.accepted, s.waiting = true, false
	v.record(trace.Record{Kind: trace.Accepted, Conn: s.conn.ID})
	// The worker's accept(2) takes a core: until it is done, what the
	// client sends waits in the kernel.
	s.accepting = true
	v.cpu.doWork(work{what: trace.WorkAccept, s: s, cost: v.costs.accept(), next: stepAccepted})
}

// acceptDone runs when the worker's accept(2) of s is done.
func (s *session) acceptDone() {
	s.accepting = false
	if s.accepted {
		s.serverAccepted()
	}
}

// release frees s's slot (or its place in the backlog) and lets the first
// waiting connection in.
func (v *server) release(s *session) {
	switch {
	case s.accepted:
		s.accepted = false
		v.used--
		v.mem.add(s, -s.appBytes(), trace.MemConnClosed)
		if s.streams > 0 { // streams the reset or close ended unanswered
			v.mem.add(s, -int64(s.streams)*memStream, trace.MemStreamDone)
			s.streams = 0
		}
		v.record(trace.Record{Kind: trace.SlotReleased, Conn: s.conn.ID})
	case s.waiting:
		s.waiting = false
		for i, w := range v.backlog {
			if w == s {
				v.backlog = append(v.backlog[:i], v.backlog[i+1:]...)
				break
			}
		}
		return
	default:
		return
	}
	for len(v.backlog) > 0 && (v.cfg.MaxConnections == 0 || v.used < v.cfg.MaxConnections) {
		w := v.backlog[0]
		v.backlog = v.backlog[1:]
		v.accept(w)
	}
}
