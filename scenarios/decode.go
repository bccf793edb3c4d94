package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
)

// The keys of each section: the table's (fields.go).
var (
	topKeys      = keysOf("")
	limitsKeys   = keysOf("limits")
	tlsKeys      = keysOf("tls")
	httpKeys     = keysOf("http")
	quicKeys     = keysOf("quic")
	tlsVersions  = []option[model.TLSVersion]{{"none", model.NoTLS}, {"1.2", model.TLS12}, {"1.3", model.TLS13}}
	errOneLine   = errors.New("must be one line (use narrative for more)")
	errEmptyName = errors.New("must not be empty (leave the field out to use the file name)")
)

// scenario decodes the whole file into s, whose Config starts as
// model.DefaultConfig(). "ideal" is applied first, so that the other
// fields override single knobs of it.
func (d *decoder) scenario(n *yaml.Node, s *Scenario) {
	f := d.fields(n, "", topKeys...)
	c := &s.Config
	ideal := false
	d.boolean(f["ideal"], "ideal", &ideal)
	ideal = ideal || d.ideal
	if ideal {
		c.ApplyIdeal()
	}
	d.str(f["name"], "name", &s.Name)
	if f["name"] != nil && d.err == nil && strings.TrimSpace(s.Name) == "" {
		d.fail(f["name"], "name", errEmptyName)
	}
	d.str(f["description"], "description", &s.Description)
	if strings.Contains(strings.TrimRight(s.Description, "\n"), "\n") {
		d.fail(f["description"], "description", errOneLine)
	}
	s.Description = strings.TrimSpace(s.Description)
	d.str(f["narrative"], "narrative", &s.Narrative)
	// Text shown on a terminal: a control character (an escape sequence
	// recolouring the screen, a newline splitting the table's header)
	// would reach it raw. The narrative keeps its line breaks.
	for _, t := range []struct {
		field, text, allowed string
	}{{"name", s.Name, ""}, {"description", s.Description, ""}, {"narrative", s.Narrative, "\n\t"}} {
		if i := strings.IndexFunc(t.text, func(r rune) bool { return unicode.IsControl(r) && !strings.ContainsRune(t.allowed, r) }); i >= 0 && d.err == nil {
			d.fail(f[t.field], t.field, fmt.Errorf("holds the control character %q; write plain text", []rune(t.text[i:])[0]))
		}
	}
	d.uinteger(f["seed"], "seed", &c.Seed)
	for _, p := range d.sequence(f["protocols"], "protocols") {
		var v model.Protocol
		parse(d, p, "protocols", model.ParseProtocol, &v)
		if slices.Contains(s.Protocols, v) && d.err == nil {
			d.fail(p, "protocols", fmt.Errorf("names %s twice", v))
		}
		s.Protocols = append(s.Protocols, v)
	}
	d.link(f["link"], &c.Link)
	d.tcp(f["tcp"], &c.TCP, ideal)
	d.tls(f["tls"], &c.TLS)
	d.http(f["http"], &c.HTTP)
	if c.HTTP.Protocol == model.HTTP3 && !hasKey(f["tls"], "version") {
		c.TLS.Version = model.TLS13 // QUIC's, always (RFC 9001)
	}
	d.quic(f["quic"], &c.QUIC)
	d.browser(f["browser"], &c.Browser)
	d.server(f["server"], "server", &c.Server)
	d.origins(f["origins"], c)
	d.dns(f["dns"], &c.DNS)
	d.page(f["page"], "page", &c.Page)
	d.visits(f["visits"], c)
	d.clients(f["clients"], &c.Clients)
	d.proxy(f["proxy"], &c.Proxy)
	d.limits(f["limits"], c)
	d.moments(f["moments"], &s.Moments)
	d.origin = &c.Proxy.Origin
	d.resolveMeasured(f["server"], c.TLS.Version)
}

