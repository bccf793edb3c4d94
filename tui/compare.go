package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// minPanelW is the narrowest a compare panel may be.
const minPanelW = 34

// drawCompare draws every run of the lesson as a small waterfall on one
// shared clock, each with its page load time, connections opened, TLS
// handshakes and round trips spent at the playhead: stacked 2×2 at 80
// columns, side by side on a wide terminal, one above the other on a
// narrow one; then the verdict and what each run's connections hold,
// and the legend on the last row. cur marks the protocol the
// single-protocol views show.
func drawCompare(c canvas, runs []*runIndex, at time.Duration, cur int, st *styles) {
	n := len(runs)
	if n == 0 || c.w < 20 || c.h < 7 {
		c.print(0, 0, "nothing to compare", st.dim)
		return
	}
	drawLegendItems(c, c.h-1, compareItems(runs, st), st)
	c = c.sub(0, 0, c.w, c.h-1) // above the legend
	var span time.Duration
	for _, ix := range runs {
		span = max(span, ix.span)
	}
	cols := 1
	switch {
	case c.w >= n*minPanelW+n-1:
		cols = n
	case c.w >= 2*minPanelW+1 && n > 1:
		cols = 2
	}
	rows := (n + cols - 1) / cols
	areaH := c.h - 3
	ph := (areaH - (rows - 1)) / rows
	pw := (c.w - (cols - 1)) / cols
	for i, ix := range runs {
		r, k := i/cols, i%cols
		x, y := k*(pw+1), r*(ph+1)
		drawPanel(c.sub(x, y, pw, ph), ix, at, span, i == cur, st)
		if k > 0 {
			for yy := y; yy < y+ph; yy++ {
				c.set(x-1, yy, '│', st.dim)
			}
		}
		if r > 0 && k == 0 {
			for xx := 0; xx < c.w; xx++ {
				c.set(xx, y-1, '─', st.dim)
			}
		}
	}
	for k := 0; k < cols; k++ {
		ticks := c.sub(k*(pw+1), c.h-3, pw, 1)
		a := panelAxis(pw, span)
		drawTicks(ticks, 0, a, 8, st)
		markAxis(ticks, a.col(at), at <= span, st)
	}
	c.print(0, c.h-2, truncate(verdict(runs, at), c.w), st.bold)
	c.print(0, c.h-1, truncate(heldLine(runs, at), c.w), st.base)
}

// heldLine is the compare view's cost line beside the verdict: what each
// protocol's connections hold at the playhead, e.g. "held now: http1.0
// 13 in TIME-WAIT · http1.1 6 idle · http2 1 idle". Keep-alive's saving
// is the verdict; this is its price, and HTTP/1.0's.
func heldLine(runs []*runIndex, at time.Duration) string {
	parts := make([]string, 0, len(runs))
	for _, ix := range runs {
		c := ix.costsAt(at)
		var held []string
		if busy := c.busy; busy > 0 {
			held = append(held, fmt.Sprintf("%d busy", busy))
		}
		if idle := c.idle(); idle > 0 {
			held = append(held, fmt.Sprintf("%d idle", idle))
		}
		if w := c.timeWait(); w > 0 {
			held = append(held, fmt.Sprintf("%d in TIME-WAIT", w))
		}
		if len(held) == 0 {
			held = append(held, "nothing")
		}
		parts = append(parts, ix.run.Protocol.String()+" "+strings.Join(held, ", "))
	}
	return "held now: " + strings.Join(parts, " · ")
}

// panelAxis is a compare panel's time axis, after a 3-cell label.
func panelAxis(pw int, span time.Duration) timeAxis {
	return timeAxis{x: 3, w: max(pw-3, 1), span: span}
}

func drawPanel(c canvas, ix *runIndex, at, span time.Duration, cur bool, st *styles) {
	name, ns := "  "+ix.run.Protocol.String(), st.title
	if cur {
		name, ns = "▸ "+ix.run.Protocol.String(), st.on
	}
	x := c.print(0, 0, name, ns)
	s := ix.run.Summary
	for _, status := range panelStatus(ix, at) { // the longest that fits
		if w := width(status); c.w-w > x+1 {
			c.printRight(c.w, 0, status, st.bold)
			break
		}
	}
	t := ix.tallyAt(at)
	line := fmt.Sprintf("%d conn%s · %d TLS · %d/%d resources · %.1f RTT", t.opened, t.originNote(), t.tls, t.done, t.resources, t.rtts)
	if width(line) > c.w-2 {
		line = fmt.Sprintf("%d conn · %d TLS · %d/%d resources · %.1f RTT", t.opened, t.tls, t.done, t.resources, t.rtts)
	}
	if width(line) > c.w-2 {
		line = fmt.Sprintf("%d conn · %d TLS · %d/%d · %.1f RTT", t.opened, t.tls, t.done, t.resources, t.rtts)
	}
	if ix.clients > 1 {
		// Connections are every client's; resources and round trips the
		// first client's: say so.
		line = fmt.Sprintf("all %d: %d conn · client 1: %d/%d res · %.1f RTT", ix.clients, t.opened, t.done, t.resources, t.rtts)
	}
	c.print(2, 1, truncate(line, c.w-2), st.base)

	res := s.Resources
	k := c.h - 2
	if k <= 0 || len(res) == 0 {
		return
	}
	// One resource per row; when they do not all fit, the last row says
	// how many more there are rather than drawing two loads on one row.
	rows := len(res)
	if rows > k {
		rows = k - 1
	}
	a := panelAxis(c.w, span)
	for j := 0; j < rows; j++ {
		y := 2 + j
		r := &res[j]
		if r.Conn > 0 && r.RequestSent >= 0 && r.RequestSent <= at {
			c.print(0, y, "c"+strconv.Itoa(r.Conn), st.conn(r.Conn))
		}
		drawSegments(c, y, a, withLookup(phasesAt(r, at), ix.lookupOf(j), 0, at), st)
	}
	rowsUsed := rows
	if rows < len(res) {
		more := 0
		for i := rows; i < len(res); i++ {
			if res[i].LastByte >= 0 && res[i].LastByte <= at {
				more++
			}
		}
		c.print(3, 2+rows, fmt.Sprintf("+%d more (%d done)", len(res)-rows, more), st.dim)
		rowsUsed++
	}
	x = a.col(at)
	for y := 2; y < 2+rowsUsed && at <= span; y++ {
		if r := c.get(x, y); r == ' ' || r == 0 {
			c.set(x, y, '│', st.playhead)
		}
	}
}

