package scenarios

import (
	"bytes"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/sim"
)

// The shape of a scenario file as YAML() writes it, every field given.
type (
	fileYAML struct {
		Name        string       `yaml:"name,omitempty"` // empty: named after the file
		Description string       `yaml:"description"`
		Narrative   string       `yaml:"narrative"`
		Protocols   []string     `yaml:"protocols,omitempty,flow"`
		Ideal       bool         `yaml:"ideal"`
		Seed        uint64       `yaml:"seed"`
		Link        linkYAML     `yaml:"link"`
		TCP         tcpYAML      `yaml:"tcp"`
		TLS         tlsYAML      `yaml:"tls"`
		HTTP        httpYAML     `yaml:"http"`
		QUIC        quicYAML     `yaml:"quic"`
		Browser     browserYAML  `yaml:"browser"`
		Server      serverYAML   `yaml:"server"`
		Page        pageYAML     `yaml:"page"`
		Origins     []originYAML `yaml:"origins"`
		DNS         dnsYAML      `yaml:"dns"`
		Visits      []visitYAML  `yaml:"visits"`
		Clients     clientsYAML  `yaml:"clients"`
		Proxy       proxyYAML    `yaml:"proxy"`
		Limits      limitsYAML   `yaml:"limits"`
		Moments     []momentYAML `yaml:"moments"`
	}
	// momentYAML is a key moment: only the fields that narrow it down.
	momentYAML struct {
		Name      string   `yaml:"name,omitempty"`
		Say       string   `yaml:"say"`
		Kind      string   `yaml:"kind"`
		Side      string   `yaml:"side,omitempty"`
		Flags     string   `yaml:"flags,omitempty"`
		State     string   `yaml:"state,omitempty"`
		From      string   `yaml:"from,omitempty"`
		Label     string   `yaml:"label,omitempty"`
		Note      string   `yaml:"note,omitempty"`
		Page      int      `yaml:"page,omitempty"`
		Client    int      `yaml:"client,omitempty"`
		Conn      string   `yaml:"conn,omitempty"`
		After     string   `yaml:"after,omitempty"`
		Nth       int      `yaml:"nth"`
		Protocols []string `yaml:"protocols,omitempty,flow"`
	}
	browserYAML struct {
		IdleTimeout string `yaml:"idle_timeout"`
		Retry       bool   `yaml:"retry"`
	}
	serverYAML struct {
		IdleTimeout    string `yaml:"idle_timeout"`
		MaxRequests    int    `yaml:"max_requests"`
		IdleClose      string `yaml:"idle_close"`
		MaxConnections int    `yaml:"max_connections"`
		Backlog        int    `yaml:"backlog"`
		FirstWrite     string `yaml:"first_write"`
		Processing     string `yaml:"processing"`
		CPUs           int    `yaml:"cpus"`
		Key            string `yaml:"key"`
		AcceptCPU      string `yaml:"accept_cpu"`
		HandshakeCPU   string `yaml:"handshake_cpu"`
		ResumedCPU     string `yaml:"resumed_cpu"`
		EncryptCPU     string `yaml:"encrypt_cpu"`
		CPUCosts       string `yaml:"cpu_costs"` // always "measured": measured figures are written as the costs
	}
	visitYAML struct {
		Think string   `yaml:"think"`
		Page  pageYAML `yaml:"page"`
	}
	clientsYAML struct {
		Count int     `yaml:"count"`
		Rate  float64 `yaml:"rate"`
	}
	proxyYAML struct {
		Enabled     bool       `yaml:"enabled"`
		Protocol    string     `yaml:"protocol"`
		Parallel    int        `yaml:"parallel"`
		IdleTimeout string     `yaml:"idle_timeout"`
		Link        linkYAML   `yaml:"link"`
		Origin      serverYAML `yaml:"origin"`
	}
	linkYAML struct {
		RTT       string     `yaml:"rtt"`
		Bandwidth string     `yaml:"bandwidth,omitempty"` // when up = down
		Up        string     `yaml:"up,omitempty"`
		Down      string     `yaml:"down,omitempty"`
		Buffer    int        `yaml:"buffer"`
		Queue     string     `yaml:"queue"`
		Loss      float64    `yaml:"loss"`
		Drops     []dropYAML `yaml:"drops"`
	}
	dropYAML struct {
		Conn int    `yaml:"conn"`
		Dir  string `yaml:"dir"`
		Nth  int    `yaml:"nth"`
	}
	tcpYAML struct {
		Profile         string `yaml:"profile,omitempty"`
		MSS             int    `yaml:"mss"`
		HeaderBytes     int    `yaml:"header_bytes"`
		SynHeaderBytes  int    `yaml:"syn_header_bytes"`
		InitialWindow   any    `yaml:"initial_window"` // segments or "unlimited"
		InitialSsthresh string `yaml:"initial_ssthresh"`
		RecvWindow      string `yaml:"recv_window"`
		WindowUnit      string `yaml:"window_unit"`
		SlowStart       string `yaml:"slow_start"`
		Avoidance       string `yaml:"avoidance"`
		HyStart         bool   `yaml:"hystart"`
		Restart         string `yaml:"restart"`
		DelayedAck      bool   `yaml:"delayed_ack"`
		DelayedAckDelay string `yaml:"delayed_ack_delay"`
		AckPolicy       string `yaml:"ack_policy"`
		AckWithData     bool   `yaml:"ack_with_data"`
		InitialRTO      string `yaml:"initial_rto"`
		MinRTO          string `yaml:"min_rto"`
		MaxRTO          string `yaml:"max_rto"`
		RTTEstimator    string `yaml:"rtt_estimator"`
		Recovery        string `yaml:"recovery"`
		SynRetries      int    `yaml:"syn_retries"`
		SynAckRetries   int    `yaml:"synack_retries"`
		DataRetries     int    `yaml:"data_retries"`
		TimeWait        string `yaml:"time_wait"`
		KeepAlive       bool   `yaml:"keepalive"`
		KeepAliveIdle   string `yaml:"keepalive_idle"`
		KeepAliveIntvl  string `yaml:"keepalive_interval"`
		KeepAliveProbes int    `yaml:"keepalive_probes"`
	}
	tlsYAML struct {
		Version   string `yaml:"version"`
		Resume    bool   `yaml:"resume"`
		EarlyData bool   `yaml:"early_data"`
	}
	httpYAML struct {
		Protocol     string `yaml:"protocol"`
		Parallel     int    `yaml:"parallel"`
		StreamWindow string `yaml:"stream_window"`
		ConnWindow   string `yaml:"conn_window"`
		MaxFrame     int    `yaml:"max_frame"`
		MaxStreams   any    `yaml:"max_streams"` // a count or "unlimited"
		Host         string `yaml:"host"`
		Coalesce     bool   `yaml:"coalesce"`
	}
	quicYAML struct {
		Profile         string `yaml:"profile"`
		Congestion      string `yaml:"congestion"`
		Discovery       string `yaml:"discovery"`
		MaxDatagram     int    `yaml:"max_datagram"`
		Certificate     int    `yaml:"certificate"`
		IdleTimeout     string `yaml:"idle_timeout"`
		StreamWindow    string `yaml:"stream_window"`
		ConnWindow      string `yaml:"conn_window"`
		MaxStreamWindow string `yaml:"max_stream_window"`
		MaxConnWindow   string `yaml:"max_conn_window"`
		InitialWindow   int    `yaml:"initial_window"`
		MaxStreams      any    `yaml:"max_streams"` // a count or "unlimited"
	}
	originYAML struct {
		Host       string     `yaml:"host"`
		Delay      string     `yaml:"delay"`
		Server     serverYAML `yaml:"server"`
		TLS        tlsYAML    `yaml:"tls"`
		HTTP2      bool       `yaml:"http2"`
		SameServer string     `yaml:"same_server,omitempty"`
	}
	dnsYAML struct {
		Enabled bool   `yaml:"enabled"`
		RTT     string `yaml:"rtt"`
		TTL     string `yaml:"ttl"`
	}
	pageYAML struct {
		Resources []resourceYAML `yaml:"resources"`
	}
	resourceYAML struct {
		Path   string `yaml:"path"`
		Type   string `yaml:"type"`
		Size   string `yaml:"size"`
		Think  string `yaml:"think"`
		Parent string `yaml:"parent,omitempty"` // none for the base document
		Offset string `yaml:"offset"`
	}
	limitsYAML struct {
		MaxEvents uint64 `yaml:"max_events"`
		MaxTime   string `yaml:"max_time"`
		MaxMemory string `yaml:"max_memory"`
	}
)

