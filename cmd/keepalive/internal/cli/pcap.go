package cli

import (
	"bytes"
	"fmt"
	"net"
	"path/filepath"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/model/trace/pcap"
	"github.com/keepalive-sim/keepalive/model/wire"
)

// maxCapture bounds a --pcap file kept in memory until the outputs are
// written together (none is written if any fails): a capture is the
// run's packets, each its bytes on the wire and 16 of record header.
const maxCapture = 1 << 30

// clientAddress is every client's address in a capture: TEST-NET-2
// (RFC 5737), a documentation address, as the servers' are TEST-NET-1.
func clientAddress() net.IP { return net.IPv4(198, 51, 100, 1) }

// pcapPath is protocol p's --pcap file: FILE itself when one protocol is
// run, else FILE's name with the protocol before its extension
// (page.pcap: page.http1.1.pcap).
func (plan *runPlan) pcapPath(p model.Protocol) string {
	if len(plan.protocols) == 1 {
		return plan.pcap
	}
	ext := filepath.Ext(plan.pcap)
	return strings.TrimSuffix(plan.pcap, ext) + "." + p.String() + ext
}

// capture is one protocol's --pcap file: the run's packet records are
// kept as it goes and its messages built into each connection's bytes
// (wire.Streams; a message is traced after the segments its write sent
// at once), then the packets are written at its end, each connection
// on the addresses of its host's server (conn-host records name it),
// with the bytes the model sized.
type capture struct {
	w       *pcap.Writer
	buf     bytes.Buffer
	host    map[int]string // connection → host, on a page of several hosts
	cfg     model.Config
	hosts   map[string]int // host → origin
	records []trace.Record
	streams *wire.Streams
	size    int // the capture's bytes so far, about
	over    bool
}

func newCapture(plan *runPlan, cfg model.Config) (*capture, error) {
	if cfg.Clients.Count > 1 {
		return nil, usageErrorf("--pcap: one client only (clients.count is %d): a trace does not say which client a packet is of", cfg.Clients.Count)
	}
	if cfg.Proxy.Enabled {
		return nil, usageErrorf("--pcap: not with a proxy (proxy.enabled): its two hops would need two captures")
	}
	c := &capture{host: map[int]string{}, cfg: cfg, hosts: map[string]int{}, streams: wire.NewStreams(cfg.Seed)}
	for o := 0; o <= len(cfg.Origins); o++ {
		c.hosts[cfg.HostOf(o)] = o
	}
	// What the ClientHello offers (RFC 7301): an HTTP/2 browser both, as
	// browsers do; an HTTP/1.x one only what it speaks.
	c.streams.ALPN = []string{"http/1.1"}
	if cfg.HTTP.Protocol == model.HTTP2 {
		c.streams.ALPN = []string{"h2", "http/1.1"}
	}
	w, err := pcap.NewWriter(&c.buf, plan.pcapAt, c.endpoints)
	if err != nil {
		return nil, err
	}
	c.w = w
	return c, nil
}

// Record keeps the records the capture needs.
func (c *capture) Record(r trace.Record) {
	if c.over {
		return // past maxCapture: done says so
	}
	switch r.Kind {
	case trace.ConnHost:
		c.host[r.Conn] = r.Label
	case trace.PacketSent:
		c.size += r.Wire + 16 // a record header each
	case trace.PacketArrived, trace.PacketDropped:
	default:
		return
	}
	c.records = append(c.records, r)
	c.checkSize()
}

// Message builds the bytes of a message the run wrote.
func (c *capture) Message(m trace.Message) {
	if c.over {
		return
	}
	c.streams.Message(m)
	c.size += m.Size // its bytes are kept until the end
	c.checkSize()
}

func (c *capture) checkSize() {
	if c.size > maxCapture {
		c.over, c.records, c.streams = true, nil, nil
	}
}

// endpoints are connection conn's addresses: the client's, its host's
// server's (port 443 under TLS, else 80), and the ports and ISNs
// trace.AddressesOf draws from the seed.
func (c *capture) endpoints(conn int) pcap.Endpoints {
	o := 0
	if h, ok := c.host[conn]; ok {
		o = c.hosts[h]
	}
	port := uint16(trace.HTTPPort)
	if c.cfg.SchemeOf(o) == "https" {
		port = trace.HTTPSPort
	}
	a := trace.AddressesOf(c.cfg.Seed, conn)
	return pcap.Endpoints{Client: clientAddress(), Server: net.ParseIP(trace.ServerAddress(c.cfg.ServerOf(o))),
		ClientPort: a.ClientPort, ServerPort: port, ClientISN: a.ClientISN, ServerISN: a.ServerISN}
}

// done writes the capture.
func (c *capture) done() error {
	if c.over {
		return fmt.Errorf("the capture passes %d MiB; capture a smaller run", maxCapture>>20)
	}
	if err := c.streams.Err(); err != nil {
		// A bug: the model sized a message its bytes do not fill.
		return fmt.Errorf("the capture's payload: %w", err)
	}
	c.w.Payload = c.streams.Bytes
	for _, r := range c.records {
		c.w.Record(r)
	}
	c.records = nil
	return c.w.Err()
}

// teeOf is rec and more, rec nil for none.
func teeOf(rec trace.Recorder, more trace.Recorder) trace.Recorder {
	if rec == nil {
		return more
	}
	return trace.Tee{rec, more}
}
