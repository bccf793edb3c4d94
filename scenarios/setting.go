package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
)

// A Setting gives one field of a scenario a value from outside its file:
// a run flag (--rtt 100ms), a sweep's --set or --vary, the terminal UI's
// edit form. [Scenario.With] applies settings by writing them into the
// scenario's YAML and reading it back, so a setting takes exactly what a
// file takes, with the same grammar, ranges and messages: there is one
// parser from text to [model.Config], the file's.
type Setting struct {
	Where string   // how the user gave it, for messages: "--rtt", "--set tcp.min_rto=1s", "RTT"
	Field string   // the dotted field: "link.rtt", "proxy.link.loss"; "seed" at the top level
	Value string   // the value as a file would have it
	List  []string // a list value instead (page.object_size: [1MB, 1KB])
	Page  bool     // given by a page flag ([Flag.Page]): the page flags not given take their defaults
}

// SettingError is a setting that the scenario does not take. Where names
// the setting as the user gave it, Field the scenario field the problem
// is in (it may be another one, for a conflict between fields: min_rto
// above max_rto), and Err says what is wrong, without the file and line,
// which mean nothing for a setting.
type SettingError struct {
	Where string
	Field string
	Err   error
}

// Error returns "where: problem", e.g. `--loss: 2 is out of range;
// allowed: a probability in [0, 1)`.
func (e *SettingError) Error() string { return e.Where + ": " + e.Err.Error() }

// Unwrap returns Err.
func (e *SettingError) Unwrap() error { return e.Err }

// With returns the scenario with the settings applied, as if its file
// had said so; the scenario itself is not changed. A later setting of a
// field replaces an earlier one. Rules that keep a setting meaning what
// it says when written alone:
//   - a link's bandwidth sets both directions: the file's up and down go,
//     unless they are set too;
//   - any page field replaces the page's list of resources with a
//     synthetic page; from a page flag, the page flags not given take
//     their defaults (as "keepalive run --objects 5" has a 20KB document);
//   - tls.version other than 1.3 turns off the file's tls.early_data
//     (0-RTT is TLS 1.3's, RFC 8446 §2.3), and none its tls.resume,
//     unless they are set too; tls.resume false turns off early_data;
//   - an origin whose server or tls section is the file's, field for
//     field, gets the file's after the settings: --tls 1.3 puts TLS on
//     every host's connections, not the main host's alone.
//
// The error is a *SettingError, or an error of the scenario itself.
func (s *Scenario) With(settings ...Setting) (*Scenario, error) {
	if len(settings) == 0 {
		c := *s
		return &c, nil
	}
	b, err := s.Base()
	if err != nil {
		return nil, err
	}
	return b.With(settings...)
}

// A Base is a scenario ready to take many sets of settings (a sweep's
// grid points): its YAML is written once. It is safe for concurrent use.
type Base struct {
	sc  *Scenario
	doc *yaml.Node // the scenario's mapping, every field written; never changed
}

// Base returns the scenario ready to take settings: its mapping with
// every field written, made once.
func (s *Scenario) Base() (*Base, error) {
	doc, err := s.node()
	if err != nil {
		return nil, err
	}
	return &Base{sc: s, doc: doc}, nil
}

// With is [Scenario.With] on the base's scenario.
func (b *Base) With(settings ...Setting) (*Scenario, error) {
	if len(settings) == 0 {
		c := *b.sc
		return &c, nil
	}
	doc := deepCopy(b.doc)
	settings = lastOfEach(settings)
	if err := patch(doc, settings); err != nil {
		return nil, err
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		return nil, err
	}
	out, err := Parse(b.sc.Name+".yaml", data)
	if err != nil {
		return nil, SettingErrorFor(err, settings)
	}
	// A proxy's settings without a proxy would change nothing, as a TLS
	// resumption without TLS would (which the model refuses): say so
	// rather than run a sweep whose rows all agree.
	if !out.Config.Proxy.Enabled {
		for _, st := range settings {
			if strings.HasPrefix(st.Field, "proxy.") && st.Field != "proxy.enabled" {
				return nil, &SettingError{Where: st.Where, Field: st.Field,
					Err: errors.New("the scenario has no proxy (proxy.enabled is false), so this changes nothing; set proxy.enabled to true too, or use a scenario with a proxy such as proxy-hop")}
			}
		}
	}
	out.Name, out.Description, out.Narrative = b.sc.Name, b.sc.Description, b.sc.Narrative
	return out, nil
}

