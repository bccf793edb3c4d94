package model

import (
	"math/bits"
	"math/rand/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// Link is the full-duplex point-to-point link between client and server:
// one [channel] per direction, each with its own rate, queue and loss.
type Link struct {
	Up, Down *channel
}

func newLink(s *sim.Simulator, rec trace.Recorder, meter *memoryMeter, streamPrefix string, cfg LinkConfig, deliverUp, deliverDown, left func(Segment)) *Link {
	return &Link{
		Up:   newChannel(s, rec, meter, streamPrefix, trace.Up, cfg.Up, cfg, deliverUp, left),
		Down: newChannel(s, rec, meter, streamPrefix, trace.Down, cfg.Down, cfg, deliverDown, left),
	}
}

// lossless reports whether the link can lose no packet: no random loss,
// no scripted drops, unlimited buffers.
func (l *Link) lossless() bool {
	for _, c := range []*channel{l.Up, l.Down} {
		if c.loss > 0 || len(c.drops) > 0 || c.buffer > 0 {
			return false
		}
	}
	return true
}

// channel is one direction of the link: a transmit queue feeding a wire
// of a given rate, then a propagation delay.
//
// Serialization is charged on a running total of a busy period's bits, so
// a back-to-back burst of O bytes leaves the wire exactly ceil(8·O/R)
// after it started, not after the sum of per-packet roundings.
type channel struct {
	s       *sim.Simulator
	rec     trace.Recorder
	meter   *memoryMeter // counts the queues' growth
	dir     trace.Dir
	rate    Rate
	delay   sim.Time
	buffer  int
	queue   QueueDiscipline
	loss    float64
	rng     *rand.Rand
	drops   []Drop
	sent    map[int]int // packets per connection, only when drops are set
	deliver func(Segment)
	// left is told when a segment stops waiting in the transmit queue: it
	// starts serialization, or is dropped on arrival. The sender uses it
	// to know what is still queued below its socket.
	left func(Segment)

	// FIFO state.
	waiting   fifo[Segment]
	busy      bool
	busyStart sim.Time // start of the current busy period
	busyBits  int64    // bits sent or being sent in the busy period
	busyEnd   sim.Time // when the packet on the wire finishes
	current   Segment  // the packet on the wire, when busy
	txDone    func()

	// Fair (processor-sharing) state.
	flows      []*flow // flows with packets, in connection order
	idle       []*flow // flows without packets, kept for reuse
	lastUpdate sim.Time
	psEvent    sim.EventID
	psDone     func()
	psFinished []Segment // reused by onPSDone: packets finished together
	psStarted  []Segment // and the packets that took their place

	// Packets propagating, in arrival order (constant delay keeps the
	// order in which they left the wire).
	inFlight fifo[Segment]
	arrive   func()
	// extraOf, when set, is a connection's propagation delay beyond the
	// link (a farther origin's): its packets arrive that much later, so
	// they propagate on the lane (far) of their total delay, where they
	// keep the order they left the wire in.
	extraOf func(conn int) sim.Time
	far     []*farLane // one per extra delay seen, in order of first use
}

// farLane is the packets of a channel propagating for one delay beyond
// the link's: like inFlight, a queue counted by the memory meter and
// one callback made once, so a far packet costs no allocation.
type farLane struct {
	delay    sim.Time // the link's and the extra, in all
	inFlight fifo[Segment]
	arrive   func()
}

// lane is the channel's lane for packets with extra delay d.
func (c *channel) lane(d sim.Time) *farLane {
	for _, l := range c.far {
		if l.delay == c.delay+d {
			return l
		}
	}
	l := &farLane{delay: c.delay + d}
	l.inFlight.meter, l.inFlight.extra = c.meter, packetExtraBytes
	l.arrive = func() { c.land(l.inFlight.pop(), l.delay) }
	c.far = append(c.far, l)
	return l
}

// flow is one connection's share of a Fair channel.
type flow struct {
	conn int
	q    fifo[Segment]
	rem  uint64 // bits·1e9 of the head packet still to serialize
}

func newChannel(s *sim.Simulator, rec trace.Recorder, meter *memoryMeter, streamPrefix string, dir trace.Dir, rate Rate, cfg LinkConfig, deliver, left func(Segment)) *channel {
	c := &channel{
		s: s, rec: rec, meter: meter, dir: dir, rate: rate, delay: cfg.Delay,
		buffer: cfg.Buffer, queue: cfg.Queue, loss: cfg.Loss, deliver: deliver, left: left,
	}
	c.waiting.meter, c.inFlight.meter = meter, meter
	c.waiting.extra, c.inFlight.extra = packetExtraBytes, packetExtraBytes
	for _, d := range cfg.Drops {
		if trace.Dir(d.Dir) == dir {
			c.drops = append(c.drops, d)
		}
	}
	if len(c.drops) > 0 {
		c.sent = make(map[int]int)
	}
	if cfg.Loss > 0 {
		c.rng = s.Rand(streamPrefix + "link/loss/" + dir.String())
	}
	// The queues start empty and grow as packets come: preallocating a
	// window of them (96 segments, 13 KB per direction) saved a few
	// reallocations per run but cost 2.6 GB with 100,000 clients, each
	// with a link of its own.
	c.txDone = c.onTxDone
	c.psDone = c.onPSDone
	c.arrive = c.onArrive
	return c
}

// send hands seg to the channel at the current time.
func (c *channel) send(seg Segment) {
	c.rec.Record(trace.Record{
		At: c.s.Now(), Kind: trace.PacketSent, Conn: seg.Conn, Dir: seg.Dir, Packet: seg.ID,
		Flags: seg.Flags, Seq: seg.Seq, Ack: seg.Ack, Len: seg.Len, Wire: seg.Wire, Wnd: seg.Wnd,
		Retx: seg.Retx, Label: seg.Label, Sack: sackOf(&seg),
	})
	if c.rate == UnlimitedRate {
		seg.wireAt = seg.TSval // no queue, no serialization
		c.onWire(seg)          // first: what left() lets the sender write goes behind it
		c.left(seg)
		return
	}
	if c.queue == Fair {
		c.psEnqueue(seg)
		return
	}
	if c.busy {
		if c.buffer > 0 && c.waiting.len() >= c.buffer {
			c.left(seg)
			c.drop(seg, "queue full", false)
			return
		}
		c.waiting.push(seg)
		return
	}
	c.transmit(seg)
}

// serialization returns how long bits take at the channel's rate, rounded
// up to the nanosecond, without overflowing for any int64 inputs.
func (c *channel) serialization(nbits int64) sim.Time {
	if c.rate == UnlimitedRate {
		return 0
	}
	hi, lo := bits.Mul64(uint64(nbits), 1e9)
	q, r := bits.Div64(hi, lo, uint64(c.rate))
	if r != 0 {
		q++
	}
	return sim.Time(q)
}

func (c *channel) transmit(seg Segment) {
	now := c.s.Now()
	if now > c.busyEnd || c.busyBits == 0 {
		// The wire has been idle: a new busy period starts. (At now ==
		// busyEnd the previous period simply continues.)
		c.busyStart, c.busyBits = now, 0
	}
	c.busy = true
	c.busyBits += int64(seg.Wire) * 8
	c.busyEnd = c.busyStart + c.serialization(c.busyBits)
	c.current = seg
	c.current.wireAt = now
	c.s.At(c.busyEnd, c.txDone)
	c.left(seg)
}

func (c *channel) onTxDone() {
	seg := c.current
	c.busy = false
	if c.waiting.len() > 0 {
		c.transmit(c.waiting.pop())
	}
	c.onWire(seg)
}

// onWire is called when seg has been serialized: it is lost, or it
// propagates to the far end.
func (c *channel) onWire(seg Segment) {
	if c.lost(seg) {
		return
	}
	if c.extraOf != nil {
		if d := c.extraOf(seg.Conn); d > 0 {
			l := c.lane(d)
			l.inFlight.push(seg)
			c.s.After(l.delay, l.arrive)
			return
		}
	}
	c.inFlight.push(seg)
	c.s.After(c.delay, c.arrive)
}

func (c *channel) lost(seg Segment) bool {
	if c.sent != nil {
		c.sent[seg.Conn]++
		n := c.sent[seg.Conn]
		for _, d := range c.drops {
			if d.Conn == seg.Conn && d.Nth == n {
				c.drop(seg, "dropped by scenario", true)
				return true
			}
		}
	}
	if c.rng != nil && c.rng.Float64() < c.loss {
		c.drop(seg, "random loss", true)
		return true
	}
	return false
}

// drop records seg's loss: on arrival at a full queue, or, wire true,
// after it has been serialized (lost on the wire), when how long it
// waited and took to serialize are known.
func (c *channel) drop(seg Segment, why string, wire bool) {
	r := trace.Record{
		At: c.s.Now(), Kind: trace.PacketDropped, Conn: seg.Conn, Dir: seg.Dir, Packet: seg.ID,
		Flags: seg.Flags, Seq: seg.Seq, Ack: seg.Ack, Len: seg.Len, Wire: seg.Wire,
		Retx: seg.Retx, Label: seg.Label, Note: why,
	}
	if wire {
		r.Queued, r.Serialized = seg.wireAt-seg.TSval, c.s.Now()-seg.wireAt
	}
	c.rec.Record(r)
}

// onArrive delivers the segment that has propagated for the channel's
// delay since it left the wire.
func (c *channel) onArrive() { c.land(c.inFlight.pop(), c.delay) }

// land records seg's arrival after it propagated for delay, and
// delivers it.
func (c *channel) land(seg Segment, delay sim.Time) {
	now := c.s.Now()
	c.rec.Record(trace.Record{
		At: now, Kind: trace.PacketArrived, Conn: seg.Conn, Dir: seg.Dir, Packet: seg.ID,
		Flags: seg.Flags, Seq: seg.Seq, Ack: seg.Ack, Len: seg.Len, Wire: seg.Wire, Wnd: seg.Wnd,
		Retx: seg.Retx, Label: seg.Label, Sack: sackOf(&seg),
		Queued: seg.wireAt - seg.TSval, Serialized: now - delay - seg.wireAt,
	})
	c.deliver(seg)
}

// sackOf is seg's SACK blocks for the trace, without a call for the many
// segments that carry none.
func sackOf(seg *Segment) string {
	if seg.NSack == 0 {
		return ""
	}
	return seg.sackText()
}
