package scenarios_test

import (
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// The table and the decoder agree: every row is decoded, its range is
// the decoder's, its default is the code's, and the decoder reads no key
// without a row.

// contexts are the files a row's field is set in: a list item's
// siblings, or the fields that make it matter. A path "[]" is the last
// item of the list.
var contexts = map[string]string{
	"link.drops[]":     "link: {drops: [{conn: 1, nth: 1}]}",
	"page.resources[]": "page: {resources: [{path: /index.html, size: 20KB}, {path: /a.css, size: 2KB}, {path: /b, size: 2KB}]}",
	"visits[]":         "visits: [{page: {objects: 1}}]",
	"origins[]":        "origins: [{host: cdn.example.com}, {host: fonts.example.net}]",
	"proxy":            "proxy: {enabled: true}",
	"proxy.enabled":    "proxy: {}",
	"tls.resume":       `tls: {version: "1.3"}`,
	"tls.early_data":   `tls: {version: "1.3", resume: true}`,
	"page.object_size": "page: {objects: 2}",
	// 100,000 clients fit only a larger budget than the default 1GiB
	// (limits.max_memory refuses them up front, naming clients.count).
	"clients.count": "limits: {max_memory: 0}",
	// A moment is a kind and a sentence; the last one may follow "a".
	"moments[]":       "moments: [{name: a, kind: idle-timeout, say: The server closes}, {kind: request, say: A request}]",
	"moments[].conn":  "moments: [{name: a, kind: idle-timeout, say: The server closes}, {kind: request, after: a, say: A request}]",
	"moments[].flags": "moments: [{kind: packet-sent, say: A packet}]",
	"moments[].state": "moments: [{kind: state, say: A state}]",
	"moments[].from":  "moments: [{kind: state, say: A state}]",
}

// contextOf returns the file a field is set in: the longest matching
// entry of contexts.
func contextOf(path string) string {
	best, ctx := -1, ""
	for p, c := range contexts {
		if (path == p || strings.HasPrefix(path, p+".")) && len(p) > best {
			best, ctx = len(p), c
		}
	}
	return ctx
}

// examples are valid values other than the default, for rows whose kind
// gives none (text, lists, sections, fields with no range), as YAML.
var examples = map[string]string{
	"name":                    "mine",
	"description":             "a slower link",
	"narrative":               "|\n  line one\n  line two",
	"link":                    "{rtt: 20ms}",
	"tcp":                     "{mss: 1000}",
	"tls":                     `{version: "1.2"}`,
	"http":                    "{parallel: 2}",
	"quic":                    "{max_datagram: 1400}",
	"protocols":               "[http2, http3]",
	"browser":                 "{retry: false}",
	"server":                  "{backlog: 5}",
	"page":                    "{objects: 3}",
	"visits":                  "[{page: {objects: 1}}]",
	"origins":                 "[{host: cdn.example.com}]",
	"dns":                     "{enabled: true}",
	"origins[].host":          "img.example.com",
	"origins[].server":        "{backlog: 9}",
	"origins[].tls":           `{version: "1.2"}`,
	"origins[].same_server":   "www.example.com",
	"clients":                 "{count: 2}",
	"proxy":                   "{parallel: 2}",
	"limits":                  "{max_events: 10}",
	"link.drops":              "[{conn: 1, nth: 3}]",
	"tcp.initial_rto":         "path",
	"tcp.max_rto":             "60s",
	"http.host":               "example.org",
	"page.resources":          "[{path: /a.html, size: 1KB}]",
	"page.resources[].path":   "/c.css",
	"page.resources[].parent": "/a.css",
	"page.resources[].offset": "1KB",
	"visits[].page":           "{objects: 2}",
	"proxy.link":              "{rtt: 30ms}",
	"proxy.origin":            "{backlog: 7}",
	"moments":                 "[{kind: page-loaded, say: The page has loaded}]",
	"moments[].name":          "b",
	"moments[].say":           "Another request",
	"moments[].flags":         "FIN",
	"moments[].state":         "TIME-WAIT",
	"moments[].from":          "TIME-WAIT",
	"moments[].label":         "GET",
	"moments[].note":          "timeout",
	"moments[].after":         "a",
	"moments[].protocols":     "[http2, HTTP1.1]",
}

// invalid are bad values for rows whose kind gives none, with a part of
// the message (and a context of their own, if they need one).
var invalid = map[string]struct{ ctx, value, msg string }{
	"name":                    {"", `" "`, "must not be empty"},
	"description":             {"", `"one\ntwo"`, "must be one line"},
	"narrative":               {"", `"\x1b[31m"`, "control character"},
	"link":                    {"", "5", "want a mapping of fields"},
	"tcp":                     {"", "5", "want a mapping of fields"},
	"tls":                     {"", "5", "want a mapping of fields"},
	"http":                    {"", "5", "want a mapping of fields"},
	"quic":                    {"", "5", "want a mapping of fields"},
	"protocols":               {"", "[http2, http2]", "twice"},
	"browser":                 {"", "5", "want a mapping of fields"},
	"server":                  {"", "5", "want a mapping of fields"},
	"page":                    {"", "5", "want a mapping of fields"},
	"visits":                  {"", "5", "want a list"},
	"origins":                 {"", "5", "want a list"},
	"dns":                     {"", "5", "want a mapping of fields"},
	"origins[].host":          {"", "www.example.com", "a host not used before"},
	"origins[].server":        {"", "5", "want a mapping of fields"},
	"origins[].tls":           {"", "5", "want a mapping of fields"},
	"origins[].same_server":   {"", "nowhere.example", "http.host or another origin's host"},
	"clients":                 {"", "5", "want a mapping of fields"},
	"proxy":                   {"", "5", "want a mapping of fields"},
	"limits":                  {"", "5", "want a mapping of fields"},
	"link.drops":              {"", "5", "want a list"},
	"tcp.max_rto":             {"", "100ms", "≥ min_rto"},
	"tls.early_data":          {`tls: {version: "1.2", resume: true}`, "true", "only with tls 1.3 and resume"},
	"http.host":               {"", `"a b"`, "a host name"},
	"page.resources":          {"", "5", "want a list"},
	"page.resources[].path":   {"", "b.css", "a path starting with /"},
	"page.resources[].parent": {"", "/nowhere", `no resource has the path "/nowhere"`},
	"page.resources[].offset": {"", "30KB", "up to the parent's size"},
	"visits[].page":           {"", "5", "want a mapping of fields"},
	"proxy.link":              {"", "5", "want a mapping of fields"},
	"proxy.origin":            {"", "5", "want a mapping of fields"},
	"moments":                 {"", "5", "want a list"},
	"moments[].name":          {"", "a", `"a" names an earlier moment too`},
	"moments[].say":           {"", `"one\ntwo"`, "must be one line"},
	"moments[].flags":         {"", "URG", `unknown TCP flag "URG"`},
	"moments[].state":         {"", "OPEN", `unknown state "OPEN" for a state record (allowed: CLOSED,`},
	"moments[].from":          {"", "OPEN", `unknown state "OPEN"`},
	"moments[].label":         {"", `""`, "empty; leave the field out"},
	"moments[].note":          {"", `" "`, "empty; leave the field out"},
	"moments[].after":         {"", "nobody", `"nobody" is no earlier moment's name (allowed: a)`},
	"moments[].protocols":     {"", "[http4]", "http4"},
}

// setting returns the file ctx with the field at path set to value (YAML
// text; "" removes the field), and the field's dotted name in messages.
func setting(t *testing.T, ctx, path, value string) ([]byte, string) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(ctx), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	m, name := doc.Content[0], []string{}
	parts := strings.Split(path, ".")
	for _, p := range parts[:len(parts)-1] {
		key, item := strings.CutSuffix(p, "[]")
		next := lookup(m, key)
		if next == nil {
			next = &yaml.Node{Kind: yaml.MappingNode}
			if item {
				next = &yaml.Node{Kind: yaml.SequenceNode}
			}
			m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, next)
		}
		name = append(name, key)
		if item {
			if len(next.Content) == 0 {
				next.Content = append(next.Content, &yaml.Node{Kind: yaml.MappingNode})
			}
			name[len(name)-1] += fmt.Sprintf("[%d]", len(next.Content)-1)
			next = next.Content[len(next.Content)-1]
		}
		m = next
	}
	key := parts[len(parts)-1]
	name = append(name, key)
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = slices.Delete(m.Content, i, i+2)
			break
		}
	}
	if value != "" {
		var v yaml.Node
		if err := yaml.Unmarshal([]byte(value), &v); err != nil {
			t.Fatalf("%s: value %q: %v", path, value, err)
		}
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v.Content[0])
	}
	data, err := yaml.Marshal(&doc)
	if err != nil {
		t.Fatal(err)
	}
	return data, strings.Join(name, ".")
}

