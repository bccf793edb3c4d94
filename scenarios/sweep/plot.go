package sweep

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// PlotSpec is a chart of one metric against one column: a line per
// group, at each x the mean of the rows there, with error bars of the
// 95% confidence interval of the mean when there are several rows.
type PlotSpec struct {
	Path string // the file: .png, .svg or .pdf
	// PathFlag names Path in messages; "" is "--plot" (sweep's flag;
	// the plot command calls it --out).
	PathFlag string
	// X is the column on the x axis: a varied parameter, by its name
	// (rtt, link.queue) or its column (vary.rtt_ms), or any numeric
	// column; "" is the first varied parameter. Durations, rates and
	// sizes are drawn in ms, Mbit/s and KB, probabilities in %; words
	// (fifo, fair, 1.3) in the order they first appear.
	X string
	// Y is the metric on the y axis; "" is page_load_ms.
	Y string
	// By are the columns that split the rows into lines; nil is
	// protocol. Every other varied parameter must have one value.
	By []string
	// LogX draws x on a log scale; nil decides: in a sweep, when the x
	// parameter was a log range (a..b/log:n); from a file, when the x
	// values are equally spaced on a log scale.
	LogX  *bool
	Title string // "" makes one from the axes and the scenario
}

// plotFormats are the file types a chart can be written as.
var plotFormats = []string{".png", ".svg", ".pdf"}

