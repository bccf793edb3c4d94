package scenarios

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A Field is one field of a scenario file: a row of the table [Fields].
// The table is the one place a field is described: docs/scenarios.md's
// field tables are generated from it (TestFieldsDoc), the decoder takes
// each section's allowed keys from it (for "unknown field … (allowed: …)"),
// and the range checks the decoder makes itself read their bounds and
// message from it. A test proves that every row is decoded, that a value
// beyond its range is refused with a message that states the row's
// bounds, and that every key the decoder reads has a row.
//
// Defaults are not written here: they are what the encoder writes for
// model.DefaultConfig() (see fieldsMarkdown), so the docs cannot disagree
// with the code.
type Field struct {
	// Path is the field's dotted place in a file; "[]" stands for any
	// item of a list: "link.rtt", "link.drops[].conn", "seed".
	Path string
	Kind Kind
	// Unit is the docs' unit column ("bytes", "segments"); empty for
	// words, yes/no and text.
	Unit string
	// Range bounds a quantity or count, as an interval in the file's own
	// grammar: "[1, 65535]", "(0, )" (> 0), "[0, 500ms)"; empty for none.
	Range string
	// Words are the values of a choice, as a file writes them.
	Words []string
	// Also are the words a quantity takes besides numbers: "unlimited",
	// "auto" (tcp.recv_window), "path" (tcp.initial_rto). The docs say
	// them in Note or Allowed; a test checks they do.
	Also []string
	// Like names the section a section field is laid out as: proxy.link
	// is a "link" section, proxy.origin a "server" one.
	Like string
	// Note is Markdown that follows the range or the words in the docs'
	// allowed column: " or `unlimited`", "; `0` = never".
	Note string
	// Allowed replaces the generated allowed text, for a rule that is no
	// range or list of words ("a host name, no spaces or `/`").
	Allowed string
	// Doc is the meaning and source, Markdown, with its citations.
	Doc string
	// Required: a list item needs the field; it has no default.
	Required bool
	// DefaultAt is where the encoder writes this field's default when it
	// does not write the field itself: link.up is written as
	// link.bandwidth when both directions are equal.
	DefaultAt string
	// Default is the docs' default cell (Markdown) of a field whose
	// default is no value the encoder writes: "empty", a decoder's
	// constant, a prose description.
	Default func() string
	// Untabled fields are described by prose and a table of their own
	// (page.resources), not as a row of their section's table.
	Untabled bool
}

// Kind is the kind of value a field takes (docs/scenarios.md, "Writing
// quantities").
type Kind string

// The kinds of value.
const (
	KindDuration    Kind = "duration"
	KindRate        Kind = "rate"
	KindSize        Kind = "size"
	KindCount       Kind = "count"  // a whole number
	KindNumber      Kind = "number" // a decimal number (clients.rate)
	KindProbability Kind = "probability"
	KindBool        Kind = "yes/no"
	KindChoice      Kind = "choice" // one of Words
	KindText        Kind = "text"
	KindList        Kind = "list"    // a list of items, or of values
	KindSection     Kind = "section" // a mapping of fields
)

// Fields returns the table of scenario fields, section by section in the
// order docs/scenarios.md describes them.
func Fields() []Field {
	out := slices.Clone(table)
	for i := range out {
		out[i].Words, out[i].Also = slices.Clone(out[i].Words), slices.Clone(out[i].Also)
	}
	return out
}

// FieldAt returns the row whose Path is path ("link.drops[].conn").
func FieldAt(path string) (Field, bool) {
	f, ok := rowAt(path)
	f.Words, f.Also = slices.Clone(f.Words), slices.Clone(f.Also)
	return f, ok
}

func rowAt(path string) (Field, bool) {
	for _, f := range table {
		if f.Path == path {
			return f, true
		}
	}
	return Field{}, false
}

// table is built once and never changed: the decoder reads it for every
// count and every list item, and a 10,000-resource page must not build it
// 10,000 times. [Fields] and [FieldAt] hand out copies.
var table = fileFields()

// fileFields is the table, joined from one list per part of a file.
func fileFields() []Field {
	return slices.Concat(topFields(), linkFields(), tcpFields(), httpFields(), quicFields(), endpointFields(), pageFields(), originFields(), runFields(), momentFields())
}

// Settable returns every field a [Setting] may give a value: each field of
// a section that holds one value (not a list, a section or text shared
// by lists' items), with the sections laid out as another expanded
// (proxy.link.rtt, from link.rtt), and at the top level "ideal" and
// "seed". A sweep varies these, writing each in a column of its kind.
func Settable() []Field {
	var out []Field
	for _, f := range table {
		switch {
		case f.Kind == KindSection && f.Like != "" && !strings.Contains(f.Path, "[]"):
			for _, g := range table {
				if g.Section() == f.Like && settable(g) {
					g.Path = f.Path + "." + g.Key()
					out = append(out, g)
				}
			}
		case settable(f) && (f.Section() != "" || f.Path == "ideal" || f.Path == "seed"):
			out = append(out, f)
		}
	}
	for i := range out {
		out[i].Words, out[i].Also = slices.Clone(out[i].Words), slices.Clone(out[i].Also)
	}
	return out
}