func lookup(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

func parseFile(data []byte) (*scenarios.Scenario, error) { return scenarios.Parse("field.yaml", data) }

// bound is one end of a row's range.
type bound struct {
	text string // as the table writes it: "1s", "65535"
	open bool
	low  bool
}

// rangeBounds parses a Range such as "[1, 65535]" or "(0, )".
func rangeBounds(t *testing.T, f scenarios.Field) []bound {
	t.Helper()
	r := f.Range
	if len(r) < 3 || !strings.Contains("[(", r[:1]) || !strings.Contains("])", r[len(r)-1:]) {
		t.Fatalf("%s: range %q is no interval", f.Path, r)
	}
	lo, hi, ok := strings.Cut(r[1:len(r)-1], ",")
	if !ok {
		t.Fatalf("%s: range %q has no comma", f.Path, r)
	}
	var out []bound
	if lo = strings.TrimSpace(lo); lo != "" {
		out = append(out, bound{lo, r[0] == '(', true})
	}
	if hi = strings.TrimSpace(hi); hi != "" {
		out = append(out, bound{hi, r[len(r)-1] == ')', false})
	}
	return out
}

// step returns the value one step (1ns, 1bps, 1 byte, 1, 0.01) from the
// bound b, by delta steps, as a file writes it, and the bound as a plain
// number of the base unit.
func step(t *testing.T, f scenarios.Field, b string, delta int64) (value, plain string) {
	t.Helper()
	var base *big.Int
	suffix := ""
	switch {
	case b == "0" && f.Kind != scenarios.KindNumber && f.Kind != scenarios.KindProbability:
		base = big.NewInt(0) // a rate cannot be written 0
		suffix = map[scenarios.Kind]string{scenarios.KindDuration: "ns", scenarios.KindRate: "bps"}[f.Kind]
	case f.Kind == scenarios.KindDuration:
		d, err := units.ParseDuration(b)
		if err != nil {
			t.Fatalf("%s: bound %q: %v", f.Path, b, err)
		}
		base, suffix = big.NewInt(int64(d)), "ns"
	case f.Kind == scenarios.KindRate:
		r, err := units.ParseRate(b)
		if err != nil {
			t.Fatalf("%s: bound %q: %v", f.Path, b, err)
		}
		base, suffix = big.NewInt(r), "bps"
	case f.Kind == scenarios.KindSize:
		s, err := units.ParseSize(b)
		if err != nil {
			t.Fatalf("%s: bound %q: %v", f.Path, b, err)
		}
		base = big.NewInt(int64(s))
	case f.Kind == scenarios.KindCount:
		var ok bool
		if base, ok = new(big.Int).SetString(b, 10); !ok {
			t.Fatalf("%s: bound %q is no whole number", f.Path, b)
		}
	case f.Kind == scenarios.KindNumber || f.Kind == scenarios.KindProbability:
		v, err := strconv.ParseFloat(b, 64)
		if err != nil {
			t.Fatalf("%s: bound %q: %v", f.Path, b, err)
		}
		return strconv.FormatFloat(v+float64(delta)*0.01, 'f', -1, 64), b
	default:
		t.Fatalf("%s: a range on a %s", f.Path, f.Kind)
	}
	v := new(big.Int).Add(base, big.NewInt(delta))
	return v.String() + suffix, base.String()
}

// TestFieldRanges: each row's range is accepted up to its bounds and
// refused one step beyond, with an error that names the field and states
// the bound, so the table's allowed text and the code's check cannot
// drift apart.
func TestFieldRanges(t *testing.T) {
	for _, f := range scenarios.Fields() {
		if f.Range == "" {
			continue
		}
		t.Run(f.Path, func(t *testing.T) {
			for _, b := range rangeBounds(t, f) {
				inward, outward := int64(1), int64(-1)
				if !b.low {
					inward, outward = -1, 1
				}
				in, _ := step(t, f, b.text, 0)
				out, plain := in, ""
				if b.open {
					in, plain = step(t, f, b.text, inward)
				} else {
					out, plain = step(t, f, b.text, outward)
				}
				data, _ := setting(t, contextOf(f.Path), f.Path, strconv.Quote(in))
				if _, err := parseFile(data); err != nil {
					t.Errorf("%s: %s is within %s (%s) but refused: %v", f.Path, in, f.Range, f.AllowedText(), err)
				}
				data, name := setting(t, contextOf(f.Path), f.Path, strconv.Quote(out))
				_, err := parseFile(data)
				var fe *scenarios.FieldError
				switch {
				case !errors.As(err, &fe):
					t.Errorf("%s: %s is beyond %s (%s) but accepted (error %v)", f.Path, out, f.Range, f.AllowedText(), err)
				case fe.Field != name:
					t.Errorf("%s: %s: the error names %s: %v", f.Path, out, fe.Field, err)
				case !strings.Contains(err.Error(), b.text) && !strings.Contains(err.Error(), plain):
					t.Errorf("%s: %s: the message does not state the bound %s of %s: %v", f.Path, out, b.text, f.Range, err)
				}
			}
		})
	}
}

// TestFieldsDecoded: every row's field is read: a value other than the
// default changes the scenario, and a bad value is refused naming the
// field (and, for words, listing them).
func TestFieldsDecoded(t *testing.T) {
	for _, f := range scenarios.Fields() {
		t.Run(f.Path, func(t *testing.T) {
			ctx := contextOf(f.Path)
			base, err := parseFile([]byte(ctx))
			if err != nil {
				t.Fatalf("context %q: %v", ctx, err)
			}
			var values []string
			switch {
			case examples[f.Path] != "":
				values = []string{examples[f.Path]}
			case f.Kind == scenarios.KindBool:
				values = []string{"true", "false"}
			case len(f.Words) > 0:
				values = f.Words
			case f.Range != "":
				bounds := rangeBounds(t, f)
				for _, b := range bounds {
					v, _ := step(t, f, b.text, 0)
					if b.open && b.low {
						v, _ = step(t, f, b.text, 1)
					} else if b.open {
						v, _ = step(t, f, b.text, -1)
					}
					values = append(values, strconv.Quote(v))
				}
				if len(bounds) == 1 && bounds[0].low { // and one inside
					v, _ := step(t, f, bounds[0].text, 1000)
					values = append(values, strconv.Quote(v))
				}
			default:
				t.Fatalf("no value to set %s to: give it an example", f.Path)
			}
			changed := false
			for _, v := range values {
				data, _ := setting(t, ctx, f.Path, v)
				got, err := parseFile(data)
				if err != nil {
					t.Errorf("%s: %s: %v", f.Path, v, err)
					continue
				}
				changed = changed || !reflect.DeepEqual(got, base)
				// The encoder writes it: YAML() reads back the same.
				out, err := got.YAML()
				if err != nil {
					t.Errorf("%s: %s: YAML: %v", f.Path, v, err)
					continue
				}
				if back, err := parseFile(out); err != nil || !reflect.DeepEqual(back, got) {
					t.Errorf("%s: %s: the encoder does not write it back (error %v)", f.Path, v, err)
				}
			}
			if !changed {
				t.Errorf("%s: none of %q changes the scenario: is the field decoded?", f.Path, values)
			}

			bad, msgs := "", []string(nil)
			switch {
			case invalid[f.Path].value != "":
				bad, msgs = invalid[f.Path].value, []string{invalid[f.Path].msg}
				if c := invalid[f.Path].ctx; c != "" {
					ctx = c
				}
			case f.Kind == scenarios.KindBool:
				bad, msgs = "maybe", []string{"want true or false"}
			case len(f.Words) > 0:
				bad, msgs = "no-such-word", f.Words
			case f.Range != "":
				return // TestFieldRanges
			default:
				t.Fatalf("no bad value for %s: give it one in invalid", f.Path)
			}
			data, name := setting(t, ctx, f.Path, bad)
			_, err = parseFile(data)
			var fe *scenarios.FieldError
			if !errors.As(err, &fe) || fe.Field != name {
				t.Fatalf("%s: %s: error %v, want one naming %s", f.Path, bad, err, name)
			}
			for _, m := range msgs {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("%s: %s: message %q does not say %q", f.Path, bad, err, m)
				}
			}
		})
	}
}