// header heads every file that YAML() writes.
const header = "keepalive scenario: every field is described in docs/scenarios.md."

// YAML returns the scenario as a YAML file that [Parse] reads back to the
// same Scenario, with every field written out and quantities in units
// ("100ms", "10Mbps", "30KB"). The page is written as a list of
// resources. It returns an error if the scenario cannot be written so
// that it loads back, e.g. if its Config does not validate.
func (s *Scenario) YAML() ([]byte, error) {
	doc, err := s.node()
	if err != nil {
		return nil, err
	}
	style(doc)
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	if _, err := Parse(s.Name+".yaml", buf.Bytes()); err != nil {
		return nil, fmt.Errorf("scenarios: %s would not load back: %w", s.Name, err)
	}
	return buf.Bytes(), nil
}

// node is the scenario as a YAML mapping with every field, as YAML
// writes it before styling: what YAML, Base and the docs' defaults read.
func (s *Scenario) node() (*yaml.Node, error) {
	f, err := toFile(s)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := doc.Encode(f); err != nil {
		return nil, err
	}
	return &doc, nil
}

func toFile(s *Scenario) (*fileYAML, error) {
	c := &s.Config
	f := &fileYAML{
		Name: s.Name, Description: s.Description, Narrative: s.Narrative, Protocols: protocolNamesOf(s.Protocols),
		Ideal: c.Ideal, Seed: c.Seed,
		Link: linkToFile(c.Link),
		TCP: tcpYAML{
			Profile: profileText(c),
			MSS:     c.TCP.MSS, HeaderBytes: c.TCP.HeaderBytes, SynHeaderBytes: c.TCP.SynHeaderBytes, InitialWindow: c.TCP.InitialWindow,
			InitialSsthresh: sizeOrUnlimited(c.TCP.InitialSsthresh), RecvWindow: recvWindowText(c.TCP.RecvWindow),
			WindowUnit: nameOf(windowUnits, c.TCP.Unit), SlowStart: nameOf(growths, c.TCP.Growth),
			Avoidance: nameOf(avoidances, c.TCP.Avoidance), HyStart: c.TCP.HyStart, Restart: nameOf(restarts, c.TCP.Restart),
			DelayedAck: c.TCP.DelayedAck, DelayedAckDelay: formatDuration(c.TCP.DelayedAckDelay),
			AckPolicy: nameOf(ackPolicies, c.TCP.Acks), AckWithData: c.TCP.AckWithData,
			InitialRTO: formatDuration(c.TCP.InitialRTO), MinRTO: formatDuration(c.TCP.MinRTO), MaxRTO: maxRTOText(c.TCP.MaxRTO),
			RTTEstimator: nameOf(estimators, c.TCP.Estimator), Recovery: nameOf(recoveries, c.TCP.Recovery),
			SynRetries: c.TCP.SynRetries, SynAckRetries: c.TCP.SynAckRetries, DataRetries: c.TCP.DataRetries,
			TimeWait:  formatDuration(c.TCP.TimeWait),
			KeepAlive: c.TCP.KeepAlive, KeepAliveIdle: formatDuration(c.TCP.KeepAliveIdle),
			KeepAliveIntvl: formatDuration(c.TCP.KeepAliveInterval), KeepAliveProbes: c.TCP.KeepAliveProbes,
		},
		Browser: browserYAML{IdleTimeout: formatDuration(c.Browser.IdleTimeout), Retry: c.Browser.Retry},
		Server:  serverToFile(c.Server),
		Clients: clientsYAML{Count: c.Clients.Count, Rate: c.Clients.Rate},
		Proxy: proxyYAML{
			Enabled: c.Proxy.Enabled, Protocol: c.Proxy.Protocol.String(), Parallel: c.Proxy.Parallel,
			IdleTimeout: formatDuration(c.Proxy.IdleTimeout), Link: linkToFile(c.Proxy.Link), Origin: serverToFile(c.Proxy.Origin),
		},
		Visits: []visitYAML{},
		TLS:    tlsYAML{Version: nameOf(tlsVersions, c.TLS.Version), Resume: c.TLS.Resume, EarlyData: c.TLS.EarlyData},
		HTTP: httpYAML{
			Protocol: c.HTTP.Protocol.String(), Parallel: c.HTTP.Parallel,
			StreamWindow: sizeOrUnlimited(c.HTTP.StreamWindow), ConnWindow: sizeOrUnlimited(c.HTTP.ConnWindow),
			MaxFrame: c.HTTP.MaxFrame, MaxStreams: countOrUnlimited(c.HTTP.MaxStreams), Host: c.HTTP.Host,
			Coalesce: c.HTTP.Coalesce,
		},
		QUIC: quicYAML{
			Profile: c.QUIC.Profile, Congestion: c.QUIC.Congestion, Discovery: c.QUIC.Discovery, MaxDatagram: c.QUIC.MaxDatagram, Certificate: c.QUIC.CertificateBytes,
			IdleTimeout: formatDuration(c.QUIC.IdleTimeout), StreamWindow: sizeOrUnlimited(c.QUIC.StreamWindow),
			ConnWindow: sizeOrUnlimited(c.QUIC.ConnWindow), MaxStreamWindow: sizeOrUnlimited(c.QUIC.MaxStreamWindow),
			MaxConnWindow: sizeOrUnlimited(c.QUIC.MaxConnWindow), InitialWindow: c.QUIC.InitialWindow,
			MaxStreams: countOrUnlimited(c.QUIC.MaxStreams),
		},
		Origins: []originYAML{},
		DNS:     dnsYAML{Enabled: c.DNS.Enabled, RTT: formatDuration(c.DNS.RTT), TTL: formatDuration(c.DNS.TTL)},
		Limits:  limitsYAML{MaxEvents: c.MaxEvents, MaxTime: formatDuration(c.MaxTime), MaxMemory: units.FormatSize(int(c.MaxMemory))},
	}
	if c.TCP.InitialWindow == model.Unlimited {
		f.TCP.InitialWindow = "unlimited"
	}
	if c.TCP.RTOFromPath {
		f.TCP.InitialRTO = rtoFromPath
	}
	for _, o := range c.Origins {
		f.Origins = append(f.Origins, originYAML{
			Host: o.Host, Delay: formatDuration(o.Delay), Server: serverToFile(o.Server),
			TLS:   tlsYAML{Version: nameOf(tlsVersions, o.TLS.Version), Resume: o.TLS.Resume, EarlyData: o.TLS.EarlyData},
			HTTP2: o.HTTP2, SameServer: o.SameServer,
		})
	}
	var err error
	if f.Page, err = pageToFile(s.Name, "page", c, c.Page); err != nil {
		return nil, err
	}
	for i, v := range c.Visits {
		p, err := pageToFile(s.Name, fmt.Sprintf("visits[%d].page", i), c, v.Page)
		if err != nil {
			return nil, err
		}
		f.Visits = append(f.Visits, visitYAML{Think: formatDuration(v.Think), Page: p})
	}
	f.Moments = momentsToFile(s.Moments)
	return f, nil
}

