package report_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// TestColumnsAreSettingsOrMetrics: every column is exactly one of a
// setting, a metric and a measured word, so that a new column cannot be
// forgotten by the sweep summaries.
func TestColumnsAreSettingsOrMetrics(t *testing.T) {
	for _, c := range report.Columns {
		s, m, w := slices.Contains(report.Settings, c), slices.Contains(report.Metrics, c), slices.Contains(report.Words, c)
		if n := btoi(s) + btoi(m) + btoi(w); n != 1 {
			t.Errorf("column %q: in Settings %v, in Metrics %v, in Words %v; want exactly one", c, s, m, w)
		}
	}
	for _, list := range [][]string{report.Settings, report.Metrics, report.Words} {
		for _, c := range list {
			if !slices.Contains(report.Columns, c) {
				t.Errorf("%q is not a column", c)
			}
		}
	}
}

func TestRow(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(20_000, 2, []int{10_000})
	res, err := model.Run(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	row := report.Row("webpage", cfg, res)
	if len(row) != len(report.Columns) {
		t.Fatalf("%d cells for %d columns", len(row), len(report.Columns))
	}
	got := map[string]string{}
	for i, c := range report.Columns {
		got[c] = row[i]
	}
	for col, want := range map[string]string{
		"scenario": "webpage", "protocol": "http1.1", "seed": "1", "rtt_ms": "100.000000",
		"bandwidth_mbps": "10", "loss": "0", "objects": "2", "complete": "true", "iw": "10",
		"tls": "none", "ideal": "false",
	} {
		if got[col] != want {
			t.Errorf("%s = %q, want %q", col, got[col], want)
		}
	}
	// Times are milliseconds with six decimals.
	if i := strings.IndexByte(got["page_load_ms"], '.'); i < 0 || len(got["page_load_ms"])-i != 7 || got["ttfb_ms"] == "" {
		t.Errorf("page_load_ms %q ttfb_ms %q", got["page_load_ms"], got["ttfb_ms"])
	}
}

func TestFormatters(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{report.Mbps(10 * model.Mbps), "10"},
		{report.Mbps(512 * model.Kbps), "0.512"},
		{report.Mbps(model.UnlimitedRate), "unlimited"},
		{report.Window(10), "10"},
		{report.Window(model.Unlimited), "unlimited"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestNumericColumnsHoldNumbers: apart from the word columns (scenario,
// protocol, tls, stopped), every cell is a number, true or false, or
// empty; an unlimited bandwidth or initial window is an empty cell with
// its _unlimited column true, not the word "unlimited", so that pandas
// or R read the column as numbers.
func TestNumericColumnsHoldNumbers(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.ApplyIdeal() // unlimited initial window
	cfg.Link.Up, cfg.Link.Down = model.UnlimitedRate, model.UnlimitedRate
	res, err := model.Run(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	row := report.Row("x", cfg, res)
	words := []string{"scenario", "protocol", "tls", "stopped"}
	for i, c := range report.Columns {
		cell := row[i]
		if slices.Contains(words, c) || cell == "" || cell == "true" || cell == "false" {
			continue
		}
		if _, err := strconv.ParseFloat(cell, 64); err != nil {
			t.Errorf("column %s holds %q, not a number", c, cell)
		}
	}
	get := func(name string) string { return row[slices.Index(report.Columns, name)] }
	if get("bandwidth_mbps") != "" || get("bandwidth_unlimited") != "true" || get("iw") != "" || get("iw_unlimited") != "true" {
		t.Errorf("unlimited: bandwidth_mbps %q (%s), iw %q (%s)", get("bandwidth_mbps"), get("bandwidth_unlimited"), get("iw"), get("iw_unlimited"))
	}
	if get("origin_connections") != "" {
		t.Errorf("origin_connections %q without a proxy, want empty", get("origin_connections"))
	}
	for _, c := range report.Table {
		if strings.HasSuffix(c.Name, "_ms") != (c.Unit == "ms") {
			t.Errorf("column %s: unit %q; a time is in ms and its name says so", c.Name, c.Unit)
		}
		if c.Doc == "" {
			t.Errorf("column %s has no doc", c.Name)
		}
	}
}
