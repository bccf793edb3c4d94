package cli

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"os"
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

// capturePoints are --pcap-at's values, each the interfaces a capture
// file is taken on; "both" is client and server, a file each.
var capturePoints = []string{"client", "server", "proxy", "both"}

// parsePcapAt reads --pcap-at: the capture points, a file each.
func parsePcapAt(v string) ([]string, error) {
	switch v {
	case "client", "server", "proxy":
		return []string{v}, nil
	case "both":
		return []string{"client", "server"}, nil
	}
	return nil, usageErrorf("--pcap-at %q: allowed: %s", v, strings.Join(capturePoints, ", "))
}

// checkCaptureNames refuses capture files (paths) that another output
// (others: a cleaned path to its flag) names, or its provenance
// (FILE.meta.json), either of which one would silently replace; and a
// directory given as the FILE the names are made from.
func checkCaptureNames(file string, paths []string, others map[string]string) error {
	if fi, err := os.Stat(file); err == nil && fi.IsDir() {
		return usageErrorf("--pcap %s: is a directory; give a file name, e.g. page.pcap", file)
	}
	metas := map[string]string{}
	for path, flag := range others {
		metas[filepath.Clean(metaPath(path))] = flag
	}
	for _, path := range paths {
		key := filepath.Clean(path)
		if flag, dup := others[key]; dup {
			return usageErrorf("--pcap and --%s both name %s; give each its own file", flag, path)
		}
		if flag, dup := metas[key]; dup {
			return usageErrorf("--pcap %s: is where --%s's provenance goes (FILE.meta.json); give it another name", path, flag)
		}
	}
	return nil
}

// pcapPaths are every --pcap file of the plan.
func (plan *runPlan) pcapPaths() []string {
	var paths []string
	for _, p := range plan.protocols {
		for _, at := range plan.pcapAt {
			paths = append(paths, plan.pcapPath(p, at))
		}
	}
	return paths
}

// pcapPath is the --pcap file of protocol p taken at point at: FILE
// itself when one protocol is run at one point, else FILE's name with
// the protocol and the point before its extension (page.pcap:
// page.http1.1.pcap, page.http1.1.server.pcap).
func (plan *runPlan) pcapPath(p model.Protocol, at string) string {
	ext := filepath.Ext(plan.pcap)
	name := strings.TrimSuffix(plan.pcap, ext)
	if len(plan.protocols) > 1 {
		name += "." + p.String()
	}
	if len(plan.pcapAt) > 1 {
		name += "." + at
	}
	return name + ext
}

// capture is one protocol's --pcap files: the run's packet records are
// kept as it goes and its messages built into each connection's bytes
// (wire.Streams; a message is traced after the segments its write sent
// at once), then at its end the packets are written for each capture
// point, each connection on the addresses of its client and its host's
// server (conn-host records name it), with the bytes the model sized.
type capture struct {
	at      []string // the capture points, a file each
	files   map[string]*bytes.Buffer
	cfg     model.Config
	host    map[int]string // connection → host, on a page of several hosts
	client  map[int]int    // connection → client, in a run of several
	origin  map[int]bool   // a proxy's connections to the origin
	hosts   map[string]int // host → origin
	records []trace.Record
	streams *wire.Streams
	size    int // the capture's bytes so far, about
	over    bool
}

func newCapture(plan *runPlan, cfg model.Config) (*capture, error) {
	for _, at := range plan.pcapAt {
		if at == "proxy" && !cfg.Proxy.Enabled {
			return nil, usageErrorf("--pcap-at proxy: the scenario has no proxy (proxy.enabled); allowed: client, server, both")
		}
	}
	c := &capture{at: plan.pcapAt, files: map[string]*bytes.Buffer{}, cfg: cfg, host: map[int]string{},
		client: map[int]int{}, origin: map[int]bool{}, hosts: map[string]int{}, streams: wire.NewStreams(cfg.Seed)}
	for o := 0; o <= len(cfg.Origins); o++ {
		c.hosts[cfg.HostOf(o)] = o
		if ip := net.ParseIP(trace.ServerAddress(cfg.ServerOf(o))); ip.To4() == nil {
			return nil, usageErrorf("--pcap: host %s's server has an IPv6 address (%s): a capture holds the first 254 servers, in IPv4", cfg.HostOf(o), ip)
		}
	}
	// What the ClientHello offers (RFC 7301): an HTTP/2 browser both, as
	// browsers do; an HTTP/1.x one only what it speaks.
	c.streams.ALPN = []string{"http/1.1"}
	if cfg.HTTP.Protocol == model.HTTP2 {
		c.streams.ALPN = []string{"h2", "http/1.1"}
	}
	return c, nil
}