// TestFieldDefaults: the docs' default of each field is the code's:
// setting a field to it changes nothing (under the linux profile, and
// every tcp field under the rfc profile too, whose column shows the
// values that differ), and a required field left out
// is an error naming it.
func TestFieldDefaults(t *testing.T) {
	for _, f := range scenarios.Fields() {
		for _, rfc := range []bool{false, true} {
			cell, err := scenarios.DefaultCell(f.Path, rfc)
			if err != nil {
				t.Fatal(err)
			}
			ctx := contextOf(f.Path)
			if rfc {
				if f.Section() != "tcp" || f.Key() == "profile" {
					continue
				}
				ctx = "tcp: {profile: rfc}"
			}
			if cell == "required" {
				data, name := setting(t, ctx, f.Path, "")
				if _, err := parseFile(data); err == nil || !strings.Contains(err.Error(), name+": missing") {
					t.Errorf("%s is required, but leaving it out gives %v", f.Path, err)
				}
				continue
			}
			v, ok := strings.CutPrefix(cell, "`")
			if v, ok = strings.CutSuffix(v, "`"); !ok || strings.Contains(v, "`") {
				continue // a description, not a value
			}
			base, err := parseFile([]byte(ctx))
			if err != nil {
				t.Fatal(err)
			}
			data, _ := setting(t, ctx, f.Path, strconv.Quote(v))
			if v == "[]" {
				data, _ = setting(t, ctx, f.Path, v)
			}
			got, err := parseFile(data)
			if err != nil {
				t.Errorf("%s: the documented default %s is refused: %v", f.Path, v, err)
			} else if !reflect.DeepEqual(got, base) {
				t.Errorf("%s: the documented default %s (rfc %v) is not the code's: setting it changes the scenario", f.Path, v, rfc)
			}
		}
	}
}

