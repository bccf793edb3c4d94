package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/keepalive-sim/keepalive/scenarios"
)

func scenariosCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scenarios", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, scenariosUsage)
			return exitOK
		}
		return fail(stderr, "keepalive scenarios", flagSyntaxError("scenarios", err))
	}
	var err error
	switch fs.NArg() {
	case 0:
		err = listScenarios(stdout)
	case 1:
		err = printScenario(stdout, fs.Arg(0))
	default:
		err = usageErrorf("one scenario at a time, got %d: %s", fs.NArg(), strings.Join(fs.Args(), " "))
	}
	if err != nil {
		return fail(stderr, "keepalive scenarios", err)
	}
	return exitOK
}

// listScenarios writes the built-in scenarios, one per line, names aligned.
func listScenarios(w io.Writer) error {
	list := scenarios.Builtins()
	width := 0
	for _, s := range list {
		width = max(width, utf8.RuneCountInString(s.Name))
	}
	var b strings.Builder
	for _, s := range list {
		fmt.Fprintf(&b, "%-*s  %s\n", width, s.Name, s.Description)
	}
	b.WriteString("\nShow one as YAML: keepalive scenarios NAME    Run one: keepalive run --scenario NAME\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// printScenario writes a scenario's narrative as YAML comments, then the
// scenario as YAML.
func printScenario(w io.Writer, name string) error {
	s, err := scenarios.Resolve(name)
	if err != nil {
		var fe *scenarios.FieldError
		switch {
		case errors.As(err, &fe):
			return &usageError{err.Error()}
		case errors.Is(err, scenarios.ErrUnknownScenario):
			return &usageError{err.Error()} // it names the built-ins
		}
		return usageErrorf("%q: %v", name, err)
	}
	y, err := s.YAML()
	if err != nil {
		return err
	}
	var b strings.Builder
	for _, line := range commentLines(s.Narrative, 76) {
		b.WriteString(line + "\n")
	}
	if s.Narrative != "" {
		b.WriteString("#\n# Run it: keepalive run --scenario " + name + "\n")
		b.WriteString("# Or save this as a file, edit it, and: keepalive run --scenario FILE.yaml\n\n")
	}
	b.Write(y)
	_, err = io.WriteString(w, b.String())
	return err
}

// commentLines turns text into "# " lines of at most width characters,
// keeping blank lines between paragraphs and lines that start with
// spaces (lists, formulas) as they are.
func commentLines(text string, width int) []string {
	var out []string
	var para []string
	flush := func() {
		line := ""
		for _, word := range para {
			if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) > width {
				out = append(out, "# "+line)
				line = ""
			}
			if line != "" {
				line += " "
			}
			line += word
		}
		if line != "" {
			out = append(out, "# "+line)
		}
		para = nil
	}
	for _, raw := range strings.Split(strings.TrimSpace(text), "\n") {
		raw = strings.TrimRight(raw, " \t\r")
		switch {
		case raw == "":
			flush()
			out = append(out, "#")
		case strings.HasPrefix(raw, " "), strings.HasPrefix(raw, "\t"), strings.HasPrefix(raw, "- "):
			flush()
			out = append(out, "# "+raw)
		default:
			para = append(para, strings.Fields(raw)...)
		}
	}
	flush()
	if len(out) == 1 && out[0] == "#" {
		return nil
	}
	return out
}
