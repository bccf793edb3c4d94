package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// resume opens path to continue the plan's sweep: it checks that the
// header is this plan's and that every row is the run the plan has at
// that position, cuts a trailing partial line, and returns the file
// open for appending with the number of complete rows. The rows go into
// table if it is not nil. A missing or empty file starts afresh.
func (p *Plan) resume(path string, table *Table) (*os.File, int, error) {
	where := "--resume " + path
	data, err := readRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		data, err = nil, nil
	}
	if err != nil {
		return nil, 0, &InputError{Where: where, Err: unwrapPath(err)}
	}
	keep := bytes.LastIndexByte(data, '\n') + 1 // complete lines
	rewrite := false                            // the complete lines are not as a sweep writes them
	header := p.Header()
	done := 0
	if keep > 0 {
		t, err := parseTable(path, data[:keep])
		if err != nil {
			return nil, 0, &InputError{Where: where, Err: err}
		}
		if !slices.Equal(t.Header, header) {
			return nil, 0, inputErrorf(where, "its header is not this sweep's (%s); was it made with other --vary flags? "+
				"header: %s; this sweep: %s", firstDifference(t.Header, header), strings.Join(t.Header, ","), strings.Join(header, ","))
		}
		if len(t.Rows) > p.Runs() {
			return nil, 0, inputErrorf(where, "it has %d rows; this sweep has only %d", len(t.Rows), p.Runs())
		}
		for j, row := range t.Rows {
			if err := p.checkRow(j, row); err != nil {
				return nil, 0, inputErrorf(where, "line %d: %v; was the file made by another sweep (other flags, scenario or --seed)?", j+2, err)
			}
		}
		done = len(t.Rows)
		if table != nil {
			table.Rows = append(table.Rows, t.Rows...)
		}
		// What the rows are, written as a sweep writes them: a file that
		// went through an editor or a copy may have CRLF line ends or
		// blank lines that a full run would not have.
		var buf bytes.Buffer
		if err := t.WriteCSV(&buf); err != nil {
			return nil, 0, err
		}
		if !bytes.Equal(buf.Bytes(), data[:keep]) {
			data, keep = buf.Bytes(), buf.Len()
			rewrite = true
		}
	}
	if rewrite {
		// Whole or not at all: killed half-way through an in-place
		// rewrite, the file would hold canonical rows and then pieces of
		// the old ones, which no later --resume could read.
		canon := data[:keep]
		if err := report.WriteAtomic(path, func(w io.Writer) error { _, err := w.Write(canon); return err }); err != nil {
			return nil, 0, fmt.Errorf("--out: %w", err)
		}
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o666)
	if err != nil {
		return nil, 0, fmt.Errorf("--out: %w", err)
	}
	if err := f.Truncate(int64(keep)); err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("--out: %w", err)
	}
	if _, err := f.Seek(int64(keep), 0); err != nil {
		f.Close()
		return nil, 0, fmt.Errorf("--out: %w", err)
	}
	if keep == 0 {
		if err := writeHeader(f, header); err != nil {
			f.Close()
			return nil, 0, err
		}
	}
	return f, done, nil
}

// checkRow checks that row is the plan's j-th row: the same run index,
// parameters, replicate and settings (report.Settings: scenario,
// protocol, seed, link, TCP, …). Metrics are not checked.
func (p *Plan) checkRow(j int, row []string) error {
	i := p.Shard.run(j)
	cfg, point, replicate := p.config(i)
	want := p.row(i, cfg, point, replicate, model.Result{})
	header := p.Header()
	settings := len(fixedColumns) + len(p.Grid.Params) // run, runs_total, parameters, replicate, sweep
	for c := range header {
		if c >= settings && !slices.Contains(report.Settings, header[c]) {
			continue
		}
		if header[c] == "sweep" && row[c] != want[c] {
			return fmt.Errorf("its sweep column is %s, this sweep's is %s: a fixed setting (--set, a run flag), a --vary value, the scenario, the protocols, --replicates or --seed differ", row[c], want[c])
		}
		if row[c] != want[c] {
			return fmt.Errorf("%s is %q, want %q (run %d: %s)", header[c], row[c], want[c], i, p.describe(i))
		}
	}
	return nil
}

// firstDifference names the first column where two headers differ.
func firstDifference(got, want []string) string {
	for c := range min(len(got), len(want)) {
		if got[c] != want[c] {
			return "column " + strconv.Itoa(c+1) + " is " + strconv.Quote(got[c]) + ", want " + strconv.Quote(want[c])
		}
	}
	return fmt.Sprintf("%d columns, want %d", len(got), len(want))
}
