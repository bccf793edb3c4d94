package scenarios_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestMeasureCosts: server.cpu_costs: measure replaces the costs left
// auto with figures measured on this machine (a proxy's origin, which
// speaks plain HTTP, keeps its handshake costs auto), keeps a cost the
// file sets, and the figures survive the round trip through YAML, so a
// run's configuration says what it used.
func TestMeasureCosts(t *testing.T) {
	if testing.Short() {
		t.Skip("measures handshakes; not in -short")
	}
	s, err := scenarios.Parse("m.yaml", []byte(`
tls: {version: "1.3"}
server: {cpu_costs: measure, handshake_cpu: 1ms, key: rsa-2048}
proxy: {origin: {cpu_costs: measure}}
`))
	if err != nil {
		t.Fatal(err)
	}
	c, o := s.Config.Server.CPU, s.Config.Proxy.Origin.CPU
	if c.FullHandshake != sim.Millisecond {
		t.Errorf("handshake_cpu %v, want the file's 1ms", c.FullHandshake)
	}
	for name, v := range map[string]sim.Time{"accept": c.Accept, "resumed": c.ResumedHandshake, "encrypt": c.EncryptPerKiB, "origin accept": o.Accept} {
		if v <= 0 {
			t.Errorf("%s: %v, want a measured figure > 0", name, v)
		}
	}
	if o.FullHandshake != model.AutoCost || o.ResumedHandshake != model.AutoCost {
		t.Errorf("origin handshakes %v, %v: want auto (it makes none)", o.FullHandshake, o.ResumedHandshake)
	}
	out, err := s.YAML()
	if err != nil {
		t.Fatal(err)
	}
	again, err := scenarios.Parse("again.yaml", out)
	if err != nil {
		t.Fatal(err)
	}
	if again.Config.Server.CPU != c || again.Config.Proxy.Origin.CPU != o {
		t.Errorf("round trip: %+v, %+v; want %+v, %+v", again.Config.Server.CPU, again.Config.Proxy.Origin.CPU, c, o)
	}
}
