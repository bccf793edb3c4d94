package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/testbed"
)

// TestTestbedTableNamesTheSoftware: the testbed's table says what real
// software each protocol ran on, and HTTP/3's TLS and window where they
// differ from the scenario's: a table with HTTP/3 alone gives its own
// settings; one with both names both.
func TestTestbedTableNamesTheSoftware(t *testing.T) {
	row := func(p model.Protocol) testbed.Row {
		d := 600 * time.Millisecond
		return testbed.Row{Protocol: p, Real: []time.Duration{d}, RealMedian: d, RealMin: d, RealMax: d, Sim: d, SimLoads: []time.Duration{d}}
	}
	cfg := model.DefaultConfig()
	for _, tc := range []struct {
		rows      []testbed.Row
		want, not []string
	}{
		{[]testbed.Row{row(model.HTTP2), row(model.HTTP3)},
			[]string{"TLS none", "; HTTP/3: TLS 1.3, IW 32 packets of 1280 B", "x/net/http2 servers; quic-go " + testbed.QUICVersion}, nil},
		{[]testbed.Row{row(model.HTTP3)},
			[]string{"TLS 1.3, IW 32 packets of 1280 B", "quic-go " + testbed.QUICVersion}, []string{"TLS none", "net/http"}},
		{[]testbed.Row{row(model.HTTP2)}, []string{"TLS none", "x/net/http2 servers\n"}, []string{"quic-go"}},
	} {
		var b strings.Builder
		if err := writeTestbedTable(&b, "webpage", cfg, &testbed.Report{Rows: tc.rows}); err != nil {
			t.Fatal(err)
		}
		head := strings.Join(strings.SplitN(b.String(), "\n", 3)[:2], "\n") + "\n"
		for _, w := range tc.want {
			if !strings.Contains(head, w) {
				t.Errorf("%d rows: head %q lacks %q", len(tc.rows), head, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(head, w) {
				t.Errorf("%d rows: head %q has %q", len(tc.rows), head, w)
			}
		}
	}
}
