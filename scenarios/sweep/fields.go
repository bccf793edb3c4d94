package sweep

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// unit is how a parameter's values are written in its CSV column: one
// numeric unit per kind of field, named in the column, so that a column
// sorts and reads (pandas, R) as numbers whatever units the values were
// typed in. Enumerations stay words.
type unit uint8

const (
	asWord     unit = iota // as given: fifo, 1.3, reno
	asBool                 // true or false
	asCount                // a whole number: objects, segments, packets, retries
	asNumber               // a decimal number in the field's own unit (clients.rate: arrivals per second)
	asFraction             // a probability as a fraction: 1% is 0.01
	asMillis               // a duration in milliseconds
	asMbps                 // a rate in Mbit/s
	asBytes                // a size in bytes
)

// unitTable describes each unit: the suffix of its column's name, the unit
// for docs, and how a value (as a scenario file has it) becomes a cell.
var unitTable = [...]struct {
	suffix, name string
	cell         func(string) (string, error)
}{
	asWord: {"", "", func(s string) (string, error) { return s, nil }},
	asBool: {"", "true or false", func(s string) (string, error) {
		switch strings.ToLower(s) {
		case "true", "false":
			return strings.ToLower(s), nil
		}
		return "", fmt.Errorf("%q is not true or false", s)
	}},
	asCount: {"", "a whole number", func(s string) (string, error) {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return strconv.FormatInt(n, 10), nil
		}
		n, err := strconv.ParseUint(s, 10, 64) // limits.max_events goes to 2^64-1
		return strconv.FormatUint(n, 10), err
	}},
	asNumber: {"_per_s", "per second", func(s string) (string, error) {
		f, err := strconv.ParseFloat(s, 64)
		return strconv.FormatFloat(f, 'f', -1, 64), err
	}},
	asFraction: {"", "a fraction from 0 to 1", func(s string) (string, error) {
		p, err := units.ParseProbability(s)
		return strconv.FormatFloat(p, 'g', -1, 64), err // as the report's loss column
	}},
	asMillis: {"_ms", "ms", func(s string) (string, error) {
		d, err := units.ParseDuration(s)
		return trace.Millis(d), err // as every _ms column of the report
	}},
	asMbps: {"_mbps", "Mbit/s", func(s string) (string, error) {
		r, err := units.ParseRate(s)
		return report.Mbps(model.Rate(r)), err // as bandwidth_mbps
	}},
	asBytes: {"_bytes", "bytes", func(s string) (string, error) {
		n, err := units.ParseSize(s)
		return strconv.Itoa(n), err
	}},
}

// field is one scenario field a sweep can set or vary.
type field struct {
	path  string   // the scenario field: link.rtt (docs/scenarios.md)
	flag  string   // the "keepalive run" flag that sets it, if any: rtt
	unit  unit     // how its column writes it
	words []string // words a numeric field also takes (unlimited), written as an empty cell
	// pageFlag: the field as its run flag of the page sets it (run's
	// synthetic page), apart from the field itself.
	pageFlag bool
	// report is the column of "keepalive run" that holds the same value
	// in the same unit, if any (rtt_ms for link.rtt): a chart's subtitle
	// names it from there when every row shares it.
	report string
	// label names the field on a chart, "%s" standing for its value with
	// its unit: "RTT %s" gives "RTT 100 ms". "" is its short name, a
	// space and the value: "tcp.min_rto 200 ms".
	label string
}

// column is the field's CSV column when it is varied: "vary.", its run
// flag (hyphens as underscores) or else its scenario field, then its
// unit: vary.rtt_ms, vary.loss, vary.object_size_bytes,
// vary.tcp.min_rto_ms, vary.link.queue. The prefix keeps every parameter
// apart from the columns of "keepalive run" (vary.loss beside loss).
func (f field) column() string {
	return "vary." + strings.ReplaceAll(f.short(), "-", "_") + unitTable[f.unit].suffix
}

// short is the field's name as a user types it: its run flag, else its
// path.
func (f field) short() string {
	if f.flag != "" {
		return f.flag
	}
	return f.path
}

// cell writes value (already checked by the scenario parser) as the
// field's column holds it.
func (f field) cell(value string) (string, error) {
	for _, w := range f.words {
		if strings.EqualFold(value, w) {
			return "", nil
		}
	}
	return unitTable[f.unit].cell(value)
}

// fields is every scenario field a sweep can set or vary, with its run
// flag and its column's unit. It is built from scenarios.Settable (the
// table of a file's fields: the unit follows the field's kind) and
// scenarios.RunFlags (the flags), so a new field of a scenario file is a
// parameter of sweeps at once; a test checks that it holds every field a
// scenario file writes, and that each unit reads what the parser accepts.
// Built once, never changed.
var fields = sweepFields()

func sweepFields() []field {
	var out []field
	for _, sf := range scenarios.Settable() {
		if sf.Path == "seed" || sf.Path == "http.protocol" {
			continue // --seed and --replicates; the protocols loop (nameProtocol)
		}
		f := field{path: sf.Path, unit: unitOf(sf), words: sf.Also}
		if sf.Path == nameIdeal {
			f.flag = nameIdeal
		}
		if sh, ok := shown[sf.Path]; ok {
			f.report, f.label = sh.report, sh.label
		}
		for _, fl := range scenarios.RunFlags() {
			if fl.Field != sf.Path {
				continue
			}
			if fl.Page {
				// --vary html-size replaces the page with run's synthetic
				// one (its other flags at their defaults); --vary
				// page.html_size sets the field as a file does (0 objects
				// unless given). Two meanings, so two columns.
				pf := f
				pf.flag, pf.pageFlag = fl.Name, true
				out = append(out, pf)
			} else {
				f.flag = fl.Name
			}
		}
		out = append(out, f)
	}
	return out
}