// tickLabel writes an x value as a tick says it: whole numbers whole
// ("75000", not "7.5e+04": a 75 s timeout in ms), others to 4 digits.
func tickLabel(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// maxValueTicks is the most x values that each get a tick.
const maxValueTicks = 10

// Size of a chart: 16:10, readable on a slide.
const (
	plotWidth  = 8 * vg.Inch
	plotHeight = 5 * vg.Inch
	plotDPI    = 150
)

// Check resolves X, Y and By in header and checks the file type.
func (s *PlotSpec) Check(header []string) error {
	_, _, _, err := s.resolve(header)
	return err
}

func (s *PlotSpec) resolve(header []string) (x, y int, by []int, err error) {
	ext := strings.ToLower(filepath.Ext(s.Path))
	if !slices.Contains(plotFormats, ext) {
		flag := s.PathFlag
		if flag == "" {
			flag = "--plot"
		}
		return 0, 0, nil, inputErrorf(flag+" "+s.Path, "unknown chart type %q; allowed: %s", ext, strings.Join(plotFormats, ", "))
	}
	t := &Table{Header: header}
	params := t.Params()
	xName := s.X
	if xName == "" {
		if len(params) == 0 {
			return 0, 0, nil, inputErrorf("--x", "give the column for the x axis; this file varies no parameter")
		}
		xName = params[0]
	}
	if x = column(header, xName); x < 0 {
		return 0, 0, nil, inputErrorf("--x "+xName, "no such column; allowed: %s", strings.Join(append(paramNames(params), "or a numeric column such as rtt_ms"), ", "))
	}
	yName := s.Y
	if yName == "" {
		yName = "page_load_ms"
	}
	// Only a measured metric is checked here, before any run: a
	// setting or a word column (scenario, protocol) has no mean to draw.
	if y = column(header, yName); y < 0 || !slices.Contains(report.Metrics, yName) {
		var metrics []string
		for _, m := range report.Metrics {
			if slices.Contains(header, m) {
				metrics = append(metrics, m)
			}
		}
		what := "no such column"
		if y >= 0 {
			what = "not a measured metric"
		}
		return 0, 0, nil, inputErrorf("--y "+yName, "%s; allowed: %s", what, strings.Join(metrics, ", "))
	}
	names := s.By
	if names == nil {
		names = []string{"protocol"}
	}
	for _, name := range names {
		c := column(header, name)
		if c < 0 {
			return 0, 0, nil, inputErrorf("--by "+name, "no such column; allowed: %s", strings.Join(append(paramNames(params), "protocol", "or another column"), ", "))
		}
		if c == x {
			return 0, 0, nil, inputErrorf("--by "+name, "is already the x axis")
		}
		by = append(by, c)
	}
	return x, y, by, nil
}

// column finds a column by the name of a varied parameter, as typed
// (rtt, link.rtt, loss: the parameter wins over the run's loss column),
// or by its own name (vary.rtt_ms, rtt_ms). Last, "vary." + name finds
// the parameters of files written before parameter columns had units.
func column(header []string, name string) int {
	if f, ok := lookupField(name); ok {
		if i := slices.Index(header, f.column()); i >= 0 {
			return i
		}
	}
	if i := slices.Index(header, name); i >= 0 {
		return i
	}
	return slices.Index(header, "vary."+name)
}

// paramNames are the names a user types for the parameter columns.
func paramNames(params []string) []string {
	var names []string
	for _, p := range params {
		if f, ok := fieldOfColumn(p); ok {
			names = append(names, f.short())
		} else {
			names = append(names, strings.TrimPrefix(p, "vary."))
		}
	}
	return names
}

// series is one line of a chart.
type series struct {
	label  string
	points map[string][]float64 // x text → y values
	// colour follows the first --by column's value, style (marker and
	// dashes) the others', so that with --by protocol,loss each protocol
	// keeps its colour and each loss its marker: no two lines look alike
	// however many there are. With one --by column both follow it.
	colour, style, dashes int
}

// Write draws the chart of t and writes it to s.Path, whole or not at
// all.
func (s *PlotSpec) Write(t *Table) error {
	p, legend, err := s.plot(t)
	if err != nil {
		return err
	}
	return report.WriteAtomic(s.Path, func(w io.Writer) error {
		c, err := newCanvas(strings.ToLower(filepath.Ext(s.Path)))
		if err != nil {
			return err
		}
		draw2(draw.New(c), p, legend)
		if _, ok := c.(*vgpdf.Canvas); ok {
			var buf bytes.Buffer
			if _, err := c.WriteTo(&buf); err != nil {
				return err
			}
			_, err := w.Write(fixPDFDates(buf.Bytes(), os.Getenv("SOURCE_DATE_EPOCH")))
			return err
		}
		_, err = c.WriteTo(w)
		return err
	})
}

// pdfDate matches the dates fpdf writes from the clock, which would make
// two identical sweeps' PDFs differ: "/CreationDate (D:20261201093000)".
var pdfDate = regexp.MustCompile(`/(CreationDate|ModDate) \(D:[0-9]{14}\)`)

// fixPDFDates sets a PDF's creation and modification dates to the time
// in epoch (seconds, the reproducible-builds convention
// SOURCE_DATE_EPOCH) or, without it, to 1 January 1970: a chart depends
// on its data only. The replacement has the same length, so the PDF's
// cross-reference offsets stay right.
func fixPDFDates(pdf []byte, epoch string) []byte {
	t := time.Unix(0, 0).UTC()
	if sec, err := strconv.ParseInt(epoch, 10, 64); err == nil {
		t = time.Unix(sec, 0).UTC()
	}
	date := t.Format("20060102150405")
	if len(date) != 14 {
		date = "19700101000000" // a year past 9999: keep the length
	}
	return pdfDate.ReplaceAllFunc(pdf, func(m []byte) []byte {
		name := m[1:bytes.IndexByte(m, ' ')]
		return []byte("/" + string(name) + " (D:" + date + ")")
	})
}

// draw2 draws the chart with its legend to the right, outside the data,
// where it hides no line.
func draw2(dc draw.Canvas, p *plot.Plot, legend plot.Legend) {
	r := legend.Rectangle(dc)
	pad := vg.Points(10)
	w := r.Max.X - r.Min.X + 2*pad
	// The legend takes the right of the canvas: rewrap the title's lines
	// to what is left, or a long subtitle runs off it.
	p.Title.Text = fitLines(p.Title.Text, dc.Max.X-dc.Min.X-w-pad, p.Title.TextStyle.Width)
	p.Draw(draw.Crop(dc, 0, -w, 0, 0))
	legend.Top, legend.Left = true, true
	legend.Draw(draw.Crop(dc, dc.Max.X-dc.Min.X-w+pad, 0, 0, -3*pad))
}

func newCanvas(ext string) (interface {
	vg.CanvasSizer
	io.WriterTo
}, error) {
	switch ext {
	case ".png":
		return vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(plotWidth, plotHeight), vgimg.UseDPI(plotDPI))}, nil
	case ".svg":
		return vgsvg.New(plotWidth, plotHeight), nil
	case ".pdf":
		return vgpdf.New(plotWidth, plotHeight), nil
	}
	return nil, fmt.Errorf("unknown chart type %q", ext)
}

