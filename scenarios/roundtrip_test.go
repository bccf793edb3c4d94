package scenarios_test

import (
	"bytes"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/sim"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// TestRoundTrip: YAML() of every built-in parses back to the same
// scenario.
func TestRoundTrip(t *testing.T) {
	for _, in := range scenarios.Builtins() {
		t.Run(in.Name, func(t *testing.T) {
			s, err := scenarios.Builtin(in.Name)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, s)
		})
	}
}

// TestRoundTripEveryField changes every setting away from its default, so
// a field that YAML() forgets to write shows up.
func TestRoundTripEveryField(t *testing.T) {
	c := model.DefaultConfig()
	c.Link = model.LinkConfig{Delay: 12345 * sim.Microsecond, Up: 1_500_000, Down: model.UnlimitedRate,
		Buffer: 64, Queue: model.Fair, Loss: 0.125,
		Drops: []model.Drop{{Conn: 2, Dir: uint8(trace.Up), Nth: 3}, {Conn: 1, Dir: uint8(trace.Down), Nth: 7}}}
	// Ideal mode takes no tcp.profile: it is the RFC profile's.
	c.TCP = model.TCPConfig{Profile: model.ProfileRFC, MSS: 536, HeaderBytes: 52, InitialWindow: model.Unlimited, InitialSsthresh: 65535,
		RecvWindow: model.AutoWindow, Unit: model.Packets, Growth: model.SlowStartLinux, Avoidance: model.ByteCounting,
		HyStart: true, Restart: model.RestartHalving,
		DelayedAck: false, DelayedAckDelay: 200 * sim.Millisecond, Acks: model.AckLinux, AckWithData: true,
		InitialRTO: 3 * sim.Second, MinRTO: 200 * sim.Millisecond, MaxRTO: 60 * sim.Second,
		Estimator: model.EstimatorLinux, Recovery: model.RecoveryRACK,
		SynRetries: 1, SynAckRetries: 2, DataRetries: 3, TimeWait: 1500 * sim.Millisecond,
		KeepAlive: true, KeepAliveIdle: 45 * sim.Second, KeepAliveInterval: 5 * sim.Second, KeepAliveProbes: 4}
	c.Browser = model.BrowserConfig{IdleTimeout: 115 * sim.Second, Retry: false}
	c.Server = model.ServerConfig{IdleTimeout: 5 * sim.Second, MaxRequests: 100, IdleClose: model.Close408, MaxConnections: 8, Backlog: 3,
		FirstWrite: 1000, Processing: 3 * sim.Millisecond, CPUs: 4, Key: model.RSA2048,
		CPU: model.CPUCosts{Accept: 20 * sim.Microsecond, FullHandshake: 3 * sim.Millisecond, ResumedHandshake: 150 * sim.Microsecond, EncryptPerKiB: 500}}
	c.Clients = model.ClientsConfig{Count: 12, Rate: 2.5}
	c.Visits = []model.Visit{
		{Think: 4 * sim.Second, Page: model.SyntheticPage(5000, 2, []int{700})},
		{Think: 0, Page: model.Page{Resources: []model.Resource{{Path: "/p3", Type: model.HTML, Size: 9, Parent: -1}}}},
	}
	c.Proxy = model.ProxyConfig{Enabled: true, Protocol: model.HTTP10, Parallel: 3, IdleTimeout: 30 * sim.Second,
		Link:   model.LinkConfig{Delay: 2 * sim.Millisecond, Up: 1 * model.Gbps, Down: 1 * model.Gbps, Buffer: 10, Loss: 0.001},
		Origin: model.ServerConfig{IdleTimeout: 0, MaxRequests: 0, IdleClose: model.CloseFIN, MaxConnections: 0, Backlog: 7}}
	c.TLS = model.TLSConfig{Version: model.TLS13, Resume: true, EarlyData: true}
	c.HTTP = model.HTTPConfig{Protocol: model.HTTP2, Parallel: 2, StreamWindow: 65535, ConnWindow: model.Unlimited,
		MaxFrame: 1 << 20, MaxStreams: 7, Host: "example.org"}
	c.Page = model.Page{Resources: []model.Resource{
		{Path: "/", Type: model.HTML, Size: 1, Think: 7 * sim.Millisecond, Parent: -1},
		{Path: "/a.css", Type: model.CSS, Size: 1536, Parent: 0, Offset: 1},
		{Path: "/b.woff2", Type: model.Font, Size: 0, Parent: 1, Offset: 1536},
		{Path: "/data", Type: model.JSON, Size: 999_999, Think: 1, Parent: 0},
		{Path: "/x.bin", Type: model.Other, Size: 3 << 30, Parent: 3},
	}}
	c.Ideal = true
	c.Seed = 1<<64 - 1
	c.MaxEvents = 7
	c.MaxTime = 90 * sim.Second
	c.MaxMemory = 3 << 20
	s := &scenarios.Scenario{Name: "everything", Description: "every field: changed", Narrative: "Line one.\n\nLine \"two\".\n", Config: c}
	if err := s.Config.Validate(); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, s)
}

