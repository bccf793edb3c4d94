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
	// processing is an origin's time per request before the resource's
	// think time; the textbook's server (ideal mode) answers at once.
	processing sim.Time
}

var _ responder = (*server)(nil)

// A responder makes a server's responses ready: an origin's own files,
// or a proxy's relay from the origin.
type responder interface {
	// prepare marks ex ready to be answered, then calls then.
	prepare(ex *exchange, then func())
}

// newServer returns a server whose responses come from source.
func newServer(n *Network, cfg *ServerConfig, source responder) *server {
	return &server{sim: n.sim, rec: n.rec, cfg: cfg, source: source}
}

// newOrigin returns a server that answers from its own files.
func newOrigin(n *Network, cfg *ServerConfig, ideal bool) *server {
	v := &server{sim: n.sim, rec: n.rec, cfg: cfg, processing: cfg.Processing}
	if ideal {
		v.processing = 0
	}
	v.source = v
	return v
}

// prepare is an origin's: ex is ready once the server's processing and
// the resource's think time have passed.
func (v *server) prepare(ex *exchange, then func()) {
	d := ex.res.Think + v.processing
	if d == 0 {
		ex.ready = true
		then()
		return
	}
	v.sim.After(d, func() {
		ex.ready = true
		then()
	})
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
	s.accepted, s.waiting = true, false
	v.record(trace.Record{Kind: trace.Accepted, Conn: s.conn.ID})
	s.serverAccepted()
}

// release frees s's slot (or its place in the backlog) and lets the first
// waiting connection in.
func (v *server) release(s *session) {
	switch {
	case s.accepted:
		s.accepted = false
		v.used--
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