// deepCopy copies a YAML node tree (without aliases, which YAML() does
// not write).
func deepCopy(n *yaml.Node) *yaml.Node {
	c := *n
	if n.Content != nil {
		c.Content = make([]*yaml.Node, len(n.Content))
		for i, child := range n.Content {
			c.Content[i] = deepCopy(child)
		}
	}
	return &c
}

// lastOfEach keeps the last setting of each field, in the order given.
func lastOfEach(settings []Setting) []Setting {
	var out []Setting
	for i, st := range settings {
		if !slices.ContainsFunc(settings[i+1:], func(later Setting) bool { return later.Field == st.Field }) {
			out = append(out, st)
		}
	}
	return out
}

// settableTop are the top-level fields a setting may give (seed): the
// Settable ones but "ideal", which is applied before everything else
// ([ResolveIdeal]) and would change nothing written after it.
func settableTop() []string {
	var out []string
	for _, f := range Settable() {
		if f.Section() == "" && f.Path != "ideal" {
			out = append(out, f.Path)
		}
	}
	return out
}

// patch writes the settings into the scenario's mapping root.
func patch(root *yaml.Node, settings []Setting) error {
	follow := following(root)
	sections := sectionsOf(root)
	set := map[string]bool{}
	page, pageFlag := false, false
	for _, st := range settings {
		path := strings.Split(st.Field, ".")
		switch {
		case len(path) == 1 && !slices.Contains(settableTop(), path[0]):
			return &SettingError{Where: st.Where, Field: st.Field, Err: fmt.Errorf("%q is not a field a setting may give; allowed: %s, or a field section.key such as link.queue, tcp.min_rto (see docs/scenarios.md)",
				st.Field, strings.Join(settableTop(), ", "))}
		case len(path) > 1 && !slices.Contains(sections, path[0]):
			return &SettingError{Where: st.Where, Field: st.Field, Err: fmt.Errorf("unknown section %q; allowed sections: %s (see docs/scenarios.md)",
				path[0], strings.Join(sorted(sections), ", "))}
		}
		m := root
		for i, key := range path[:len(path)-1] {
			next := lookup(m, key)
			if next == nil {
				next = &yaml.Node{Kind: yaml.MappingNode}
				put(m, key, next)
			}
			if next.Kind != yaml.MappingNode {
				return &SettingError{Where: st.Where, Field: st.Field, Err: fmt.Errorf("%s is not a section with fields", strings.Join(path[:i+1], "."))}
			}
			m = next
		}
		// Text, never YAML: "null" or "~" is no value in a file, but a
		// value a flag was given.
		v := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: st.Value}
		if st.List != nil {
			v = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, item := range st.List {
				v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: item})
			}
		}
		put(m, path[len(path)-1], v)
		set[st.Field] = true
		page = page || path[0] == "page"
		pageFlag = pageFlag || st.Page
	}
	for field := range set {
		// A link's bandwidth sets both directions.
		if parent, ok := strings.CutSuffix(field, ".bandwidth"); ok {
			link := at(root, parent)
			for _, k := range []string{"up", "down"} {
				if !set[parent+"."+k] {
					remove(link, k)
				}
			}
		}
	}
	if set["tls.version"] {
		tls, version := lookup(root, "tls"), lookup(lookup(root, "tls"), "version").Value
		if version != "1.3" && !set["tls.early_data"] {
			remove(tls, "early_data")
		}
		if version == "none" && !set["tls.resume"] {
			remove(tls, "resume")
		}
	}
	// No resumption, no 0-RTT data (RFC 8446 §2.3: early data rides on a
	// resumed session's PSK).
	if set["tls.resume"] && !set["tls.early_data"] && lookup(lookup(root, "tls"), "resume").Value == "false" {
		remove(lookup(root, "tls"), "early_data")
	}
	// An origin that had the file's server or tls still has it: --tls
	// 1.3 is TLS on every connection, the other hosts' too.
	for _, f := range follow {
		put(f.origin, f.key, deepCopy(lookup(root, f.key)))
	}
	if page {
		p := lookup(root, "page")
		remove(p, "resources")
		if pageFlag {
			for _, f := range runFlags {
				if f.Page && !set[f.Field] {
					_, key, _ := strings.Cut(f.Field, ".")
					put(p, key, &yaml.Node{Kind: yaml.ScalarNode, Value: f.Default})
				}
			}
		}
	}
	return nil
}

