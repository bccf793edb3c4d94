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

// capture is one protocol's --pcap file, written in memory as the run
// goes: the packets the capture point sees, each connection on the
// addresses of its host's server (conn-host records name it).
type capture struct {
	w     *pcap.Writer
	buf   bytes.Buffer
	host  map[int]string // connection → host, on a page of several hosts
	cfg   model.Config
	hosts map[string]int // host → origin
}

func newCapture(plan *runPlan, cfg model.Config) (*capture, error) {
	if cfg.Clients.Count > 1 {
		return nil, usageErrorf("--pcap: one client only (clients.count is %d): a trace does not say which client a packet is of", cfg.Clients.Count)
	}
	if cfg.Proxy.Enabled {
		return nil, usageErrorf("--pcap: not with a proxy (proxy.enabled): its two hops would need two captures")
	}
	c := &capture{host: map[int]string{}, cfg: cfg, hosts: map[string]int{}}
	for o := 0; o <= len(cfg.Origins); o++ {
		c.hosts[cfg.HostOf(o)] = o
	}
	w, err := pcap.NewWriter(&c.buf, plan.pcapAt, c.endpoints)
	if err != nil {
		return nil, err
	}
	c.w = w
	return c, nil
}

// Record keeps each connection's host and hands the packets on.
func (c *capture) Record(r trace.Record) {
	if c.w == nil {
		return // past maxCapture: done says so
	}
	if r.Kind == trace.ConnHost {
		c.host[r.Conn] = r.Label
	}
	c.w.Record(r)
	if c.buf.Len() > maxCapture && c.w.Err() == nil {
		c.w = nil
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

func (c *capture) done() error {
	if c.w == nil {
		return fmt.Errorf("the capture passes %d MiB; capture a smaller run", maxCapture>>20)
	}
	return c.w.Err()
}

// teeOf is rec and more, rec nil for none.
func teeOf(rec trace.Recorder, more trace.Recorder) trace.Recorder {
	if rec == nil {
		return more
	}
	return trace.Tee{rec, more}
}
