package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// CUBIC (RFC 9438) as Linux's net/ipv4/tcp_cubic.c computes it, in
// packets, with its time in jiffies of 1 ms (HZ = 1000) and the cubic
// curve's time in units of 1/1024 s (BICTCP_HZ = 10).
const (
	cubicBetaScale  = 1024 // BICTCP_BETA_SCALE
	cubicBeta       = 717  // beta: 717/1024 ≈ 0.7 (RFC 9438 §4.6)
	cubicHZ         = 10   // BICTCP_HZ: t in 2⁻¹⁰ s
	cubicScale      = 41   // bic_scale; C = 41·10/1024 ≈ 0.4 (RFC 9438 §5)
	cubeRTTScale    = cubicScale * 10
	cubeFactor      = uint64(1) << (10 + 3*cubicHZ) / cubeRTTScale                        // 2⁴⁰/410
	cubicRenoFactor = 8 * (cubicBetaScale + cubicBeta) / 3 / (cubicBetaScale - cubicBeta) // beta_scale = 15: Reno-friendly slope (RFC 9438 §4.3)
	cubicMaxCnt     = 20                                                                  // before the first loss, at least 5 % growth per RTT (bictcp_update)
	jiffy           = sim.Millisecond

	// HyStart (Ha & Rhee 2011; tcp_cubic.c hystart_*), hystart_detect = 3:
	// both the ACK train and the delay increase.
	hystartLowWindow  = 16                   // hystart_low_window: packets
	hystartAckDelta   = 2 * sim.Millisecond  // hystart_ack_delta_us
	hystartMinSamples = 8                    // HYSTART_MIN_SAMPLES
	hystartDelayMin   = 4 * sim.Millisecond  // HYSTART_DELAY_MIN
	hystartDelayMax   = 16 * sim.Millisecond // HYSTART_DELAY_MAX
	hystartAckDelay   = sim.Millisecond      // hystart_ack_delay: min(1 ms, 4·GSO max / pacing rate)
	cubicIgnoreAfter  = sim.Second           // delay samples ignored for 1 s after an epoch starts
)

// cubic is tcp_cubic's per-connection state (struct bictcp).
type cubic struct {
	cnt         int64 // increase cwnd by one after cnt ACKed segments
	lastMaxCwnd int64 // window before the last reduction (W_max)
	lastCwnd    int64
	lastTime    int64 // jiffies
	originPoint int64
	k           int64 // time to reach W_max, 2⁻¹⁰ s
	delayMin    sim.Time
	epochStart  int64 // jiffies; 0: no epoch
	epochSet    bool
	ackCnt      int64
	tcpCwnd     int64 // Reno-equivalent window (RFC 9438 §4.3)
	found       bool  // HyStart ended slow start
	roundStart  sim.Time
	endSeq      int64
	lastAck     sim.Time
	currRTT     sim.Time
	sampleCnt   int
}

func jiffies(t sim.Time) int64 { return int64(t / jiffy) }

// cubicReset is bictcp_reset plus bictcp_hystart_reset: at start and
// when a timeout enters the Loss state.
func (e *Endpoint) cubicReset() {
	e.cc.cubic = cubic{}
	e.hystartRound()
}

func (e *Endpoint) hystartRound() {
	c := &e.cc.cubic
	now := e.conn.net.sim.Now()
	c.roundStart, c.lastAck = now, now
	c.endSeq = e.sndNxt
	c.currRTT = sim.Forever
	c.sampleCnt = 0
}

// cubicCount is bictcp_update: after how many ACKed segments cwnd (w
// packets) grows by one.
func (e *Endpoint) cubicCount(w, acked int64) int64 {
	c := &e.cc.cubic
	now := jiffies(e.conn.net.sim.Now())
	c.ackCnt += acked
	if c.lastCwnd == w && now-c.lastTime <= 1000/32 { // HZ/32
		return c.cnt
	}
	if !(c.epochSet && now == c.lastTime) {
		c.lastCwnd, c.lastTime = w, now
		if !c.epochSet {
			c.epochStart, c.epochSet = now, true
			c.ackCnt = acked
			c.tcpCwnd = w
			if c.lastMaxCwnd <= w {
				c.k, c.originPoint = 0, w
			} else {
				c.k = int64(cubeRoot(cubeFactor * uint64(c.lastMaxCwnd-w)))
				c.originPoint = c.lastMaxCwnd
			}
		}
		// t: time since the epoch plus one minimum round trip, in 2⁻¹⁰ s.
		t := (now - c.epochStart + int64((c.delayMin+jiffy-1)/jiffy)) << cubicHZ / 1000
		offs := t - c.k
		if offs < 0 {
			offs = -offs
		}
		delta := int64(uint64(cubeRTTScale) * uint64(offs) * uint64(offs) * uint64(offs) >> (10 + 3*cubicHZ))
		target := c.originPoint + delta
		if t < c.k {
			target = c.originPoint - delta
		}
		if target > w {
			c.cnt = w / (target - w)
		} else {
			c.cnt = 100 * w // very small increment
		}
		if c.lastMaxCwnd == 0 && c.cnt > cubicMaxCnt {
			c.cnt = cubicMaxCnt
		}
	}
	// TCP friendliness: grow at least as fast as Reno would (RFC 9438 §4.3).
	d := w * cubicRenoFactor >> 3
	for d > 0 && c.ackCnt > d {
		c.ackCnt -= d
		c.tcpCwnd++
	}
	if c.tcpCwnd > w {
		if m := w / (c.tcpCwnd - w); c.cnt > m {
			c.cnt = m
		}
	}
	c.cnt = max(c.cnt, 2) // at most 1.5× per round trip
	return c.cnt
}