// panelStatus is what a run's panel says of it at t, longest first: the
// page load time once it loaded (the mean, said so, when there are
// several pages), failed or unfinished once the run is over.
func panelStatus(ix *runIndex, at time.Duration) []string {
	s := &ix.run.Summary
	switch {
	case s.Complete && ix.loaded >= 0 && at >= ix.loaded && s.PagesLoaded > 1:
		out := []string{fmt.Sprintf("✓ %d pages, mean %s", s.PagesLoaded, fmtTime(s.PageLoad)), "✓ mean " + fmtTime(s.PageLoad)}
		if each := pageTimes(s); each != "" && ix.clients <= 1 {
			out = append([]string{"✓ " + each}, out...) // each page, when it fits
		}
		return out
	case s.Complete && ix.loaded >= 0 && at >= ix.loaded:
		return []string{"✓ " + fmtTime(s.PageLoad)}
	case !s.Complete && at >= ix.span && s.PagesFailed > 0:
		return []string{fmt.Sprintf("✗ %d of %d pages failed", s.PagesFailed, s.Pages), "✗ failed"}
	case !s.Complete && at >= ix.span:
		return []string{fmt.Sprintf("✗ %d of %d pages unfinished", s.PagesUnfinished, s.Pages), "✗ unfinished"}
	}
	return []string{"loading…"}
}

// pageTimes is each loaded page's load time in the order of the pages,
// "page 1 307.5ms · page 2 350.5ms", for a run of one client; "" for
// one page or many clients.
func pageTimes(s *trace.Summary) string {
	var parts []string
	for _, o := range s.Outcomes {
		if o.Client > 1 {
			return ""
		}
		if o.Outcome == trace.Loaded {
			parts = append(parts, fmt.Sprintf("page %d %s", o.Page, fmtTime(o.Took())))
		}
	}
	if len(parts) < 2 {
		return ""
	}
	return strings.Join(parts, " · ")
}

// verdict is the compare view's last line: which protocol won, once the
// race is over.
func verdict(runs []*runIndex, at time.Duration) string {
	var best, worst *runIndex
	done, failed := 0, 0
	pages := "the page"
	for _, ix := range runs {
		s := &ix.run.Summary
		if s.Pages > 1 {
			pages = "its pages"
		}
		if !s.Complete && at >= ix.span {
			failed++
			continue
		}
		if !s.Complete || ix.loaded < 0 || at < ix.loaded {
			continue
		}
		done++
		if best == nil || s.PageLoad < best.run.Summary.PageLoad {
			best = ix
		}
		if worst == nil || s.PageLoad > worst.run.Summary.PageLoad {
			worst = ix
		}
	}
	mean := ""
	if pages != "the page" {
		mean = " on average"
	}
	notLoaded := ""
	if failed > 0 {
		notLoaded = fmt.Sprintf("; %d incomplete", failed)
	}
	switch {
	case done == 0 && failed == 0:
		return "one page, every protocol, one shared clock: which finishes first?"
	case done == 0:
		return "no protocol loaded every page"
	case done+failed < len(runs):
		return fmt.Sprintf("%s finished first (%s = %s%s); %d still loading%s",
			best.run.Protocol, fmtTime(best.run.Summary.PageLoad), rtts(best.run.Summary.PageLoad, best.rtt), mean, len(runs)-done-failed, notLoaded)
	case best == worst && failed == 0:
		return fmt.Sprintf("every protocol loaded %s in %s%s", pages, fmtTime(best.run.Summary.PageLoad), mean)
	case best == worst:
		return fmt.Sprintf("%s loaded %s in %s%s%s", best.run.Protocol, pages, fmtTime(best.run.Summary.PageLoad), mean, notLoaded)
	}
	b, w := best.run.Summary.PageLoad, worst.run.Summary.PageLoad
	return fmt.Sprintf("%s loaded %s %.2f× faster than %s%s (%s vs %s)%s",
		best.run.Protocol, pages, float64(w)/float64(b), worst.run.Protocol, mean, fmtTime(b), fmtTime(w), notLoaded)
}
