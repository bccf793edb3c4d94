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
	"strings"
)

// output is one file (or standard output) that a run writes.
type output struct {
	flag  string // "out", "resources", "pages", "trace", "har-out" or "pcap"
	path  string
	write func(io.Writer, *report) error
}

// csv reports whether o is written as CSV, and so gets a sidecar with
// its provenance: not the table (for people), the JSON report (which
// holds it) or a .jsonl trace (whose run lines describe it).
func (o output) csv(plan *runPlan) bool {
	switch o.flag {
	case "out":
		return plan.format == "csv"
	case "trace":
		return !strings.EqualFold(filepath.Ext(o.path), ".jsonl")
	case "har-out":
		return false // its creator and comment say how it was made
	case "pcap":
		return false
	}
	return true
}

func (plan *runPlan) outputs() []output {
	var outs []output
	write := map[string]func(io.Writer, *report) error{"table": writeTable, "csv": writeCSV, "json": writeJSON}[plan.format]
	outs = append(outs, output{"out", plan.out, write})
	if plan.resources != "" {
		outs = append(outs, output{"resources", plan.resources, writeResources})
	}
	if plan.pages != "" {
		outs = append(outs, output{"pages", plan.pages, writePages})
	}
	if plan.har != "" {
		outs = append(outs, output{"har-out", plan.har, writeHAR})
	}
	if plan.trace != "" {
		outs = append(outs, output{"trace", plan.trace, nil}) // streamed during the runs: see executeWithTrace
	}
	if plan.pcap != "" {
		for _, p := range plan.protocols {
			for _, at := range plan.pcapAt {
				outs = append(outs, output{"pcap", plan.pcapPath(p, at), func(w io.Writer, rep *report) error {
					_, err := w.Write(rep.captures[captureFile{p, at}])
					return err
				}})
			}
		}
	}
	return outs
}

// checkOutputDirs fails early, before any simulation runs, when an output
// file could not be created (its directory is missing or it names a
// directory) or would overwrite the scenario file being read.
func (plan *runPlan) checkOutputDirs() error {
	for _, o := range plan.outputs() {
		if o.path == "" {
			continue
		}
		if err := checkOutputPath(o.flag, o.path, plan.scenario); err != nil {
			return err
		}
	}
	return nil
}

// checkOutputPath fails when the file of --flag could not be created
// (its directory is missing, or it names a directory) or is the scenario
// file being read.
func checkOutputPath(flag, path, scenario string) error {
	fi, err := os.Stat(path)
	if err == nil && fi.IsDir() {
		return usageErrorf("--%s %s: is a directory; give a file name", flag, path)
	}
	if in, ierr := os.Stat(scenario); err == nil && ierr == nil && os.SameFile(fi, in) {
		return usageErrorf("--%s %s: is the scenario file it would read (--scenario %s); give another file name", flag, path, scenario)
	}
	dir := filepath.Dir(path)
	fi, err = os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageErrorf("--%s %s: directory %s does not exist", flag, path, dir)
	case err != nil:
		return usageErrorf("--%s %s: %v", flag, path, err)
	case !fi.IsDir():
		return usageErrorf("--%s %s: %s is not a directory", flag, path, dir)
	}
	return nil
}

// writeOutputs writes every file atomically (each to a temporary file in
// its directory, renamed into place only when all are complete, with the
// trace staged while the runs went), then the report to stdout if --out
// was not given.
func writeOutputs(plan *runPlan, rep *report, stdout io.Writer, traceFile *csvrow.Staged) error {
	var done []*csvrow.Staged
	if traceFile != nil {
		done = append(done, traceFile)
	}
	cleanup := func() {
		for _, s := range done {
			s.Abort()
		}
	}
	var toStdout *output
	for _, o := range plan.outputs() {
		if o.path == "" {
			toStdout = &o
			continue
		}
		if o.write == nil {
			continue // staged already
		}
		s, err := csvrow.Stage(o.path, func(w io.Writer) error { return o.write(w, rep) })
		if err != nil {
			cleanup()
			return fmt.Errorf("--%s %s: %w", o.flag, o.path, err)
		}
		done = append(done, s)
	}
	// Beside each CSV file, its provenance (JSON carries it inside).
	for _, o := range plan.outputs() {
		if o.path == "" || !o.csv(plan) || !wantsSidecar(o.path) {
			continue
		}
		meta := metaPath(o.path)
		s, err := csvrow.Stage(meta, func(w io.Writer) error { return writeMeta(w, rep.meta) })
		if err != nil {
			cleanup()
			return fmt.Errorf("--%s %s: %w", o.flag, meta, err)
		}
		done = append(done, s)
	}
	for _, s := range done {
		if err := s.Commit(); err != nil {
			cleanup()
			return err
		}
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