func settable(f Field) bool {
	return f.Kind != KindSection && f.Kind != KindList && !f.Untabled && !strings.Contains(f.Path, "[]")
}

// Section returns the path of the section the field is in: "" at the
// top level, "link.drops[]" for an item of link.drops.
func (f Field) Section() string {
	i := strings.LastIndexByte(f.Path, '.')
	if i < 0 {
		return ""
	}
	return f.Path[:i]
}

// Key returns the field's key in its section: "conn".
func (f Field) Key() string { return f.Path[strings.LastIndexByte(f.Path, '.')+1:] }

// AllowedText returns the docs' allowed column, Markdown: the range or
// the words followed by Note, or Allowed.
func (f Field) AllowedText() string {
	switch {
	case f.Allowed != "":
		return f.Allowed
	case f.Kind == KindBool:
		return "`true`, `false`" + f.Note
	case len(f.Words) > 0:
		return "`" + strings.Join(f.Words, "`, `") + "`" + f.Note
	case f.Range != "":
		r, err := parseInterval(f.Range)
		if err != nil {
			return f.Range + f.Note // TestFieldRanges reports it
		}
		return r.text(f.Kind) + f.Note
	case f.Kind == KindSection:
		return "a section" + f.Note
	case f.Kind == KindList:
		return "a list" + f.Note
	}
	return f.Note
}

// plainAllowed is AllowedText without Markdown's backticks, for messages.
func (f Field) plainAllowed() string { return strings.ReplaceAll(f.AllowedText(), "`", "") }

// keysOf returns the keys of a section's fields, in the table's order:
// the decoder's list of allowed keys.
func keysOf(section string) []string {
	var keys []string
	for _, f := range table {
		if f.Section() == section {
			keys = append(keys, f.Key())
		}
	}
	return keys
}

// requiredKeys returns the keys of a list item's required fields.
func requiredKeys(section string) []string {
	var keys []string
	for _, f := range table {
		if f.Section() == section && f.Required {
			keys = append(keys, f.Key())
		}
	}
	return keys
}

// row returns the row at path; the decoder names only rows of the table
// (TestDecoderReadsRows), so a missing one is a programming error.
func row(path string) Field {
	f, ok := rowAt(path)
	if !ok {
		panic("scenarios: no field " + path + " in the table")
	}
	return f
}

// An interval is a parsed Field.Range; an empty end is unbounded.
type interval struct {
	lo, hi         string
	loOpen, hiOpen bool
}

// parseInterval reads "[lo, hi]", "(lo, )", "[lo, hi)" and the like.
func parseInterval(s string) (interval, error) {
	var r interval
	if len(s) < 3 || !strings.ContainsRune("[(", rune(s[0])) || !strings.ContainsRune("])", rune(s[len(s)-1])) {
		return r, fmt.Errorf("range %q: want an interval such as [1, 65535] or (0, )", s)
	}
	lo, hi, ok := strings.Cut(s[1:len(s)-1], ",")
	if !ok {
		return r, fmt.Errorf("range %q: want two ends separated by a comma", s)
	}
	r.lo, r.hi = strings.TrimSpace(lo), strings.TrimSpace(hi)
	r.loOpen, r.hiOpen = s[0] == '(', s[len(s)-1] == ')'
	if r.lo == "" && r.hi == "" {
		return r, fmt.Errorf("range %q: no bound", s)
	}
	return r, nil
}

// text writes the interval as the docs do: "1 to 65535", "≥ 0", "> 0",
// "0 to less than 500ms"; a probability keeps the interval, "[0, 1)".
func (r interval) text(k Kind) string {
	switch {
	case k == KindProbability:
		open, shut := "[", "]"
		if r.loOpen {
			open = "("
		}
		if r.hiOpen {
			shut = ")"
		}
		return open + r.lo + ", " + r.hi + shut
	case r.hi == "" && r.loOpen:
		return "> " + r.lo
	case r.hi == "":
		return "≥ " + r.lo
	case r.lo == "" && r.hiOpen:
		return "< " + r.hi
	case r.lo == "":
		return "≤ " + r.hi
	case r.loOpen:
		return "more than " + r.lo + " to " + r.hi
	case r.hiOpen:
		return r.lo + " to less than " + r.hi
	}
	return r.lo + " to " + r.hi
}

// countRange returns the bounds of a count row as whole numbers.
func countRange(f Field) (lo, hi int) {
	r, err := parseInterval(f.Range)
	if err != nil {
		panic("scenarios: " + f.Path + ": " + err.Error()) // TestFieldRanges
	}
	lo, hi = minInt, maxInt
	if r.lo != "" {
		lo, _ = strconv.Atoi(r.lo)
		if r.loOpen {
			lo++
		}
	}
	if r.hi != "" {
		hi, _ = strconv.Atoi(r.hi)
		if r.hiOpen {
			hi--
		}
	}
	return lo, hi
}

const (
	maxInt = int(^uint(0) >> 1)
	minInt = -maxInt - 1
)

// prose is a default cell that is no value: "required", "empty".
func prose(markdown string) func() string { return func() string { return markdown } }

// words returns the names of a choice's options, in order.
func words[T comparable](opts []option[T]) []string {
	w := make([]string, len(opts))
	for i, o := range opts {
		w[i] = o.name
	}
	return w
}