// TestDecoderReadsRows: the decoder allows exactly the table's keys in
// each section (its "allowed:" list), and every key it reads (f["key"]
// in decode*.go) is a row's.
func TestDecoderReadsRows(t *testing.T) {
	sections := map[string][]string{}
	for _, f := range scenarios.Fields() {
		sections[f.Section()] = append(sections[f.Section()], f.Key())
	}
	for s, keys := range sections {
		path := "zzz"
		if s != "" {
			path = s + ".zzz"
		}
		data, _ := setting(t, contextOf(path), path, "1")
		_, err := parseFile(data)
		want := "(allowed: " + strings.Join(sorted(keys), ", ") + ")"
		if err == nil || !strings.Contains(err.Error(), `unknown field "zzz" `+want) {
			t.Errorf("section %q: error %v, want the table's keys %s", s, err, want)
		}
	}
	files, _ := filepath.Glob("decode*.go")
	if len(files) < 3 {
		t.Fatalf("decode*.go: %d files", len(files))
	}
	read := regexp.MustCompile(`\bf\["([a-z_]+)"\]`)
	n := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range read.FindAllStringSubmatch(string(src), -1) {
			n++
			if !slices.ContainsFunc(scenarios.Fields(), func(f scenarios.Field) bool { return f.Key() == m[1] }) {
				t.Errorf("%s reads the key %q, which no row of scenarios.Fields has", file, m[1])
			}
		}
	}
	if n < 50 {
		t.Errorf("only %d keys read in decode*.go; has the decoder's form changed?", n)
	}
}

