package scenarios

import (
	"fmt"
	"net/url"
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
	d.hosts = map[string]int{c.HTTP.Host: 0}
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
		if _, dup := d.hosts[o.Host]; !dup {
			d.hosts[o.Host] = i + 1
		}
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
	o, ok := d.hosts[u.Host]
	if !ok {
		// Host names are case-insensitive (RFC 3986 §3.2.2).
		for h, i := range d.hosts {
			if strings.EqualFold(h, u.Host) {
				o, ok = i, true
			}
		}
	}
	if !ok {
		return 0, "", fmt.Errorf("%q is on host %q, which is not http.host (%s) nor a host of origins; add {host: %s} to origins",
			s, u.Host, d.mainHost(), u.Host)
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

// mainHost is http.host, the host of origin 0.
func (d *decoder) mainHost() string {
	for h, o := range d.hosts {
		if o == 0 {
			return h
		}
	}
	return ""
}