// TestRoundTripOrigins: origins, resources on them (written as URLs,
// the same path on two hosts, a query) and DNS come back the same.
func TestRoundTripOrigins(t *testing.T) {
	c := model.DefaultConfig()
	c.HTTP.Host, c.HTTP.Protocol, c.HTTP.Coalesce = "example.org", model.HTTP2, true
	c.TLS = model.TLSConfig{Version: model.TLS13}
	c.Page = model.Page{Resources: []model.Resource{
		{Path: "/", Type: model.HTML, Size: 1, Parent: -1},
		{Path: "/x.bin", Type: model.Other, Size: 5, Parent: 0},
		{Path: "/x.bin", Type: model.Other, Size: 5, Parent: 1, Origin: 1},
		{Path: "/f.woff2?v=2", Type: model.Font, Size: 6, Parent: 2, Origin: 2},
	}}
	c.Origins = []model.OriginConfig{
		{Host: "cdn.example.net", Delay: 3 * sim.Millisecond, Server: model.ServerConfig{Backlog: 4, IdleTimeout: sim.Second}, TLS: model.TLSConfig{Version: model.NoTLS}},
		{Host: "fonts.example.org", SameServer: "example.org", HTTP2: true, Server: model.DefaultServer()},
	}
	c.DNS = model.DNSConfig{Enabled: true, RTT: 7 * sim.Millisecond, TTL: 9 * sim.Second}
	s := &scenarios.Scenario{Name: "origins", Description: "three hosts", Config: c}
	if err := s.Config.Validate(); err != nil {
		t.Fatal(err)
	}
	roundTrip(t, s)
	out, _ := s.YAML()
	for _, want := range []string{"path: 'http://cdn.example.net/x.bin'", "path: 'https://fonts.example.org/f.woff2?v=2'", "parent: 'http://cdn.example.net/x.bin'"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the file does not say %q:\n%s", want, out)
		}
	}
}