func (d *decoder) limits(n *yaml.Node, c *model.Config) {
	f := d.fields(n, "limits", limitsKeys...)
	d.uinteger(f["max_events"], "limits.max_events", &c.MaxEvents)
	d.duration(f["max_time"], "limits.max_time", &c.MaxTime)
	var memory int
	d.size(f["max_memory"], "limits.max_memory", &memory)
	if f["max_memory"] != nil {
		c.MaxMemory = int64(memory)
	}
}

func (d *decoder) tls(n *yaml.Node, c *model.TLSConfig) { d.tlsAt(n, "tls", c) }

// tlsAt decodes a tls section at path: the file's, or an origin's.
func (d *decoder) tlsAt(n *yaml.Node, path string, c *model.TLSConfig) {
	f := d.fields(n, path, tlsKeys...)
	choose(d, f["version"], path+".version", tlsVersions, &c.Version)
	d.boolean(f["resume"], path+".resume", &c.Resume)
	d.boolean(f["early_data"], path+".early_data", &c.EarlyData)
}

func (d *decoder) http(n *yaml.Node, c *model.HTTPConfig) {
	f := d.fields(n, "http", httpKeys...)
	parse(d, f["protocol"], "http.protocol", model.ParseProtocol, &c.Protocol)
	d.count(f["parallel"], "http.parallel", row("http.parallel"), &c.Parallel)
	d.sizeOrUnlimited(f["stream_window"], "http.stream_window", &c.StreamWindow)
	d.sizeOrUnlimited(f["conn_window"], "http.conn_window", &c.ConnWindow)
	d.size(f["max_frame"], "http.max_frame", &c.MaxFrame)
	d.countOrUnlimited(f["max_streams"], "http.max_streams", row("http.max_streams"), &c.MaxStreams)
	d.boolean(f["coalesce"], "http.coalesce", &c.Coalesce)
	d.str(f["host"], "http.host", &c.Host)
	if f["host"] != nil && d.err == nil && (c.Host == "" || strings.ContainsAny(c.Host, " /\t\n")) {
		d.fail(f["host"], "http.host", &model.ConfigError{Field: "http.host", Value: `"` + c.Host + `"`, Allowed: "a host name such as www.example.com"})
	}
}

// hasKey reports whether mapping n sets key.
func hasKey(n *yaml.Node, key string) bool {
	if n == nil || n.Kind != yaml.MappingNode {
		return false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return true
		}
	}
	return false
}

func (d *decoder) quic(n *yaml.Node, c *model.QUICConfig) {
	f := d.fields(n, "quic", quicKeys...)
	choose(d, f["profile"], "quic.profile", quicProfiles, &c.Profile)
	choose(d, f["congestion"], "quic.congestion", quicCongestions, &c.Congestion)
	choose(d, f["discovery"], "quic.discovery", quicDiscoveries, &c.Discovery)
	d.count(f["max_datagram"], "quic.max_datagram", row("quic.max_datagram"), &c.MaxDatagram)
	d.size(f["certificate"], "quic.certificate", &c.CertificateBytes)
	d.duration(f["idle_timeout"], "quic.idle_timeout", &c.IdleTimeout)
	d.sizeOrUnlimited(f["stream_window"], "quic.stream_window", &c.StreamWindow)
	d.sizeOrUnlimited(f["conn_window"], "quic.conn_window", &c.ConnWindow)
	d.sizeOrUnlimited(f["max_stream_window"], "quic.max_stream_window", &c.MaxStreamWindow)
	d.sizeOrUnlimited(f["max_conn_window"], "quic.max_conn_window", &c.MaxConnWindow)
	d.count(f["initial_window"], "quic.initial_window", row("quic.initial_window"), &c.InitialWindow)
	d.countOrUnlimited(f["max_streams"], "quic.max_streams", row("quic.max_streams"), &c.MaxStreams)
	// The model checks the section only for http3 runs: a value out of
	// range is refused here whatever the protocol, at its line.
	if d.err == nil {
		var ce *model.ConfigError
		if err := c.Validate(); errors.As(err, &ce) {
			d.fail(f[strings.TrimPrefix(ce.Field, "quic.")], ce.Field, err)
		}
	}
}
