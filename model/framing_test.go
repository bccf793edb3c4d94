package model

import (
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// TestFramingFor checks what each protocol's connections may do: HTTP/1.0
// takes one request per connection (RFC 1945), HTTP/1.1 reuses an idle
// one (RFC 9112 §9.3), pipelining queues behind others (§9.3.2), and
// HTTP/2 puts every stream on one connection (RFC 9113 §9.1) up to the
// stream limit; every protocol the model lists has a framing.
func TestFramingFor(t *testing.T) {
	for _, tc := range []struct {
		protocol  Protocol
		parallel  int
		pipelines bool
		reuse     bool // takes a request after one was answered
	}{
		{HTTP10, 6, false, false},
		{HTTP11, 6, false, true},
		{HTTP11Pipelined, 6, true, true},
		{HTTP2, 1, false, true},
	} {
		t.Run(tc.protocol.String(), func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.HTTP.Protocol = tc.protocol
			n, err := NewNetwork(sim.New(1, 0), cfg.Link, nil)
			if err != nil {
				t.Fatal(err)
			}
			var p pool
			p.init(n, &cfg, nil, 0, nil)
			if p.parallel != tc.parallel {
				t.Errorf("parallel = %d, want %d", p.parallel, tc.parallel)
			}
			s := &session{pool: &p, cfg: &cfg, conn: &Conn{Server: &Endpoint{}}}
			f := p.frame(s)
			if f.pipelines() != tc.pipelines {
				t.Errorf("pipelines = %v, want %v", f.pipelines(), tc.pipelines)
			}
			if !f.takes() {
				t.Error("a new connection does not take a request")
			}
			s.used = 1 // one request sent and answered
			if f.takes() != tc.reuse {
				t.Errorf("after one request, takes = %v, want %v", f.takes(), tc.reuse)
			}
		})
	}
	for _, p := range Protocols {
		cfg := HTTPConfig{Protocol: p, Parallel: 1}
		if frame, _ := framingFor(&cfg); frame == nil {
			t.Errorf("%v has no framing", p)
		}
	}
}
