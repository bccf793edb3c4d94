package scenarios_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios"
)

// TestDocExamples parses every ```yaml block of docs/scenarios.md, so the
// documentation cannot drift from the loader.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllSubmatch(doc, -1)
	if len(blocks) == 0 {
		t.Fatal("no ```yaml blocks in docs/scenarios.md")
	}
	for _, b := range blocks {
		if _, err := scenarios.Parse("docs/scenarios.md", b[1]); err != nil {
			t.Errorf("example does not load: %v\n%s", err, b[1])
		}
	}
}

// TestDocListsEveryBuiltin: docs/scenarios.md names every built-in
// scenario where it lists them, and has a row for it in its table (the
// tls-cpu lesson was added without either).
func TestDocListsEveryBuiltin(t *testing.T) {
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	intro := regexp.MustCompile(`(?s)give either a \*\*built-in name\*\* \((.*?)\)`).FindSubmatch(doc)
	if intro == nil {
		t.Fatal("docs/scenarios.md: no list of built-in names")
	}
	for _, in := range scenarios.Builtins() {
		if !regexp.MustCompile("`" + regexp.QuoteMeta(in.Name) + "`").Match(intro[1]) {
			t.Errorf("docs/scenarios.md: the list of built-in names lacks %s", in.Name)
		}
		if !regexp.MustCompile("(?m)^\\| `" + regexp.QuoteMeta(in.Name) + "`").Match(doc) {
			t.Errorf("docs/scenarios.md: the table of built-in scenarios has no row for %s", in.Name)
		}
	}
}
