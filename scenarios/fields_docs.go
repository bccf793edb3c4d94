package scenarios

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// docSections are the sections with a field table in docs/scenarios.md,
// in its order, each with the header of its last column (the sections
// whose rows cite sources say so).
var docSections = []struct{ path, meaning string }{
	{"", "meaning"},
	{"link", "meaning and source"},
	{"link.drops[]", "meaning"},
	{"tcp", "meaning and source"},
	{"tls", "meaning and source"},
	{"http", "meaning and source"},
	{"quic", "meaning and source"},
	{"browser", "meaning and source"},
	{"server", "meaning and source"},
	{"page", "meaning"},
	{"page.resources[]", "meaning"},
	{"visits[]", "meaning"},
	{"origins[]", "meaning and source"},
	{"dns", "meaning and source"},
	{"clients", "meaning"},
	{"proxy", "meaning"},
	{"limits", "meaning"},
	{"moments[]", "meaning"},
}

// profileSection has a second default column: the rfc profile's value
// where it differs from the default (linux) profile's.
const profileSection = "tcp"

// fieldsMarkdown returns docs/scenarios.md's table of a section's fields.
// Defaults are what the encoder writes for model.DefaultConfig() (an
// empty file), and the rfc column what it writes for "tcp: {profile:
// rfc}", so the docs show the code's values.
func fieldsMarkdown(section string) (string, error) {
	i := slices.IndexFunc(docSections, func(s struct{ path, meaning string }) bool { return s.path == section })
	if i < 0 {
		return "", fmt.Errorf("scenarios: no field table for section %q", section)
	}
	defaults, err := encodedFields("")
	if err != nil {
		return "", err
	}
	rfc, err := encodedFields("tcp: {profile: rfc}")
	if err != nil {
		return "", err
	}
	var rows, sections []Field
	for _, f := range table {
		switch {
		case f.Section() != section || f.Untabled:
		case section == "" && (f.Kind == KindSection || f.Kind == KindList):
			sections = append(sections, f) // one row, "see below"
		default:
			rows = append(rows, f)
		}
	}
	units := slices.ContainsFunc(rows, func(f Field) bool { return f.Unit != "" })
	profiles := section == profileSection

	var b strings.Builder
	line := func(cells ...string) {
		b.WriteString("|")
		for _, c := range cells {
			if c != "" {
				b.WriteString(" " + strings.ReplaceAll(c, "|", `\|`))
			}
			b.WriteString(" |")
		}
		b.WriteString("\n")
	}
	head := []string{"field", "default"}
	if profiles {
		head = []string{"field", "default (`linux`)", "`rfc`"}
	}
	if units {
		head = append(head, "unit")
	}
	head = append(head, "allowed", docSections[i].meaning)
	line(head...)
	line(slices.Repeat([]string{"---"}, len(head))...)
	for _, f := range rows {
		cells := []string{code(f.Key()), defaultCell(f, defaults)}
		if profiles {
			other := ""
			if v := defaultCell(f, rfc); v != cells[1] && f.Path != profileSection+".profile" {
				other = v
			}
			cells = append(cells, other)
		}
		if units {
			cells = append(cells, f.Unit)
		}
		line(append(cells, f.AllowedText(), f.Doc)...)
	}
	if len(sections) > 0 {
		keys := make([]string, len(sections))
		for i, f := range sections {
			keys[i] = code(f.Key())
		}
		line(strings.Join(keys, ", "), "", "sections", "see below")
	}
	return b.String(), nil
}

// defaultCell is the docs' default of a field: "required", a description,
// or the value the encoder writes (at the field, or at DefaultAt).
func defaultCell(f Field, encoded map[string]string) string {
	switch {
	case f.Required:
		return "required"
	case f.Default != nil:
		return f.Default()
	}
	v, ok := encoded[f.Path]
	if !ok && f.DefaultAt != "" {
		v, ok = encoded[f.DefaultAt]
	}
	if !ok {
		return ""
	}
	return code(v)
}

// encodedFields returns the value of every field that YAML() writes for
// the scenario file yml, by dotted path ("page.resources[0].size"); an
// empty list is "[]".
func encodedFields(yml string) (map[string]string, error) {
	s, err := Parse("defaults.yaml", []byte(yml))
	if err != nil {
		return nil, err
	}
	doc, err := s.node()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], join(path, n.Content[i].Value))
			}
		case yaml.SequenceNode:
			if len(n.Content) == 0 {
				out[path] = "[]"
			}
			for i, item := range n.Content {
				walk(item, fmt.Sprintf("%s[%d]", path, i))
			}
		case yaml.ScalarNode:
			out[path] = n.Value
		}
	}
	walk(doc, "")
	return out, nil
}

// FlagsMarkdown is docs/scenarios.md's table of run flags: each flag,
// the field it sets and its help, from [RunFlags].
func FlagsMarkdown() string {
	var b strings.Builder
	b.WriteString("| flag | field | meaning |\n| --- | --- | --- |\n")
	cell := strings.NewReplacer("|", "\\|")
	for _, f := range runFlags {
		name := strings.TrimSpace("--" + f.Name + " " + f.Arg)
		fmt.Fprintf(&b, "| `%s` | `%s` | %s |\n", cell.Replace(name), f.Field, cell.Replace(f.Help()))
	}
	return b.String()
}
