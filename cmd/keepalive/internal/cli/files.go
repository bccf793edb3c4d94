package cli

import (
	"bufio"
	"errors"
	"fmt"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// output is one file (or standard output) that a run writes.
type output struct {
	flag  string // "out", "resources" or "trace"
	path  string
	write func(io.Writer, *report) error
}

func (plan *runPlan) outputs() []output {
	var outs []output
	report := map[string]func(io.Writer, *report) error{"table": writeTable, "csv": writeCSV, "json": writeJSON}[plan.format]
	outs = append(outs, output{"out", plan.out, report})
	if plan.resources != "" {
		outs = append(outs, output{"resources", plan.resources, writeResources})
	}
	if plan.trace != "" {
		outs = append(outs, output{"trace", plan.trace, writeTrace})
	}
	return outs
}

// checkOutputDirs fails early, before any simulation runs, when an output
// file could not be created: its directory is missing or it names a
// directory.
func (plan *runPlan) checkOutputDirs() error {
	for _, o := range plan.outputs() {
		if o.path == "" {
			continue
		}
		if fi, err := os.Stat(o.path); err == nil && fi.IsDir() {
			return usageErrorf("--%s %s: is a directory; give a file name", o.flag, o.path)
		}
		dir := filepath.Dir(o.path)
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return usageErrorf("--%s %s: directory %s does not exist", o.flag, o.path, dir)
		case err != nil:
			return usageErrorf("--%s %s: %v", o.flag, o.path, err)
		case !fi.IsDir():
			return usageErrorf("--%s %s: %s is not a directory", o.flag, o.path, dir)
		}
	}
	return nil
}

// writeOutputs writes every file atomically (each to a temporary file in
// its directory, renamed into place only when all are complete), then the
// report to stdout if --out was not given.
func writeOutputs(plan *runPlan, rep *report, stdout io.Writer) error {
	type staged struct{ tmp, path string }
	var done []staged
	cleanup := func() {
		for _, s := range done {
			os.Remove(s.tmp)
		}
	}
	var toStdout *output
	for _, o := range plan.outputs() {
		if o.path == "" {
			toStdout = &o
			continue
		}
		tmp, err := csvrow.Stage(o.path, func(w io.Writer) error { return o.write(w, rep) })
		if err != nil {
			cleanup()
			return fmt.Errorf("--%s %s: %w", o.flag, o.path, err)
		}
		done = append(done, staged{tmp, o.path})
	}
	for i, s := range done {
		if err := os.Rename(s.tmp, s.path); err != nil {
			cleanup()
			return fmt.Errorf("%s: %w", s.path, err)
		}
		done[i].tmp = "" // renamed; nothing left to clean
	}
	if toStdout != nil {
		bw := bufio.NewWriter(stdout)
		if err := toStdout.write(bw, rep); err != nil {
			return err
		}
		return bw.Flush()
	}
	return nil
}