// plot builds the chart.
func (s *PlotSpec) plot(t *Table) (*plot.Plot, plot.Legend, error) {
	legend := plot.NewLegend()
	x, y, by, err := s.resolve(t.Header)
	if err != nil {
		return nil, legend, err
	}
	if err := checkOthersFixed(t, x, by); err != nil {
		return nil, legend, err
	}
	lines, xs, maxN, err := group(t, x, y, by)
	if err != nil {
		return nil, legend, err
	}
	if len(lines) == 0 {
		return nil, legend, inputErrorf("--y "+t.Header[y], "no numeric values to plot")
	}

	// Place the x values: numbers in a common unit, or categories. A
	// parameter's column says its unit (vary.rtt_ms); another column's
	// values may carry their own (100ms, in files of older versions).
	quantityOf := parseQuantity
	xf, known := columnField(t.Header[x])
	if known {
		quantityOf = xf.quantity
	}
	xk := xKind(xs, quantityOf)
	pos := map[string]float64{}
	categorical := xk == word
	if categorical && known && xf.unit != asWord {
		// A numeric parameter with a word (unlimited): its numbers in
		// order, then the word.
		key := func(xt string) (int, float64) {
			if q := quantityOf(xt); q.kind != word {
				return 0, q.value()
			}
			return 1, 0
		}
		slices.SortStableFunc(xs, func(a, b string) int {
			wa, va := key(a)
			wb, vb := key(b)
			return cmp.Or(cmp.Compare(wa, wb), cmp.Compare(va, vb))
		})
	}
	for i, xt := range xs {
		if categorical {
			pos[xt] = float64(i)
		} else {
			pos[xt] = xValue(quantityOf(xt), xk)
		}
	}
	logX := false
	if s.LogX != nil {
		logX = *s.LogX && !categorical
	} else if !categorical {
		logX = logSpaced(slices.Collect(maps.Values(pos)))
	}
	if logX {
		for xt, v := range pos {
			if !(v > 0) {
				return nil, legend, inputErrorf("--logx", "x value %s is not > 0; a log axis needs positive values", xt)
			}
		}
	}

	p := plot.New()
	xLabel, yLabel := axisLabel(t.Header[x], xk), axisLabel(t.Header[y], number)
	if known && !categorical {
		xLabel = axisLabel(xf.short(), xk)
	} else if known {
		xLabel = axisLabel(xf.short(), word)
	}
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	p.Title.Text = s.Title
	if p.Title.Text == "" {
		p.Title.Text = title(t, xLabel, yLabel, maxN)
	}
	p.Title.TextStyle.Font.Size = vg.Points(14)
	p.Add(plotter.NewGrid())
	if categorical {
		var ticks []plot.Tick
		for i, xt := range xs {
			label := xt
			if known {
				label = xf.display(xt)
			}
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: label})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		p.X.Min, p.X.Max = -0.5, float64(len(xs))-0.5
	}
	if logX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.LogTicks{Prec: -1}
	}
	if !categorical && len(xs) <= maxValueTicks {
		// Few x values: a tick at each, so every point can be read off.
		var ticks []plot.Tick
		for _, v := range slices.Sorted(maps.Values(pos)) {
			ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v)})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
	}
	top := 0.0
	dodges := dodge(len(lines), maxN > 1, pos, categorical, logX)
	for i, l := range lines {
		high, err := addSeries(p, &legend, l, pos, dodges[i])
		if err != nil {
			return nil, legend, err
		}
		top = max(top, high)
	}
	// Every metric is ≥ 0: start the axis at 0 and leave room above the
	// highest error bar, so no bar is cut off.
	p.Y.Min = 0
	if top > 0 {
		p.Y.Max = top * 1.05
	}
	return p, legend, nil
}

