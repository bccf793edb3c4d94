package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/cmd/keepalive/internal/cli"
)

// TestConsoleBlocks runs every command of every ```console block of
// README.md and docs/*.md, as a user would type it, and compares what it
// prints with what the block shows, so that no documented output can
// drift from the program. A block is a list of "$ command" lines (a line
// ending in a backslash continues on the next), each followed by its
// output: standard output, then standard error. The commands are
// "keepalive ARGS…" (run in-process) and "head -N FILE"; they run in one
// temporary directory per file, in order, so a block may read what an
// earlier command wrote. Run with -update to rewrite the outputs in the
// documents after an intended change, then read the diff.
func TestConsoleBlocks(t *testing.T) {
	files, err := filepath.Glob("../../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append([]string{"../../README.md"}, files...)
	for _, file := range files {
		file, err := filepath.Abs(file) // the commands run in a temporary directory
		if err != nil {
			t.Fatal(err)
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			doc, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			t.Chdir(t.TempDir())
			got := runConsoleBlocks(t, doc)
			if *update && !bytes.Equal(got, doc) {
				if err := os.WriteFile(file, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if !bytes.Equal(got, doc) {
				t.Errorf("%s: a console block's output differs from the program's; rerun with -update and review the diff:\n%s", file, firstDiff(doc, got))
			}
		})
	}
}

var consoleBlock = regexp.MustCompile("(?s)```console\n(.*?)```")

// runConsoleBlocks returns doc with the output of every console block's
// commands in place of what it showed.
func runConsoleBlocks(t *testing.T, doc []byte) []byte {
	var out bytes.Buffer
	last := 0
	for _, m := range consoleBlock.FindAllSubmatchIndex(doc, -1) {
		out.Write(doc[last:m[2]])
		out.WriteString(rerun(t, string(doc[m[2]:m[3]])))
		last = m[3]
	}
	out.Write(doc[last:])
	return out.Bytes()
}

// rerun runs the commands of one block and returns the block with their
// outputs.
func rerun(t *testing.T, block string) string {
	lines := strings.SplitAfter(block, "\n")
	var out strings.Builder
	for i := 0; i < len(lines); {
		if !strings.HasPrefix(lines[i], "$ ") {
			i++ // an old output line: replaced by the new output
			continue
		}
		cmd := ""
		for ; i < len(lines); i++ {
			out.WriteString(lines[i])
			l := strings.TrimSuffix(lines[i], "\n")
			if strings.HasSuffix(l, "\\") {
				cmd += strings.TrimSuffix(l, "\\") + " "
				continue
			}
			cmd += l
			i++
			break
		}
		cmd = strings.TrimPrefix(cmd, "$ ")
		if strings.HasPrefix(cmd, "tshark ") {
			if _, err := exec.LookPath("tshark"); err != nil {
				if os.Getenv("CI") != "" {
					t.Fatalf("%q: tshark is missing; .ci/run should have installed it", cmd)
				}
				// Unchecked here: the documented output stays.
				t.Logf("%q: tshark is not installed; its output is left as documented", cmd)
				for ; i < len(lines) && !strings.HasPrefix(lines[i], "$ "); i++ {
					out.WriteString(lines[i])
				}
				continue
			}
		}
		out.WriteString(runCommandLine(t, cmd))
	}
	return out.String()
}

// runCommandLine runs one documented command and returns its output.
func runCommandLine(t *testing.T, line string) string {
	args := shellWords(t, line)
	switch {
	case len(args) > 0 && args[0] == "keepalive":
		var stdout, stderr bytes.Buffer
		cli.Main(args[1:], &stdout, &stderr)
		return stdout.String() + stderr.String()
	case len(args) == 3 && args[0] == "head" && strings.HasPrefix(args[1], "-"):
		n, err := strconv.Atoi(args[1][1:])
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		data, err := os.ReadFile(args[2])
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		var b strings.Builder
		for i, l := range strings.SplitAfter(string(data), "\n") {
			if i == n {
				break
			}
			b.WriteString(l)
		}
		return b.String()
	case len(args) > 0 && args[0] == "tshark":
		// Wireshark's own reading of a capture a block wrote (stdout
		// only: it warns on stderr when run as root).
		b, err := exec.Command("tshark", args[1:]...).Output()
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		return string(b)
	}
	t.Fatalf("a console block runs %q; only keepalive, tshark and head -N are supported (use a sh or text block for others)", line)
	return ""
}

// shellWords splits a command line at spaces, keeping quoted words whole.
func shellWords(t *testing.T, line string) []string {
	var words []string
	var w strings.Builder
	quote, in := rune(0), false
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '\'' || r == '"':
			quote, in = r, true
		case r == ' ' || r == '\t':
			if in {
				words = append(words, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if quote != 0 {
		t.Fatalf("%q: unterminated quote", line)
	}
	if in {
		words = append(words, w.String())
	}
	return words
}

// firstDiff shows the first line where two texts differ.
func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return fmt.Sprintf("line %d\n  documented: %s\n  program:    %s", i+1, a, b)
		}
	}
	return ""
}
