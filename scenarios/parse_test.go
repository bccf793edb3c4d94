package scenarios_test

import (
	"reflect"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestParse: each file starts from model.DefaultConfig() and changes
// exactly what it says.
func TestParse(t *testing.T) {
	for _, tc := range []struct {
		name   string
		yaml   string
		change func(*model.Config)
	}{
		{"empty file", "", func(*model.Config) {}},
		{"null sections", "link:\ntcp:\npage:\n", func(*model.Config) {}},
		{"rtt is two delays", "link: {rtt: 30ms}", func(c *model.Config) { c.Link.Delay = 15 * sim.Millisecond }},
		{"bandwidth sets both directions", "link: {bandwidth: 2Mbps}", func(c *model.Config) {
			c.Link.Up, c.Link.Down = 2*model.Mbps, 2*model.Mbps
		}},
		{"up overrides bandwidth", "link: {up: 1Mbps, bandwidth: 8Mbps}", func(c *model.Config) {
			c.Link.Up, c.Link.Down = model.Mbps, 8*model.Mbps
		}},
		{"loss as a percentage", "link: {loss: 2%}", func(c *model.Config) { c.Link.Loss = 0.02 }},
		{"drops", "link: {drops: [{conn: 1, dir: up, nth: 2}, {conn: 3, nth: 4}]}", func(c *model.Config) {
			c.Link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Up), Nth: 2}, {Conn: 3, Dir: uint8(trace.Down), Nth: 4}}
		}},
		{"ideal first, then single knobs", "tcp: {initial_window: 1}\nideal: true", func(c *model.Config) {
			c.ApplyIdeal()
			c.TCP.InitialWindow = 1
		}},
		{"ideal: false changes nothing", "ideal: false", func(*model.Config) {}},
		{"unlimited windows", "tcp: {recv_window: unlimited, initial_ssthresh: 64KiB}\nhttp: {stream_window: 65535, conn_window: unlimited}",
			func(c *model.Config) {
				c.TCP.RecvWindow, c.TCP.InitialSsthresh = model.Unlimited, 64<<10
				c.HTTP.StreamWindow, c.HTTP.ConnWindow = 65535, model.Unlimited
			}},
		{"tls version unquoted", "tls: {version: 1.2, resume: true}", func(c *model.Config) {
			c.TLS = model.TLSConfig{Version: model.TLS12, Resume: true}
		}},
		{"protocol in any case", "http: {protocol: HTTP2}", func(c *model.Config) { c.HTTP.Protocol = model.HTTP2 }},
		{"synthetic page with defaults", "page: {objects: 2}", func(c *model.Config) {
			c.Page = model.SyntheticPage(20_000, 2, []int{10_000})
		}},
		{"synthetic page with a size list", "page: {html_size: 1KB, objects: 3, object_size: [10KB, 1MB]}", func(c *model.Config) {
			c.Page = model.SyntheticPage(1000, 3, []int{10_000, 1_000_000})
		}},
		{"anchors and aliases", "page: {objects: 2, object_size: [&big 1MiB, *big]}", func(c *model.Config) {
			c.Page = model.SyntheticPage(20_000, 2, []int{1 << 20, 1 << 20})
		}},
		{"resources: types from extensions, parent defaults to the document",
			"page:\n  resources:\n  - {path: /, size: 1KB}\n  - {path: /a.css, size: 2KB, offset: 512}\n  - {path: /b.woff2, size: 3KB, parent: /a.css, think: 5ms}\n  - {path: /c.json, type: other, size: 0}",
			func(c *model.Config) {
				c.Page.Resources = []model.Resource{
					{Path: "/", Type: model.HTML, Size: 1000, Parent: -1},
					{Path: "/a.css", Type: model.CSS, Size: 2000, Parent: 0, Offset: 512},
					{Path: "/b.woff2", Type: model.Font, Size: 3000, Parent: 1, Think: 5 * sim.Millisecond},
					{Path: "/c.json", Type: model.Other, Size: 0, Parent: 0},
				}
			}},
		{"limits and seed", "seed: 42\nlimits: {max_events: 1000, max_time: 1m30s}", func(c *model.Config) {
			c.Seed, c.MaxEvents, c.MaxTime = 42, 1000, 90*sim.Second
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := scenarios.Parse("t.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			want := model.DefaultConfig()
			tc.change(&want)
			if !reflect.DeepEqual(s.Config, want) {
				t.Errorf("got  %+v\nwant %+v", s.Config, want)
			}
		})
	}
}

