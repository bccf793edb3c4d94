package report

import (
	"strconv"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// PageColumn is one column of the page table ("keepalive run --pages
// FILE"): one row per page load, where a run's row holds their mean.
type PageColumn struct {
	Name string
	Unit string
	Doc  string
	cell func(scenario string, c model.Config, p trace.PageOutcome) string
}

// PageTable is every column of a page's row, in order.
var PageTable = []PageColumn{
	{"scenario", "", "the scenario's name", func(sc string, _ model.Config, _ trace.PageOutcome) string { return sc }},
	{"protocol", "", "http1.0, http1.1, http1.1-pipelined or http2", func(_ string, c model.Config, _ trace.PageOutcome) string { return c.HTTP.Protocol.String() }},
	{"seed", "", "the run's random seed", func(_ string, c model.Config, _ trace.PageOutcome) string { return strconv.FormatUint(c.Seed, 10) }},
	{"client", "", "the client, from 1 (a lone client is 1 too, though the trace numbers it 0)", func(_ string, _ model.Config, p trace.PageOutcome) string {
		return strconv.Itoa(max(p.Client, 1)) // one numbering in a sweep of clients.count=1,2
	}},
	{"page", "", "the page of the client's visit, from 1", func(_ string, _ model.Config, p trace.PageOutcome) string { return strconv.Itoa(p.Page) }},
	{"outcome", "", "loaded, failed or unfinished", func(_ string, _ model.Config, p trace.PageOutcome) string { return p.Outcome.String() }},
	{"load_ms", "ms", "navigation start to the last byte; empty unless the page loaded", func(_ string, _ model.Config, p trace.PageOutcome) string {
		if p.Outcome != trace.Loaded {
			return ""
		}
		return millis(p.Took())
	}},
	{"ttfb_ms", "ms", "navigation start to the first byte of the page's document; empty if none arrived", func(_ string, _ model.Config, p trace.PageOutcome) string { return millis(p.TTFB) }},
	{"connections", "", "TCP connections opened while the page loaded; empty with several clients, whose connections the trace does not tell apart", func(_ string, _ model.Config, p trace.PageOutcome) string {
		return numberOrEmpty(p.Connections >= 0, strconv.Itoa(p.Connections))
	}},
	{"bytes", "bytes", "body bytes of the responses that arrived, cached ones not counted", func(_ string, _ model.Config, p trace.PageOutcome) string { return strconv.Itoa(p.Bytes) }},
	{"start_ms", "ms", "the page's navigation start since the run began; empty if it never started", func(_ string, _ model.Config, p trace.PageOutcome) string { return millis(p.Start) }},
	{"end_ms", "ms", "when it loaded or failed, or when the run ended", func(_ string, _ model.Config, p trace.PageOutcome) string { return millis(p.End) }},
	{"why", "", "why a page did not load; empty if it did", func(_ string, _ model.Config, p trace.PageOutcome) string { return p.Why }},
}

// PageColumns is the page table's header.
func PageColumns() []string {
	out := make([]string, len(PageTable))
	for i, c := range PageTable {
		out[i] = c.Name
	}
	return out
}

// PageRows are one run's pages, one row each, in the order their
// outcomes were recorded (unfinished pages last).
func PageRows(scenario string, cfg model.Config, res model.Result) [][]string {
	var rows [][]string
	for _, p := range res.Outcomes {
		row := make([]string, len(PageTable))
		for i, c := range PageTable {
			row[i] = c.cell(scenario, cfg, p)
		}
		rows = append(rows, row)
	}
	return rows
}