// cubicLoss is cubictcp_recalc_ssthresh: the epoch ends, W_max is
// remembered (lowered further when the window was already shrinking:
// fast convergence, RFC 9438 §4.7), and ssthresh is 0.7·cwnd, in packets.
func (e *Endpoint) cubicLoss(w int64) int64 {
	c := &e.cc.cubic
	c.epochSet = false
	if w < c.lastMaxCwnd {
		c.lastMaxCwnd = w * (cubicBetaScale + cubicBeta) / (2 * cubicBetaScale)
	} else {
		c.lastMaxCwnd = w
	}
	return max(w*cubicBeta/cubicBetaScale, 2)
}

// cubicTxStart is CA_EVENT_TX_START: sending after an idle period moves
// the epoch on by the idle time, so the curve does not jump.
func (e *Endpoint) cubicTxStart() {
	c := &e.cc.cubic
	if e.cfg.Avoidance != Cubic || !c.epochSet || e.lastSend == 0 {
		return
	}
	now := jiffies(e.conn.net.sim.Now())
	if d := now - jiffies(e.lastSend); d > 0 {
		c.epochStart = min(c.epochStart+d, now)
	}
}

// cubicAcked is cubictcp_acked: each ACK's delay sample (the round trip
// of the latest segment it covers) keeps the minimum delay, and feeds
// HyStart while in slow start.
func (e *Endpoint) cubicAcked(rtt sim.Time) {
	if e.cfg.Avoidance != Cubic || rtt < 0 {
		return
	}
	c := &e.cc.cubic
	now := e.conn.net.sim.Now()
	if c.epochSet && jiffies(now)-c.epochStart < jiffies(cubicIgnoreAfter) {
		return
	}
	delay := max(rtt, sim.Microsecond)
	if c.delayMin == 0 || delay < c.delayMin {
		c.delayMin = delay
	}
	if !c.found && e.cfg.HyStart && e.cc.cwnd < e.cc.ssthresh {
		e.hystartUpdate(delay)
	}
}

// hystartUpdate is hystart_update (Linux 6.x): a new round starts when
// the round's last segment is acknowledged; from 16 packets on, slow
// start ends (ssthresh = cwnd) when the ACKs of a round, arriving no
// more than 2 ms apart, span more than half the minimum delay, or when
// the round's smallest delay exceeds the minimum by an eighth of it
// (clamped to 4–16 ms).
func (e *Endpoint) hystartUpdate(delay sim.Time) {
	c := &e.cc.cubic
	if e.sndUna > c.endSeq {
		e.hystartRound()
	}
	if e.cwndPackets() < hystartLowWindow {
		return
	}
	now := e.conn.net.sim.Now()
	if now-c.lastAck <= hystartAckDelta {
		c.lastAck = now
		// No pacing (pfifo_fast, no fq): the threshold is halved.
		if now-c.roundStart > (c.delayMin+hystartAckDelay)/2 {
			e.hystartExit()
			return
		}
	}
	c.currRTT = min(c.currRTT, delay)
	if c.sampleCnt < hystartMinSamples {
		c.sampleCnt++
		return
	}
	if c.currRTT > c.delayMin+min(max(c.delayMin/8, hystartDelayMin), hystartDelayMax) {
		e.hystartExit()
	}
}

func (e *Endpoint) hystartExit() {
	e.cc.cubic.found = true
	e.cc.ssthresh = e.cc.cwnd
	e.recordCwnd(trace.CwndHyStart, 0)
}

// cubeRoot is the integer cube root of a (floor), exact: Linux's
// cubic_root approximates it to within 0.2 % with a table and a Newton
// step.
func cubeRoot(a uint64) uint64 {
	if a == 0 {
		return 0
	}
	x := uint64(1) << ((64 - leadingZeros(a) + 2) / 3) // ≥ cbrt(a)
	for {
		y := (2*x + a/(x*x)) / 3
		if y >= x {
			break
		}
		x = y
	}
	for x*x*x > a {
		x--
	}
	for (x+1)*(x+1)*(x+1) <= a {
		x++
	}
	return x
}

func leadingZeros(a uint64) int {
	n := 0
	for a&(1<<63) == 0 {
		a <<= 1
		n++
	}
	return n
}
