package quic

import (
	"math"

	"github.com/keepalive-sim/keepalive/sim"
)

// NewReno is RFC 9002's congestion controller (§7, Appendix B): slow
// start, a recovery period entered once per round trip of losses, and
// congestion avoidance, in bytes.
type NewReno struct {
	// Reduction is the share of the window kept on a congestion event
	// (RFC 9002's kLossReductionFactor, 1/2, unless a profile says
	// otherwise): ReductionNum / ReductionDen.
	ReductionNum, ReductionDen int
	// Cubic, when set, replaces congestion avoidance and the loss
	// response with quic-go's CUBIC (cubic.go); Now and MinRTT are the
	// ACK's time and the path's minimum RTT it needs, which the caller
	// sets before OnAcked.
	Cubic *Cubic
	// HyStart, when set, may end slow start before a loss (hystart.go);
	// the caller asks it on each RTT sample (Recovery.OnAck).
	HyStart         *HyStart
	Now, MinRTT     sim.Time
	MaxDatagramSize int
	Window          int // congestion_window
	SSThresh        int // math.MaxInt until the first congestion event
	InFlight        int // bytes_in_flight
	// RecoveryStart is when the current recovery period began; a packet
	// sent at or before it is acknowledged or lost inside the period.
	// Recovering is false before the first period and after persistent
	// congestion (B.8 sets the time to 0, which in a simulation starting
	// at 0 would put its first packets in recovery).
	RecoveryStart sim.Time
	Recovering    bool
	// acked counts the bytes acknowledged in congestion avoidance since
	// the window last grew: it grows by one datagram for each window
	// acknowledged, counted in bytes as RFC 3465 §2.1 does, which B.5
	// suggests for an integer window.
	acked int
}

// NewNewReno is the controller of a new connection: the initial window,
// no slow-start threshold (RFC 9002 B.3).
func NewNewReno(maxDatagramSize int) *NewReno {
	return &NewReno{MaxDatagramSize: maxDatagramSize, Window: InitialWindow(maxDatagramSize), SSThresh: math.MaxInt,
		ReductionNum: LossReductionNum, ReductionDen: LossReductionDen}
}

// CanSend reports whether n more bytes fit in the window. Probe packets
// are sent whatever it says (RFC 9002 §7.5).
func (c *NewReno) CanSend(n int) bool { return c.InFlight+n <= c.Window }

// OnSent counts a packet that is in flight (RFC 9002 B.4).
func (c *NewReno) OnSent(p Sent) {
	if p.InFlight {
		c.InFlight += p.Bytes
	}
	if p.AckEliciting && c.HyStart != nil {
		c.HyStart.OnSent(p.Number)
	}
}

// inRecovery is B.5's InCongestionRecovery.
func (c *NewReno) inRecovery(sent sim.Time) bool { return c.Recovering && sent <= c.RecoveryStart }

// OnAcked takes an acknowledged packet (RFC 9002 B.5): out of flight,
// and the window grows unless the sender is application or flow-control
// limited (§7.8) or the packet was sent in the recovery period: by its
// bytes in slow start, by a datagram per window in congestion avoidance.
func (c *NewReno) OnAcked(p Sent, limited bool) {
	if !p.InFlight {
		return
	}
	c.InFlight -= p.Bytes
	if limited && c.Cubic != nil {
		c.Cubic.OnApplicationLimited()
	}
	if c.inRecovery(p.Time) {
		return
	}
	if limited {
		c.roundAcked(p)
		return
	}
	if c.Window < c.SSThresh {
		c.Window += p.Bytes
		c.roundAcked(p)
		return
	}
	if c.Cubic != nil {
		c.Window = c.Cubic.AfterAck(p.Bytes, c.Window, c.MinRTT, c.Now)
		return
	}
	c.acked += p.Bytes
	if c.acked >= c.Window {
		c.acked -= c.Window
		c.Window += c.MaxDatagramSize
	}
}

// OnCongestionEvent starts a recovery period, at now, for a loss of a
// packet sent at sent, unless one started after it was sent: the
// threshold becomes half the window and the window the threshold, not
// below the minimum (RFC 9002 §7.3.2, B.6).
func (c *NewReno) OnCongestionEvent(sent, now sim.Time) {
	if c.inRecovery(sent) {
		return
	}
	c.RecoveryStart, c.Recovering = now, true
	if c.Cubic != nil {
		// quic-go's cubicSender: the window after the loss, then the
		// threshold there.
		c.Window = max(c.Cubic.AfterLoss(c.Window), MinimumWindow(c.MaxDatagramSize))
		c.SSThresh = c.Window
		c.acked = 0
		return
	}
	c.SSThresh = c.Window * c.ReductionNum / c.ReductionDen
	c.Window = max(c.SSThresh, MinimumWindow(c.MaxDatagramSize))
	c.acked = 0
}

// OnLost takes the packets declared lost at now (RFC 9002 B.8): out of
// flight, a congestion event for the latest sent of those in flight,
// and, if their loss is persistent congestion (PersistentCongestion),
// the minimum window and no recovery period, so slow start again.
func (c *NewReno) OnLost(lost []Sent, now sim.Time, persistent bool) {
	last, found := sim.Time(0), false
	for _, p := range lost {
		if p.InFlight {
			c.InFlight -= p.Bytes
			last, found = max(last, p.Time), true
		}
	}
	if found {
		c.OnCongestionEvent(last, now)
	}
	if persistent {
		c.Window, c.Recovering, c.acked = MinimumWindow(c.MaxDatagramSize), false, 0
		if c.Cubic != nil {
			c.Cubic.Reset()
		}
	}
}

// roundAcked tells HyStart of a packet acknowledged in slow start
// (quic-go's cubicSender.OnPacketAcked: after the window's growth, limited
// or not, outside recovery).
func (c *NewReno) roundAcked(p Sent) {
	if c.HyStart != nil && c.Window < c.SSThresh {
		c.HyStart.OnAcked(p.Number)
	}
}

// MaybeExitSlowStart asks HyStart, on an RTT sample, whether slow start
// should end; if so the threshold becomes the window (quic-go's
// cubicSender.MaybeExitSlowStart).
func (c *NewReno) MaybeExitSlowStart(latest, minRTT sim.Time) {
	if c.HyStart != nil && c.Window < c.SSThresh && c.HyStart.ShouldExit(latest, minRTT, c.Window/c.MaxDatagramSize) {
		c.SSThresh = c.Window
	}
}
