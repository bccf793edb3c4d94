package model

import "github.com/keepalive-sim/keepalive/sim"

// Linux's delayed-ACK engine (include/net/tcp.h, inet_connection_sock.h).
const (
	ackATOMin       = 40 * sim.Millisecond  // TCP_ATO_MIN = TCP_DELACK_MIN = HZ/25
	ackDelackMax    = 200 * sim.Millisecond // TCP_DELACK_MAX = HZ/5
	ackATOMaxIdle   = 500 * sim.Millisecond // HZ/2: the cap while not interactive
	ackMaxQuick     = 16                    // TCP_MAX_QUICKACKS
	ackMSSDefault   = 536                   // TCP_MSS_DEFAULT: rcv_mss before any full segment
	ackDupImmediate = 3                     // TCP_FASTRETRANS_THRESH: duplicate ACKs sent at once before compressing
	ackCompressMax  = 44                    // tcp_comp_sack_nr
	ackCompressCap  = sim.Millisecond       // tcp_comp_sack_delay_ns
	ackCompressPad  = 100 * sim.Microsecond // tcp_comp_sack_slack_ns
)

// ackState is when a receiver acknowledges (TCPConfig.Acks). RFC 5681
// §4.2 asks for an ACK at least every second full-sized segment and
// within 500 ms; Linux (AckLinux) also:
//
//   - acknowledges every segment while in quick-ACK mode: for the first
//     min(16, window / 2·rcv_mss) segments of a connection or after an
//     idle gap longer than the RTO, and for every segment that opens the
//     receive window further;
//   - stops quick ACKs once the connection is interactive ("pingpong":
//     this side sent data within ato of receiving some), and waits for
//     its own data to carry the ACK;
//   - acknowledges a short segment, or a full one with PSH, as soon as
//     the application reads it, unless interactive;
//   - sizes the delayed-ACK timer (ato) to the spacing of arriving
//     segments, from 40 ms up to the smoothed RTT (200 ms at most when
//     interactive).
type ackState struct {
	unacked int   // RFC 5681: full segments received since the last ACK
	lastAck int64 // acknowledgement number last sent
	timer   sim.Timer

	// Linux.
	scheduled       bool // an ACK is owed (ICSK_ACK_SCHED)
	now             bool // ICSK_ACK_NOW: send it at the next check
	pushed, pushed2 bool // ICSK_ACK_PUSHED(2): a short or PSH segment arrived
	quick           int  // quick ACKs left
	pingpong        bool
	ato             sim.Time
	lrcvtime        sim.Time // when the last data arrived
	rcvMSS          int64    // the peer's segment size as seen (icsk_ack.rcv_mss)
	rcvWup          int64    // rcv_nxt when a window was last sent
	due             sim.Time // when the armed delayed-ACK timer fires
	dupCount        int      // immediate duplicate ACKs for dupRcvNxt
	dupRcvNxt       int64
	compressed      int // SACKs withheld (tcp_sack_compress)
}

func (e *Endpoint) linuxAcks() bool { return e.cfg.DelayedAck && e.cfg.Acks == AckLinux }

// incrQuick is tcp_incr_quickack.
func (e *Endpoint) incrQuick(limit int) {
	a := &e.ack
	q := int(e.rwin.wnd / (2 * a.rcvMSS))
	if q == 0 {
		q = 2
	}
	q = min(q, limit)
	if q > a.quick {
		a.quick = q
	}
}

// enterQuick is tcp_enter_quickack_mode.
func (e *Endpoint) enterQuick() {
	e.incrQuick(ackMaxQuick)
	e.ack.pingpong = false
	e.ack.ato = ackATOMin
}

func (e *Endpoint) inQuick() bool { return e.ack.quick > 0 && !e.ack.pingpong }

// dataArrived is tcp_event_data_recv plus tcp_measure_rcv_mss for an
// in-order data segment of n bytes.
func (e *Endpoint) dataArrived(n int64, psh bool) {
	a := &e.ack
	now := e.conn.net.sim.Now()
	a.scheduled = true
	// tcp_measure_rcv_mss
	full := n >= int64(e.cfg.MSS)
	if n >= a.rcvMSS {
		a.rcvMSS = n // min(len, advmss): a segment is never longer than the MSS here
		if psh && n == a.rcvMSS {
			a.pushed = true
		}
	} else {
		if a.pushed {
			a.pushed2 = true
		}
		a.pushed = true
	}
	if a.ato == 0 {
		// The first data: start the delayed-ACK engine in quick mode.
		e.incrQuick(ackMaxQuick)
		a.ato = ackATOMin
	} else {
		m := now - a.lrcvtime
		switch {
		case m <= ackATOMin/2:
			a.ato = a.ato/2 + ackATOMin/2
		case m < a.ato:
			a.ato = min(a.ato/2+m, e.rtt.rto)
		case m > e.rtt.rto:
			// A long gap: the sender probably did not restart its window.
			e.incrQuick(ackMaxQuick)
		}
	}
	a.lrcvtime = now
	if e.rwin.segment(n, full) {
		a.quick = max(a.quick, 1)
	}
}

