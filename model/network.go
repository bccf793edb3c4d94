package model

import (
	"strconv"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// Network is one client and one server joined by a [Link], and the TCP
// connections between them.
type Network struct {
	sim     *sim.Simulator
	rec     trace.Recorder
	links   []*Link // one per client; a run has one client unless it models many
	conns   []*Conn
	packets uint64
	meter   memoryMeter // the state's bytes (Run bounds them: limits.max_memory)
	// sbFree are the scoreboard buffers of closed endpoints, for the next
	// connections to reuse (HTTP/1.0 opens one per object).
	sbFree [][]txSeg
	far    bool // some connections have an extra delay (farOrigins)
	// messages gets every application message written, when the
	// recorder asks for them (trace.MessagesOf): a capture's bytes.
	messages func(trace.Message)
	// traced is whether a trace is kept beyond the run's own summary.
	// The labels that name messages and packets for a reader ("GET
	// /img3.png", "1-RTT 12: ACK STREAM") are built only then: the
	// summary reads none of them, and an untraced run (a sweep's loads)
	// would otherwise build a string or two per request and per QUIC
	// packet for nobody (issue 17: allocations per request and packet).
	traced bool
}

// NewNetwork returns a network on s that records into rec. It returns a
// *ConfigError if link is out of range.
func NewNetwork(s *sim.Simulator, link LinkConfig, rec trace.Recorder) (*Network, error) {
	if err := link.Validate(); err != nil {
		return nil, err
	}
	if rec == nil {
		rec = trace.Discard{}
	}
	n := &Network{sim: s, rec: rec, messages: trace.MessagesOf(rec), traced: true}
	n.AddClient(link)
	return n, nil
}

// AddClient joins one more client to the server by its own link (with its
// own random streams) and returns the client's index, from 0. The first
// client exists from NewNetwork on.
func (n *Network) AddClient(link LinkConfig) int {
	i := len(n.links)
	prefix := ""
	if i > 0 {
		prefix = "client" + strconv.Itoa(i) + "/"
	}
	n.links = append(n.links, newLink(n.sim, n.rec, &n.meter, prefix, link,
		func(seg Segment) { n.deliver(seg, trace.Down) },
		func(seg Segment) { n.deliver(seg, trace.Up) },
		n.left))
	if n.far {
		l := n.links[i]
		l.Up.extraOf, l.Down.extraOf = n.extraDelay, n.extraDelay
	}
	return i
}

// NewConn creates the next connection (ids count from 1) from the first client
// with both endpoints closed: the server side listening, the client side
// ready for Open. Set the endpoints' callbacks, then call Client.Open.
func (n *Network) NewConn(cfg TCPConfig) (*Conn, error) { return n.NewConnFrom(0, cfg) }

// NewConnFrom is NewConn for the client numbered client.
func (n *Network) NewConnFrom(client int, cfg TCPConfig) (*Conn, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Conn{ID: len(n.conns) + 1, net: n, cfg: cfg, link: n.links[client], ClientIndex: client}
	c.Client = newEndpoint(c, trace.Up)
	c.Server = newEndpoint(c, trace.Down)
	c.Server.listen()
	n.conns = append(n.conns, c)
	n.meter.add(connStateBytes)
	return c, nil
}

// send puts seg on the link in its direction.
func (n *Network) send(seg Segment) {
	n.packets++
	seg.ID = n.packets
	l := n.conns[seg.Conn-1].link
	if seg.Dir == trace.Up {
		l.Up.send(seg)
	} else {
		l.Down.send(seg)
	}
}

// left tells seg's sender that seg no longer waits in the link's
// transmit queue.
func (n *Network) left(seg Segment) {
	c := n.conns[seg.Conn-1]
	if c.quic != nil {
		return // QUIC sends as its window allows: it does not watch the queue
	}
	e := c.Client
	if seg.Dir == trace.Down {
		e = c.Server
	}
	if seg.Len == 0 {
		return
	}
	e.queued -= int64(seg.Len)
	if e.queued == 0 {
		e.app.onDrained()
	}
}

// deliver hands an arrived segment to the endpoint on side to.
func (n *Network) deliver(seg Segment, to trace.Dir) {
	c := n.conns[seg.Conn-1]
	if c.quic != nil {
		c.quic.deliver(seg, to)
		return
	}
	if to == trace.Up {
		c.Client.receive(seg)
	} else {
		c.Server.receive(seg)
	}
}

// pathRTT is the round trip of a header-only packet on the connection's
// link: both propagation delays and both serializations.
func (c *Conn) pathRTT() sim.Time {
	bits := int64(c.cfg.HeaderBytes) * 8
	return c.link.Up.delay + c.link.Down.delay + 2*c.extra + c.link.Up.serialization(bits) + c.link.Down.serialization(bits)
}

// Conn is one TCP connection: a client endpoint and a server endpoint.
type Conn struct {
	ID          int
	ClientIndex int // which client opened it, from 0
	Client      *Endpoint
	Server      *Endpoint
	net         *Network
	link        *Link
	cfg         TCPConfig
	// extra is the propagation delay beyond the link, each way, to a
	// farther origin (OriginConfig.Delay).
	extra sim.Time
	// quic is the connection when it is QUIC (quic_conn.go): then Client
	// and Server are nil, and its datagrams go to its ends.
	quic *quicConn
}

// extraDelay is connection conn's delay beyond its link.
func (n *Network) extraDelay(conn int) sim.Time { return n.conns[conn-1].extra }

// farOrigins makes every link, the ones to come too, add each
// connection's extra delay to its propagation: Run calls it when an
// origin is farther than the link.
func (n *Network) farOrigins() {
	n.far = true
	for _, l := range n.links {
		l.Up.extraOf, l.Down.extraOf = n.extraDelay, n.extraDelay
	}
}
