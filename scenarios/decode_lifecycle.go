package scenarios

import (
	"crypto/tls"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/cpucost"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/sim"
)

// The keep-alive life cycle: browser, server, further pages, many
// clients, and a proxy hop.
var (
	browserKeys = keysOf("browser")
	serverKeys  = keysOf("server")
	clientsKeys = keysOf("clients")
	visitKeys   = keysOf("visits[]")
	proxyKeys   = keysOf("proxy")
	idleCloses  = []option[model.IdleClose]{{"fin", model.CloseFIN}, {"408", model.Close408}}
	certKeys    = []option[model.ServerKey]{{model.ECDSAP256.String(), model.ECDSAP256}, {model.RSA2048.String(), model.RSA2048}}
)

// The words of server.cpu_costs: whether auto costs are the recorded
// figures or measured on this machine at load.
var costSources = []option[bool]{{"measured", false}, {"measure", true}}

// measureReps is how many times each figure is measured at load: fewer
// than the recorded figures' 201, to keep start-up under a second.
const measureReps = 31

// resolveMeasured replaces the auto costs of every server section that
// asked for "measure" with figures measured now, for its key and TLS
// version v (a proxy's origin speaks plain HTTP, so its handshake costs
// stay auto: it makes none).
func (d *decoder) resolveMeasured(n *yaml.Node, v model.TLSVersion) {
	if len(d.measure) == 0 || d.err != nil {
		return
	}
	for _, c := range d.measure {
		key, ver := cpucost.ECDSAP256, uint16(0)
		if c.Key == model.RSA2048 {
			key = cpucost.RSA2048
		}
		switch {
		case c == d.origin || v == model.NoTLS:
		case v == model.TLS12:
			ver = tls.VersionTLS12
		default:
			ver = tls.VersionTLS13
		}
		f, err := cpucost.MeasureOne(key, ver, measureReps)
		if err != nil {
			d.fail(n, "server.cpu_costs", fmt.Errorf("measuring this machine failed: %w", err))
			return
		}
		set := func(dst *sim.Time, measured time.Duration) {
			if *dst == model.AutoCost {
				*dst = sim.Time(measured)
			}
		}
		set(&c.CPU.Accept, f.Accept)
		set(&c.CPU.EncryptPerKiB, f.EncryptPerKiB)
		if ver != 0 {
			set(&c.CPU.FullHandshake, f.Full)
			set(&c.CPU.ResumedHandshake, f.Resumed)
		}
	}
}

// cpuAuto is the word of a server cost that is the measured figure
// (model.AutoCost).
const cpuAuto = "auto"

// cpuCost reads a server cost: a duration or auto.
func (d *decoder) cpuCost(n *yaml.Node, field string, dst *sim.Time) {
	parse(d, n, field, func(s string) (sim.Time, error) {
		if strings.EqualFold(s, cpuAuto) {
			return model.AutoCost, nil
		}
		v, err := units.ParseDuration(s)
		if err != nil {
			return 0, fmt.Errorf("%w; or %q: the figure measured on Go's crypto/tls and net (zero in ideal mode)", err, cpuAuto)
		}
		return v, nil
	}, dst)
}

func (d *decoder) browser(n *yaml.Node, c *model.BrowserConfig) {
	f := d.fields(n, "browser", browserKeys...)
	d.duration(f["idle_timeout"], "browser.idle_timeout", &c.IdleTimeout)
	d.boolean(f["retry"], "browser.retry", &c.Retry)
}

func (d *decoder) server(n *yaml.Node, path string, c *model.ServerConfig) {
	f := d.fields(n, path, serverKeys...)
	d.duration(f["idle_timeout"], path+".idle_timeout", &c.IdleTimeout)
	d.count(f["max_requests"], path+".max_requests", row("server.max_requests"), &c.MaxRequests)
	choose(d, f["idle_close"], path+".idle_close", idleCloses, &c.IdleClose)
	d.count(f["max_connections"], path+".max_connections", row("server.max_connections"), &c.MaxConnections)
	d.count(f["backlog"], path+".backlog", row("server.backlog"), &c.Backlog)
	d.size(f["first_write"], path+".first_write", &c.FirstWrite)
	d.duration(f["processing"], path+".processing", &c.Processing)
	d.count(f["cpus"], path+".cpus", row("server.cpus"), &c.CPUs)
	choose(d, f["key"], path+".key", certKeys, &c.Key)
	d.cpuCost(f["accept_cpu"], path+".accept_cpu", &c.CPU.Accept)
	d.cpuCost(f["handshake_cpu"], path+".handshake_cpu", &c.CPU.FullHandshake)
	d.cpuCost(f["resumed_cpu"], path+".resumed_cpu", &c.CPU.ResumedHandshake)
	d.cpuCost(f["encrypt_cpu"], path+".encrypt_cpu", &c.CPU.EncryptPerKiB)
	measure := false
	choose(d, f["cpu_costs"], path+".cpu_costs", costSources, &measure)
	if measure {
		d.measure = append(d.measure, c)
	}
}

func (d *decoder) clients(n *yaml.Node, c *model.ClientsConfig) {
	f := d.fields(n, "clients", clientsKeys...)
	d.count(f["count"], "clients.count", row("clients.count"), &c.Count)
	parse(d, f["rate"], "clients.rate", parseRate, &c.Rate)
}

// parseRate reads clients arriving per second, e.g. "5" or "0.5".
func parseRate(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, valueError(s, "not a number of arrivals per second (e.g. 5 or 0.5)", units.ErrSyntax)
	}
	if v < 0 || v > 1e6 {
		return 0, &model.ConfigError{Field: "clients.rate", Value: s, Allowed: "arrivals per second, 0 to 1000000 (0 = all at once)"}
	}
	return v, nil
}

// visits decodes the further pages of a browsing session.
func (d *decoder) visits(n *yaml.Node, c *model.Config) {
	if n == nil {
		return
	}
	c.Visits = nil
	for i, item := range d.sequence(n, "visits") {
		path := fmt.Sprintf("visits[%d]", i)
		f := d.fields(item, path, visitKeys...)
		var v model.Visit
		d.duration(f["think"], path+".think", &v.Think)
		if d.err == nil && f["page"] == nil {
			d.fail(item, path+".page", fmt.Errorf("missing; a visit needs the page to load after the think time"))
		}
		d.page(f["page"], path+".page", &v.Page)
		c.Visits = append(c.Visits, v)
	}
}

func (d *decoder) proxy(n *yaml.Node, c *model.ProxyConfig) {
	f := d.fields(n, "proxy", proxyKeys...)
	c.Enabled = n != nil
	d.boolean(f["enabled"], "proxy.enabled", &c.Enabled)
	parse(d, f["protocol"], "proxy.protocol", proxyProtocol, &c.Protocol)
	d.count(f["parallel"], "proxy.parallel", row("proxy.parallel"), &c.Parallel)
	d.duration(f["idle_timeout"], "proxy.idle_timeout", &c.IdleTimeout)
	d.linkAt(f["link"], "proxy.link", &c.Link)
	d.server(f["origin"], "proxy.origin", &c.Origin)
}

// proxyProtocol reads proxy.protocol: a protocol name (any case, as
// http.protocol), but only the words of its row, which a proxy speaks to
// the origin; the message lists those, not every protocol.
func proxyProtocol(s string) (model.Protocol, error) {
	words := row("proxy.protocol").Words
	p, err := model.ParseProtocol(s)
	if err != nil || !slices.Contains(words, p.String()) {
		return 0, valueError(s, "unknown value (allowed: "+strings.Join(words, ", ")+")", units.ErrSyntax)
	}
	return p, nil
}