func momentsToFile(ms []trace.Moment) []momentYAML {
	out := []momentYAML{}
	for _, m := range ms {
		y := momentYAML{
			Name: m.Name, Say: m.Say, Kind: m.Kind.String(), State: m.State.String(), From: m.From.String(),
			Label: m.Label, Note: m.Note, Page: m.Page, Client: m.Client, After: m.After, Nth: m.Nth,
		}
		if m.Dir != trace.NoDir {
			y.Side = nameOf(sides, m.Dir)
		}
		if m.Flags != 0 {
			y.Flags = m.Flags.String()
		}
		if m.Conn != trace.AnyConn {
			y.Conn = m.Conn.String()
		}
		for _, p := range m.Protocols {
			y.Protocols = append(y.Protocols, p.String())
		}
		out = append(out, y)
	}
	return out
}

func linkToFile(l model.LinkConfig) linkYAML {
	y := linkYAML{
		RTT: formatDuration(2 * l.Delay), Buffer: l.Buffer,
		Queue: nameOf(queues, l.Queue), Loss: l.Loss, Drops: []dropYAML{},
	}
	if l.Up == l.Down {
		y.Bandwidth = units.FormatRate(int64(l.Up))
	} else {
		y.Up, y.Down = units.FormatRate(int64(l.Up)), units.FormatRate(int64(l.Down))
	}
	for _, d := range l.Drops {
		y.Drops = append(y.Drops, dropYAML{Conn: d.Conn, Dir: nameOf(dirs, d.Dir), Nth: d.Nth})
	}
	return y
}

