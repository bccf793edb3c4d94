package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
)

// displayNames are the protocol names people read in the table.
var displayNames = map[model.Protocol]string{
	model.HTTP10:          "HTTP/1.0",
	model.HTTP11:          "HTTP/1.1 keep-alive",
	model.HTTP11Pipelined: "HTTP/1.1 pipelined",
	model.HTTP2:           "HTTP/2",
	model.HTTP3:           "HTTP/3",
}

func displayName(p model.Protocol) string {
	if n, ok := displayNames[p]; ok {
		return n
	}
	return p.String()
}

// writeTable writes the report for people: a line of settings, an
// aligned table with one row per protocol, and a one-line takeaway.
func writeTable(w io.Writer, rep *report) error {
	if len(rep.runs) == 0 {
		return nil
	}
	var b strings.Builder
	b.WriteString(settingsLine(rep.scenario, rep.runs[0].cfg))
	for _, o := range rep.runs[1:] {
		if c := o.cfg; c.HTTP.Protocol == model.HTTP3 && rep.runs[0].cfg.HTTP.Protocol != model.HTTP3 {
			// The line is the first protocol's: say what QUIC's differ in.
			b.WriteString(quicSettingsNote(c))
		}
	}
	b.WriteString("\n\n")

	rows := [][]string{{"protocol", "page load", "TTFB", "connections", "TLS handshakes", "packets", "wire bytes", "retransmits", "lost"}}
	// DNS lookups, after the TLS handshakes, when a run made any: with
	// dns.enabled every host's lookup is part of what the page cost.
	dns := false
	for _, o := range rep.runs {
		dns = dns || o.summary.DNSLookups > 0
	}
	if dns {
		rows[0] = append(rows[0][:5], append([]string{"DNS lookups"}, rows[0][5:]...)...)
	}
	incomplete := false
	for _, o := range rep.runs {
		s := o.summary
		load := ms1(s.PageLoad) + " ms "
		switch {
		case s.PageLoad < 0:
			load, incomplete = "- *", true
		case !s.Complete:
			load, incomplete = ms1(s.PageLoad)+" ms*", true
		}
		ttfbCell := "-"
		if t := csvrow.TTFB(s); t >= 0 {
			ttfbCell = ms1(t) + " ms"
		}
		row := []string{
			displayName(o.cfg.HTTP.Protocol), load, ttfbCell,
			strconv.Itoa(s.Connections), strconv.Itoa(s.TLSHandshakes), strconv.Itoa(s.Packets),
			humanBytes(s.WireBytes), strconv.Itoa(s.Retransmissions), strconv.Itoa(s.Drops),
		}
		if dns {
			row = append(row[:5], append([]string{strconv.Itoa(s.DNSLookups)}, row[5:]...)...)
		}
		rows = append(rows, row)
	}
	if rep.recorded != nil {
		rows = append(rows, recordedTable(rep.recorded.recorded, len(rows[0])))
	}
	if manyPages(rep) {
		rows[0][1], rows[0][2] = "mean page load", "TTFB page 1"
	}
	alignTable(&b, rows)
	if incomplete {
		b.WriteString("* not every page loaded; the time is the mean of the pages that did (- if none did):\n")
		b.WriteString(notLoaded(rep))
	}
	if lifecycleShown(rep) {
		b.WriteString("\n")
		alignTable(&b, lifecycleRows(rep))
	}
	b.WriteString("\n")
	b.WriteString(takeaway(rep.runs))
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// notLoaded lists the pages that failed or did not finish, a line each,
// at most three per protocol.
func notLoaded(rep *report) string {
	const most = 3
	var b strings.Builder
	for _, o := range rep.runs {
		n := 0
		for _, p := range o.summary.Outcomes {
			if p.Outcome == trace.Loaded {
				continue
			}
			if n++; n > most {
				continue
			}
			fmt.Fprintf(&b, "  %s, %s: %s: %s\n", displayName(o.cfg.HTTP.Protocol), pageName(p), p.Outcome, p.Why)
		}
		if n > most {
			fmt.Fprintf(&b, "  %s: %s did not load\n", displayName(o.cfg.HTTP.Protocol), plural(n-most, "more page", "more pages"))
		}
	}
	return b.String()
}

// pageName names a page of a run: "page 2", "client 3 page 1".
func pageName(p trace.PageOutcome) string {
	if p.Client > 0 {
		return fmt.Sprintf("client %d page %d", p.Client, p.Page)
	}
	return fmt.Sprintf("page %d", p.Page)
}

// manyPages reports whether a run loaded more than one page (several
// visits or clients), so that page load is a mean.
func manyPages(rep *report) bool {
	for _, o := range rep.runs {
		if o.summary.Pages > 1 {
			return true
		}
	}
	return false
}

// lifecycleShown reports whether the keep-alive life cycle has something
// to show: several pages or clients, a proxy, TCP keep-alive, or requests
// that were retried, failed or refused.
func lifecycleShown(rep *report) bool {
	for _, o := range rep.runs {
		c, s := o.cfg, o.summary
		if s.Pages > 1 || c.Proxy.Enabled || c.TCP.KeepAlive || s.RetriedRequests+s.FailedRequests+s.RefusedConnections > 0 {
			return true
		}
	}
	return false
}

// lifecycleRows is the second table: what keeping connections cost.
func lifecycleRows(rep *report) [][]string {
	proxy := rep.runs[0].cfg.Proxy.Enabled
	head := []string{"life cycle", "page loads (ms)", "retried", "failed", "refused SYNs", "backlog wait", "idle slot-s", "TIME-WAIT srv/cli"}
	if proxy {
		head = append(head, "origin conns")
	}
	rows := [][]string{head}
	for _, o := range rep.runs {
		s := o.summary
		loads := make([]string, 0, len(s.Outcomes))
		for _, p := range s.Outcomes {
			if p.Outcome == trace.Loaded {
				loads = append(loads, ms1(p.Took()))
			} else {
				loads = append(loads, p.Outcome.String())
			}
		}
		cell := strings.Join(loads, " · ")
		switch {
		case len(loads) > 4:
			cell = fmt.Sprintf("%d loaded, mean %s, p95 %s", s.PagesLoaded, ms1(s.PageLoad), ms1(csvrow.P95(s.PageLoads)))
			if s.PagesLoaded == 0 {
				cell = "none loaded"
			}
			if k := s.PagesFailed + s.PagesUnfinished; k > 0 {
				cell += fmt.Sprintf(" (%d did not load)", k)
			}
		case len(loads) == 0:
			cell = "none"
		}
		row := []string{
			displayName(o.cfg.HTTP.Protocol), cell,
			strconv.Itoa(s.RetriedRequests), strconv.Itoa(s.FailedRequests), strconv.Itoa(s.RefusedConnections),
			ms1(s.BacklogWait) + " ms", strconv.FormatFloat(s.IdleSlot.Seconds(), 'f', 1, 64),
			fmt.Sprintf("%d/%d", s.TimeWaitPeakServer, s.TimeWaitPeakClient),
		}
		if proxy {
			row = append(row, strconv.Itoa(s.OriginConnections))
		}
		rows = append(rows, row)
	}
	return rows
}

// alignTable writes rows with two spaces between columns: the first
// column left-aligned, the others right-aligned.
func alignTable(b *strings.Builder, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, cell := range r {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, cell := range r {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			switch {
			case i == 0:
				line.WriteString(cell + pad)
			default:
				line.WriteString("  " + pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteString("\n")
	}
}

// settingsLine names the scenario and the settings that matter most.
func settingsLine(scenario string, c model.Config) string {
	bw := "bandwidth " + c.Link.Down.String()
	if c.Link.Up != c.Link.Down {
		bw = "bandwidth " + c.Link.Down.String() + " down, " + c.Link.Up.String() + " up"
	}
	n := csvrow.Objects(c)
	objs := plural(n, "object", "objects")
	tls := "TLS " + c.TLS.Version.String()
	if c.TLS.Resume && c.TLS.Version != model.NoTLS {
		tls += " with resumption"
	}
	if len(c.Origins) > 0 {
		// The main host's TLS is not the page's: say how many hosts
		// speak TLS at all (a same_server host, its server's).
		tlsHosts, same := 0, true
		for o := 0; o <= len(c.Origins); o++ {
			if c.SchemeOf(o) == "https" {
				tlsHosts++
			}
			same = same && c.TLSOf(o).Version == c.TLS.Version
		}
		switch hosts := 1 + len(c.Origins); {
		case same:
			tls += fmt.Sprintf(" (all %d hosts)", hosts)
		default:
			tls += fmt.Sprintf(" on %s (TLS on %d of %d hosts)", c.HTTP.Host, tlsHosts, hosts)
		}
	}
	iw := "IW " + csvrow.Window(c.TCP.InitialWindow)
	if c.HTTP.Protocol == model.HTTP3 {
		iw = "IW " + csvrow.Window(c.QUIC.InitialPackets(c.Ideal)) + " packets of " + strconv.Itoa(c.QUIC.MaxDatagram) + " B"
	}
	parts := []string{
		"RTT " + (2 * c.Link.Delay).String(), bw, "loss " + strconv.FormatFloat(c.Link.Loss, 'g', -1, 64),
		objs, tls, iw, "parallel " + strconv.Itoa(c.HTTP.Parallel),
	}
	line := scenario + ": " + strings.Join(parts, ", ")
	if c.Ideal {
		line += " (ideal)"
	}
	return line
}

// takeaway says in one sentence what the numbers show: the second
// protocol run compared with the first (HTTP/1.1 keep-alive against
// HTTP/1.0 by default), then how many connections the others used and,
// with three or more protocols, which was fastest.
func takeaway(runs []outcome) string {
	name := func(o outcome) string { return displayName(o.cfg.HTTP.Protocol) }
	conns := func(o outcome) string { return plural(o.summary.Connections, "connection", "connections") }
	if len(runs) == 1 {
		o := runs[0]
		if !o.summary.Complete {
			return fmt.Sprintf("%s opened %s and %s.", name(o), conns(o), notAll(o))
		}
		if o.summary.Pages > 1 {
			return fmt.Sprintf("%s opened %s and loaded its %d pages in %s ms on average.",
				name(o), conns(o), o.summary.Pages, ms1(o.summary.PageLoad))
		}
		return fmt.Sprintf("%s opened %s and loaded the page in %s ms.",
			name(o), conns(o), ms1(o.summary.PageLoad))
	}
	base, lead := runs[0], runs[1]
	var b strings.Builder
	b.WriteString(name(lead))
	if lead.summary.Connections == base.summary.Connections {
		fmt.Fprintf(&b, " opened as many connections as %s (%d)", name(base), base.summary.Connections)
	} else {
		fmt.Fprintf(&b, " opened %s instead of %d", conns(lead), base.summary.Connections)
	}
	// Compare what the table shows, to the tenth of a millisecond, so that
	// the sentence never contradicts the numbers beside it.
	switch d := rounded(lead.summary.PageLoad) - rounded(base.summary.PageLoad); {
	case !lead.summary.Complete:
		b.WriteString(" but " + notAll(lead))
	case !base.summary.Complete:
		fmt.Fprintf(&b, " and finished in %s ms, where %s %s", ms1(lead.summary.PageLoad), name(base), notAll(base))
	case d < 0:
		fmt.Fprintf(&b, " and finished %s ms sooner than %s", ms1(-d), name(base))
	case d > 0:
		fmt.Fprintf(&b, " and finished %s ms later than %s", ms1(d), name(base))
	default:
		fmt.Fprintf(&b, " and finished at the same time as %s", name(base))
	}
	for i, o := range runs[2:] {
		sep := ", "
		if i == 0 {
			sep = "; "
		}
		b.WriteString(sep + name(o))
		if o.summary.Complete {
			fmt.Fprintf(&b, " used %d", o.summary.Connections)
		} else {
			fmt.Fprintf(&b, " used %d and %s", o.summary.Connections, notAll(o))
		}
	}
	b.WriteString(".")
	if len(runs) > 2 {
		b.WriteString(fastest(runs))
	}
	return b.String()
}

// notAll says that a run did not load its page, or not every page.
func notAll(o outcome) string {
	if o.summary.Pages > 1 {
		return "did not load every page"
	}
	return "did not load the page"
}

// fastest names the protocols that finished first, e.g. " Fastest:
// HTTP/2 (312.0 ms)."; "" if none finished.
func fastest(runs []outcome) string {
	mean := ""
	if runs[0].summary.Pages > 1 {
		mean = " on average"
	}
	var names []string
	var best time.Duration
	for _, o := range runs {
		switch s := o.summary; {
		case !s.Complete:
		case names == nil || rounded(s.PageLoad) < best:
			names, best = []string{displayName(o.cfg.HTTP.Protocol)}, rounded(s.PageLoad)
		case rounded(s.PageLoad) == best:
			names = append(names, displayName(o.cfg.HTTP.Protocol))
		}
	}
	switch {
	case names == nil:
		return ""
	case len(names) == len(runs):
		return fmt.Sprintf(" All %d finished together (%s ms%s).", len(runs), ms1(best), mean)
	}
	return fmt.Sprintf(" Fastest: %s (%s ms%s).", strings.Join(names, " and "), ms1(best), mean)
}

// rounded is d to the tenth of a millisecond that ms1 shows.
func rounded(d time.Duration) time.Duration {
	const tenth = 100 * time.Microsecond
	if d < 0 {
		return -rounded(-d)
	}
	return (d + tenth/2) / tenth * tenth
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// ms1 formats d in milliseconds with one decimal, rounded half away from
// zero, without floating point.
func ms1(d time.Duration) string {
	const tenth = 100 * time.Microsecond
	neg := d < 0
	if neg {
		d = -d
	}
	q := (d + tenth/2) / tenth
	s := strconv.FormatInt(int64(q/10), 10) + "." + strconv.FormatInt(int64(q%10), 10)
	if neg && q != 0 {
		s = "-" + s
	}
	return s
}

// humanBytes formats a byte count in SI units, as DevTools does: 999 B,
// 312.4 kB, 1.5 MB.
func humanBytes(n int) string {
	const unit = 1000
	if n < unit {
		return strconv.Itoa(n) + " B"
	}
	v, exp := float64(n)/unit, 0
	for v >= 999.95 && exp < 3 { // would print as 1000.0
		v /= unit
		exp++
	}
	return fmt.Sprintf("%.1f %s", v, [...]string{"kB", "MB", "GB", "TB"}[exp])
}

// quicSettingsNote is what an HTTP/3 run's settings differ in from its
// TCP neighbours' on a settings line: QUIC's TLS and initial window.
func quicSettingsNote(c model.Config) string {
	return fmt.Sprintf("; HTTP/3: TLS 1.3, IW %s packets of %d B", csvrow.Window(c.QUIC.InitialPackets(c.Ideal)), c.QUIC.MaxDatagram)
}

// protocolMix says whether ps holds HTTP/3 and whether it holds a
// protocol over TCP.
func protocolMix(ps []model.Protocol) (h3, tcp bool) {
	for _, p := range ps {
		h3, tcp = h3 || p == model.HTTP3, tcp || p != model.HTTP3
	}
	return h3, tcp
}
