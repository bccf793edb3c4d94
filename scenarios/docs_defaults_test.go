package scenarios_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// TestDocumentedDefaults: every default in docs/scenarios.md's field
// tables is what model.DefaultConfig() writes for that field (the docs
// once said link.buffer 0 while the code had 1000). Fields the full YAML
// does not write (link.up and .down, the page's synthetic fields) are
// left to the parse tests.
func TestDocumentedDefaults(t *testing.T) {
	data, err := (&scenarios.Scenario{Config: model.DefaultConfig()}).YAML()
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := yaml.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	full := map[string]map[string]any{} // the sections that are mappings
	for k, v := range top {
		if m, ok := v.(map[string]any); ok {
			full[k] = m
		}
	}
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	section := regexp.MustCompile("^## `([a-z]+)`")
	row := regexp.MustCompile("^\\| `([a-z_]+)` \\| `([^`]*)` \\|")
	sec, checked := "", 0
	for _, line := range strings.Split(string(doc), "\n") {
		if m := section.FindStringSubmatch(line); m != nil {
			sec = m[1]
			continue
		}
		m := row.FindStringSubmatch(line)
		if m == nil || full[sec] == nil {
			continue
		}
		v, ok := full[sec][m[1]]
		if !ok {
			continue
		}
		got := yamlText(v)
		if want := strings.ReplaceAll(m[2], "µs", "us"); got != want {
			t.Errorf("docs/scenarios.md: %s.%s defaults to %q, but the code's default is %q", sec, m[1], m[2], got)
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("only %d defaults checked; has the table format changed?", checked)
	}
}

// yamlText writes a decoded YAML value as the docs write it.
func yamlText(v any) string {
	if l, ok := v.([]any); ok && len(l) == 0 {
		return "[]"
	}
	out, _ := yaml.Marshal(v)
	return strings.TrimSpace(string(out))
}
