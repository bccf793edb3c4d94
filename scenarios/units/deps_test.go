package units_test

import (
	"go/build"
	"strings"
	"testing"
)

// TestLeaf: units imports only the standard library, so that any package
// (the terminal UI included) may read quantities as scenario files write
// them without depending on the simulator.
func TestLeaf(t *testing.T) {
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range pkg.Imports {
		if strings.Contains(imp, ".") {
			t.Errorf("units imports %s", imp)
		}
	}
}