// TestFieldTable: the rows are well formed.
func TestFieldTable(t *testing.T) {
	seen := map[string]bool{}
	kinds := []scenarios.Kind{scenarios.KindDuration, scenarios.KindRate, scenarios.KindSize, scenarios.KindCount, scenarios.KindNumber,
		scenarios.KindProbability, scenarios.KindBool, scenarios.KindChoice, scenarios.KindText, scenarios.KindList, scenarios.KindSection}
	for _, f := range scenarios.Fields() {
		if seen[f.Path] {
			t.Errorf("%s: two rows", f.Path)
		}
		seen[f.Path] = true
		switch {
		case !slices.Contains(kinds, f.Kind):
			t.Errorf("%s: unknown kind %q", f.Path, f.Kind)
		case f.Doc == "":
			t.Errorf("%s: no doc", f.Path)
		case f.AllowedText() == "":
			t.Errorf("%s: no allowed text", f.Path)
		case f.Kind == scenarios.KindChoice && len(f.Words) == 0:
			t.Errorf("%s: a choice without words", f.Path)
		}
		if s := strings.TrimSuffix(f.Section(), "[]"); s != "" {
			if p, ok := scenarios.FieldAt(s); !ok || (p.Kind != scenarios.KindSection && p.Kind != scenarios.KindList) {
				t.Errorf("%s: no section or list row %s holds it", f.Path, s)
			}
		}
	}
}

// TestFlagsSetRows: every run flag sets a field of the table.
func TestFlagsSetRows(t *testing.T) {
	for _, fl := range scenarios.RunFlags() {
		if _, ok := scenarios.FieldAt(fl.Field); !ok {
			t.Errorf("--%s sets %s, which is no row of scenarios.Fields", fl.Name, fl.Field)
		}
	}
}

func sorted(list []string) []string {
	s := slices.Clone(list)
	slices.Sort(s)
	return s
}
