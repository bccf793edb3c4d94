package sweep

import (
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// TestFieldsCoverScenario: the table of fields holds every scalar field
// of a scenario file (as Scenario.YAML writes them all), and each field's
// unit reads the value written there, so that no varied field falls back
// to a column of words and no unit disagrees with the parser.
func TestFieldsCoverScenario(t *testing.T) {
	sc, err := scenarios.Resolve("webpage")
	if err != nil {
		t.Fatal(err)
	}
	data, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	// Not settable by a sweep: text, the seed (--seed) and lists.
	skip := []string{"name", "description", "narrative", "seed", "http.protocol", "page", "visits", "origins", "link.drops", "proxy.link.drops", "moments"}
	var leaves []string
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		if slices.Contains(skip, path) {
			return
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], strings.TrimPrefix(path+"."+n.Content[i].Value, "."))
			}
		case yaml.ScalarNode:
			leaves = append(leaves, path)
			f, ok := lookupField(path)
			if !ok || !slices.ContainsFunc(fields, func(g field) bool { return g.path == path }) {
				t.Errorf("%s (%s in a scenario file) is not in the table of fields", path, n.Value)
				return
			}
			if _, err := f.cell(n.Value); err != nil {
				t.Errorf("%s: its unit does not read %q, which the scenario file has: %v", path, n.Value, err)
			}
		default:
			t.Errorf("%s: unexpected YAML node kind %v", path, n.Kind)
		}
	}
	walk(doc.Content[0], "")
	// Written only in some files: the page's shorthand (a file holds its
	// resources), a link's bandwidth or its up and down (by whether they are equal), a TCP profile.
	sometimes := []string{"page.html_size", "page.objects", "page.object_size", "link.bandwidth", "proxy.link.bandwidth", "link.up", "link.down", "proxy.link.up", "proxy.link.down", "tcp.profile"}
	for _, f := range fields {
		if !slices.Contains(leaves, f.path) && !slices.Contains(sometimes, f.path) {
			t.Errorf("field %s is in the table but not in a scenario file", f.path)
		}
	}
}

// TestCells: each unit writes the values of its kind of field in one
// unit, whatever the unit typed.
func TestCells(t *testing.T) {
	for _, tc := range []struct {
		name, value, column, cell string
	}{
		{"rtt", "200ms", "vary.rtt_ms", "200.000000"},
		{"link.rtt", "0.05s", "vary.rtt_ms", "50.000000"},
		{"tcp.min_rto", "1.5ms", "vary.tcp.min_rto_ms", "1.500000"},
		{"tcp.max_rto", "unlimited", "vary.tcp.max_rto_ms", ""},
		{"loss", "1%", "vary.loss", "0.01"},
		{"loss", "0.001", "vary.loss", "0.001"},
		{"bandwidth", "512kbps", "vary.bandwidth_mbps", "0.512"},
		{"bandwidth", "unlimited", "vary.bandwidth_mbps", ""},
		{"proxy.link.up", "1Gbps", "vary.proxy.link.up_mbps", "1000"},
		{"object-size", "10KB", "vary.object_size_bytes", "10000"},
		{"mss", "1KiB", "vary.mss_bytes", "1024"},
		{"iw", "unlimited", "vary.iw", ""},
		{"objects", "12", "vary.objects", "12"},
		// A page flag and its field mean different pages (run's synthetic
		// page with its other flags' defaults, or the field alone), so
		// their columns differ.
		{"page.objects", "12", "vary.page.objects", "12"},
		{"html-size", "5KB", "vary.html_size_bytes", "5000"},
		{"page.html_size", "5KB", "vary.page.html_size_bytes", "5000"},
		{"clients.rate", "2.5", "vary.clients.rate_per_s", "2.5"},
		{"tls-resume", "TRUE", "vary.tls_resume", "true"},
		{"ideal", "false", "vary.ideal", "false"},
		{"tls", "1.3", "vary.tls", "1.3"},
		{"link.queue", "fair", "vary.link.queue", "fair"},
	} {
		f, ok := lookupField(tc.name)
		if !ok {
			t.Errorf("%s: not found", tc.name)
			continue
		}
		cell, err := f.cell(tc.value)
		if f.column() != tc.column || cell != tc.cell || err != nil {
			t.Errorf("%s=%s: column %s, cell %q, %v; want %s, %q", tc.name, tc.value, f.column(), cell, err, tc.column, tc.cell)
		}
		if g, ok := fieldOfColumn(tc.column); !ok || g.path != f.path {
			t.Errorf("fieldOfColumn(%s) = %s, want %s", tc.column, g.path, f.path)
		}
	}
}

