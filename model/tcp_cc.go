package model

import (
	"math/bits"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// congestion is a sender's congestion window and the rules that move it:
// slow start (TCPConfig.Growth), congestion avoidance (Avoidance, with
// CUBIC's state), Linux's window validation (Restart: RestartLinux) and
// the values an undo restores. cwnd and ssthresh are bytes; counted in
// packets (Unit: Packets) cwnd is always a whole number of segments.
type congestion struct {
	cwnd, ssthresh int64
	iw             int64 // initial window, bytes

	bytesAcked int64  // ByteCounting: bytes acknowledged towards the next SMSS
	caFrac     uint64 // fraction of a byte of cwnd (2⁻²⁴ units) that RenoPerAck carries, while cwnd == caBase
	caBase     int64
	cwndCnt    int64 // packets: segments acknowledged towards the next increment (Linux snd_cwnd_cnt)

	cubic cubic

	// Window validation (Linux tcp_cwnd_validate): whether the window was
	// used up in the current window of data, the most packets out in it,
	// and, while it is not used up, since when and how much was used.
	cwndLimited   bool
	maxPacketsOut int
	usageSeq      int64
	cwndUsed      int
	cwndStamp     sim.Time

	// For an undo (tcp_undo_cwnd_reduction): the window and threshold
	// before the reduction.
	priorCwnd, priorSsthresh int64
}

// packets reports whether cwnd counts segments.
func (e *Endpoint) packets() bool { return e.cfg.Unit == Packets }

// flight is what the window test compares with cwnd: the bytes
// outstanding, or the packets in flight times the MSS.
func (e *Endpoint) flight() int64 {
	if e.packets() {
		return int64(e.flightPackets()) * int64(e.cfg.MSS)
	}
	return e.sndNxt - e.sndUna
}

// flightPackets is Linux's tcp_packets_in_flight with SACK recovery, the
// segments outstanding otherwise.
func (e *Endpoint) flightPackets() int {
	if e.rack() {
		return e.sb.inFlight()
	}
	return e.sb.packetsOut()
}

// cost is how much of the window a segment of n bytes takes.
func (e *Endpoint) cost(n int64) int64 {
	if e.packets() {
		return int64(e.cfg.MSS)
	}
	return n
}

// cwndPackets is cwnd in segments.
func (e *Endpoint) cwndPackets() int64 { return e.cc.cwnd / int64(e.cfg.MSS) }

func (e *Endpoint) setCwndPackets(p int64) { e.cc.cwnd = max(p, 1) * int64(e.cfg.MSS) }

// mayGrow is Linux's tcp_is_cwnd_limited: with window validation, cwnd
// grows only while the sender uses it — in slow start while it is below
// twice the most packets sent out in the current window, in congestion
// avoidance only when the window was full. Without it (the RFCs) every
// ACK may grow the window.
func (e *Endpoint) mayGrow() bool {
	if e.cfg.Restart != RestartLinux {
		return true
	}
	if e.cc.cwndLimited {
		return true
	}
	if e.cc.cwnd < e.cc.ssthresh {
		return e.cwndPackets() < 2*int64(e.cc.maxPacketsOut)
	}
	return false
}

// growOnAck applies slow start or congestion avoidance to an ACK that
// acknowledged acked new bytes in pkts segments, and says which it
// applied (a trace.Cwnd* cause), or "" if the window may not grow.
func (e *Endpoint) growOnAck(acked int64, pkts int) trace.State {
	if e.cc.cwnd >= unlimitedBytes {
		return trace.CwndSlowStart
	}
	if !e.mayGrow() {
		return trace.NoState
	}
	if e.packets() {
		return e.growPackets(int64(pkts))
	}
	mss := int64(e.cfg.MSS)
	if e.cc.cwnd < e.cc.ssthresh {
		switch e.cfg.Growth {
		case SlowStartABC:
			e.cc.cwnd += min(acked, 2*mss) // RFC 3465 §2.2, L = 2·SMSS
		case SlowStartLinux:
			// Every byte acknowledged, up to ssthresh (Linux tcp_slow_start).
			e.cc.cwnd = min(e.cc.cwnd+acked, e.cc.ssthresh)
		default:
			e.cc.cwnd += min(acked, mss) // RFC 5681 §3.1, eq. 2
		}
		return trace.CwndSlowStart
	}
	switch e.cfg.Avoidance {
	case ByteCounting:
		// RFC 5681 §3.1 / RFC 3465 §2.1: one SMSS per cwnd of bytes acked.
		e.cc.bytesAcked += acked
		if e.cc.bytesAcked >= e.cc.cwnd {
			e.cc.bytesAcked -= e.cc.cwnd
			e.cc.cwnd += mss
		}
	case Cubic:
		w := e.cwndPackets()
		e.cc.cwnd = e.avoidAI(e.cubicCount(w, max(1, acked/mss)), w, max(1, acked/mss)) * mss
	default:
		e.avoidPerAck(mss)
	}
	return trace.CwndAvoidance
}

// growPackets is growOnAck for a window counted in packets, as Linux's
// tcp_cong_avoid hooks do: slow start up to ssthresh, what is left of
// the acknowledged segments to congestion avoidance.
func (e *Endpoint) growPackets(acked int64) trace.State {
	w := e.cwndPackets()
	thresh := e.cc.ssthresh / int64(e.cfg.MSS)
	var why trace.State
	if e.cc.cwnd < e.cc.ssthresh {
		n := acked
		switch e.cfg.Growth {
		case SlowStartRFC5681:
			n = 1 // min(N, SMSS): one segment per ACK
		case SlowStartABC:
			n = min(acked, 2)
		}
		// tcp_slow_start: cwnd = min(cwnd + acked, ssthresh); the rest of
		// acked goes on to congestion avoidance.
		grown := min(w+n, thresh)
		acked -= grown - w
		w = grown
		why = trace.CwndSlowStart
		if acked <= 0 || e.cfg.Growth != SlowStartLinux {
			e.setCwndPackets(w)
			return why
		}
	}
	switch e.cfg.Avoidance {
	case Cubic:
		w = e.avoidAI(e.cubicCount(w, acked), w, acked)
	default:
		w = e.avoidAI(w, w, acked) // tcp_reno_cong_avoid: one segment per window
	}
	e.setCwndPackets(w)
	if why == trace.NoState {
		why = trace.CwndAvoidance
	}
	return why
}

// avoidAI is tcp_cong_avoid_ai: one segment more for every cnt segments
// acknowledged.
func (e *Endpoint) avoidAI(cnt, w, acked int64) int64 {
	cnt = max(cnt, 1)
	if e.cc.cwndCnt >= cnt {
		e.cc.cwndCnt = 0
		w++
	}
	e.cc.cwndCnt += acked
	if e.cc.cwndCnt >= cnt {
		d := e.cc.cwndCnt / cnt
		e.cc.cwndCnt -= d * cnt
		w += d
	}
	return w
}

// caFracBits is the fixed-point precision of RenoPerAck's cwnd: 2⁻²⁴ of a
// byte, so that a million ACKs lose less than a tenth of a byte against
// the real-number rule, and cwnd stays exact up to 2⁴⁰ bytes.
const (
	caFracBits = 24
	caMaxCwnd  = 1 << 40
)

// avoidPerAck adds SMSS·SMSS/cwnd (RFC 5681 §3.1, eq. 3) computed on a
// cwnd that keeps its fraction of a byte from one ACK to the next, so the
// window grows as the real-number rule says (146, 144.55, 143.16… bytes
// for SMSS 1460 from 10 segments), not by truncated whole bytes.
func (e *Endpoint) avoidPerAck(mss int64) {
	if e.cc.cwnd >= caMaxCwnd {
		return
	}
	if e.cc.caBase != e.cc.cwnd { // cwnd was set by another rule: no fraction
		e.cc.caFrac = 0
	}
	w := uint64(e.cc.cwnd)<<caFracBits | e.cc.caFrac
	// SMSS² / (w·2⁻²⁴) bytes, in 2⁻²⁴ units: SMSS²·2⁴⁸ / w.
	sq := uint64(mss) * uint64(mss)
	hi, lo := sq>>(64-2*caFracBits), sq<<(2*caFracBits)
	inc, _ := bits.Div64(hi, lo, w)
	w += max(inc, 1)
	e.cc.cwnd = int64(w >> caFracBits)
	e.cc.caFrac = w & (1<<caFracBits - 1)
	e.cc.caBase = e.cc.cwnd
}

// lossThreshold is the new ssthresh after a loss: for Reno in bytes,
// max(FlightSize/2, 2·SMSS) (RFC 5681 §3.1 eq. 4, FlightSize without what
// limited transmit sent, §3.2 step 2); in packets max(cwnd/2, 2)
// (tcp_reno_ssthresh); for CUBIC, β = 0.7 of cwnd (RFC 9438 §4.6,
// cubictcp_recalc_ssthresh), which also remembers the window of the loss.
func (e *Endpoint) lossThreshold() int64 {
	mss := int64(e.cfg.MSS)
	if e.cfg.Avoidance == Cubic {
		return e.cubicLoss(e.cwndPackets()) * mss
	}
	if e.packets() {
		return max(e.cwndPackets()/2, 2) * mss
	}
	flight := e.sndMax - e.sndUna - e.nr.ltSent
	return max(flight/2, 2*mss)
}

// currentSsthresh is tcp_current_ssthresh: outside a reduction, at least
// three quarters of cwnd, so that a later restart or undo can return to
// where the window was.
func (e *Endpoint) currentSsthresh() int64 {
	if e.inReduction() {
		return e.cc.ssthresh
	}
	return max(e.cc.ssthresh, e.cc.cwnd/2+e.cc.cwnd/4)
}

// validate is tcp_cwnd_validate, run after each round of sending (Linux
// RestartLinux only): it records whether the window was used up, and
// shrinks a window the application has not used for an RTO halfway
// towards what it used (tcp_cwnd_application_limited, RFC 2861 §3).
func (e *Endpoint) validate(sent int) {
	if e.cfg.Restart != RestartLinux {
		return
	}
	limited := int64(e.flightPackets())*int64(e.cfg.MSS) >= e.cc.cwnd
	if sent == 0 && !limited {
		return
	}
	out := e.sb.packetsOut()
	if e.sndUna >= e.cc.usageSeq || limited || !e.cc.cwndLimited && out > e.cc.maxPacketsOut {
		e.cc.cwndLimited = limited
		e.cc.maxPacketsOut = out
		e.cc.usageSeq = e.sndNxt
	}
	now := e.conn.net.sim.Now()
	if e.mayGrowAny() {
		e.cc.cwndUsed = 0
		e.cc.cwndStamp = now
		return
	}
	e.cc.cwndUsed = max(e.cc.cwndUsed, out)
	if now-e.cc.cwndStamp < e.rtt.rto {
		return
	}
	if e.rec.state == caOpen {
		used := max(int64(e.cc.cwndUsed), e.cc.iw/int64(e.cfg.MSS))
		if used < e.cwndPackets() {
			e.cc.ssthresh = e.currentSsthresh()
			e.setCwndPackets((e.cwndPackets() + used) / 2)
			e.recordCwnd(trace.CwndAppLimited, 0)
		}
		e.cc.cwndUsed = 0
	}
	e.cc.cwndStamp = now
}

// mayGrowAny is tcp_is_cwnd_limited regardless of the Restart policy.
func (e *Endpoint) mayGrowAny() bool {
	if e.cc.cwndLimited {
		return true
	}
	return e.cc.cwnd < e.cc.ssthresh && e.cwndPackets() < 2*int64(e.cc.maxPacketsOut)
}

// maybeRestart applies slow-start restart before sending new data after
// an idle period (RFC 5681 §4.1; Linux tcp_cwnd_restart).
func (e *Endpoint) maybeRestart() {
	if e.cfg.Restart == RestartOff || e.sndUna != e.sndMax || e.sndNxt >= e.dataEnd() || e.lastSend == 0 {
		return
	}
	idle := e.conn.net.sim.Now() - e.lastSend
	if idle <= e.rtt.rto {
		return
	}
	restart := min(e.cc.iw, e.cc.cwnd)
	switch e.cfg.Restart {
	case RestartRFC5681:
		e.cc.cwnd = restart
	case RestartHalving, RestartLinux:
		if e.cfg.Restart == RestartLinux {
			e.cc.ssthresh = e.currentSsthresh()
		}
		for d := idle - e.rtt.rto; d > 0 && e.cc.cwnd > restart; d -= e.rtt.rto {
			e.cc.cwnd >>= 1
		}
		e.cc.cwnd = max(e.cc.cwnd, restart)
		if e.packets() {
			e.setCwndPackets(e.cwndPackets())
		}
	}
	e.recordCwnd(trace.CwndRestart, 0)
}