// Record keeps the records the capture needs.
func (c *capture) Record(r trace.Record) {
	if c.over {
		return // past maxCapture: done says so
	}
	if r.Conn != 0 && r.Client != 0 {
		c.client[r.Conn] = r.Client // a browser's record of its connection
	}
	switch r.Kind {
	case trace.ConnHost:
		c.host[r.Conn] = r.Label
	case trace.OriginConn:
		c.origin[r.Conn] = true
	case trace.PacketSent:
		c.size += (r.Wire + 16) * len(c.at) // a record header each
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

// endpoints are connection conn's addresses: its client's and its host's
// server's (port 443 under TLS, else 80), or on a proxy's hop to the
// origin the proxy's and the origin's (port 80: the proxy speaks plain
// HTTP to it); the ports and ISNs trace.AddressesOf draws from the seed;
// and where capture point at sees it.
func (c *capture) endpoints(conn int, at string) pcap.Endpoints {
	a := trace.AddressesOf(c.cfg.Seed, conn)
	e := pcap.Endpoints{ClientPort: a.ClientPort, ClientISN: a.ClientISN, ServerISN: a.ServerISN}
	if c.origin[conn] {
		e.Client, e.Server, e.ServerPort = net.ParseIP(trace.ProxyInsideAddress), net.ParseIP(trace.OriginAddress), trace.HTTPPort
		e.At = map[string]pcap.Point{"client": pcap.Unseen, "server": pcap.AtServer, "proxy": pcap.AtClient}[at]
		return e
	}
	o := 0
	if h, ok := c.host[conn]; ok {
		o = c.hosts[h]
	}
	e.ServerPort = trace.HTTPPort
	if c.cfg.SchemeOf(o) == "https" {
		e.ServerPort = trace.HTTPSPort
	}
	e.Client, e.Server = net.ParseIP(trace.ClientAddress(c.client[conn])), net.ParseIP(trace.ServerAddress(c.cfg.ServerOf(o)))
	e.At = pcap.AtClient
	switch {
	case at == "proxy":
		e.At = pcap.AtServer // the browsers' hop, at the proxy's end
	case at == "server" && c.cfg.Proxy.Enabled:
		e.At = pcap.Unseen // the origin sees only the proxy
	case at == "server":
		e.At = pcap.AtServer
	}
	return e
}

// done writes the capture's files.
func (c *capture) done() error {
	if c.over {
		return fmt.Errorf("the capture passes %d MiB; capture a smaller run", maxCapture>>20)
	}
	if err := c.streams.Err(); err != nil {
		var short *wire.HelloTooSmallError
		if errors.As(err, &short) {
			return usageErrorf("the host name %q (http.host, or an origin's host) is too long for the ClientHello the model sizes (%d bytes; its server_name and ALPN need %d): give a name of at most about 60 bytes, or capture without TLS", short.Host, short.Size, short.Need)
		}
		// A bug: the model sized a message its bytes do not fill.
		return fmt.Errorf("the capture's payload: %w", err)
	}
	if c.cfg.Clients.Count > 1 {
		for _, r := range c.records {
			if c.client[r.Conn] == 0 && !c.origin[r.Conn] {
				return fmt.Errorf("connection %d: no record says which client it is of", r.Conn) // a bug
			}
		}
	}
	for _, at := range c.at {
		buf := &bytes.Buffer{}
		ends := map[int]pcap.Endpoints{}
		w, err := pcap.NewWriter(buf, func(conn int) pcap.Endpoints {
			e, ok := ends[conn]
			if !ok {
				e = c.endpoints(conn, at)
				ends[conn] = e
			}
			return e
		})
		if err != nil {
			return err
		}
		w.Payload = c.streams.Bytes
		for _, r := range c.records {
			w.Record(r)
		}
		if err := w.Err(); err != nil {
			return err
		}
		c.files[at] = buf
	}
	c.records = nil
	return nil
}

// teeOf is rec and more, rec nil for none.
func teeOf(rec trace.Recorder, more trace.Recorder) trace.Recorder {
	if rec == nil {
		return more
	}
	return trace.Tee{rec, more}
}

// captureOf runs cfg again, with a capture alone, and returns its
// files by capture point: the terminal UI's W and sweep's --pcap-run.
func captureOf(cfg model.Config, at ...string) (map[string]*bytes.Buffer, error) {
	c, err := newCapture(&runPlan{pcapAt: at}, cfg)
	if err != nil {
		return nil, err
	}
	if _, err := model.Run(cfg, c); err != nil {
		return nil, err
	}
	if err := c.done(); err != nil {
		return nil, err
	}
	return c.files, nil
}

// captureFile names one --pcap file of a run: its protocol's, taken at
// one capture point.
type captureFile struct {
	protocol model.Protocol
	at       string
}
