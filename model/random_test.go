package model_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// randomConfig draws a configuration from the whole space a user can
// reach: every protocol, TLS, loss, small buffers, windows, timeouts,
// pages, visits, several clients and a proxy.
func randomConfig(r *rand.Rand) model.Config {
	c := model.DefaultConfig()
	pick := func(n int) int { return r.IntN(n) }
	c.HTTP.Protocol = model.Protocols[pick(4)]
	c.HTTP.Parallel = 1 + pick(6)
	c.Link.Delay = sim.Time(1+pick(200)) * sim.Millisecond
	c.Link.Up = model.Rate(1+pick(50)) * model.Mbps
	c.Link.Down = model.Rate(1+pick(50)) * model.Mbps
	if pick(3) == 0 {
		c.Link.Loss = float64(pick(6)) / 100
	}
	if pick(3) == 0 {
		c.Link.Buffer = 5 + pick(40)
	}
	if pick(4) == 0 {
		c.Link.Queue = model.Fair
	}
	c.TLS.Version = model.TLSVersion(pick(3))
	c.TLS.Resume = c.TLS.Version != model.NoTLS && pick(2) == 0
	c.TLS.EarlyData = c.TLS.Version == model.TLS13 && c.TLS.Resume && pick(2) == 0
	c.TCP.InitialWindow = []int{1, 4, 10, model.Unlimited}[pick(4)]
	c.TCP.DelayedAck = pick(2) == 0
	c.TCP.Restart = model.Restart(pick(3))
	if pick(4) == 0 {
		c.TCP.KeepAlive, c.TCP.KeepAliveIdle, c.TCP.KeepAliveInterval = true, sim.Time(1+pick(30))*sim.Second, sim.Second
	}
	if pick(4) == 0 {
		c.HTTP.StreamWindow, c.HTTP.ConnWindow = 65535, 65535
	}
	page := func() model.Page {
		p := model.SyntheticPage(1_000+pick(50_000), pick(12), []int{pick(30_000), 1 + pick(200_000)})
		for i := 1; i < len(p.Resources); i++ {
			if pick(3) == 0 {
				p.Resources[i].Think = sim.Time(pick(300)) * sim.Millisecond
			}
			if pick(4) == 0 && i > 1 {
				p.Resources[i].Parent = 1 + pick(i-1)
			}
			if pick(4) == 0 && p.Resources[p.Resources[i].Parent].Size > 0 {
				p.Resources[i].Offset = 1 + pick(p.Resources[p.Resources[i].Parent].Size)
			}
		}
		return p
	}
	c.Page = page()
	for v := pick(3); v > 0; v-- {
		next := page()
		next.Resources[0].Path = fmt.Sprintf("/page%d.html", v)
		c.Visits = append(c.Visits, model.Visit{Think: sim.Time(pick(12_000)) * sim.Millisecond, Page: next})
	}
	c.Server.IdleTimeout = []sim.Time{0, 1 * sim.Second, 5 * sim.Second, 75 * sim.Second}[pick(4)]
	c.Server.MaxRequests = []int{0, 1, 3, 100}[pick(4)]
	c.Server.IdleClose = model.IdleClose(pick(2))
	c.Browser.IdleTimeout = []sim.Time{0, 2 * sim.Second, 60 * sim.Second}[pick(3)]
	c.Browser.Retry = pick(4) != 0
	if pick(4) == 0 {
		c.Clients = model.ClientsConfig{Count: 1 + pick(8), Rate: float64(pick(5))}
		c.Server.MaxConnections, c.Server.Backlog = pick(12), pick(8)
	}
	if pick(4) == 0 {
		c.Proxy = model.DefaultProxy()
		c.Proxy.Enabled = true
		c.Proxy.Protocol = []model.Protocol{model.HTTP10, model.HTTP11}[pick(2)]
		c.Proxy.Parallel = 1 + pick(4)
		// The proxy's link and the origin's capacity, including the
		// extremes that once crashed it: a link of a few bits per second,
		// heavy loss, a round trip of minutes, an origin with one slot.
		c.Proxy.Link.Delay = []sim.Time{sim.Millisecond, 20 * sim.Millisecond, 3 * 60 * sim.Second}[pick(3)]
		c.Proxy.Link.Up = []model.Rate{1, 56_000, 100 * model.Mbps}[pick(3)]
		c.Proxy.Link.Down = c.Proxy.Link.Up
		if pick(2) == 0 {
			c.Proxy.Link.Loss = []float64{0.02, 0.3, 0.75}[pick(3)]
		}
		if pick(3) == 0 {
			c.Proxy.Origin.MaxConnections, c.Proxy.Origin.Backlog = 1+pick(3), pick(3)
		}
		c.Proxy.IdleTimeout = []sim.Time{0, sim.Second, 60 * sim.Second}[pick(3)]
	}
	c.Seed = r.Uint64()
	c.MaxTime = 2 * 3600 * sim.Second
	return c
}

// TestRandomConfigs runs many random configurations and checks what must
// hold of any run: no panic, no event in the past, packets sent before
// they arrive, new data never behind, "complete" meaning that every page
// of every client loaded with no failed request, and a run that ends.
func TestRandomConfigs(t *testing.T) {
	n := 300
	if testing.Short() {
		n = 60
	}
	r := rand.New(rand.NewPCG(2026, 11))
	for i := 0; i < n; i++ {
		cfg := randomConfig(r)
		if err := cfg.Validate(); err != nil {
			t.Fatalf("config %d does not validate: %v", i, err)
		}
		log := &trace.Log{}
		res, err := model.Run(cfg, log)
		if err != nil {
			t.Fatalf("config %d (%+v): %v", i, cfg, err)
		}
		checkInvariants(t, log.Records)
		pages := cfg.Clients.Count * (1 + len(cfg.Visits))
		if res.Pages > pages || res.Pages < pages && res.Complete {
			t.Fatalf("config %d: %d pages started of %d, complete %v", i, res.Pages, pages, res.Complete)
		}
		// A page may also never finish without any request failing: a
		// client left waiting for a worker slot that no timeout ever frees.
		if want := len(res.PageLoads) == pages && res.FailedRequests == 0; res.Complete != want {
			t.Fatalf("config %d: complete %v with %d of %d pages loaded and %d failed requests",
				i, res.Complete, len(res.PageLoads), pages, res.FailedRequests)
		}
	}
}