func serverToFile(c model.ServerConfig) serverYAML {
	return serverYAML{
		IdleTimeout: formatDuration(c.IdleTimeout), MaxRequests: c.MaxRequests,
		IdleClose: nameOf(idleCloses, c.IdleClose), MaxConnections: c.MaxConnections, Backlog: c.Backlog,
		FirstWrite: units.FormatSize(c.FirstWrite), Processing: formatDuration(c.Processing),
		CPUs: c.CPUs, Key: nameOf(certKeys, c.Key),
		AcceptCPU: formatCost(c.CPU.Accept), HandshakeCPU: formatCost(c.CPU.FullHandshake),
		ResumedCPU: formatCost(c.CPU.ResumedHandshake), EncryptCPU: formatCost(c.CPU.EncryptPerKiB),
		CPUCosts: nameOf(costSources, false),
	}
}

func pageToFile(name, path string, c *model.Config, p model.Page) (pageYAML, error) {
	var y pageYAML
	for i, r := range p.Resources {
		if r.Origin < 0 || r.Origin > len(c.Origins) {
			return y, fmt.Errorf("scenarios: %s: %s.resources[%d] has origin %d, not one of the %d origins", name, path, i, r.Origin, len(c.Origins))
		}
		ry := resourceYAML{
			Path: location(c, r), Type: string(r.Type), Size: units.FormatSize(r.Size),
			Think: formatDuration(r.Think), Offset: units.FormatSize(r.Offset),
		}
		if i > 0 {
			if r.Parent < 0 || r.Parent >= i {
				return y, fmt.Errorf("scenarios: %s: %s.resources[%d] has parent %d, not an earlier resource", name, path, i, r.Parent)
			}
			ry.Parent = location(c, p.Resources[r.Parent])
		}
		y.Resources = append(y.Resources, ry)
	}
	return y, nil
}

