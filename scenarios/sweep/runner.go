package sweep

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// Options say how to run a [Plan] and where its results go.
type Options struct {
	// Jobs is the number of workers, each running one page load at a
	// time; 0 means runtime.NumCPU().
	Jobs int
	// Out is the tidy CSV file; "" writes to W instead. Rows are written
	// as they complete, in canonical order, whole rows only.
	Out string
	W   io.Writer
	// Resume continues the sweep in Out: the rows already there are
	// checked against the plan and kept, a trailing partial line is
	// dropped, and the missing rows are appended.
	Resume bool
	// Summary, if not "", is the summary CSV to write at the end (see
	// [Summarize]); Plot, if not nil, a chart. Both are written whole or
	// not at all, and not at all when the sweep is interrupted.
	Summary string
	Plot    *PlotSpec
	// Pages, if not "", is the pages CSV: one row per page load of every
	// run ([Plan.PagesHeader]), in canonical order. It is streamed to a
	// temporary file as the runs complete and put in place when the sweep
	// is complete, after the summary and chart; an interrupted or failed
	// sweep leaves no pages file. To resume with Pages, the runs already
	// in Out are run again for their pages (a run is a pure function of
	// its settings and seed, so they are the pages the first attempt
	// made), and an existing Pages file must be this sweep's.
	Pages string
	// Progress, if not nil, is called after each row written with the
	// rows written so far (resumed ones included) and the total; when a
	// resumed sweep runs its first rows again for Pages, after each of
	// those too, counting from 0.
	Progress func(done, total int)
}

// Outcome is what a finished or interrupted sweep wrote.
type Outcome struct {
	Resumed int // rows that were already in Out
	Written int // rows in Out at the end, Resumed included
	Total   int // rows of the plan (of its shard)
	// Stopped counts the rows written by this call whose run a limit
	// ended before every page had an outcome: their stopped column names
	// the limit, and those pages are counted as unfinished, not loaded.
	Stopped int
}

// window is how many runs may be done or in progress ahead of the next
// row to write, per worker: it bounds the reorder buffer.
const window = 64

// flushEvery is how often the rows written so far reach the file.
const flushEvery = 500 * time.Millisecond

// result is one run's row, encoded by the worker.
type result struct {
	j       int      // position in the plan's (shard's) rows
	line    []byte   // the CSV line, newline included
	cells   []string // the same row, kept only for summaries and plots
	pages   []byte   // the run's lines of the pages CSV, if wanted
	err     error
	skip    bool // not run: the sweep was stopped
	limited bool // a limit ended the run
}

