package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

func newPlotFlagSet(out, x, y, by, title *string, logx *bool) *flag.FlagSet {
	fs := flag.NewFlagSet("plot", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(out, "out", "", "")
	fs.StringVar(x, "x", "", "")
	fs.StringVar(y, "y", "", "")
	fs.StringVar(by, "by", "", "")
	fs.StringVar(title, "title", "", "")
	fs.BoolVar(logx, "logx", false, "")
	return fs
}

// plotCommand is "keepalive plot FILE.csv --out chart.png": the chart of
// "keepalive sweep --plot", from a tidy CSV.
func plotCommand(args []string, stdout, stderr io.Writer) int {
	const who = "keepalive plot"
	var out, x, y, by, title string
	var logx bool
	fs := newPlotFlagSet(&out, &x, &y, &by, &title, &logx)
	files, set, err := parseInterleaved(fs, "plot", args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, plotUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, who, err)
	}
	switch {
	case len(files) != 1:
		return fail(stderr, who, usageErrorf("give one CSV file (from keepalive sweep or merge), then --out CHART.png; see: keepalive plot --help"))
	case out == "":
		return fail(stderr, who, usageErrorf("--out: give the chart's file: --out chart.png (or .svg, .pdf)"))
	}
	spec, err := chartSpec(out, x, y, by, title, logx, set)
	if err != nil {
		return fail(stderr, who, err)
	}
	spec.PathFlag = "--out"
	t, err := sweep.ReadTable(files[0], true)
	if err != nil {
		return failSweep(stderr, who, err)
	}
	if err := spec.Check(t.Header); err != nil {
		return failSweep(stderr, who, err)
	}
	if err := sweep.CheckPaths(sweep.Output{Flag: "--out", Path: out}); err != nil {
		return failSweep(stderr, who, err)
	}
	if err := spec.Write(t); err != nil {
		return failSweep(stderr, who, err)
	}
	return exitOK
}

// parseInterleaved parses flags and file arguments in any order
// (keepalive merge a.csv b.csv --out all.csv). It returns the files and
// the flags given.
func parseInterleaved(fs *flag.FlagSet, cmd string, args []string) ([]string, map[string]bool, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, nil, err
			}
			return nil, nil, flagSyntaxError(cmd, err)
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for _, f := range files {
		if strings.HasPrefix(f, "-") && f != "-" {
			return nil, nil, usageErrorf("flag %s must come before the files or after them, not as a file name", f)
		}
	}
	return files, set, nil
}
