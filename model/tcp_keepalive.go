package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// heard restarts the keep-alive clock: the peer just sent something.
// Keep-alive runs on the browser's side, which sets SO_KEEPALIVE (Chrome
// does, with a 45 s idle time); a server probing too would only double
// the probes of an idle connection.
func (e *Endpoint) heard() {
	if !e.cfg.KeepAlive || e.side != trace.Up {
		return
	}
	e.kaProbes = 0
	if e.kaTimer == nil {
		e.kaTimer = sim.NewOwnedTimer(e.conn.net.sim, (*endpointTimers)(e), timerKeepAlive)
	}
	e.kaTimer.Reset(e.cfg.KeepAliveIdle)
}

// onKeepAlive probes an idle connection: an ACK carrying the sequence
// number just before the next one, which the peer must answer with an ACK
// (RFC 9293 §3.8.4; RFC 1122 §4.2.3.6). Linux probes only when nothing is
// in flight; retransmissions watch over a connection that has data out.
func (e *Endpoint) onKeepAlive() {
	if e.state != Established && e.state != CloseWait {
		return
	}
	if e.sndUna != e.sndMax {
		e.kaTimer.Reset(e.cfg.KeepAliveIdle)
		return
	}
	if e.kaProbes >= e.cfg.KeepAliveProbes {
		e.fail(fmt.Sprintf("connection timed out: %d keep-alive probes unanswered", e.kaProbes))
		return
	}
	e.kaProbes++
	e.xmit(trace.ACK, e.sndNxt-1, 0, false, trace.ProbeLabel)
	e.kaTimer.Reset(e.cfg.KeepAliveInterval)
}
