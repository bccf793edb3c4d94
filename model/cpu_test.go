package model_test

import (
	"slices"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// cpuCase is three clients that start together on identical links (ideal
// mode, RTT 100 ms, 10 Mbit/s) and load the 20,000-byte base document
// alone over HTTP/1.0, so that their work reaches the server's cores at
// the same instant.
func cpuCase(tls model.TLSVersion, cpus int, costs model.CPUCosts) model.Config {
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: kRTT / 2, Up: kR, Down: kR}
	cfg.Page = model.SyntheticPage(kOb, 0, nil)
	cfg.ApplyIdeal()
	cfg.HTTP.Protocol = model.HTTP10
	cfg.TLS.Version = tls
	cfg.Clients.Count = 3
	cfg.Server.CPUs = cpus
	cfg.Server.CPU = costs
	return cfg
}

// TestCPUQueueExactWaits: work items that arrive together at a server
// wait for its cores first come, first served. With one core and a cost
// C, the three clients' items end C, 2C and 3C after they arrived, so
// their pages take C, 2C and 3C longer than with a free server, the items
// waited 0 + C + 2C, the core was busy 3C out of 3C; with two cores, C,
// C and 2C. The free server is the same case with every cost zero.
func TestCPUQueueExactWaits(t *testing.T) {
	const c = 10 * sim.Millisecond
	free := model.CPUCosts{}
	for _, tc := range []struct {
		name      string
		tls       model.TLSVersion
		cpus      int
		costs     model.CPUCosts
		delays    []sim.Time // each page's load time less the free server's
		busy      sim.Time
		handshake sim.Time // the handshakes' summed wait
		span      sim.Time
	}{
		{"full TLS 1.3 handshakes, 1 core", model.TLS13, 1, model.CPUCosts{FullHandshake: c}, []sim.Time{c, 2 * c, 3 * c}, 3 * c, 3 * c, 3 * c},
		{"full TLS 1.3 handshakes, 2 cores", model.TLS13, 2, model.CPUCosts{FullHandshake: c}, []sim.Time{c, c, 2 * c}, 3 * c, c, 2 * c},
		{"full TLS 1.2 handshakes, no core limit", model.TLS12, 0, model.CPUCosts{FullHandshake: c}, []sim.Time{c, c, c}, 3 * c, 0, c},
		{"accepts, 1 core", model.NoTLS, 1, model.CPUCosts{Accept: c}, []sim.Time{c, 2 * c, 3 * c}, 3 * c, 0, 3 * c},
		// 20,000 bytes at 512 ns per KiB: 10,000 ns each.
		{"encryption, 1 core", model.TLS13, 1, model.CPUCosts{EncryptPerKiB: 512}, []sim.Time{10_000, 20_000, 30_000}, 30_000, 0, 30_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base, _ := mustRun(t, cpuCase(tc.tls, tc.cpus, free))
			res, recs := mustRun(t, cpuCase(tc.tls, tc.cpus, tc.costs))
			if !base.Complete || !res.Complete {
				t.Fatalf("complete: %v without costs, %v with", base.Complete, res.Complete)
			}
			var got []sim.Time
			for i, d := range res.PageLoads {
				got = append(got, d-base.PageLoads[i])
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.delays) {
				t.Errorf("pages later by %v, want %v", got, tc.delays)
			}
			if res.ServerCPU != tc.busy || res.HandshakeQueue != tc.handshake || res.CPUSpan != tc.span {
				t.Errorf("cpu %v, handshake queue %v, span %v; want %v, %v, %v", res.ServerCPU, res.HandshakeQueue, res.CPUSpan, tc.busy, tc.handshake, tc.span)
			}
			if base.ServerCPU != 0 || base.CPUSpan != 0 || countKinds(recs, trace.CPUQueued) != 3 {
				t.Errorf("free server: cpu %v, span %v; %d items with costs, want 3", base.ServerCPU, base.CPUSpan, countKinds(recs, trace.CPUQueued))
			}
		})
	}
}

// TestCPUResumedHandshakes: with session resumption, the client's later
// connections resume (one client, six images over HTTP/1.0): one full
// handshake, six resumed ones, each charged its own cost.
func TestCPUResumedHandshakes(t *testing.T) {
	const full, resumed = 8 * sim.Millisecond, 1 * sim.Millisecond
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: kRTT / 2, Up: kR, Down: kR}
	cfg.Page = model.SyntheticPage(kOb, 6, []int{kO})
	cfg.ApplyIdeal()
	cfg.HTTP.Protocol, cfg.HTTP.Parallel = model.HTTP10, 1
	cfg.TLS = model.TLSConfig{Version: model.TLS13, Resume: true}
	cfg.Server.CPU = model.CPUCosts{FullHandshake: full, ResumedHandshake: resumed}
	res, recs := mustRun(t, cfg)
	n := map[string]int{}
	for _, r := range recs {
		if r.Kind == trace.CPUDone {
			n[r.Label]++
		}
	}
	if n[trace.WorkFullTLS] != 1 || n[trace.WorkResumedTLS] != 6 || res.ServerCPU != full+6*resumed {
		t.Errorf("handshakes %v, cpu %v; want 1 full, 6 resumed, %v", n, res.ServerCPU, full+6*resumed)
	}
}

