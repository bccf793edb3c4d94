package sweep

import (
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

func TestLogSpaced(t *testing.T) {
	for _, tc := range []struct {
		name string
		vs   []float64
		want bool
	}{
		{"decades", []float64{1, 10, 100, 1000}, true},
		{"log:6 rounded", []float64{1, 2.511886, 6.309573, 15.848932, 39.810717, 100}, true},
		{"unsorted", []float64{100, 1, 10}, true},
		{"linear", []float64{10, 20, 30, 40}, false},
		{"two points", []float64{1, 100}, false},
		{"zero", []float64{0, 10, 100}, false},
		{"uneven", []float64{1, 10, 20, 1000}, false},
	} {
		if got := logSpaced(tc.vs); got != tc.want {
			t.Errorf("%s: logSpaced(%v) = %v", tc.name, tc.vs, got)
		}
	}
}

func TestAxisLabel(t *testing.T) {
	for _, tc := range []struct {
		col  string
		k    kind
		want string
	}{
		{"rtt", duration, "RTT (ms)"},
		{"link.rtt", duration, "RTT (ms)"},
		{"bandwidth", rate, "bandwidth (Mbit/s)"},
		{"vary.objects", number, "objects per page"},
		{"page_load_ms", number, "page load (ms)"},
		{"tcp.min_rto", duration, "tcp.min_rto (ms)"},
		{"link.queue", word, "link.queue"},
		{"idle_ms", number, "idle (ms)"},
	} {
		if got := axisLabel(tc.col, tc.k); got != tc.want {
			t.Errorf("axisLabel(%q) = %q, want %q", tc.col, got, tc.want)
		}
	}
}

// TestAddSeriesRoomForBars: error bars are cut at 0 and the value
// returned covers the highest bar, which plot uses to size the y axis.
func TestAddSeriesRoomForBars(t *testing.T) {
	p := plot.New()
	var legend plot.Legend
	// Mean 2, sd large: the raw 95% interval runs below 0.
	l := &series{label: "x", points: map[string][]float64{"a": {0, 0, 0, 8}}}
	high, err := addSeries(p, &legend, l, map[string]float64{"a": 1}, func(x float64) float64 { return x })
	if err != nil {
		t.Fatal(err)
	}
	st := Describe(l.points["a"])
	if st.CILow >= 0 {
		t.Fatalf("the sample should give a negative lower bound, got %v", st.CILow)
	}
	if high != st.CIHigh {
		t.Errorf("highest value %v, want the upper bound %v", high, st.CIHigh)
	}
}

// TestFixPDFDates: the dates become SOURCE_DATE_EPOCH's, or 1970
// without it, at the same length so that the PDF's offsets stay right.
func TestFixPDFDates(t *testing.T) {
	in := []byte("1 0 obj\n/CreationDate (D:20261201093000)\n/ModDate (D:20261201093001)\nxref")
	for _, tc := range []struct{ epoch, want string }{
		{"", "19700101000000"}, {"1764547200", "20251201000000"}, {"junk", "19700101000000"},
	} {
		out := fixPDFDates(in, tc.epoch)
		want := "1 0 obj\n/CreationDate (D:" + tc.want + ")\n/ModDate (D:" + tc.want + ")\nxref"
		if string(out) != want || len(out) != len(in) {
			t.Errorf("epoch %q: %q", tc.epoch, out)
		}
	}
}

// TestGroupStyles: with --by protocol,loss every line looks different —
// the protocol sets the colour, the loss the marker and dashes — and the
// title says what every row shares.
func TestGroupStyles(t *testing.T) {
	tab := &Table{Header: []string{"run", "runs_total", "rtt", "vary.loss", "replicate", "protocol", "page_load_ms", "bandwidth_mbps", "loss", "tls"}}
	for _, proto := range []string{"http1.0", "http1.1", "http1.1-pipelined", "http2"} {
		for _, loss := range []string{"0", "0.02"} {
			for _, rtt := range []string{"20ms", "80ms"} {
				tab.Rows = append(tab.Rows, []string{"0", "16", rtt, loss, "0", proto, "100", "10", loss, "none"})
			}
		}
	}
	spec := &PlotSpec{Path: "c.svg", X: "rtt", By: []string{"protocol", "loss"}}
	x, y, by, err := spec.resolve(tab.Header)
	if err != nil {
		t.Fatal(err)
	}
	lines, _, _, err := group(tab, x, y, by)
	if err != nil {
		t.Fatal(err)
	}
	type look struct{ colour, style, dashes int }
	seen := map[look]string{}
	colourOf := map[string]int{}
	for _, l := range lines {
		k := look{l.colour, l.style, l.dashes}
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s look alike: %+v", l.label, other, k)
		}
		seen[k] = l.label
		proto := strings.Split(l.label, ",")[0]
		if c, ok := colourOf[proto]; ok && c != l.colour {
			t.Errorf("%s: colour %d, but %s has %d", l.label, l.colour, proto, c)
		}
		colourOf[proto] = l.colour
	}
	if len(lines) != 8 || len(colourOf) != 4 {
		t.Errorf("%d lines in %d colours, want 8 in 4", len(lines), len(colourOf))
	}
	p, _, err := spec.plot(tab)
	if err != nil {
		t.Fatal(err)
	}
	if want := "bandwidth 10 Mbit/s, TLS none"; !strings.Contains(p.Title.Text, want) {
		t.Errorf("title %q does not say %q", p.Title.Text, want)
	}
	if strings.Contains(p.Title.Text, "loss") {
		t.Errorf("title %q names loss, which varies", p.Title.Text)
	}
}