func countOrUnlimited(n int) any {
	if n == model.Unlimited {
		return "unlimited"
	}
	return n
}

// profileText writes tcp.profile, which ideal mode does not take.
func profileText(c *model.Config) string {
	if c.Ideal {
		return ""
	}
	return nameOf(profiles, c.TCP.Profile)
}

// recvWindowText writes tcp.recv_window: a size, unlimited or auto.
func recvWindowText(v int) string {
	if v == model.AutoWindow {
		return recvWindowAuto
	}
	return sizeOrUnlimited(v)
}

func sizeOrUnlimited(n int) string {
	if n == model.Unlimited {
		return "unlimited"
	}
	return units.FormatSize(n)
}

// unitComments name the unit of the fields written as bare numbers.
var unitComments = []struct{ section, key, comment string }{
	{"link", "buffer", "packets per direction; 0 = unlimited"},
	{"link", "loss", "probability per packet"},
	{"tcp", "mss", "bytes"},
	{"tcp", "header_bytes", "bytes per packet"},
	{"tcp", "syn_header_bytes", "bytes per SYN and SYN-ACK"},
	{"tcp", "initial_window", "segments"},
	{"http", "parallel", "connections (HTTP/1.x)"},
	{"http", "max_frame", "bytes"},
	{"server", "max_requests", "per connection; 0 = no limit"},
	{"server", "max_connections", "worker slots; 0 = no limit"},
	{"server", "backlog", "connections waiting for a slot"},
	{"clients", "count", "browsers, each on its own link"},
	{"clients", "rate", "arrivals per second; 0 = all at once"},
}

// style writes each resource and drop on one line, {path: ..., size: ...},
// puts the header comment on top and names the units of bare numbers.
func style(doc *yaml.Node) { // doc is the mapping that Node.Encode made
	root := doc
	if root.Kind == yaml.DocumentNode {
		root = root.Content[0]
	}
	root.HeadComment = header
	flow := func(list *yaml.Node) {
		for _, item := range list.Content {
			item.Style = yaml.FlowStyle
		}
	}
	flow(value(value(root, "page"), "resources"))
	flow(value(value(root, "link"), "drops"))
	flow(value(value(value(root, "proxy"), "link"), "drops"))
	for _, v := range value(root, "visits").Content {
		flow(value(value(v, "page"), "resources"))
	}
	for _, c := range unitComments {
		value(value(root, c.section), c.key).LineComment = c.comment
	}
}

// value returns the value of key in the mapping m.
func value(m *yaml.Node, key string) *yaml.Node {
	if v := lookup(m, key); v != nil {
		return v
	}
	panic("scenarios: no key " + key) // fileYAML always has it
}

// maxRTOText writes tcp.max_rto: "unlimited" for ideal mode's uncapped
// backoff (sim.Forever, past any duration a file may write).
func maxRTOText(d sim.Time) string {
	if d == sim.Forever {
		return "unlimited"
	}
	return formatDuration(d)
}

// formatCost writes a server cost: a duration, or auto.
func formatCost(d sim.Time) string {
	if d == model.AutoCost {
		return cpuAuto
	}
	return formatDuration(d)
}

// location writes where a resource is: its path on http.host, else its
// URL, https when its origin's server runs TLS.
func location(c *model.Config, r model.Resource) string {
	if r.Origin == 0 {
		return r.Path
	}
	return c.SchemeOf(r.Origin) + "://" + c.HostOf(r.Origin) + r.Path
}

// protocolNamesOf is a scenario's protocols as the file names them.
func protocolNamesOf(ps []model.Protocol) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.String())
	}
	return out
}