// TestCPUIdealIsFree: in ideal mode the measured (auto) costs are zero,
// so the textbook's traces have no CPU records; a realistic run has
// them.
func TestCPUIdealIsFree(t *testing.T) {
	for _, ideal := range []bool{true, false} {
		cfg := model.DefaultConfig()
		cfg.TLS.Version = model.TLS13
		if ideal {
			cfg.ApplyIdeal()
		}
		res, recs := mustRun(t, cfg)
		if got := countKinds(recs, trace.CPUQueued) > 0; got == ideal || (res.ServerCPU > 0) == ideal {
			t.Errorf("ideal %v: CPU records %v, server cpu %v", ideal, got, res.ServerCPU)
		}
	}
}

// TestCPUValidate: a negative cost or core count is refused, naming the
// field.
func TestCPUValidate(t *testing.T) {
	for _, tc := range []struct {
		field string
		set   func(*model.ServerConfig)
	}{
		{"server.cpus", func(c *model.ServerConfig) { c.CPUs = -1 }},
		{"server.cpus", func(c *model.ServerConfig) { c.CPUs = model.MaxCPUs + 1 }},
		{"server.accept_cpu", func(c *model.ServerConfig) { c.CPU.Accept = -2 }},
		{"server.encrypt_cpu", func(c *model.ServerConfig) { c.CPU.EncryptPerKiB = -2 }},
		{"server.key", func(c *model.ServerConfig) { c.Key = 9 }},
	} {
		cfg := model.DefaultConfig()
		tc.set(&cfg.Server)
		err := cfg.Validate()
		if ce, ok := err.(*model.ConfigError); !ok || ce.Field != tc.field {
			t.Errorf("%s: got %v", tc.field, err)
		}
	}
}

func countKinds(recs []trace.Record, k trace.Kind) int {
	n := 0
	for _, r := range recs {
		if r.Kind == k {
			n++
		}
	}
	return n
}

// TestCPUHandshakesSlowHTTP10: in ideal mode, one browser loading the
// textbook's page (a base document and M = 4 objects, one connection at a
// time) from a server whose full TLS 1.3 handshake costs H = 20 ms. Each
// handshake is on the page's critical path, so HTTP/1.0, a connection and
// a handshake per object, takes (M+1)·H longer than with a free server,
// and keep-alive, one connection, H longer: HTTP/1.0 loses M·H = 80 ms
// more to the processor. With resumption, HTTP/1.0's later handshakes
// cost R = 2 ms each: H + M·R.
func TestCPUHandshakesSlowHTTP10(t *testing.T) {
	const m, h, r = 4, 20 * sim.Millisecond, 2 * sim.Millisecond
	run := func(p model.Protocol, resume bool, costs model.CPUCosts) sim.Time {
		cfg := model.DefaultConfig()
		cfg.Link = model.LinkConfig{Delay: kRTT / 2, Up: kR, Down: kR}
		cfg.Page = model.SyntheticPage(kOb, m, []int{kO})
		cfg.ApplyIdeal()
		cfg.HTTP.Protocol, cfg.HTTP.Parallel = p, 1
		cfg.TLS = model.TLSConfig{Version: model.TLS13, Resume: resume}
		cfg.Server.CPU = costs
		res, _ := mustRun(t, cfg)
		if !res.Complete {
			t.Fatalf("%v: incomplete", p)
		}
		return res.PageLoad
	}
	cost := model.CPUCosts{FullHandshake: h, ResumedHandshake: r}
	for _, tc := range []struct {
		name   string
		p      model.Protocol
		resume bool
		extra  sim.Time
	}{
		{"HTTP/1.0", model.HTTP10, false, (m + 1) * h},
		{"HTTP/1.0, resumed sessions", model.HTTP10, true, h + m*r},
		{"HTTP/1.1 keep-alive", model.HTTP11, false, h},
		{"HTTP/2", model.HTTP2, false, h},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := run(tc.p, tc.resume, cost) - run(tc.p, tc.resume, model.CPUCosts{}); got != tc.extra {
				t.Errorf("the handshakes' processor time added %v, want %v", got, tc.extra)
			}
		})
	}
	if d := (run(model.HTTP10, false, cost) - run(model.HTTP11, false, cost)) - (run(model.HTTP10, false, model.CPUCosts{}) - run(model.HTTP11, false, model.CPUCosts{})); d != m*h {
		t.Errorf("HTTP/1.0 loses %v more than keep-alive to the processor, want M·H = %v", d, m*h)
	}
}