// TestDodge: with error bars, the lines at one x are spread about it,
// symmetrically and within 5 % of the axis; without, nothing moves.
func TestDodge(t *testing.T) {
	pos := map[string]float64{"a": 20, "b": 200}
	d := dodge(4, true, pos, false, false)
	var xs []float64
	for _, f := range d {
		xs = append(xs, f(100))
	}
	if !(xs[0] < xs[1] && xs[1] < xs[2] && xs[2] < xs[3]) || xs[0]+xs[3] != 200 || xs[3]-xs[0] > 0.05*180 {
		t.Errorf("dodged x %v", xs)
	}
	for _, f := range dodge(4, false, pos, false, false) {
		if f(100) != 100 {
			t.Error("moved without error bars")
		}
	}
	if l := dodge(2, true, pos, false, true); !(l[0](100) < 100 && l[1](100) > 100) {
		t.Error("log axis not dodged")
	}
}

// TestPlotRefusesNonNumbers: a y cell that is not a number (a hand edit:
// abc, NaN, Inf) is an error naming its row, not a silently missing point
// or a plotter's "NaN data point".
func TestPlotRefusesNonNumbers(t *testing.T) {
	for _, cell := range []string{"abc", "NaN", "Inf", "-Inf"} {
		tab := &Table{Header: []string{"run", "runs_total", "rtt", "replicate", "protocol", "page_load_ms"},
			Rows: [][]string{{"0", "2", "10ms", "0", "http1.1", "5"}, {"1", "2", "20ms", "0", "http1.1", cell}}}
		spec := &PlotSpec{Path: "c.svg", X: "rtt"}
		if _, _, err := spec.plot(tab); err == nil || !strings.Contains(err.Error(), "row 2 (line 3) holds") {
			t.Errorf("%s: %v", cell, err)
		}
	}
}

// TestFitLines: a title line too wide for the room the legend leaves is
// wrapped at its separators, each line then fitting.
func TestFitLines(t *testing.T) {
	width := func(s string) vg.Length { return vg.Length(len(s)) }
	got := fitLines("Page load vs RTT\nbandwidth 10 Mbit/s, MSS 1448 bytes, IW 10, TLS none", 24, width)
	want := "Page load vs RTT\nbandwidth 10 Mbit/s,\nMSS 1448 bytes, IW 10,\nTLS none"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	for _, l := range strings.Split(got, "\n") {
		if len(l) > 24 {
			t.Errorf("line %q is wider than 24", l)
		}
	}
}

// TestSubtitleNamesASettingOnce: a page flag and its field share the
// report's objects column, which the subtitle names once.
func TestSubtitleNamesASettingOnce(t *testing.T) {
	tb := &Table{Header: []string{"objects", "page_load_ms"}, Rows: [][]string{{"12", "1"}, {"12", "2"}}}
	if got := sharedSettings(tb); strings.Count(got, "12 objects") != 1 {
		t.Errorf("subtitle %q", got)
	}
}

// TestTickLabel: whole x values are written whole, however large (a 75 s
// timeout in ms), others to four digits.
func TestTickLabel(t *testing.T) {
	for v, want := range map[float64]string{75000: "75000", 5000: "5000", 0: "0", 0.5: "0.5", 0.015: "0.015", 1.23456: "1.235", -20: "-20"} {
		if got := tickLabel(v); got != want {
			t.Errorf("tickLabel(%v) = %q, want %q", v, got, want)
		}
	}
}