func TestParseNames(t *testing.T) {
	for _, tc := range []struct{ file, yaml, name, desc string }{
		{"dir/my-page.yaml", "", "my-page", ""},
		{"dir/my-page.yaml", "name: other\ndescription: '  one line  '", "other", "one line"},
	} {
		s, err := scenarios.Parse(tc.file, []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if s.Name != tc.name || s.Description != tc.desc {
			t.Errorf("Parse(%q, %q) named %q, %q; want %q, %q", tc.file, tc.yaml, s.Name, s.Description, tc.name, tc.desc)
		}
	}
}

// TestParseRejects covers errors without a testdata file of their own.
func TestParseRejects(t *testing.T) {
	for _, tc := range []struct{ yaml, field string }{
		{"- a list", ""},
		{"link: 100ms", "link"},
		{"link: {rtt: [1, 2]}", "link.rtt"},
		{"link: {rtt: }", "link.rtt"},
		{"link: {loss: lots}", "link.loss"},
		{"link: {loss: 1}", "link.loss"}, // the model allows 1; scenario files do not
		{"link: {loss: -0.1}", "link.loss"},
		{"link: {loss: 100%}", "link.loss"},
		{"link: {queue: lifo}", "link.queue"},
		{"link: {drops: [{dir: up, nth: 1}]}", "link.drops[0].conn"},
		{"link: {drops: [{conn: 0, nth: 1}]}", "link.drops[0].conn"},
		{"ideal: yes", "ideal"},
		{"seed: -1", "seed"},
		{"name: ''", "name"},
		{"description: \"two\\nlines\"", "description"},
		{"tcp: {initial_window: -1}", "tcp.initial_window"}, // -1 is how the model spells unlimited
		{"tcp: {mss: 0}", "tcp.mss"},
		{"tcp: {restart: sometimes}", "tcp.restart"},
		{"tcp: {initial_rto: 0s}", "tcp.initial_rto"},
		{"tcp: {syn_retries: -1}", "tcp.syn_retries"},
		{"tcp: {delayed_ack_delay: 500ms}", "tcp.delayed_ack_delay"},
		{"http: {parallel: 0}", "http.parallel"},
		{"http: {max_frame: 1KB}", "http.max_frame"},
		{"http: {host: ''}", "http.host"},
		{"tls: {version: '1.1'}", "tls.version"},
		{"page: {objects: -1}", "page.objects"},
		{"page: {object_size: []}", "page.object_size"},
		{"page: {resources: []}", "page.resources"},
		{"page: {resources: [{size: 1KB}]}", "page.resources[0].path"},
		{"page: {resources: [{path: /}]}", "page.resources[0].size"},
		{"page: {resources: [{path: /, size: 1, parent: /}]}", "page.resources[0].parent"},
		{"page: {resources: [{path: /, size: 1}, {path: /a, size: 1, parent: /a}]}", "page.resources[1].parent"},
		{"page: {resources: [{path: /, size: 1}, {path: /, size: 1}]}", "page.resources[1].path"},
		{"page: {resources: [{path: x, size: 1}]}", "page.resources[0].path"},
		{"page: {resources: [{path: /, size: 1, colour: red}]}", "page.resources[0].colour"},
	} {
		t.Run(tc.yaml, func(t *testing.T) {
			_, err := scenarios.Parse("t.yaml", []byte(tc.yaml))
			fe, ok := err.(*scenarios.FieldError)
			if !ok {
				t.Fatalf("error %v (%T), want a *FieldError", err, err)
			}
			if fe.Field != tc.field || fe.Line != 1 && tc.field != "" {
				t.Errorf("error %v: field %q line %d, want field %q line 1", err, fe.Field, fe.Line, tc.field)
			}
		})
	}
}