// dataSent is the receive side of tcp_event_data_sent: data sent within
// ato of the last data received makes the connection interactive.
func (e *Endpoint) dataSent() {
	a := &e.ack
	if a.ato > 0 && e.conn.net.sim.Now()-a.lrcvtime < a.ato {
		a.pingpong = true
	}
}

// ackSent is tcp_event_ack_sent: every segment that carries an ACK.
func (e *Endpoint) ackSent() {
	a := &e.ack
	a.unacked = 0
	a.lastAck = e.rcvNxt
	if !e.cfg.DelayedAck {
		return
	}
	e.ack.timer.Stop()
	if a.quick > 0 && a.scheduled {
		a.quick--
		if a.quick == 0 {
			a.ato = ackATOMin
		}
	}
	a.scheduled, a.now, a.pushed, a.pushed2 = false, false, false, false
	a.rcvWup = e.rcvNxt
}

// ackCheck is __tcp_ack_snd_check: after a segment was processed, send
// the owed ACK now or arm the delayed-ACK timer. ooo says the segment
// arrived out of order with SACK on, where Linux compresses the fourth
// and later duplicate ACKs for the same hole.
func (e *Endpoint) ackCheck(ooo bool) {
	a := &e.ack
	if !a.scheduled {
		return
	}
	if e.rcvNxt-a.rcvWup > a.rcvMSS || e.inQuick() || a.now {
		e.sendAck()
		return
	}
	if !ooo || len(e.ooo) == 0 {
		e.delayAck()
		return
	}
	if a.compressed >= ackCompressMax {
		e.sendAck()
		return
	}
	if a.dupRcvNxt != e.rcvNxt {
		a.dupRcvNxt, a.dupCount = e.rcvNxt, 0
	}
	if a.dupCount < ackDupImmediate {
		a.dupCount++
		e.sendAck()
		return
	}
	a.compressed++
	if !a.timer.Armed() {
		rtt := min(max(e.rwin.rttEst, 0), e.rtt.srtt)
		if rtt <= 0 {
			rtt = e.rtt.srtt
		}
		d := min(ackCompressCap, rtt/20) + ackCompressPad
		a.due = e.conn.net.sim.Now() + d
		a.timer.Reset(d)
	}
}

// delayAck is tcp_send_delayed_ack.
func (e *Endpoint) delayAck() {
	a := &e.ack
	ato := a.ato
	if ato > ackATOMin {
		limit := ackATOMaxIdle
		if a.pingpong || a.pushed {
			limit = ackDelackMax
		}
		if e.rtt.have {
			limit = min(limit, max(e.rtt.srtt, ackATOMin))
		}
		ato = min(ato, limit)
	}
	ato = min(ato, ackDelackMax)
	now := e.conn.net.sim.Now()
	due := now + ato
	if a.timer.Armed() {
		// A timer already running and close to firing: send now.
		if a.due <= now+ato/4 {
			e.sendAck()
			return
		}
		due = min(due, a.due)
	}
	a.due = due
	a.timer.Reset(due - now)
}

// onDelayedAck is the delayed-ACK timer (tcp_delack_timer_handler).
func (e *Endpoint) onDelayedAck() {
	if !e.linuxAcks() {
		e.sendAck()
		return
	}
	a := &e.ack
	if a.compressed > 0 {
		a.compressed = 0
		e.sendAck()
		return
	}
	if !a.scheduled {
		return
	}
	if a.pingpong {
		// The answer that was to carry the ACK did not come.
		a.pingpong, a.ato = false, ackATOMin
	} else {
		a.ato = min(2*a.ato, e.rtt.rto)
	}
	e.sendAck()
}

// readDone is __tcp_cleanup_rbuf after the application read everything
// that arrived: an owed ACK goes now for more than a segment unacknowledged,
// or for a short or PSH segment unless the connection is interactive.
func (e *Endpoint) readDone() {
	a := &e.ack
	if !a.scheduled || e.state == Closed {
		return
	}
	if e.rcvNxt-a.rcvWup > a.rcvMSS || a.pushed2 || a.pushed && !a.pingpong {
		e.sendAck()
	}
}

// oldData is what Linux does with a segment that brings nothing new (a
// spurious retransmission): quick-ACK mode, and a D-SACK for it.
func (e *Endpoint) oldData() {
	e.enterQuick()
	e.ack.scheduled = true
}

// delayFin is tcp_fin for a Linux receiver: the FIN makes the connection
// interactive and its ACK waits for the application's own FIN or the
// delayed-ACK timer.
func (e *Endpoint) delayFin() {
	e.ack.scheduled = true
	e.ack.pingpong = true
	e.ackCheck(false)
}
