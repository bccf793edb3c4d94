package tui_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies keeps the arrows one way: the UI replays traces and
// reaches no package of this module but model/trace, in its code or its
// tests (so it can never run the simulator itself).
func TestDependencies(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const module = "github.com/keepalive-sim/keepalive"
	out, err := exec.Command("go", "list", "-deps", "-test",
		"-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := false
	for _, p := range strings.Fields(string(out)) {
		p, _, _ = strings.Cut(p, " ") // "pkg [pkg.test]" variants
		switch {
		case p == module+"/model/trace":
			seen = true
		case p == module+"/tui", p == module+"/tui_test", p == module+"/tui.test":
		case p == module || strings.HasPrefix(p, module+"/"):
			t.Errorf("tui depends on %s; it may use only %s/model/trace", p, module)
		}
	}
	if !seen {
		t.Errorf("go list found no dependency on model/trace; output:\n%s", out)
	}
}