// group splits the rows into one series per --by group, in order of
// appearance, with the x values in order of appearance and the most
// rows at one point.
func group(t *Table, x, y int, by []int) (lines []*series, xs []string, maxN int, err error) {
	byLabel := map[string]*series{}
	colours, styles := map[string]int{}, map[string]int{}
	seenX := map[string]bool{}
	for i, row := range t.Rows {
		v, ok := floatCell(row[y])
		if !ok {
			if row[y] != "" { // empty is "did not happen" (no page loaded); anything else is not a value
				return nil, nil, 0, inputErrorf("--y "+t.Header[y], "row %d (line %d) holds %q, not a number", i+1, i+2, row[y])
			}
			continue
		}
		label := groupLabel(t.Header, row, by)
		l := byLabel[label]
		if l == nil {
			first, rest := row[by[0]], label
			if len(by) > 1 {
				rest = groupLabel(t.Header, row, by[1:])
			}
			if _, ok := colours[first]; !ok {
				colours[first] = len(colours)
			}
			if _, ok := styles[rest]; !ok {
				styles[rest] = len(styles)
			}
			l = &series{label: label, points: map[string][]float64{}, colour: colours[first], style: styles[rest], dashes: styles[rest]}
			if len(by) == 1 {
				// Past the palette's 7 colours, dashes tell apart lines
				// of one colour.
				l.style, l.dashes = l.colour, l.colour/7
			}
			byLabel[label] = l
			lines = append(lines, l)
		}
		xt := row[x]
		l.points[xt] = append(l.points[xt], v)
		maxN = max(maxN, len(l.points[xt]))
		if !seenX[xt] {
			seenX[xt] = true
			xs = append(xs, xt)
		}
	}
	return lines, xs, maxN, nil
}

// dodge returns, per line, how its points are moved along x so that the
// error bars of lines at the same x do not hide one another (ggplot's
// position_dodge): lines spread over 5 % of the axis (of the smallest
// gap between x values, for categories), symmetrically about the true
// x, multiplied on a log axis. Without error bars nothing moves.
func dodge(lines int, bars bool, pos map[string]float64, categorical, logX bool) []func(float64) float64 {
	same := func(x float64) float64 { return x }
	out := make([]func(float64) float64, lines)
	for i := range out {
		out[i] = same
	}
	if !bars || lines < 2 || len(pos) == 0 {
		return out
	}
	vs := slices.Sorted(maps.Values(pos))
	lo, hi := vs[0], vs[len(vs)-1]
	for i := range out {
		k := float64(i) - float64(lines-1)/2 // −(n−1)/2 … (n−1)/2
		switch {
		case categorical:
			out[i] = func(x float64) float64 { return x + k*0.3/float64(lines) }
		case logX && lo > 0 && hi > lo:
			f := math.Pow(hi/lo, 0.05*k/float64(lines))
			out[i] = func(x float64) float64 { return x * f }
		case hi > lo:
			d := 0.05 * (hi - lo) * k / float64(lines)
			out[i] = func(x float64) float64 { return x + d }
		}
	}
	return out
}

