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
