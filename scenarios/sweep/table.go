package sweep

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"github.com/keepalive-sim/keepalive/scenarios/report"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
)

// Table is a CSV file in memory: a header and rows of as many cells.
type Table struct {
	Header []string
	Rows   [][]string
}

// ReadTable reads a tidy CSV (of "keepalive sweep", "keepalive merge" or
// "keepalive run --format csv"). A last line without its newline, the
// mark of a sweep still running or interrupted, is an error unless
// partialOK, when it is left out.
func ReadTable(path string, partialOK bool) (*Table, error) {
	data, err := readRegular(path)
	if err != nil {
		return nil, &InputError{Where: path, Err: unwrapPath(err)}
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		if !partialOK {
			return nil, inputErrorf(path, "the last line is incomplete (an interrupted sweep?); finish it with the same sweep command and --resume")
		}
		data = data[:bytes.LastIndexByte(data, '\n')+1]
	}
	return parseTable(path, data)
}

// errNotRegular is the error for an input that is not a regular file: a
// sweep's CSV is read whole, and /dev/zero or a pipe that never ends
// would be read until memory ran out.
var errNotRegular = errors.New("not a regular file; give the CSV file a sweep or merge wrote")

// readRegular reads the regular file at path, refusing anything else.
func readRegular(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errNotRegular
	}
	return io.ReadAll(f)
}

func parseTable(path string, data []byte) (*Table, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, inputErrorf(path, "empty file; want a CSV with a header line")
	}
	if err != nil {
		return nil, &InputError{Where: path, Err: err}
	}
	t := &Table{Header: header}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &InputError{Where: path, Err: err}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, nil
}

// unwrapPath drops the operation and path of a *fs.PathError, which the
// message already names.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Column returns the index of the column named name, or -1.
func (t *Table) Column(name string) int { return slices.Index(t.Header, name) }

// Params are the columns of a sweep's varied parameters: those between
// runs_total and replicate. A CSV of "keepalive run" has none.
func (t *Table) Params() []string {
	lo, hi := t.Column("runs_total"), t.Column("replicate")
	if lo < 0 || hi < lo {
		return nil
	}
	return t.Header[lo+1 : hi]
}

// WriteCSV writes the table to w.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(t.Header)
	for _, r := range t.Rows {
		cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

// WriteFile writes the table to path, whole or not at all.
func (t *Table) WriteFile(path string) error { return report.WriteAtomic(path, t.WriteCSV) }

// floatCell reads a metric's cell: a number, or true (1) and false (0).
// An empty cell ("did not happen") is not a value.
func floatCell(s string) (float64, bool) {
	switch s {
	case "":
		return 0, false
	case "true":
		return 1, true
	case "false":
		return 0, true
	}
	f, err := strconv.ParseFloat(s, 64)
	return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) // a hand-edited NaN is not a measurement
}

// errNotSweep is the problem with a CSV that lacks the run column.
var errNotSweep = fmt.Errorf("not a sweep's CSV: its first columns are not run, runs_total (see docs/batch.md)")