// addSeries draws one line with its points, and error bars where a
// point has several values (cut at 0: the metrics cannot be negative). It
// returns the highest value drawn.
func addSeries(p *plot.Plot, legend *plot.Legend, l *series, pos map[string]float64, shift func(float64) float64) (float64, error) {
	keys := make([]string, 0, len(l.points))
	for xt := range l.points {
		keys = append(keys, xt)
	}
	sort.Slice(keys, func(a, b int) bool { return pos[keys[a]] < pos[keys[b]] })
	xys := make(plotter.XYs, len(keys))
	errs := make(plotter.YErrors, len(keys))
	bars := false
	high := 0.0
	for k, xt := range keys {
		st := Describe(l.points[xt])
		xys[k].X, xys[k].Y = shift(pos[xt]), st.Mean
		high = max(high, st.Mean)
		if st.N >= 2 && !math.IsNaN(st.CILow) {
			errs[k].Low, errs[k].High = st.Mean-max(st.CILow, 0), st.CIHigh-st.Mean
			high = max(high, st.CIHigh)
			bars = true
		}
	}
	line, points, err := plotter.NewLinePoints(xys)
	if err != nil {
		return 0, err
	}
	c := plotutil.Color(l.colour)
	line.Color, line.Width = c, vg.Points(1.5)
	line.Dashes = plotutil.Dashes(l.dashes)
	points.Color, points.Shape = c, plotutil.Shape(l.style)
	p.Add(line, points)
	if bars {
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xys, errs})
		if err != nil {
			return 0, err
		}
		eb.Color = c
		p.Add(eb)
	}
	legend.Add(l.label, line, points)
	return high, nil
}

// checkOthersFixed fails if a varied parameter other than x and the
// groups has several values: its lines would be averaged together.
func checkOthersFixed(t *Table, x int, by []int) error {
	for _, name := range t.Params() {
		c := t.Column(name)
		if c == x || slices.Contains(by, c) {
			continue
		}
		var vals []string
		for _, row := range t.Rows {
			if !slices.Contains(vals, row[c]) {
				vals = append(vals, row[c])
			}
		}
		if len(vals) > 1 {
			short := strings.TrimPrefix(name, "vary.")
			if f, ok := fieldOfColumn(name); ok {
				short = f.short()
				for i, v := range vals {
					vals[i] = f.display(v)
				}
			}
			return othersError(short, vals)
		}
	}
	return nil
}

func othersError(name string, vals []string) error {
	return inputErrorf("--by", "%s also varies (%s) but is neither --x nor in --by; add it (--by protocol,%s) or plot one value at a time",
		name, strings.Join(vals, ", "), name)
}

// xKind is the kind shared by all x values: a quantity kind, or word if
// any value is not a quantity or they mix kinds.
func xKind(xs []string, quantityOf func(string) quantity) kind {
	k := word
	for i, xt := range xs {
		q := quantityOf(xt)
		if q.kind == word || (i > 0 && q.kind != k) {
			return word
		}
		k = q.kind
	}
	return k
}

// xValue is x in the unit of its axis: ms, Mbit/s, KB, or the number.
func xValue(q quantity, k kind) float64 {
	switch k {
	case duration:
		return float64(q.n) / 1e6
	case rate:
		return float64(q.n) / 1e6
	case size:
		return float64(q.n) / 1e3
	case percent:
		return q.f
	}
	return q.f
}

// logSpaced reports whether the values, sorted, are at least three,
// positive, and equally spaced on a log scale but not on a linear one.
func logSpaced(vs []float64) bool {
	slices.Sort(vs)
	vs = slices.Compact(vs)
	if len(vs) < 3 || vs[0] <= 0 {
		return false
	}
	ratio := vs[1] / vs[0]
	linear := true
	for i := 1; i < len(vs); i++ {
		r := vs[i] / vs[i-1]
		if math.Abs(r/ratio-1) > 0.02 {
			return false
		}
		if math.Abs((vs[i]-vs[i-1])/(vs[1]-vs[0])-1) > 0.02 {
			linear = false
		}
	}
	return !linear
}

// fitLines rewraps each line of text whose width is over max at its
// ", " separators, so that every line fits where it can (a single part
// wider than max stays whole).
func fitLines(text string, max vg.Length, width func(string) vg.Length) string {
	var out []string
	for _, line := range strings.Split(text, "\n") {
		if width(line) <= max {
			out = append(out, line)
			continue
		}
		cur := ""
		for _, part := range strings.Split(line, ", ") {
			switch {
			case cur == "":
				cur = part
			case width(cur+", "+part) <= max:
				cur += ", " + part
			default:
				out = append(out, cur+",")
				cur = part
			}
		}
		out = append(out, cur)
	}
	return strings.Join(out, "\n")
}