// TestColumnsAreNotReportColumns: no parameter's column can be a column
// of "keepalive run", whatever is varied.
func TestColumnsAreNotReportColumns(t *testing.T) {
	seen := map[string]string{}
	for _, f := range fields {
		c := f.column()
		if slices.Contains(report.Columns, c) || slices.Contains(fixedColumns, c) {
			t.Errorf("%s: column %s is already a column", f.path, c)
		}
		if prev, dup := seen[c]; dup {
			t.Errorf("%s and %s share column %s", prev, f.path, c)
		}
		seen[c] = f.path
	}
}

// TestLogParamByAnyName: a chart's x axis is logarithmic for a /log:
// range whether --x names the parameter as typed, by its field or by its
// column.
func TestLogParamByAnyName(t *testing.T) {
	p, err := NewPlan(Spec{Vary: []Vary{{Name: "rtt", Values: "1ms..100ms/log:3"}}, Replicates: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"rtt", "link.rtt", "vary.rtt_ms"} {
		if !p.logParam(name) {
			t.Errorf("logParam(%s) = false, want true", name)
		}
	}
	if p.logParam("loss") {
		t.Error("logParam(loss) = true for a parameter not varied")
	}
}

// TestDisplay: charts name a cell with its unit, as it was typed.
func TestDisplay(t *testing.T) {
	for _, tc := range []struct{ name, cell, want string }{
		{"rtt", "100.000000", "RTT 100 ms"},
		{"loss", "0.015", "loss 1.5%"},
		{"bandwidth", "0.512", "bandwidth 0.512 Mbit/s"},
		{"bandwidth", "", "bandwidth unlimited"},
		{"iw", "", "IW unlimited"},
		{"mss", "1460", "MSS 1460 bytes"},
		{"object-size", "10500", "object-size 10.5 KB"},
		{"object-size", "1048576", "object-size 1 MiB"},
		{"tcp.recv_window", "", "tcp.recv_window unlimited or auto"},
		{"clients.rate", "2.5", "clients.rate 2.5 per s"},
		{"link.queue", "fair", "link.queue fair"},
		{"tls", "1.3", "TLS 1.3"},
	} {
		f, _ := lookupField(tc.name)
		if got := f.describe(tc.cell); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.name, tc.cell, got, tc.want)
		}
	}
}

// TestSubtitle: the subtitle names the run's shared settings and every
// parameter with one value, each once, with its unit, in lines that fit
// above a chart.
func TestSubtitle(t *testing.T) {
	tab := &Table{Header: []string{"run", "runs_total", "vary.rtt_ms", "vary.tcp.min_rto_ms", "vary.ideal", "replicate", "protocol",
		"rtt_ms", "bandwidth_mbps", "loss", "iw", "ideal", "page_load_ms"}}
	for _, rtt := range []string{"20.000000", "80.000000"} {
		tab.Rows = append(tab.Rows, []string{"0", "2", rtt, "200.000000", "true", "0", "http2", rtt, "", "0.015", "", "true", "1"})
	}
	got := sharedSettings(tab)
	want := "bandwidth unlimited, loss 1.5%, IW unlimited, tcp.min_rto 200 ms, ideal"
	if strings.ReplaceAll(got, ",\n", ", ") != want {
		t.Errorf("subtitle %q, want %q", got, want)
	}
	for _, line := range strings.Split(got, "\n") {
		if len(line) > subtitleWidth+1 {
			t.Errorf("subtitle line %q is longer than %d", line, subtitleWidth)
		}
	}
}