// Run runs the plan with opt.Jobs workers and writes its rows in
// canonical order, whatever the number of workers. It checks opt first
// and creates no file if anything is wrong (*InputError).
//
// When ctx is cancelled, the workers stop taking runs, the runs in
// progress finish, and every row up to the first one missing is
// written; Run then returns an *Interrupted error (errors.Is
// ErrInterrupted). A run that fails stops the sweep the same way, and
// Run returns its error.
func Run(ctx context.Context, p *Plan, opt Options) (Outcome, error) {
	out := Outcome{Total: p.Runs()}
	if err := p.Check(opt); err != nil {
		return out, err
	}
	if opt.Jobs == 0 {
		opt.Jobs = runtime.NumCPU()
	}
	keep := opt.Summary != "" || opt.Plot != nil
	var table *Table
	if keep {
		table = &Table{Header: p.Header()}
	}
	w, closeOut, err := p.open(opt, table, &out)
	if err != nil {
		return out, err
	}
	var pages *report.Stream
	if opt.Pages != "" {
		if pages, err = p.createPages(opt.Pages); err != nil {
			closeOut()
			return out, err
		}
		defer pages.Abort() // unless committed below
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	onDisk := out.Resumed // rows known to be in the file: counted at each successful flush
	written, runErr := p.runRows(ctx, opt, out.Resumed, bw, pages, table, keep, &out.Stopped, &onDisk)
	if err := bw.Flush(); err != nil {
		if runErr == nil {
			runErr = err
		}
	} else {
		onDisk = written
	}
	// On a full disk, rows handed to the buffer are not rows written:
	// report those a flush confirmed, or, for a file, the complete rows
	// it holds (a failed flush writes part of its buffer; the partial row
	// after them is what --resume cuts).
	if runErr != nil && opt.Out != "" {
		if data, err := readRegular(opt.Out); err == nil {
			onDisk = min(written, max(onDisk, bytes.Count(data, []byte{'\n'})-1))
		}
	}
	written = onDisk
	out.Written = written
	if err := closeOut(); err != nil && runErr == nil {
		runErr = err
	}
	if runErr != nil {
		return out, runErr
	}
	if written < out.Total {
		return out, &Interrupted{Written: written, Total: out.Total, Cause: context.Cause(ctx)}
	}
	if opt.Summary != "" {
		if err := WriteSummary(opt.Summary, table); err != nil {
			return out, fmt.Errorf("--summary %s: %w", opt.Summary, err)
		}
	}
	if opt.Plot != nil {
		spec := *opt.Plot
		if spec.LogX == nil {
			x := spec.X
			if x == "" && len(p.Grid.Params) > 0 {
				x = p.Grid.Params[0].Name
			}
			log := p.logParam(x)
			spec.LogX = &log
		}
		if err := spec.Write(table); err != nil {
			return out, err
		}
	}
	if pages != nil {
		if err := pages.Commit(); err != nil {
			return out, fmt.Errorf("--pages %s: %w", opt.Pages, err)
		}
	}
	return out, nil
}

// createPages starts the pages CSV with its header.
func (p *Plan) createPages(path string) (*report.Stream, error) {
	s, err := report.CreateStream(path)
	if err != nil {
		return nil, fmt.Errorf("--pages %s: %w", path, err)
	}
	if err := writeHeader(s, p.PagesHeader()); err != nil {
		s.Abort()
		return nil, fmt.Errorf("--pages %s: %w", path, err)
	}
	return s, nil
}

// open opens the tidy CSV and writes its header, or, to resume, reads
// the rows already there (into table, if not nil).
func (p *Plan) open(opt Options, table *Table, out *Outcome) (io.Writer, func() error, error) {
	if opt.Out == "" {
		w := opt.W
		if w == nil {
			w = io.Discard
		}
		return w, func() error { return nil }, writeHeader(w, p.Header())
	}
	if opt.Resume {
		f, done, err := p.resume(opt.Out, table)
		if err != nil {
			return nil, nil, err
		}
		out.Resumed = done
		return f, f.Close, nil
	}
	f, err := os.Create(opt.Out)
	if err != nil {
		return nil, nil, fmt.Errorf("--out: %w", err)
	}
	if err := writeHeader(f, p.Header()); err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, f.Close, nil
}

func writeHeader(w io.Writer, header []string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.Flush()
	return cw.Error()
}

// runRows runs the plan's rows from start on and writes them to w in
// order, counting in *limited those whose run a limit ended, and their
// pages to pages if it is not nil: then the rows before start are run
// again, for their pages only. It returns how many rows the output holds
// at the end.
func (p *Plan) runRows(ctx context.Context, opt Options, start int, w *bufio.Writer, pages *report.Stream, table *Table, keep bool, limited, onDisk *int) (int, error) {
	n := p.Runs()
	first := start
	if pages != nil {
		first = 0
	}
	if first >= n {
		return start, nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	slots := make(chan struct{}, window*opt.Jobs) // runs ahead of the writer
	jobs := make(chan int)
	results := make(chan result, window*opt.Jobs)
	resultsIn := results
	go func() { // dispatcher
		defer close(jobs)
		for j := first; j < n; j++ {
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range opt.Jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work(ctx, jobs, resultsIn, keep, pages != nil)
		}()
	}
	go func() {
		wg.Wait()
		close(resultsIn)
	}()

	next, pending := first, map[int]result{}
	var runErr error
	stopped := false // a row is missing for good: write no more
	flush := func() {
		if err := w.Flush(); err != nil {
			if !stopped {
				runErr, stopped = err, true
				cancel()
			}
			return
		}
		*onDisk = max(next, start) // every row handed to w so far has reached the file
	}
	tick := time.NewTicker(flushEvery)
	defer tick.Stop()
	for results != nil {
		select {
		case <-tick.C:
			if !stopped {
				flush()
			}
			continue
		case r, ok := <-results:
			if !ok {
				results = nil
				continue
			}
			pending[r.j] = r
		}
		for !stopped {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			if r.err != nil || r.skip {
				runErr, stopped = r.err, true
				cancel()
				break
			}
			if pages != nil {
				if _, err := pages.Write(r.pages); err != nil {
					runErr, stopped = fmt.Errorf("--pages %s: %w", opt.Pages, err), true
					cancel()
					break
				}
			}
			if r.j >= start { // else its row is in the file already
				if len(r.line) > w.Available() && w.Buffered() > 0 {
					flush() // whole rows only reach the file
					if stopped {
						break
					}
				}
				w.Write(r.line)
				if r.limited {
					*limited++
				}
				if table != nil {
					table.Rows = append(table.Rows, r.cells)
				}
			}
			next++
			<-slots
			if opt.Progress != nil {
				opt.Progress(next, n)
			}
		}
	}
	return max(next, start), runErr
}

// work runs page loads until jobs is closed, and skips them once ctx is
// cancelled. A run keeps no trace, only its summary.
func (p *Plan) work(ctx context.Context, jobs <-chan int, results chan<- result, keep, pages bool) {
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	for j := range jobs {
		if ctx.Err() != nil {
			results <- result{j: j, skip: true}
			continue
		}
		results <- p.one(j, &buf, cw, keep, pages)
	}
}

// one runs job j. A panic outside model.Run (which has its own recover)
// is also returned as an *model.InternalError naming the run, since in a
// worker goroutine it would end the process without saying which.
func (p *Plan) one(j int, buf *bytes.Buffer, cw *csv.Writer, keep, pages bool) (r result) {
	i := p.Shard.run(j)
	defer func() {
		if v := recover(); v != nil {
			r = result{j: j, err: fmt.Errorf("run %d (%s): %w", i, p.describe(i), &model.InternalError{Panic: v, Stack: debug.Stack()})}
		}
	}()
	cfg, point, replicate := p.config(i)
	res, err := model.Run(cfg, nil) // no trace: the summary is computed as the run goes
	if err != nil {
		return result{j: j, err: fmt.Errorf("run %d (%s): %w", i, p.describe(i), err)}
	}
	row := p.row(i, cfg, point, replicate, res)
	buf.Reset()
	cw.Write(row)
	cw.Flush()
	r = result{j: j, line: bytes.Clone(buf.Bytes()), limited: res.PagesUnfinished > 0}
	if keep {
		r.cells = row
	}
	if pages {
		buf.Reset()
		for _, pr := range p.pageRows(i, cfg, point, replicate, res) {
			cw.Write(pr)
		}
		cw.Flush()
		r.pages = bytes.Clone(buf.Bytes())
	}
	return r
}

// describe names run i's parameters, for messages: "rtt=100ms,
// protocol=http2, replicate=3".
func (p *Plan) describe(i int) string {
	point, proto, replicate := p.Grid.split(i)
	var parts []string
	for k, vi := range p.Grid.values(point) {
		parts = append(parts, p.Grid.Params[k].Name+"="+p.Grid.Params[k].Values[vi])
	}
	parts = append(parts, "protocol="+p.Grid.Protocols[proto].String(), fmt.Sprintf("replicate=%d", replicate))
	return strings.Join(parts, ", ")
}

// logParam reports whether the parameter in column or named name (as
// typed, or by its field) was swept on a log scale.
func (p *Plan) logParam(name string) bool {
	f, ok := lookupField(name) // --x link.rtt for --vary rtt
	for _, prm := range p.Grid.Params {
		if prm.Name == name || prm.Column == name || ok && f.column() == prm.Column {
			return prm.Log
		}
	}
	return false
}
