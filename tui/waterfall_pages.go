package tui

import (
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// waterfallRows is what the waterfall shows: every resource on the run's
// clock, or, zoomed (z), the resources of the page at the playhead on
// that page's own clock, from its navigation start, as DevTools shows a
// page.
type waterfallRows struct {
	res []trace.ResourceTiming // the rows, their times on the shown clock
	idx []int                  // each row's index among the run's resources; nil: the same
	// start is the shown clock's zero on the run's clock, span its
	// length; page is the page zoomed to (from 1), 0 for the whole run,
	// of pages.
	start, span time.Duration
	page, pages int
}

// waterfallRows returns the rows to show at t: the whole run, or with
// zoom and more than one page, the page at t.
func (ix *runIndex) waterfallRows(t time.Duration, zoom bool) waterfallRows {
	all := waterfallRows{res: ix.run.Summary.Resources, span: ix.span, pages: len(ix.pages)}
	p := ix.pageIndexAt(t)
	if !zoom || len(ix.pages) < 2 || p < 0 {
		return all
	}
	pg := ix.pages[p]
	end := pg.to
	if end < pg.from {
		end = ix.span // not loaded: to the end of the run
	}
	w := waterfallRows{start: pg.from, span: max(end-pg.from, time.Millisecond), page: p + 1, pages: len(ix.pages)}
	for i := range all.res {
		if all.res[i].Page == p+1 {
			w.res = append(w.res, shiftTiming(all.res[i], pg.from))
			w.idx = append(w.idx, i)
		}
	}
	return w
}

// pageIndexAt is the index in ix.pages of the first client's page at t:
// the last one started by then (the first before it starts), or -1 with
// no pages.
func (ix *runIndex) pageIndexAt(t time.Duration) int {
	p := -1
	for i, pg := range ix.pages {
		if i == 0 || pg.from <= t {
			p = i
		}
	}
	return p
}

// shiftTiming is r with every time it has (≥ 0) less d.
func shiftTiming(r trace.ResourceTiming, d time.Duration) trace.ResourceTiming {
	for _, f := range []*time.Duration{&r.Queued, &r.ConnectStart, &r.ConnectEnd, &r.TLSStart, &r.TLSEnd,
		&r.RequestSent, &r.FirstByte, &r.LastByte, &r.ServerQueued, &r.ServerStarted} {
		if *f >= 0 {
			*f = max(*f-d, 0)
		}
	}
	return r
}

// resource is the run's resource index of row i.
func (w waterfallRows) resource(i int) int {
	if w.idx == nil || i < 0 {
		return i
	}
	return w.idx[i]
}

// row is the row of the run's resource i, or -1 when it is not shown.
func (w waterfallRows) row(i int) int {
	if w.idx == nil {
		return i
	}
	for k, j := range w.idx {
		if j == i {
			return k
		}
	}
	return -1
}
