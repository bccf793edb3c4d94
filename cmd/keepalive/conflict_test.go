package main

import (
	"bufio"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoConflictMarkers: no text file of the repository keeps a merge
// conflict's markers. One reached docs/har.md in a merge whose other
// conflict was resolved, and nothing else reads that paragraph.
func TestNoConflictMarkers(t *testing.T) {
	root := "../.."
	text := map[string]bool{".go": true, ".md": true, ".yaml": true, ".yml": true, ".txt": true, ".js": true, ".json": true, ".har": true, "": true}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if n := d.Name(); n == ".git" || n == "node_modules" || n == "npm" && strings.HasSuffix(filepath.Dir(path), ".ci") {
				return filepath.SkipDir
			}
			return nil
		}
		if !text[filepath.Ext(path)] || d.Name() == "conflict_test.go" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		open := false // "=======" alone is a Markdown heading's underline
		for n := 1; sc.Scan(); n++ {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "<<<<<<< "):
				open = true
			case line == "=======" && !open:
				continue
			case !strings.HasPrefix(line, ">>>>>>> ") && line != "=======":
				continue
			}
			t.Errorf("%s:%d: a merge conflict's marker: %q", path, n, line)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
