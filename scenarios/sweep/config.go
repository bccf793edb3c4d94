package sweep

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// setting is one field set to one value, fixed or at a grid point.
type setting struct {
	where string   // for messages: "--rtt 100ms", "--vary rtt=100ms", "--set tcp.min_rto=200ms"
	field string   // scenario field, or "ideal"
	value string   // its text, as a scenario file would have it
	list  []string // a list value instead (--object-size 10KB,1MB)
	page  bool     // set by a run flag of the page: the others get run's defaults
}

// builder makes the configuration of a grid point: the scenario, then
// --ideal (given or varied), then every other setting. Settings are
// written into the scenario as YAML and read back by [scenarios.Parse],
// so that a sweep accepts exactly what a scenario file does, with the
// same checks and messages. It is safe for concurrent use.
type builder struct {
	sc       *scenarios.Scenario
	scIdeal  *scenarios.Scenario // sc read as if it began with "ideal: true"
	idealErr error               // why sc cannot be read so, if it cannot
	ideal    bool
	mu       sync.Mutex
	bases    map[bool]*yaml.Node // the scenario as YAML, without and with ideal
	sections []string            // the scenario file's sections: link, tcp, …
}

func newBuilder(sc, scIdeal *scenarios.Scenario, idealErr error, ideal bool) *builder {
	return &builder{sc: sc, scIdeal: scIdeal, idealErr: idealErr, ideal: ideal, bases: map[bool]*yaml.Node{}}
}

// base returns the scenario's configuration; if ideal, as if the file
// began with "ideal: true", so that its own fields still win (as
// "keepalive run --ideal" does).
func (b *builder) base(ideal bool) (model.Config, error) {
	if !ideal {
		return b.sc.Config, nil
	}
	if b.idealErr != nil {
		return model.Config{}, &InputError{Where: "ideal", Err: b.idealErr}
	}
	return b.scIdeal.Config, nil
}

// baseYAML returns a copy of the scenario as a YAML document, every field
// written.
func (b *builder) baseYAML(ideal bool) (*yaml.Node, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	doc, ok := b.bases[ideal]
	if !ok {
		s := *b.sc
		var err error
		if s.Config, err = b.base(ideal); err != nil {
			return nil, err
		}
		data, err := s.YAML()
		if err != nil {
			return nil, err
		}
		doc = &yaml.Node{}
		if err := yaml.Unmarshal(data, doc); err != nil {
			return nil, err
		}
		b.bases[ideal] = doc
		if b.sections == nil {
			root := doc.Content[0]
			for i := 0; i+1 < len(root.Content); i += 2 {
				if root.Content[i+1].Kind == yaml.MappingNode {
					b.sections = append(b.sections, root.Content[i].Value)
				}
			}
		}
	}
	return deepCopy(doc), nil
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

// config returns the configuration with every setting applied; the
// protocol and seed are set per run.
func (b *builder) config(settings []setting) (model.Config, error) {
	ideal := b.ideal
	var rest []setting
	for _, s := range settings {
		if s.field != nameIdeal {
			rest = append(rest, s)
			continue
		}
		v, err := strconv.ParseBool(s.value)
		if err != nil || (s.value != "true" && s.value != "false") {
			return model.Config{}, &InputError{Where: s.where, Err: errors.New("not true or false")}
		}
		ideal = v
	}
	if len(rest) == 0 {
		return b.base(ideal)
	}
	doc, err := b.baseYAML(ideal)
	if err != nil {
		return model.Config{}, err
	}
	if err := b.patch(doc.Content[0], rest); err != nil {
		return model.Config{}, err
	}
	data, err := yaml.Marshal(doc)
	if err != nil {
		return model.Config{}, err
	}
	sc, err := scenarios.Parse(b.sc.Name+".yaml", data)
	if err != nil {
		return model.Config{}, settingError(err, rest)
	}
	return sc.Config, nil
}

// patch writes the settings into the scenario's mapping root.
func (b *builder) patch(root *yaml.Node, settings []setting) error {
	set := map[string]bool{}
	page, pageFlag := false, false
	for _, s := range settings {
		path := strings.Split(s.field, ".")
		if !slices.Contains(b.sections, path[0]) {
			return &InputError{Where: s.where, Err: fmt.Errorf("unknown section %q; allowed sections: %s (see docs/scenarios.md)",
				path[0], strings.Join(sorted(b.sections), ", "))}
		}
		m := root
		for i, key := range path[:len(path)-1] {
			next := lookup(m, key)
			if next == nil {
				next = &yaml.Node{Kind: yaml.MappingNode}
				put(m, key, next)
			}
			if next.Kind != yaml.MappingNode {
				return &InputError{Where: s.where, Err: fmt.Errorf("%s is not a section with fields", strings.Join(path[:i+1], "."))}
			}
			m = next
		}
		v := &yaml.Node{Kind: yaml.ScalarNode, Value: s.value}
		if s.list != nil {
			v = &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, item := range s.list {
				v.Content = append(v.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: item})
			}
		}
		put(m, path[len(path)-1], v)
		set[s.field] = true
		page = page || path[0] == "page"
		pageFlag = pageFlag || s.page
	}
	for field := range set {
		// A link's bandwidth sets both directions: drop its own up and
		// down, unless they are set too.
		if parent, ok := strings.CutSuffix(field, ".bandwidth"); ok {
			link := root
			for _, key := range strings.Split(parent, ".") {
				link = lookup(link, key)
			}
			for _, k := range []string{"up", "down"} {
				if !set[parent+"."+k] {
					remove(link, k)
				}
			}
		}
	}
	if page {
		p := lookup(root, "page")
		remove(p, "resources")
		if pageFlag {
			for _, f := range pageFlags {
				if !set[f.field] {
					_, key, _ := strings.Cut(f.field, ".")
					put(p, key, &yaml.Node{Kind: yaml.ScalarNode, Value: f.def})
				}
			}
		}
	}
	return nil
}

// settingError ties an error of the scenario parser to the setting it
// is about, and drops the file and line, which mean nothing here.
func settingError(err error, settings []setting) error {
	var fe *scenarios.FieldError
	var ce *model.ConfigError
	var field, msg string
	switch {
	case errors.As(err, &fe):
		short := *fe
		short.File, short.Line = "", 0
		field, msg = fe.Field, strings.TrimPrefix(short.Error(), ": ")
	case errors.As(err, &ce):
		field, msg = ce.Field, ce.Error()
	default:
		return err
	}
	for _, s := range settings {
		if field == s.field || strings.HasPrefix(field, s.field+"[") {
			return &InputError{Where: s.where, Err: errors.New(msg)}
		}
	}
	var where []string
	for _, s := range settings {
		where = append(where, strings.TrimPrefix(strings.TrimPrefix(s.where, "--vary "), "--"))
	}
	return &InputError{Where: "with " + strings.Join(where, ", "), Err: errors.New(msg)}
}

// lookup returns the value of key in mapping m.
func lookup(m *yaml.Node, key string) *yaml.Node {
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
