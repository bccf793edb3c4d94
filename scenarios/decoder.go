package scenarios

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
)

// decoder turns the YAML node tree of one file into a Scenario. It keeps
// the first error and skips every later step, so section decoders read
// as a list of fields (the pattern of bufio.Scanner).
type decoder struct {
	file  string
	err   error          // the first error, a *FieldError
	lines map[string]int // dotted field → line of its key, to place model errors
	ideal bool           // apply ideal first whatever the file says (--ideal)
	// measure lists the server sections whose cpu_costs is "measure":
	// their auto costs are measured on this machine once the whole file
	// is read (resolveMeasured).
	measure []*model.ServerConfig
	origin  *model.ServerConfig // the proxy's origin, which makes no TLS handshakes
	// hosts are the hosts resources may name in their URL: http.host (0)
	// and the origins' (i+1).
	hosts []string
}

// fail records err for field at n's line, unless an error is already
// recorded.
func (d *decoder) fail(n *yaml.Node, field string, err error) {
	if d.err == nil {
		d.err = &FieldError{File: d.file, Line: lineOf(n), Field: field, Err: err}
	}
}

func lineOf(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	return n.Line
}

// deref follows an alias (*anchor) to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// join appends key to the dotted path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// fields checks that n is a mapping whose keys are all in allowed, each
// given once, and returns the value node of each key (recording the
// key's line). A missing or null section yields no fields.
func (d *decoder) fields(n *yaml.Node, path string, allowed ...string) map[string]*yaml.Node {
	n = deref(n)
	if d.err != nil || n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.fail(n, path, fmt.Errorf("want a mapping of fields (allowed: %s)", strings.Join(allowed, ", ")))
		return nil
	}
	f := make(map[string]*yaml.Node, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		field := join(path, k.Value)
		switch {
		case k.Kind != yaml.ScalarNode:
			d.fail(k, path, errors.New("a field name must be a plain word"))
		case !contains(allowed, k.Value):
			d.fail(k, field, unknownField(k.Value, allowed))
		case f[k.Value] != nil:
			d.fail(k, field, fmt.Errorf("given twice (first on line %d)", d.lines[field]))
		}
		if d.err != nil {
			return nil
		}
		f[k.Value] = v
		d.lines[field] = k.Line
	}
	return f
}

// sequence returns the items of the sequence n; a null yields none.
func (d *decoder) sequence(n *yaml.Node, field string) []*yaml.Node {
	n = deref(n)
	if d.err != nil || n == nil || isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		d.fail(n, field, errors.New("want a list"))
		return nil
	}
	if len(n.Content) > maxListLength {
		d.fail(n, field, fmt.Errorf("%d entries; a list holds at most %d", len(n.Content), maxListLength))
		return nil
	}
	for i, item := range n.Content {
		d.lines[fmt.Sprintf("%s[%d]", field, i)] = item.Line
	}
	return n.Content
}

// maxListLength bounds every list of a scenario file (page.resources,
// page.object_size, link.drops, visits): a page's base document and its
// 10,000 objects at most (model.MaxObjects). A longer list could only
// cost memory: 700,000 link.drops took 1.3 GB.
const maxListLength = model.MaxObjects + 1

// scalar returns the text of n, failing if n is a mapping, a list or null.
func (d *decoder) scalar(n *yaml.Node, field string) (string, bool) {
	n = deref(n)
	switch {
	case d.err != nil || n == nil:
		return "", false
	case n.Kind != yaml.ScalarNode:
		d.fail(n, field, errors.New("want a single value, not a list or mapping"))
		return "", false
	case isNull(n):
		d.fail(n, field, errors.New("no value given (leave the field out to keep the default)"))
		return "", false
	}
	return n.Value, true
}

// unknownField names the field and lists the allowed ones, suggesting a
// close one for a typo.
func unknownField(key string, allowed []string) error {
	sorted := append([]string(nil), allowed...)
	sort.Strings(sorted)
	hint := ""
	if near := nearest(key, allowed); len(near) > 0 {
		hint = fmt.Sprintf("; did you mean %q?", near[0])
	}
	return fmt.Errorf("unknown field %q (allowed: %s)%s", key, strings.Join(sorted, ", "), hint)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
