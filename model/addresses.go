package model

import "github.com/keepalive-sim/keepalive/model/trace"

// The ports and initial sequence numbers a connection's SYNs carry, for
// the packet inspector and exports that show absolute values as
// Wireshark does. The model's own arithmetic is relative to the ISNs,
// so none of this changes a timing.
const (
	// HTTPPort and HTTPSPort are the server's ports (RFC 9110 §4.2.1,
	// §4.2.2).
	HTTPPort  = 80
	HTTPSPort = 443
	// A client's port is drawn from Linux's default ephemeral range,
	// net.ipv4.ip_local_port_range = 32768 60999 (RFC 6056 §3.2 asks for
	// a random choice; Linux picks one at random in the range).
	ephemeralLow, ephemeralHigh = 32768, 60999
)

// peer is the endpoint at the other end of e's connection.
func (e *Endpoint) peer() *Endpoint {
	if e.side == trace.Up {
		return e.conn.Server
	}
	return e.conn.Client
}

// address gives c's endpoints their ISNs (RFC 9293 §3.4.1, RFC 6528: not
// guessable; here drawn from the run's "tcp/addresses" stream, so they
// are the same on every run of one seed) and the client its port; the
// server's port is set by the session, which knows whether it runs TLS.
func (n *Network) address(c *Conn) {
	r := n.sim.Rand("tcp/addresses")
	c.Client.isn, c.Server.isn = r.Uint32(), r.Uint32()
	c.Client.port = uint16(ephemeralLow + r.IntN(ephemeralHigh-ephemeralLow+1))
	c.Server.port = HTTPPort
}
