package report

import (
	"strconv"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// Kind is what a column holds.
type Kind uint8

const (
	// Setting echoes the configuration that was run.
	Setting Kind = iota
	// Metric is a number (or true/false) the run measured, which sweep
	// summaries take statistics of.
	Metric
	// Word is something the run measured as a word, not a number.
	Word
	// Label is a Setting that is a word (the scenario, the protocol, the
	// TLS version): JSON writes it as a string even when it reads as a
	// number (TLS 1.3 was the number 1.3 beside the string "none").
	Label
)

// IsText reports whether the column's cells are words, never numbers.
func (c Column) IsText() bool { return c.Kind == Word || c.Kind == Label }

// Column is one column of a page load's row: its name, its unit (""
// for counts, words and booleans), what it holds, in one line, and how
// its cell is written.
type Column struct {
	Name string
	Unit string // "ms", "Mbit/s", "bytes", "segments", …
	Kind Kind
	Doc  string
	cell func(scenario string, c model.Config, s trace.Summary) string
}

// Table is every column of a row, in order: the one place a column is
// defined. CSV, JSON, the sweep's rows and "keepalive help run" all
// come from it. The first fourteen are the stable core that batch
// scripts select by position. A numeric column holds only numbers: where
// a setting can be unlimited, its cell is empty and a boolean column
// says so; a time that did not happen is an empty cell too.
var Table = []Column{
	{"scenario", "", Label, "the scenario's name", func(sc string, _ model.Config, _ trace.Summary) string { return sc }},
	{"protocol", "", Label, "http1.0, http1.1, http1.1-pipelined or http2", func(_ string, c model.Config, _ trace.Summary) string { return c.HTTP.Protocol.String() }},
	{"seed", "", Setting, "the run's random seed", func(_ string, c model.Config, _ trace.Summary) string { return strconv.FormatUint(c.Seed, 10) }},
	{"rtt_ms", "ms", Setting, "the link's round-trip time (twice its one-way delay)", func(_ string, c model.Config, _ trace.Summary) string { return trace.Millis(2 * c.Link.Delay) }},
	{"bandwidth_mbps", "Mbit/s", Setting, "the link's rate, server to client; empty when unlimited (see bandwidth_unlimited)", func(_ string, c model.Config, _ trace.Summary) string {
		return numberOrEmpty(c.Link.Down != model.UnlimitedRate, Mbps(c.Link.Down))
	}},
	{"loss", "", Setting, "the probability that the link loses a packet, each way", func(_ string, c model.Config, _ trace.Summary) string {
		return strconv.FormatFloat(c.Link.Loss, 'g', -1, 64)
	}},
	{"objects", "", Setting, "resources of the first page besides its base document", func(_ string, c model.Config, _ trace.Summary) string { return strconv.Itoa(Objects(c)) }},
	{"page_load_ms", "ms", Metric, "mean load time of the pages that loaded (navigation start to the last byte); empty when none did", func(_ string, _ model.Config, s trace.Summary) string { return millis(s.PageLoad) }},
	{"ttfb_ms", "ms", Metric, "navigation start to the first byte of the base document; empty when none arrived", func(_ string, _ model.Config, s trace.Summary) string { return millis(TTFB(s)) }},
	{"tcp_connections", "", Metric, "TCP connections the browsers opened (a proxy's to the origin are origin_connections)", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.Connections) }},
	{"tls_handshakes", "", Metric, "TLS handshakes started, full or resumed", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.TLSHandshakes) }},
	{"packets", "", Metric, "packets sent, both directions, retransmissions included", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.Packets) }},
	{"wire_bytes", "bytes", Metric, "bytes of those packets, headers included", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.WireBytes) }},
	{"retransmissions", "", Metric, "packets that were retransmissions", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.Retransmissions) }},
	{"complete", "", Metric, "true when every page of every client loaded", func(_ string, _ model.Config, s trace.Summary) string { return strconv.FormatBool(s.Complete) }},
	{"drops", "", Metric, "packets the link lost", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.Drops) }},
	{"tls", "", Label, "TLS version: none, 1.2 or 1.3", func(_ string, c model.Config, _ trace.Summary) string { return c.TLS.Version.String() }},
	{"iw", "segments", Setting, "TCP's initial window; empty when unlimited (see iw_unlimited)", func(_ string, c model.Config, _ trace.Summary) string {
		return numberOrEmpty(c.TCP.InitialWindow != model.Unlimited, strconv.Itoa(c.TCP.InitialWindow))
	}},
	{"parallel", "", Setting, "most HTTP/1.x connections per host", func(_ string, c model.Config, _ trace.Summary) string { return strconv.Itoa(c.HTTP.Parallel) }},
	{"mss", "bytes", Setting, "TCP's maximum segment size", func(_ string, c model.Config, _ trace.Summary) string { return strconv.Itoa(c.TCP.MSS) }},
	{"ideal", "", Setting, "true for the textbook's assumptions", func(_ string, c model.Config, _ trace.Summary) string { return strconv.FormatBool(c.Ideal) }},
	{"tls_resume", "", Setting, "true when later connections resume the first one's TLS session", func(_ string, c model.Config, _ trace.Summary) string { return strconv.FormatBool(c.TLS.Resume) }},
	// The keep-alive life cycle (docs/lifecycle.md).
	{"pages", "", Metric, "pages the run was to load, every client's visits included", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.Pages) }},
	{"retried_requests", "", Metric, "requests resent after their connection died under them", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.RetriedRequests) }},
	{"failed_requests", "", Metric, "requests given up on", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.FailedRequests) }},
	{"refused_connections", "", Metric, "SYNs dropped by a server whose accept backlog was full", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.RefusedConnections) }},
	{"idle_slot_total_ms", "ms", Metric, "server worker slots held by idle keep-alive connections, times how long, summed over the run", func(_ string, _ model.Config, s trace.Summary) string {
		return trace.Millis(s.IdleSlot)
	}},
	{"time_wait_peak_server", "", Metric, "most server sockets in TIME-WAIT at once", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.TimeWaitPeakServer) }},
	{"time_wait_peak_client", "", Metric, "most client sockets in TIME-WAIT at once", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.TimeWaitPeakClient) }},
	{"clients", "", Setting, "clients in the run", func(_ string, c model.Config, _ trace.Summary) string { return strconv.Itoa(c.Clients.Count) }},
	{"page_load_p95_ms", "ms", Metric, "95th percentile of the pages' load times (nearest rank); empty when none loaded", func(_ string, _ model.Config, s trace.Summary) string { return millis(P95(s.PageLoads)) }},
	{"race_cost_total_ms", "ms", Metric, "summed delay between the first send and the resend of retried requests", func(_ string, _ model.Config, s trace.Summary) string { return trace.Millis(s.RaceCost) }},
	{"backlog_wait_total_ms", "ms", Metric, "summed time connections waited in the server's backlog for a slot, over every client", func(_ string, _ model.Config, s trace.Summary) string { return trace.Millis(s.BacklogWait) }},
	{"origin_connections", "", Metric, "connections a proxy opened to the origin; empty without a proxy", func(_ string, c model.Config, s trace.Summary) string {
		return numberOrEmpty(c.Proxy.Enabled, strconv.Itoa(s.OriginConnections))
	}},
	// Page outcomes, and the limit that stopped the run, if one did.
	{"pages_loaded", "", Metric, "pages that loaded", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.PagesLoaded) }},
	{"pages_failed", "", Metric, "pages a failed request kept from loading", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.PagesFailed) }},
	{"pages_unfinished", "", Metric, "pages without an outcome when the run ended", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.PagesUnfinished) }},
	{"stopped", "", Word, "the limit that ended the run (max_time, max_events, max_memory), else empty", func(_ string, _ model.Config, s trace.Summary) string { return s.Stopped.String() }},
	// Whether the settings that can be unlimited were.
	{"bandwidth_unlimited", "", Setting, "true when the link's rate is unlimited (bandwidth_mbps is then empty)", func(_ string, c model.Config, _ trace.Summary) string {
		return strconv.FormatBool(c.Link.Down == model.UnlimitedRate)
	}},
	{"iw_unlimited", "", Setting, "true when TCP's initial window is unlimited (iw is then empty)", func(_ string, c model.Config, _ trace.Summary) string {
		return strconv.FormatBool(c.TCP.InitialWindow == model.Unlimited)
	}},
	// What the connections cost the server the browsers reach
	// (docs/lifecycle.md#what-connections-cost-the-server).
	{"server_cpu_ms", "ms", Metric, "processor time the server's cores spent on accepts, TLS handshakes and requests, summed over cores", func(_ string, _ model.Config, s trace.Summary) string {
		return trace.Millis(s.ServerCPU)
	}},
	{"server_cpu_util", "", Metric, "server_cpu_ms over server.cpus times the time from the first work item's arrival to the last one's end, 0 to 1; empty when the server had no work or no core limit", func(_ string, c model.Config, s trace.Summary) string {
		return CPUUtil(c, s)
	}},
	{"handshake_queue_ms", "ms", Metric, "mean time a TLS handshake waited for a server core; empty when no handshake cost processor time", func(_ string, _ model.Config, s trace.Summary) string {
		if s.CPUHandshakes == 0 {
			return ""
		}
		return trace.Millis(s.HandshakeQueue / time.Duration(s.CPUHandshakes))
	}},
	{"server_mem_peak_bytes", "bytes", Metric, "the most memory the server held at once for its connections: kernel sockets (TIME-WAIT ones too), its own connection, TLS and HTTP/2 state, HTTP/2 streams being answered and unacknowledged data (docs/lifecycle.md)", func(_ string, _ model.Config, s trace.Summary) string {
		return strconv.FormatInt(s.ServerMemPeak, 10)
	}},
	{"server_mem_mean_bytes", "bytes", Metric, "the server's memory for its connections, averaged over the run's time from 0 to its last event (TIME-WAIT included)", func(_ string, _ model.Config, s trace.Summary) string {
		return strconv.FormatInt(s.ServerMemMean, 10)
	}},
	// Columns are only ever added at the end, so that a script reading
	// them by position keeps working.
	{"dns_lookups", "", Metric, "host names the browsers looked up before connecting (`dns.enabled`)", func(_ string, _ model.Config, s trace.Summary) string { return strconv.Itoa(s.DNSLookups) }},
}

// CPUUtil is the server_cpu_util cell: the server's busy share of its
// cores while it had work.
func CPUUtil(c model.Config, s trace.Summary) string {
	if s.CPUSpan <= 0 || c.Server.CPUs == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(s.ServerCPU)/(float64(c.Server.CPUs)*float64(s.CPUSpan)), 'f', 6, 64)
}

// numberOrEmpty is n if ok, else the empty cell.
func numberOrEmpty(ok bool, n string) string {
	if !ok {
		return ""
	}
	return n
}

// names returns the names of the columns of Table of the given kinds.
func names(kinds ...Kind) []string {
	var out []string
	for _, c := range Table {
		for _, k := range kinds {
			if c.Kind == k {
				out = append(out, c.Name)
			}
		}
	}
	return out
}
