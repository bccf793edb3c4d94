package cli

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
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
		tmp, err := stage(o.path, func(w io.Writer) error { return o.write(w, rep) })
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

// stage writes a temporary file next to path and returns its name. On
// error it removes what it created.
func stage(path string, write func(io.Writer) error) (string, error) {
	f, err := createTemp(path)
	if err != nil {
		return "", err
	}
	bw := bufio.NewWriter(f)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", err
	}
	return f.Name(), nil
}

// createTemp creates a new hidden file in path's directory. Unlike
// os.CreateTemp (mode 0600) it asks for mode 0666, so the result gets the
// usual permissions after the umask, like a file made by os.Create.
func createTemp(path string) (*os.File, error) {
	dir, base := filepath.Split(path)
	for range 100 {
		name := filepath.Join(dir, "."+base+"."+strconv.FormatUint(rand.Uint64()%1e9, 10)+".tmp")
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("cannot create a temporary file next to %s", path)
}
