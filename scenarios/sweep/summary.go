package sweep

import (
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// SummaryStats are the columns a summary gives for each group and
// metric, after the group columns and metric.
var SummaryStats = []string{"n", "mean", "sd", "ci95_low", "ci95_high", "median", "p5", "p95"}

// Summarize describes each metric per grid point and protocol, in tidy
// long format: one row per (group, metric) with the columns
//
//	<parameters...>, protocol, metric, n, mean, sd, ci95_low, ci95_high, median, p5, p95
//
// Groups are in the order of their first row (the canonical order);
// metrics in report.Metrics order, those the table has. Booleans count
// as 1 (true) and 0 (false), so the mean of complete is the fraction of
// loads that completed; empty cells (ttfb_ms of a page of which no byte
// arrived) are left out of n. sd and the interval are empty when n < 2.
func Summarize(t *Table) *Table {
	groupCols := append(append([]string(nil), t.Params()...), "protocol")
	var groupIdx []int
	for _, c := range groupCols {
		if i := t.Column(c); i >= 0 {
			groupIdx = append(groupIdx, i)
		}
	}
	var metrics []string
	var metricIdx []int
	for _, m := range report.Metrics {
		if i := t.Column(m); i >= 0 {
			metrics, metricIdx = append(metrics, m), append(metricIdx, i)
		}
	}
	type group struct {
		key    []string
		values [][]float64 // per metric
	}
	var groups []*group
	byKey := map[string]*group{}
	for _, row := range t.Rows {
		key := make([]string, len(groupIdx))
		for k, i := range groupIdx {
			key[k] = row[i]
		}
		id := strings.Join(key, "\x00")
		g := byKey[id]
		if g == nil {
			g = &group{key: key, values: make([][]float64, len(metrics))}
			byKey[id] = g
			groups = append(groups, g)
		}
		for m, i := range metricIdx {
			if v, ok := floatCell(row[i]); ok {
				g.values[m] = append(g.values[m], v)
			}
		}
	}
	out := &Table{}
	for _, i := range groupIdx {
		out.Header = append(out.Header, t.Header[i])
	}
	out.Header = append(append(out.Header, "metric"), SummaryStats...)
	for _, g := range groups {
		for m, name := range metrics {
			s := Describe(g.values[m])
			row := append(append([]string(nil), g.key...), name, strconv.Itoa(s.N))
			for _, v := range []float64{s.Mean, s.SD, s.CILow, s.CIHigh, s.Median, s.P5, s.P95} {
				row = append(row, formatStat(v))
			}
			out.Rows = append(out.Rows, row)
		}
	}
	return out
}

// formatStat writes a statistic with six decimals (exact for times in
// ms), or an empty cell for NaN.
func formatStat(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 6, 64)
}

// WriteSummary writes the summary of t to path, whole or not at all.
func WriteSummary(path string, t *Table) error {
	return report.WriteAtomic(path, func(w io.Writer) error { return Summarize(t).WriteCSV(w) })
}
