package sweep

import (
	"bufio"
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// PagesHeader is the header of the pages CSV (Options.Pages): one row
// per page load of every run, the run's columns that identify it (run,
// runs_total, the parameters, replicate, sweep: a row joins the tidy
// CSV's on run and sweep), then report.PageColumns, the columns of
// "keepalive run --pages".
func (p *Plan) PagesHeader() []string { return append(p.runHeader(), report.PageColumns()...) }

// pageRows are canonical run i's pages, one row each, in the order
// "keepalive run --pages" writes them.
func (p *Plan) pageRows(i int, cfg model.Config, point, replicate int, res model.Result) [][]string {
	prefix := p.runCells(i, point, replicate)
	var rows [][]string
	for _, r := range report.PageRows(p.Scenario, cfg, res) {
		rows = append(rows, append(slices.Clip(prefix), r...))
	}
	return rows
}

// checkPages checks that an existing pages file may be replaced when
// resuming: only this sweep's (its header, and the sweep column of its
// first row), which a resumed sweep writes again whole. Anything else
// could be another sweep's pages, or any file, and is refused.
func (p *Plan) checkPages(path string) error {
	where := "--pages " + path
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &InputError{Where: where, Err: unwrapPath(err)}
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() || fi.Size() == 0 {
		return nil // a device, a pipe or an empty file: nothing to lose
	}
	cr := csv.NewReader(bufio.NewReader(f))
	header, err := cr.Read()
	mine := err == nil && slices.Equal(header, p.PagesHeader())
	if mine {
		row, err := cr.Read()
		mine = err == nil && row[slices.Index(header, "sweep")] == p.ID
	}
	if !mine {
		return inputErrorf(where, "the file exists and does not hold this sweep's pages (header %s…); "+
			"give another file name, or remove it", strings.Join(header[:min(len(header), 4)], ","))
	}
	return nil
}