// TestOriginsInFiles: what a file may get wrong about hosts is named
// with its field.
func TestOriginsInFiles(t *testing.T) {
	for _, tc := range []struct{ file, msg string }{
		{"page: {resources: [{path: /, size: 1}, {path: 'https://cdn.example.com/a.js', size: 1}]}",
			`page.resources[1].path: "https://cdn.example.com/a.js" is on host "cdn.example.com", which is not http.host (www.example.com) nor a host of origins; add {host: cdn.example.com} to origins`},
		{"page: {resources: [{path: /, size: 1}, {path: 'ftp://x/a', size: 1}]}", `"ftp://x/a" is neither a path starting with / nor an http or https URL`},
		{"page: {resources: [{path: /, size: 1}, {path: '//www.example.com/a', size: 1}]}", `names a host without a scheme; write the whole URL, https://www.example.com/a`},
		{"origins: [{delay: 1ms}]", "origins[0].host: missing"},
		{"origins: [{host: a.example, colour: red}]", `origins[0].colour: unknown field "colour"`},
		{"origins: [{host: a.example, server: {backlog: -1}}]", "origins[0].server.backlog"},
		{"origins: [{host: a.example}]\nproxy: {enabled: true}", "origins: 1 origins is out of range; allowed: none when proxy.enabled is true"},
		{"origins: [{host: a.example}]\npage: {resources: [{path: /, size: 1}, {path: 'https://a.example/', size: 1, parent: 'https://b.example/'}]}", `is on host "b.example"`},
	} {
		_, err := scenarios.Parse("f.yaml", []byte(tc.file))
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.file, err, tc.msg)
		}
	}
	// A URL on the main host is its path; the parent may be named either way.
	sc, err := scenarios.Parse("f.yaml", []byte("origins: [{host: a.example}]\npage: {resources: [{path: 'https://www.example.com/', size: 1}, {path: 'https://a.example/p', size: 1, parent: /}]}"))
	if err != nil {
		t.Fatal(err)
	}
	if r := sc.Config.Page.Resources; r[0].Path != "/" || r[0].Origin != 0 || r[1].Origin != 1 || r[1].Parent != 0 {
		t.Errorf("resources %+v", r)
	}
	// Host names are case-insensitive.
	sc, err = scenarios.Parse("f.yaml", []byte("origins: [{host: a.example}]\npage: {resources: [{path: /, size: 1}, {path: 'https://A.Example/p', size: 1}]}"))
	if err != nil || sc.Config.Page.Resources[1].Origin != 1 {
		t.Errorf("https://A.Example/p: %v", err)
	}
}

// TestSchemaCoversModel fails when a model configuration struct gains a
// field: add it to the scenario schema (decode*.go, encode.go,
// docs/scenarios.md), then update the count here.
func TestSchemaCoversModel(t *testing.T) {
	for _, tc := range []struct {
		v      any
		fields int
	}{
		{model.Config{}, 18},
		{model.QUICConfig{}, 12},
		{model.LinkConfig{}, 7},
		{model.TCPConfig{}, 30},
		{model.BrowserConfig{}, 2},
		{model.ServerConfig{}, 10},
		{model.ClientsConfig{}, 2},
		{model.Visit{}, 2},
		{model.ProxyConfig{}, 6},
		{model.TLSConfig{}, 3},
		{model.HTTPConfig{}, 8},
		{model.Resource{}, 7},
		{model.OriginConfig{}, 6},
		{model.DNSConfig{}, 3},
		{model.Drop{}, 3},
	} {
		if n := reflect.TypeOf(tc.v).NumField(); n != tc.fields {
			t.Errorf("%T has %d fields; the scenario schema knows %d", tc.v, n, tc.fields)
		}
	}
}

func roundTrip(t *testing.T, s *scenarios.Scenario) {
	t.Helper()
	out, err := s.YAML()
	if err != nil {
		t.Fatal(err)
	}
	back, err := scenarios.Parse(s.Name+".yaml", out)
	if err != nil {
		t.Fatalf("Parse(YAML()): %v\n%s", err, out)
	}
	if !reflect.DeepEqual(back.Config, s.Config) {
		t.Errorf("config changed in the round trip:\n got %+v\nwant %+v\n%s", back.Config, s.Config, out)
	}
	if back.Name != s.Name || back.Description != s.Description || back.Narrative != s.Narrative {
		t.Errorf("text changed in the round trip: got %q %q %q, want %q %q %q",
			back.Name, back.Description, back.Narrative, s.Name, s.Description, s.Narrative)
	}
}

func TestGolden(t *testing.T) {
	const golden = "testdata/webpage.golden.yaml"
	s, err := scenarios.Builtin("webpage")
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.YAML()
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./scenarios -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("YAML() differs from %s (run go test ./scenarios -update if the change is intended):\n%s", golden, got)
	}
}

// TestRoundTripUnnamed: a scenario built in Go without a name still
// prints as a file that loads.
func TestRoundTripUnnamed(t *testing.T) {
	roundTrip(t, &scenarios.Scenario{Config: model.DefaultConfig()})
}
