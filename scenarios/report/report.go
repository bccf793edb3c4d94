package report

import (
	"slices"
	"strconv"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// Columns is the header of a page load's row, in order. The first
// fourteen columns are the stable core that batch scripts select by
// position; the life-cycle columns follow the configuration echoes. With
// several pages or clients, page_load_ms is the mean page load.
var Columns = []string{
	"scenario", "protocol", "seed", "rtt_ms", "bandwidth_mbps", "loss", "objects",
	"page_load_ms", "ttfb_ms", "tcp_connections", "tls_handshakes", "packets", "wire_bytes", "retransmissions",
	"complete", "drops", "tls", "iw", "parallel", "mss", "ideal", "tls_resume",
	// The keep-alive life cycle (docs/lifecycle.md).
	"pages", "retried_requests", "failed_requests", "refused_connections", "idle_slot_seconds",
	"time_wait_peak_server", "time_wait_peak_client",
	"clients", "page_load_p95_ms", "race_cost_ms", "backlog_wait_ms", "origin_connections",
	// Page outcomes: how many of the pages loaded, failed or did not finish,
	// and the limit that stopped the run, if one did.
	"pages_loaded", "pages_failed", "pages_unfinished", "stopped",
}

// Settings are the columns of [Columns] that echo the configuration run.
var Settings = []string{
	"scenario", "protocol", "seed", "rtt_ms", "bandwidth_mbps", "loss", "objects",
	"tls", "iw", "parallel", "mss", "ideal", "tls_resume", "clients",
}

// Metrics are the columns of [Columns] that the run measured and that
// statistics are taken of. All are numbers, except complete (true or
// false); page_load_ms, page_load_p95_ms and ttfb_ms may be empty.
var Metrics = []string{
	"page_load_ms", "ttfb_ms", "tcp_connections", "tls_handshakes", "packets", "wire_bytes", "retransmissions",
	"complete", "drops",
	"pages", "retried_requests", "failed_requests", "refused_connections", "idle_slot_seconds",
	"time_wait_peak_server", "time_wait_peak_client",
	"page_load_p95_ms", "race_cost_ms", "backlog_wait_ms", "origin_connections",
	"pages_loaded", "pages_failed", "pages_unfinished",
}

// Words are the columns of [Columns] that the run measured as a word, not a
// number: stopped names the limit that ended the run ("max_time",
// "max_events") and is empty when nothing stopped it.
var Words = []string{"stopped"}

// Row formats one page load: cfg is the configuration that was run and
// res what it measured. The cells are in [Columns] order.
func Row(scenario string, cfg model.Config, res model.Result) []string {
	c, s := cfg, res.Summary
	return []string{
		scenario,
		c.HTTP.Protocol.String(),
		strconv.FormatUint(c.Seed, 10),
		trace.Millis(2 * c.Link.Delay),
		Mbps(c.Link.Down),
		strconv.FormatFloat(c.Link.Loss, 'g', -1, 64),
		strconv.Itoa(Objects(c)),
		millis(s.PageLoad), // empty when no page loaded
		millis(TTFB(s)),
		strconv.Itoa(s.Connections),
		strconv.Itoa(s.TLSHandshakes),
		strconv.Itoa(s.Packets),
		strconv.Itoa(s.WireBytes),
		strconv.Itoa(s.Retransmissions),
		strconv.FormatBool(s.Complete),
		strconv.Itoa(s.Drops),
		c.TLS.Version.String(),
		Window(c.TCP.InitialWindow),
		strconv.Itoa(c.HTTP.Parallel),
		strconv.Itoa(c.TCP.MSS),
		strconv.FormatBool(c.Ideal),
		strconv.FormatBool(c.TLS.Resume),
		strconv.Itoa(s.Pages),
		strconv.Itoa(s.RetriedRequests),
		strconv.Itoa(s.FailedRequests),
		strconv.Itoa(s.RefusedConnections),
		strconv.FormatFloat(s.IdleSlotSeconds, 'f', 6, 64),
		strconv.Itoa(s.TimeWaitPeakServer),
		strconv.Itoa(s.TimeWaitPeakClient),
		strconv.Itoa(c.Clients.Count),
		millis(P95(s.PageLoads)),
		trace.Millis(s.RaceCost),
		trace.Millis(s.BacklogWait),
		strconv.Itoa(s.OriginConnections),
		strconv.Itoa(s.PagesLoaded),
		strconv.Itoa(s.PagesFailed),
		strconv.Itoa(s.PagesUnfinished),
		s.Stopped,
	}
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
