package scenarios

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
)

var (
	originKeys = keysOf("origins[]")
	dnsKeys    = keysOf("dns")
)

// origins decodes the origins list. Each origin starts from the file's
// server and tls sections (decoded before), speaking HTTP/2, and the
// hosts it names are what resource URLs may use (d.hosts).
func (d *decoder) origins(n *yaml.Node, c *model.Config) {
	d.hosts = []string{c.HTTP.Host}
	if n == nil {
		return
	}
	items := d.sequence(n, "origins")
	c.Origins = nil // a file's empty list is the default's none
	if len(items) == 0 {
		return
	}
	c.Origins = make([]model.OriginConfig, len(items)) // d.measure keeps pointers into it
	for i, item := range items {
		path := fmt.Sprintf("origins[%d]", i)
		f := d.fields(item, path, originKeys...)
		o := &c.Origins[i]
		*o = model.OriginConfig{Server: c.Server, TLS: c.TLS, HTTP2: true}
		for _, k := range requiredKeys("origins[]") {
			if d.err == nil && f[k] == nil {
				d.fail(item, path+"."+k, fmt.Errorf("missing; every origin needs a host, e.g. {host: cdn.example.com}"))
			}
		}
		d.str(f["host"], path+".host", &o.Host)
		d.duration(f["delay"], path+".delay", &o.Delay)
		d.server(f["server"], path+".server", &o.Server)
		d.tlsAt(f["tls"], path+".tls", &o.TLS)
		d.boolean(f["http2"], path+".http2", &o.HTTP2)
		d.str(f["same_server"], path+".same_server", &o.SameServer)
		d.hosts = append(d.hosts, o.Host) // a duplicate is the model's error (origins[i].host)
	}
}

func (d *decoder) dns(n *yaml.Node, c *model.DNSConfig) {
	f := d.fields(n, "dns", dnsKeys...)
	d.boolean(f["enabled"], "dns.enabled", &c.Enabled)
	d.duration(f["rtt"], "dns.rtt", &c.RTT)
	d.duration(f["ttl"], "dns.ttl", &c.TTL)
}

// location reads a resource's path as a file writes it: a path on
// http.host ("/app.js"), or a URL naming the host ("https://cdn.example.com/app.js").
// It returns the origin and the path (with its query).
func (d *decoder) location(s string) (origin int, path string, err error) {
	if strings.HasPrefix(s, "//") {
		// A scheme-relative URL in HTML, but here it would be a path on
		// http.host that happens to start with the host's name.
		return 0, "", fmt.Errorf("%q names a host without a scheme; write the whole URL, https:%s", s, s)
	}
	if strings.HasPrefix(s, "/") {
		return 0, s, nil
	}
	u, perr := url.Parse(s)
	if perr != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return 0, "", fmt.Errorf("%q is neither a path starting with / nor an http or https URL", s)
	}
	// Host names are case-insensitive (RFC 3986 §3.2.2); the first of
	// the file's hosts to match is the one (a later same name is the
	// model's duplicate-host error).
	o := slices.IndexFunc(d.hosts, func(h string) bool { return strings.EqualFold(h, u.Host) })
	if o < 0 {
		main := ""
		if len(d.hosts) > 0 {
			main = d.hosts[0]
		}
		return 0, "", fmt.Errorf("%q is on host %q, which is not http.host (%s) nor a host of origins; add {host: %s} to origins",
			s, u.Host, main, u.Host)
	}
	path = u.EscapedPath()
	if path == "" {
		path = "/"
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return o, path, nil
}
