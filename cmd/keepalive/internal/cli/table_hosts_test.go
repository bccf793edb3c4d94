package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
)

// TestTableDNSColumn: the table has a DNS lookups column when a run made
// lookups (real-page: one per host, 12), and none otherwise, so that the
// default output stays as it was.
func TestTableDNSColumn(t *testing.T) {
	for _, tc := range []struct {
		scenario string
		column   bool
		cell     string
	}{
		{"real-page", true, "12"},
		{"webpage", false, ""},
	} {
		var out, errb bytes.Buffer
		if st := Main([]string{"run", "--scenario", tc.scenario, "--protocol", "http2"}, &out, &errb); st != 0 {
			t.Fatalf("%s: status %d: %s", tc.scenario, st, errb.String())
		}
		lines := strings.Split(out.String(), "\n")
		if got := strings.Contains(lines[2], "DNS lookups"); got != tc.column {
			t.Errorf("%s: header %q", tc.scenario, lines[2])
			continue
		}
		if tc.column {
			head := strings.Index(lines[2], "DNS lookups") + len("DNS lookups")
			if cell := strings.TrimSpace(lines[3][head-len(tc.cell) : head]); cell != tc.cell {
				t.Errorf("%s: DNS lookups cell %q in %q, want %s", tc.scenario, cell, lines[3], tc.cell)
			}
		}
	}
}

// TestSettingsLineHosts: on a page of several hosts the settings line
// does not let the main host's TLS stand for the page's.
func TestSettingsLineHosts(t *testing.T) {
	c := model.DefaultConfig()
	c.TLS = model.TLSConfig{Version: model.TLS13}
	c.Origins = []model.OriginConfig{{Host: "a.example", TLS: c.TLS}, {Host: "b.example", TLS: c.TLS}}
	for _, tc := range []struct {
		edit func(*model.Config)
		want string
	}{
		{func(*model.Config) {}, "TLS 1.3 (all 3 hosts)"},
		{func(c *model.Config) { c.Origins[1].TLS = model.TLSConfig{} }, "TLS 1.3 on www.example.com (TLS on 2 of 3 hosts)"},
		{func(c *model.Config) { c.Origins[0].TLS = model.TLSConfig{Version: model.TLS12} }, "TLS 1.3 on www.example.com (TLS on 3 of 3 hosts)"},
		{func(c *model.Config) { c.Origins = nil }, "TLS 1.3, IW"},
	} {
		cfg := c
		cfg.Origins = slices.Clone(c.Origins)
		tc.edit(&cfg)
		if line := settingsLine("s", cfg); !strings.Contains(line, tc.want) {
			t.Errorf("%q, want %q in it", line, tc.want)
		}
	}
}
