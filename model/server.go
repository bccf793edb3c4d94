package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// server is the one web server every client talks to. It owns the worker
// slots: a connection holds one from accept (after its handshake) until
// the server closes it, busy or idle; connections beyond MaxConnections
// wait in the accept backlog or, when that is full, have their SYN
// dropped.
type server struct {
	sim     *sim.Simulator
	rec     trace.Recorder
	cfg     *ServerConfig
	used    int
	backlog []*session
}

func newServer(n *Network, cfg *ServerConfig) *server {
	return &server{sim: n.sim, rec: n.rec, cfg: cfg}
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
