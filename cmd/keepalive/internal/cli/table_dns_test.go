package cli

import (
	"bytes"
	"strings"
	"testing"
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
