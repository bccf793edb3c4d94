package sweep

// The words of a chart: axis labels, legends, the title and its subtitle
// of shared settings, each value named with its unit as the table of
// fields says.

import (
	"fmt"
	"strings"
)

// protocolNames are the legend's names of the protocols.
var protocolNames = map[string]string{
	"http1.0": "HTTP/1.0", "http1.1": "HTTP/1.1 keep-alive",
	"http1.1-pipelined": "HTTP/1.1 pipelined", "http2": "HTTP/2",
	"http3": "HTTP/3",
}

// groupLabel names a line by its --by values: "HTTP/2, loss 1%",
// "link.queue fair", as the subtitle names shared settings.
func groupLabel(header, row []string, by []int) string {
	var parts []string
	for _, c := range by {
		if header[c] == "protocol" && protocolNames[row[c]] != "" {
			parts = append(parts, protocolNames[row[c]])
			continue
		}
		if f, ok := columnField(header[c]); ok {
			parts = append(parts, f.describe(row[c]))
			continue
		}
		parts = append(parts, strings.TrimPrefix(header[c], "vary.")+"="+row[c])
	}
	return strings.Join(parts, ", ")
}

// axisLabels name the columns on an axis; a unit is added from the
// values' kind when the label has none.
var axisLabels = map[string]string{
	"rtt": "RTT", "link.rtt": "RTT", "rtt_ms": "RTT (ms)",
	"bandwidth": "bandwidth", "link.bandwidth": "bandwidth", "link.up": "uplink bandwidth",
	"link.down": "downlink bandwidth", "bandwidth_mbps": "bandwidth (Mbit/s)",
	"loss": "loss probability", "link.loss": "loss probability",
	"objects": "objects per page", "page.objects": "objects per page",
	"object-size": "object size", "page.object_size": "object size",
	"html-size": "HTML size", "page.html_size": "HTML size",
	"mss": "MSS (bytes)", "tcp.mss": "MSS (bytes)",
	"iw": "initial window (segments)", "tcp.initial_window": "initial window (segments)",
	"parallel": "parallel connections", "http.parallel": "parallel connections",
	"tls": "TLS version", "tls.version": "TLS version", "link.buffer": "link buffer (packets)",
	"page_load_ms": "page load (ms)", "ttfb_ms": "time to first byte (ms)",
	"tcp_connections": "TCP connections", "tls_handshakes": "TLS handshakes",
	"packets": "packets sent", "wire_bytes": "bytes on the wire", "retransmissions": "retransmissions",
	"drops": "packets lost", "complete": "fraction of loads complete", "replicate": "replicate",
	"clients.rate": "visitors per second (clients.rate)", "clients.count": "clients",
	"server_cpu_ms": "server CPU time (ms)", "server_cpu_util": "server CPU utilisation (0 to 1)",
	"handshake_queue_ms":    "TLS handshake wait for a core (ms)",
	"server_mem_peak_bytes": "server memory, peak (bytes)", "server_mem_mean_bytes": "server memory, mean (bytes)",
}

func axisLabel(col string, k kind) string {
	name := strings.TrimPrefix(col, "vary.")
	label, ok := axisLabels[name]
	if !ok {
		label = name
		if base, ms := strings.CutSuffix(name, "_ms"); ms {
			label = base + " (ms)"
		}
	}
	if !strings.Contains(label, "(") {
		switch k {
		case duration:
			label += " (ms)"
		case rate:
			label += " (Mbit/s)"
		case size:
			label += " (KB)"
		case percent:
			label += " (%)"
		}
	}
	return label
}

// title is "page load vs RTT: webpage, mean and 95% CI of 30 runs".
func title(t *Table, xLabel, yLabel string, n int) string {
	strip := func(s string) string {
		if i := strings.Index(s, " ("); i >= 0 {
			s = s[:i]
		}
		return s
	}
	s := strings.ToUpper(strip(yLabel)[:1]) + strip(yLabel)[1:] + " vs " + strip(xLabel)
	if c := t.Column("scenario"); c >= 0 && len(t.Rows) > 0 {
		s += ": " + t.Rows[0][c]
	}
	if n > 1 {
		s += fmt.Sprintf(", mean and 95%% CI of %d runs", n)
	}
	if fixed := sharedSettings(t); fixed != "" {
		s += "\n" + fixed
	}
	return s
}

// sharedSettings writes the settings every row shares: "RTT 100 ms,
// bandwidth 10 Mbit/s, loss 1%, MSS 1460 bytes, IW 10, TLS none,
// 12 objects", in the order of the table of fields, each as a legend
// names it: the labelled settings of the run's columns, then any
// parameter with one value whose setting has no such column, in lines
// that fit above the chart. The x axis and the groups vary, so they are
// left out by themselves. A chart without it does not say what it holds
// fixed.
func sharedSettings(t *Table) string {
	var parts []string
	shared := func(col string) (string, bool) {
		c := t.Column(col)
		if c < 0 || len(t.Rows) == 0 {
			return "", false
		}
		v := t.Rows[0][c]
		for _, row := range t.Rows {
			if row[c] != v {
				return "", false
			}
		}
		return v, true
	}
	named := map[string]bool{} // a page flag and its field share a report column
	for _, f := range fields {
		if f.report != "" && f.label != "" && !named[f.report] {
			if v, ok := shared(f.report); ok {
				parts = append(parts, f.describe(v))
				named[f.report] = true
			}
		}
	}
	for _, col := range t.Params() {
		f, ok := fieldOfColumn(col)
		if ok && f.path != nameIdeal && (f.report == "" || f.label == "" || t.Column(f.report) < 0) {
			if v, same := shared(col); same {
				parts = append(parts, f.describe(v))
			}
		}
	}
	if c := t.Column("ideal"); c >= 0 && len(t.Rows) > 0 && t.Rows[0][c] == "true" {
		parts = append(parts, "ideal")
	}
	// Lines of at most subtitleWidth characters: a longer one would run
	// off the chart, hiding what it holds fixed.
	var lines []string
	for _, part := range parts {
		if n := len(lines); n > 0 && len(lines[n-1])+2+len(part) <= subtitleWidth {
			lines[n-1] += ", " + part
		} else {
			lines = append(lines, part)
		}
	}
	return strings.Join(lines, ",\n")
}

// subtitleWidth is the most characters of a subtitle line that fit
// above a chart in its title's font.
const subtitleWidth = 64
