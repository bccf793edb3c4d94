package sweep

import (
	"errors"
	"fmt"
	"github.com/keepalive-sim/keepalive/scenarios/report"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Check reports what is wrong with opt for this plan, as an
// *InputError, before anything is run or written.
func (p *Plan) Check(opt Options) error {
	if opt.Jobs < 0 {
		return inputErrorf(fmt.Sprintf("--jobs %d", opt.Jobs), "must be ≥ 1")
	}
	if opt.Resume && opt.Out == "" {
		return inputErrorf("--resume", "needs --out FILE: the file to continue")
	}
	if !p.Shard.whole() {
		for _, o := range []struct{ flag, path string }{{"--summary", opt.Summary}, {"--plot", plotPath(opt.Plot)}} {
			if o.path != "" {
				return inputErrorf(o.flag+" "+o.path, "a shard holds only part of the sweep; merge the shards first, "+
					"then summarise and plot: keepalive merge shard-*.csv --out results.csv --summary summary.csv; "+
					"keepalive plot results.csv --out plot.png")
			}
		}
	}
	if opt.Plot != nil {
		if err := p.checkPlot(opt.Plot); err != nil {
			return err
		}
	}
	if err := CheckPaths(
		Output{"--out", opt.Out},
		Output{"--summary", opt.Summary},
		Output{"--plot", plotPath(opt.Plot)},
		Output{"--pages", opt.Pages},
	); err != nil {
		return err
	}
	if opt.Pages != "" && opt.Resume {
		return p.checkPages(opt.Pages)
	}
	return nil
}

func plotPath(s *PlotSpec) string {
	if s == nil {
		return ""
	}
	return s.Path
}

// Output is a file a command writes, named by its flag for messages.
type Output struct{ Flag, Path string }

// CheckPaths fails early when an output could not be created: its
// directory is missing, it names a directory, or two flags name the
// same file.
func CheckPaths(outs ...Output) error {
	for _, o := range outs {
		for _, p := range outs {
			if o.Path != "" && p.Path != "" && filepath.Clean(o.Path) == filepath.Clean(p.Path+report.MetaSuffix) {
				return inputErrorf(o.Flag+" "+o.Path, "is where %s's provenance goes (FILE%s); give it another name", p.Flag, report.MetaSuffix)
			}
		}
	}
	seen := map[string]string{}
	for _, o := range outs {
		if o.Path == "" {
			continue
		}
		where := o.Flag + " " + o.Path
		key := filepath.Clean(o.Path)
		if prev, dup := seen[key]; dup {
			return inputErrorf(where, "%s names the same file; give each its own", prev)
		}
		seen[key] = o.Flag
		if fi, err := os.Stat(o.Path); err == nil && fi.IsDir() {
			return inputErrorf(where, "is a directory; give a file name")
		}
		dir := filepath.Dir(o.Path)
		fi, err := os.Stat(dir)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return inputErrorf(where, "directory %s does not exist", dir)
		case err != nil:
			return &InputError{Where: where, Err: err}
		case !fi.IsDir():
			return inputErrorf(where, "%s is not a directory", dir)
		}
	}
	return nil
}

// checkPlot checks the chart's columns, and that every varied parameter
// is on the x axis, in --by, or has one value.
func (p *Plan) checkPlot(s *PlotSpec) error {
	header := p.Header()
	x, _, by, err := s.resolve(header)
	if err != nil {
		return err
	}
	t := &Table{Header: header}
	for _, prm := range p.Grid.Params {
		c := t.Column(prm.Column)
		if c != x && !slices.Contains(by, c) && len(prm.Values) > 1 {
			return othersError(prm.Name, prm.Values)
		}
	}
	return nil
}
