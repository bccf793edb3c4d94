package tui

import (
	"slices"
	"strconv"

	"github.com/gdamore/tcell/v2"
)

// legendItem is one entry of a view's legend: a glyph as the view draws
// it, and what it means.
type legendItem struct {
	glyph string
	style tcell.Style
	text  string
}

// drawLegendItems writes items on row y, two cells apart, as many as fit
// whole (the first are the ones that matter most), and returns the column
// after the last.
func drawLegendItems(c canvas, y int, items []legendItem, st *styles) int {
	x := 0
	for i, it := range items {
		gap := 0
		if i > 0 {
			gap = 2
		}
		if x+gap+width(it.glyph)+1+width(it.text) > c.w {
			break
		}
		x = c.print(x+gap, y, it.glyph, it.style)
		x = c.print(x, y, " "+it.text, st.dim)
	}
	return x
}

// phaseItems are the legend of the phases ps.
func phaseItems(ps []phase, st *styles) []legendItem {
	items := make([]legendItem, 0, len(ps))
	for _, p := range ps {
		items = append(items, legendItem{string(p.glyph()), st.phases[p], p.name()})
	}
	return items
}

// connItem says how the view tells connections apart: by colour, or
// with NoColor by the label it writes ("c1", "c2").
func connItem(st *styles, text string) legendItem {
	if st.noColor {
		return legendItem{"c1 c2", st.bold, text}
	}
	return legendItem{"━", st.conn(1).Bold(true), "colour: " + text}
}

// ladderLegend explains what the ladder of ix draws at zoom z: the
// packets' marks, the playhead's row, the "+N" of a row's hidden labels
// and the key that names them, the connections' colours (or, with
// glyphs, their characters), and the idle rows of the whole run.
func ladderLegend(ix *runIndex, z ladderZoom, folded, glyphs bool, st *styles) []legendItem {
	items := []legendItem{{"•", st.bold, "in flight"}, {"◀ ▶", st.bold, "arrived"}}
	if ix.anyDrop {
		items = append(items, legendItem{"✗", st.warn, "lost"})
	}
	items = append(items, legendItem{"┄", st.dim, "now"})
	switch {
	case glyphs:
		items = append(items, glyphItem(ix, st))
	case len(ix.conns) > 1:
		items = append(items, connItem(st, "connection"))
	}
	if z.whole {
		items = append(items, legendItem{"┈", st.dim, "no packet, collapsed (w)"})
	}
	if folded {
		items = append(items, legendItem{"╌", st.dim, "rounds like the one above"})
	}
	if z.expand {
		items = append(items, legendItem{"+N", st.bold, "not named (x: fewer)"})
	} else {
		items = append(items, legendItem{"+N", st.bold, "more (x: name them)"})
	}
	return items
}

// nowItem is the playhead's mark on a time axis.
func nowItem(glyph string, st *styles) legendItem { return legendItem{glyph, st.playhead, "now"} }

// glyphItem says which connection each glyph on an arrow stands for:
// the first two, and the first past c9, whose glyph is a letter.
func glyphItem(ix *runIndex, st *styles) legendItem {
	var ids []int
	for i := range ix.conns {
		if id := ix.conns[i].id; len(ids) < 2 || id >= 10 && ids[len(ids)-1] < 10 {
			ids = append(ids, id)
		}
	}
	var glyph, text string
	for k, id := range ids {
		if k > 0 {
			glyph, text = glyph+" ", text+" "
		}
		glyph += string(connGlyph(id))
		text += "c" + strconv.Itoa(id)
	}
	return legendItem{glyph, st.bold, "= " + text}
}

// cwndItems explain the congestion window plot: the window solid, the
// slow-start threshold dashed, the line's end named by its connection,
// the playhead.
func cwndItems(ix *runIndex, st *styles) []legendItem {
	items := []legendItem{{"⣀⣀", st.conn(1), "cwnd"}, {"⠤⠄", st.threshold, "ssthresh"}}
	if len(ix.conns) > 1 {
		items = append(items, connItem(st, "connection"))
	}
	return append(items, nowItem("│ ▲", st))
}

// compareItems explain the compare panels: the phases of their bars (as
// the waterfall draws them, DNS lookups too), the playhead, and the
// connection each resource came over.
func compareItems(runs []*runIndex, st *styles) []legendItem {
	ps := []phase{phaseQueued, phaseConnect, phaseTLS, phaseWaiting, phaseDownload}
	for _, ix := range runs {
		if ix.drawsLookups() {
			ps = slices.Insert(ps, 1, phaseDNS)
			break
		}
	}
	for _, ix := range runs {
		if ix.serverQueue {
			ps = append(ps, phaseServer)
			break
		}
	}
	return append(phaseItems(ps, st), nowItem("│ ▲", st), legendItem{"c1", st.conn(1), "its connection"})
}

// connViewItems are the connection view's marks beyond its phases: the
// resource number where each request left, and, when the run leaves one
// open, ▸ for a connection still open when the page had loaded.
func connViewItems(ix *runIndex, st *styles) []legendItem {
	items := []legendItem{{"1…9", st.bold, "request for #n"}}
	for i := range ix.conns {
		if !ix.conns[i].fin {
			return append(items, legendItem{"▸", st.dim, "open after load"})
		}
	}
	return items
}
