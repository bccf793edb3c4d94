package model

import (
	"math/bits"

	"github.com/keepalive-sim/keepalive/sim"
)

// The Fair discipline is fluid processor sharing: while n connections have
// packets waiting, the head packet of each is serialized at exactly R/n.
// Remaining work is kept in bits·1e9 so that serving Δ nanoseconds at R/n
// removes Δ·R/n units, an exact integer division up to one unit (10⁻⁹ bit).

const unitsPerBit = 1e9

// psEnqueue adds seg to its connection's flow.
func (c *channel) psEnqueue(seg Segment) {
	c.psAdvance()
	f := c.flowOf(seg.Conn)
	if f == nil {
		if c.buffer > 0 && c.psWaiting() >= c.buffer {
			c.left(seg)
			c.drop(seg, "queue full", false)
			return
		}
		f = c.activate(seg.Conn)
		f.rem = uint64(seg.Wire) * 8 * unitsPerBit
		seg.wireAt = c.s.Now()
		f.q.push(seg)
		c.psSchedule()
		c.left(seg) // the head of its flow: in service at once
		return
	} else if c.buffer > 0 && c.psWaiting() >= c.buffer {
		c.left(seg)
		c.drop(seg, "queue full", false)
		return
	}
	f.q.push(seg)
	c.psSchedule()
}

// psWaiting counts packets waiting behind the ones being served.
func (c *channel) psWaiting() int {
	n := 0
	for _, f := range c.flows {
		n += f.q.len() - 1
	}
	return n
}

func (c *channel) flowOf(conn int) *flow {
	for _, f := range c.flows {
		if f.conn == conn {
			return f
		}
	}
	return nil
}

// activate adds an empty flow for conn, keeping flows in connection order
// so that packets finishing together leave in a fixed order.
func (c *channel) activate(conn int) *flow {
	var f *flow
	if n := len(c.idle); n > 0 {
		f, c.idle = c.idle[n-1], c.idle[:n-1]
	} else {
		f = &flow{}
		f.q.meter, f.q.extra = c.meter, packetExtraBytes
	}
	f.conn = conn
	i := len(c.flows)
	c.flows = append(c.flows, f)
	for i > 0 && c.flows[i-1].conn > conn {
		c.flows[i] = c.flows[i-1]
		i--
	}
	c.flows[i] = f
	return f
}

// psAdvance serves every busy flow for the time since the last update.
func (c *channel) psAdvance() {
	now := c.s.Now()
	dt := now - c.lastUpdate
	c.lastUpdate = now
	n := uint64(len(c.flows))
	if n == 0 || dt == 0 {
		return
	}
	hi, lo := bits.Mul64(uint64(dt), uint64(c.rate))
	var served uint64
	if hi >= n {
		served = ^uint64(0) // more than any packet needs
	} else {
		served, _ = bits.Div64(hi, lo, n)
	}
	for _, f := range c.flows {
		if f.rem <= served {
			f.rem = 0
		} else {
			f.rem -= served
		}
	}
}

// psSchedule (re)schedules the next completion: the flow with the least
// remaining work finishes after rem·n/R.
func (c *channel) psSchedule() {
	c.s.Cancel(c.psEvent)
	c.psEvent = sim.EventID{}
	if len(c.flows) == 0 {
		return
	}
	least := c.flows[0].rem
	for _, f := range c.flows[1:] {
		least = min(least, f.rem)
	}
	hi, lo := bits.Mul64(least, uint64(len(c.flows)))
	q, r := bits.Div64(hi, lo, uint64(c.rate))
	if r != 0 {
		q++
	}
	c.psEvent = c.s.After(sim.Time(q), c.psDone)
}

// onPSDone moves every finished head packet to the wire, in connection order.
func (c *channel) onPSDone() {
	c.psEvent = sim.EventID{}
	c.psAdvance()
	done := c.psFinished[:0]
	started := c.psStarted[:0]
	kept := c.flows[:0]
	for _, f := range c.flows {
		if f.rem == 0 {
			done = append(done, f.q.pop())
			if f.q.len() > 0 {
				next := f.q.front()
				f.rem = uint64(next.Wire) * 8 * unitsPerBit
				next.wireAt = c.s.Now()
				started = append(started, *next)
			}
		}
		if f.q.len() > 0 {
			kept = append(kept, f)
		} else {
			c.idle = append(c.idle, f)
		}
	}
	clear(c.flows[len(kept):])
	c.flows = kept
	c.psSchedule()
	c.psFinished, c.psStarted = done, started
	for _, seg := range done {
		c.onWire(seg)
	}
	for _, seg := range started {
		c.left(seg)
	}
}
