package report

import (
	"slices"
	"strconv"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// Columns is the header of a page load's row: the names of [Table], in
// order.
var Columns = names(Setting, Label, Metric, Word)

// Settings are the columns that echo the configuration run.
var Settings = names(Setting, Label)

// Metrics are the columns that the run measured and that statistics are
// taken of. All are numbers, except complete (true or false); some may
// be empty (page_load_ms when no page loaded).
var Metrics = names(Metric)

// Words are the columns that the run measured as a word, not a number:
// stopped names the limit that ended the run.
var Words = names(Word)

// Row formats one page load: cfg is the configuration that was run and
// res what it measured. The cells are in [Columns] order.
func Row(scenario string, cfg model.Config, res model.Result) []string {
	row := make([]string, len(Table))
	for i, c := range Table {
		row[i] = c.cell(scenario, cfg, res.Summary)
	}
	return row
}

// P95 is the 95th percentile of page load times by the nearest-rank
// method (the smallest value with at least 95 % of the loads at or below
// it), or -1 when no page loaded.
func P95(loads []time.Duration) time.Duration {
	if len(loads) == 0 {
		return -1
	}
	sorted := slices.Clone(loads)
	slices.Sort(sorted)
	rank := (95*len(sorted) + 99) / 100 // ceil(0.95·n), from 1
	return sorted[rank-1]
}

// TTFB is the time to the first byte of the base document, or -1 if no
// byte of it arrived (Summary.TTFB is then 0).
func TTFB(s trace.Summary) time.Duration {
	if len(s.Resources) == 0 || s.Resources[0].FirstByte < 0 {
		return -1
	}
	return s.TTFB
}

// Objects is the number of resources besides the base document.
func Objects(c model.Config) int { return max(len(c.Page.Resources)-1, 0) }

// Mbps writes a rate in Mbit/s without rounding: 10Mbps is "10", 512kbps
// is "0.512", model.UnlimitedRate is "unlimited".
func Mbps(r model.Rate) string {
	if r == model.UnlimitedRate {
		return "unlimited"
	}
	return strconv.FormatFloat(float64(r)/1e6, 'f', -1, 64)
}

// Window writes a window in segments, or "unlimited" for model.Unlimited.
func Window(n int) string {
	if n == model.Unlimited {
		return "unlimited"
	}
	return strconv.Itoa(n)
}

// millis leaves the cell empty for a time that did not happen (< 0).
func millis(d time.Duration) string {
	if d < 0 {
		return ""
	}
	return trace.Millis(d)
}
