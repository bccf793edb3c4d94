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

// capture is one protocol's --pcap file: the run's records are kept as
// it goes (the packets and what says what they carry: a request's
// record follows its first segment's), then written at its end, each
// connection on the addresses of its host's server (conn-host records
// name it) and, for HTTP/1.x without TLS, with the request and response
// text the model sized (http1Streams).
type capture struct {
	w       *pcap.Writer
	buf     bytes.Buffer
	host    map[int]string // connection → host, on a page of several hosts
	cfg     model.Config
	hosts   map[string]int // host → origin
	records []trace.Record
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
	case trace.PacketArrived, trace.PacketDropped, trace.RequestSent, trace.FirstByte:
	default:
		return
	}
	c.records = append(c.records, r)
	if c.size > maxCapture {
		c.over, c.records = true, nil
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
	streams := c.http1Streams()
	c.w.Payload = func(conn int, dir trace.Dir, seq int64, n int) []byte {
		s := streams[[2]int{conn, int(dir)}]
		if seq < 1 || seq-1+int64(n) > int64(len(s)) {
			return nil
		}
		return s[seq-1 : seq-1+int64(n)]
	}
	for _, r := range c.records {
		c.w.Record(r)
	}
	c.records = nil
	return c.w.Err()
}

// http1Streams are, by connection and direction, the bytes HTTP/1.x
// without TLS sends: the request heads in the order they were sent, and
// each response's head and body in the order they came (the model's own
// text, model.H1RequestHead and H1ResponseHead, the variant whose length
// is the one the trace recorded), and a 408 (model.H1TimeoutText) where
// the server sent one. A connection whose heads cannot be
// told this way, or under TLS or HTTP/2, has none: its segments are
// filler.
func (c *capture) http1Streams() map[[2]int][]byte {
	out := map[[2]int][]byte{}
	if c.cfg.HTTP.Protocol == model.HTTP2 {
		return out
	}
	version := "1.1"
	if c.cfg.HTTP.Protocol == model.HTTP10 {
		version = "1.0"
	}
	bad := map[int]bool{}
	for _, r := range c.records {
		if r.Kind == trace.PacketSent && r.Dir == trace.Down && r.Label == model.H1TimeoutLabel && !r.Retx {
			// The server's 408 before it closes an idle connection.
			k := [2]int{r.Conn, int(trace.Down)}
			out[k] = append(out[k], model.H1TimeoutText()...)
			continue
		}
		if r.Kind != trace.RequestSent && r.Kind != trace.FirstByte || r.Conn == 0 {
			continue
		}
		o := 0
		if h, ok := c.host[r.Conn]; ok {
			o = c.hosts[h]
		}
		res, _ := c.cfg.Resource(r.Resource)
		if res == nil || c.cfg.TLSOf(o).Version != model.NoTLS {
			bad[r.Conn] = true
			continue
		}
		var text string
		for _, keep := range []bool{true, false} {
			t := model.H1RequestHead(c.cfg.HostOf(o), res, version, keep)
			if r.Kind == trace.FirstByte {
				t = model.H1ResponseHead(res, version, keep)
			}
			if len(t) == r.Len {
				text = t
				break
			}
		}
		if text == "" {
			bad[r.Conn] = true
			continue
		}
		dir := trace.Up
		if r.Kind == trace.FirstByte {
			dir = trace.Down
			text += string(bodyFiller(res.Type, res.Size))
		}
		k := [2]int{r.Conn, int(dir)}
		out[k] = append(out[k], text...)
	}
	for conn := range bad {
		delete(out, [2]int{conn, int(trace.Up)})
		delete(out, [2]int{conn, int(trace.Down)})
	}
	return out
}

// teeOf is rec and more, rec nil for none.
func teeOf(rec trace.Recorder, more trace.Recorder) trace.Recorder {
	if rec == nil {
		return more
	}
	return trace.Tee{rec, more}
}

// bodyFiller is a response body of n bytes that its Content-Type's
// dissector in Wireshark reads without calling it malformed: a JPEG, its
// JFIF header and comment segments between its start and end markers
// (ITU T.81 §B.2),
// a JSON object of spaces (RFC 8259), dots for the text types. The model
// has no bodies, only their sizes.
func bodyFiller(t model.ResourceType, n int) []byte {
	switch {
	case t == model.Image && n >= 22 && (n-22 == 0 || n-22 >= 4):
		b := append(make([]byte, 0, n), 0xff, 0xd8) // SOI
		// APP0, the JFIF header (JFIF 1.02 §2): "JFIF", version 1.01,
		// no units, a 1:1 density, no thumbnail.
		b = append(b, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0)
		for rest := n - 22; rest > 0; {
			// A COM segment: FF FE, then a length that counts itself.
			seg := min(rest, 2+65535)
			if r := rest - seg; r > 0 && r < 4 {
				seg -= 4 - r // leave room for a last segment of 4 or more
			}
			l := seg - 2
			b = append(b, 0xff, 0xfe, byte(l>>8), byte(l))
			b = append(b, bytes.Repeat([]byte{' '}, l-2)...)
			rest -= seg
		}
		return append(b, 0xff, 0xd9) // EOI
	case t == model.JSON && n >= 2:
		return []byte("{" + strings.Repeat(" ", n-2) + "}")
	case t == model.JSON && n == 1:
		return []byte("0")
	}
	return bytes.Repeat([]byte{'.'}, n)
}