// unitOf is the unit a field's column is written in, from its kind: a
// count of bytes (tcp.mss) is a size.
func unitOf(f scenarios.Field) unit {
	switch {
	case f.Unit == "bytes" || f.Kind == scenarios.KindSize:
		return asBytes
	case f.Kind == scenarios.KindDuration:
		return asMillis
	case f.Kind == scenarios.KindRate:
		return asMbps
	case f.Kind == scenarios.KindCount:
		return asCount
	case f.Kind == scenarios.KindNumber:
		return asNumber
	case f.Kind == scenarios.KindProbability:
		return asFraction
	case f.Kind == scenarios.KindBool:
		return asBool
	}
	return asWord // a choice of words, or text
}

// shown are how charts name some fields, and the column of "keepalive
// run" that holds the same value in the same unit: a subtitle names a
// setting every row shares from there.
var shown = map[string]struct{ report, label string }{
	"ideal":              {"ideal", ""},
	"link.rtt":           {"rtt_ms", "RTT %s"},
	"link.bandwidth":     {"bandwidth_mbps", "bandwidth %s"},
	"link.loss":          {"loss", "loss %s"},
	"link.buffer":        {"", "buffer %s packets"},
	"proxy.link.buffer":  {"", "buffer %s packets"},
	"tcp.mss":            {"mss", "MSS %s"},
	"tcp.initial_window": {"iw", "IW %s"},
	"tls.version":        {"tls", "TLS %s"},
	"tls.resume":         {"tls_resume", ""},
	"http.parallel":      {"parallel", "parallel %s"},
	"page.objects":       {"objects", "%s objects"},
	"clients.count":      {"clients", ""},
}

// lookupField finds the field of a run flag (rtt) or a scenario field
// (link.rtt). A dotted name the table does not know is returned as a
// field of words, for the scenario parser to accept or refuse.
func lookupField(name string) (field, bool) {
	for _, f := range fields {
		if f.flag == name || f.path == name && !f.pageFlag {
			return f, true
		}
	}
	if dotted.MatchString(name) {
		return field{path: name, unit: asWord}, true
	}
	return field{}, false
}

// columnField finds the field whose values col holds: a parameter's
// column, or the column of "keepalive run" that holds the same setting in
// the same unit (rtt_ms for link.rtt).
func columnField(col string) (field, bool) {
	if f, ok := fieldOfColumn(col); ok {
		return f, true
	}
	for _, f := range fields {
		if f.report != "" && f.report == col {
			return f, true
		}
	}
	return field{}, false
}

// fieldOfColumn finds the field whose parameter column is col.
func fieldOfColumn(col string) (field, bool) {
	for _, f := range fields {
		if f.column() == col {
			return f, true
		}
	}
	if name, ok := strings.CutPrefix(col, "vary."); ok && dotted.MatchString(name) {
		return field{path: name, unit: asWord}, true
	}
	return field{}, false
}

// display writes a cell of the field's column with its unit, for
// charts: "100 ms", "10 Mbit/s", "1%", "1460 bytes", "unlimited".
func (f field) display(cell string) string {
	if cell == "" && len(f.words) > 0 {
		return strings.Join(f.words, " or ")
	}
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return cell
	}
	short := strconv.FormatFloat(v, 'g', 6, 64)
	switch f.unit {
	case asFraction:
		return strconv.FormatFloat(100*v, 'g', 4, 64) + "%"
	case asMillis:
		return short + " ms"
	case asMbps:
		return short + " Mbit/s"
	case asBytes:
		if v >= 10_000 && v == float64(int(v)) {
			s := units.FormatSize(int(v))
			i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
			return s[:i] + " " + s[i:]
		}
		return short + " bytes"
	case asNumber:
		return short + " per s"
	}
	return cell
}

// describe names the field with a value: "RTT 100 ms", "loss 1%",
// "tcp.min_rto 200 ms".
func (f field) describe(cell string) string {
	if f.label != "" {
		return fmt.Sprintf(f.label, f.display(cell))
	}
	return f.short() + " " + f.display(cell)
}

// quantity tells a chart what kind of quantity a parameter's cell is, so
// that it draws durations in ms, sizes in KB and probabilities in %.
func (f field) quantity(cell string) quantity {
	v, err := strconv.ParseFloat(cell, 64)
	if err != nil {
		return quantity{kind: word}
	}
	switch f.unit {
	case asMillis:
		return quantity{kind: duration, n: int64(v*1e6 + 0.5)}
	case asMbps:
		return quantity{kind: rate, n: int64(v*1e6 + 0.5)}
	case asBytes:
		return quantity{kind: size, n: int64(v)}
	case asFraction:
		return quantity{kind: percent, f: 100 * v}
	case asCount, asNumber:
		return quantity{kind: number, f: v}
	}
	return quantity{kind: word}
}
