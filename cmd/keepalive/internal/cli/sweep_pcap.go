package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

// sweepCaptures are sweep's --pcap FILE --pcap-run LIST [--pcap-at
// POINT]: the captures of chosen rows, each its run made again after the
// sweep (a run is a function of its settings and seed, so it is the
// row's very run), as run --pcap writes them.
type sweepCaptures struct {
	path string
	runs []int    // canonical run indices, the rows' run column
	at   []string // capture points
}

// parse checks the flags; the runs are checked against the plan later.
func (c *sweepCaptures) parse(f *sweepFlags, set map[string]bool) error {
	if !set["pcap"] {
		for _, o := range []struct{ flag, v string }{{"pcap-run", f.pcapRun}, {"pcap-at", f.pcapAt}} {
			if set[o.flag] {
				return usageErrorf("--%s %s: only with --pcap FILE, the capture it places", o.flag, o.v)
			}
		}
		return nil
	}
	if f.pcap == "" || f.pcap == "-" {
		return usageErrorf("--pcap: needs a file name (with --pcap-run N, the capture of the row whose run column is N)")
	}
	if !set["pcap-run"] {
		return usageErrorf("--pcap %s: needs --pcap-run LIST, the rows to capture by their run column (from 0), e.g. --pcap-run 3 or --pcap-run 0,7", f.pcap)
	}
	for _, v := range strings.Split(f.pcapRun, ",") {
		v = strings.TrimSpace(v)
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || strings.TrimLeft(v, "0123456789") != "" {
			return usageErrorf("--pcap-run %q: allowed: run numbers (the CSV's run column, from 0), separated by commas", f.pcapRun)
		}
		if slices.Contains(c.runs, n) {
			return usageErrorf("--pcap-run %s: run %d twice", f.pcapRun, n)
		}
		c.runs = append(c.runs, n)
	}
	at, err := parsePcapAt(f.pcapAt)
	if err != nil {
		return err
	}
	c.path, c.at = f.pcap, at
	var paths []string
	for _, r := range c.runs {
		for _, a := range c.at {
			paths = append(paths, c.file(r, a))
		}
	}
	others := map[string]string{}
	for _, o := range []struct{ flag, path string }{{"out", f.out}, {"summary", f.summary}, {"pages", f.pages}, {"plot", f.plot}} {
		if o.path != "" && o.path != "-" {
			others[filepath.Clean(o.path)] = o.flag
		}
	}
	if err := checkCaptureNames(c.path, paths, others); err != nil {
		return err
	}
	for _, p := range paths {
		if err := checkOutputPath("pcap", p, f.scenario); err != nil {
			return err
		}
		// A capture is the row's run made again, so --resume may write it
		// again, as it does --pages; a new sweep must not replace one.
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() && !f.force && !f.resume {
			return usageErrorf("--pcap %s: the file exists; add --force to replace it (or --resume, continuing the sweep)", p)
		}
	}
	return nil
}

// file is the capture of run r at point at: FILE for one run at one
// point, else FILE's name with run N and the point before its extension
// (rows.pcap: rows.run7.pcap, rows.run7.server.pcap).
func (c *sweepCaptures) file(r int, at string) string {
	ext := filepath.Ext(c.path)
	name := strings.TrimSuffix(c.path, ext)
	if len(c.runs) > 1 {
		name += ".run" + strconv.Itoa(r)
	}
	if len(c.at) > 1 {
		name += "." + at
	}
	return name + ext
}

// check fails, before the sweep starts, on a run the sweep does not have
// and on a run that cannot be captured (a proxy point without a proxy).
func (c *sweepCaptures) check(plan *sweep.Plan) error {
	for _, r := range c.runs {
		if r >= plan.Total() {
			return usageErrorf("--pcap-run %d: allowed: 0 to %d (the sweep's runs)", r, plan.Total()-1)
		}
		if _, err := newCapture(&runPlan{pcapAt: c.at}, plan.Config(r)); err != nil {
			return fmt.Errorf("--pcap-run %d (%s): %w", r, plan.Describe(r), err)
		}
	}
	return nil
}

// write runs each chosen run again with a capture and writes the files:
// each whole, and none if one cannot be made (they are staged before any
// is put in place).
func (c *sweepCaptures) write(plan *sweep.Plan) error {
	var staged []*csvrow.Staged
	defer func() {
		for _, s := range staged {
			s.Abort() // a no-op once committed
		}
	}()
	for _, r := range c.runs {
		files, err := captureOf(plan.Config(r), c.at...)
		if err != nil {
			return fmt.Errorf("--pcap-run %d (%s): %w", r, plan.Describe(r), err)
		}
		for _, at := range c.at {
			data := files[at].Bytes()
			s, err := csvrow.Stage(c.file(r, at), func(w io.Writer) error {
				_, err := w.Write(data)
				return err
			})
			if err != nil {
				return fmt.Errorf("--pcap %s: %w", c.file(r, at), err)
			}
			staged = append(staged, s)
		}
	}
	for _, s := range staged {
		if err := s.Commit(); err != nil {
			return fmt.Errorf("--pcap: %w", err)
		}
	}
	return nil
}