// follower is an origin's section that is the file's, field for field.
type follower struct {
	origin *yaml.Node
	key    string
}

// following lists the origins' sections that are the same as the file's
// (written from them, or written alike): settings of the file's then
// reach them too.
func following(root *yaml.Node) []follower {
	var out []follower
	origins := lookup(root, "origins")
	if origins == nil || origins.Kind != yaml.SequenceNode {
		return nil
	}
	for _, o := range origins.Content {
		for _, key := range []string{"server", "tls"} { // what an origin starts from
			if own, file := lookup(o, key), lookup(root, key); own != nil && file != nil && sameNode(own, file) {
				out = append(out, follower{o, key})
			}
		}
	}
	return out
}

// sameNode reports whether two YAML trees hold the same values.
func sameNode(a, b *yaml.Node) bool {
	if a.Kind != b.Kind || a.Value != b.Value || len(a.Content) != len(b.Content) {
		return false
	}
	for i := range a.Content {
		if !sameNode(a.Content[i], b.Content[i]) {
			return false
		}
	}
	return true
}

// sectionsOf lists the sections (mappings) of a scenario's root.
func sectionsOf(root *yaml.Node) []string {
	var out []string
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i+1].Kind == yaml.MappingNode {
			out = append(out, root.Content[i].Value)
		}
	}
	return out
}

// SettingErrorFor ties err, an error of the scenario parser (a
// *FieldError) or of model.Config.Validate (a *model.ConfigError), to the
// setting it is about, as a *SettingError without the file and line,
// which mean nothing for a setting; an error in a field no setting gave
// (a conflict) names every setting. Other errors are returned as they are.
func SettingErrorFor(err error, settings []Setting) error {
	var fe *FieldError
	var ce *model.ConfigError
	var field string
	var problem error
	switch {
	case errors.As(err, &fe):
		short := *fe
		short.File, short.Line, short.Field = "", 0, ""
		field, problem = fe.Field, errors.New(strings.TrimPrefix(short.Error(), ": "))
	case errors.As(err, &ce):
		field, problem = ce.Field, fmt.Errorf("%s is out of range; allowed: %s", ce.Value, ce.Allowed)
	default:
		return err
	}
	for _, st := range settings {
		if field == st.Field {
			return &SettingError{Where: st.Where, Field: field, Err: problem}
		}
		// An item of a list: say which ("--object-size, item 2").
		if i, ok := strings.CutPrefix(field, st.Field+"["); ok {
			n, _ := strconv.Atoi(strings.TrimSuffix(i, "]"))
			return &SettingError{Where: fmt.Sprintf("%s, item %d", st.Where, n+1), Field: field, Err: problem}
		}
	}
	var where []string
	for _, st := range settings {
		where = append(where, st.Where)
	}
	return &SettingError{Where: "with " + strings.Join(where, ", "), Field: field, Err: fmt.Errorf("%s: %w", field, problem)}
}

// at returns the mapping at the dotted path below m.
func at(m *yaml.Node, path string) *yaml.Node {
	for _, key := range strings.Split(path, ".") {
		m = lookup(m, key)
	}
	return m
}

// lookup returns the value of key in mapping m (nil if m is nil).
func lookup(m *yaml.Node, key string) *yaml.Node {
	if m == nil {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// put sets key to v in mapping m, adding it if missing.
func put(m *yaml.Node, key string, v *yaml.Node) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content[i+1] = v
			return
		}
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

// remove deletes key from mapping m.
func remove(m *yaml.Node, key string) {
	if m == nil {
		return
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			m.Content = append(m.Content[:i], m.Content[i+2:]...)
			return
		}
	}
}

func sorted(list []string) []string {
	s := slices.Clone(list)
	slices.Sort(s)
	return s
}
