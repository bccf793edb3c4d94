package tui

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"strconv"
	"strings"
)

// drawHeader writes the two header rows: the view tabs with the play
// state, clock and speed; then the scenario, the protocol and the
// lesson's parameters.
func drawHeader(c canvas, s *state) {
	st := s.st
	x := 0
	for v := view(0); v < numViews; v++ {
		style := st.tab
		if v == s.view {
			style = st.on
		}
		x = c.print(x, 0, " "+strconv.Itoa(int(v)+1)+" "+v.name()+" ", style)
	}
	p := s.player
	state := "‖ paused"
	switch {
	case !p.Paused() && p.Skipping():
		state = "» idle, fast"
	case !p.Paused():
		state = "▶ playing"
	case p.AtEnd():
		state = "■ end"
	}
	right := state + "  " + fmtTime(p.At()) + "  " + p.Speed().String()
	if c.w-width(right) > x+1 {
		c.printRight(c.w, 0, right, st.playhead)
	}

	name := orWord(s.lesson.Scenario, "lesson")
	proto := "all protocols"
	if ix := s.run(); ix != nil && s.view != viewCompare {
		proto = ix.run.Protocol.String()
	}
	x = c.print(0, 1, truncate(name, c.w/3), st.title)
	x = c.print(x, 1, " ▸ "+proto, st.title)
	// The settings the edit form's last field changed, which the
	// parameters do not show: a projected lesson says it is not the
	// lesson as designed. They take up to half the row, the parameters
	// the rest.
	edits := ""
	if e := s.lesson.Edits; len(e) > 0 {
		edits = truncate(" │ "+strings.Join(e, "; "), (c.w-x)/2)
	}
	x = c.print(x, 1, " │ "+fitParams(s, c.w-x-3-width(edits)), st.base)
	c.print(x, 1, edits, st.bold)
}

// fitParams writes the lesson's parameters in at most w cells: long
// words if they fit, else short ones, else cut.
func fitParams(s *state, w int) string {
	p := s.lesson.Params
	// What the page is, counted as the counters count it: every resource
	// the first client loads, the documents included.
	what, brief := "", ""
	if ix := s.run(); ix != nil {
		n := strconv.Itoa(len(ix.run.Summary.Resources))
		what, brief = plural(len(ix.run.Summary.Resources), "resource"), "res "+n
		if pages := len(ix.pages); pages > 1 {
			what, brief = strconv.Itoa(pages)+" pages · "+what, strconv.Itoa(pages)+" pg "+n+" res"
		}
	}
	iw := strconv.Itoa(p.InitialWindow)
	if p.InitialWindow < 0 {
		iw = "∞"
	}
	tls := orWord(p.TLS, "none")
	iwShort, tlsShort := iw, tls
	if ix := s.run(); ix != nil && ix.run.Protocol == trace.HTTP3 && s.view != viewCompare {
		// The lesson's settings are TCP's; this run's are QUIC's: TLS 1.3
		// always, and the server's first window in its datagrams.
		tls = "1.3"
		if w, ok := quicInitialWindow(ix); ok {
			iw = w
		}
		iwShort, tlsShort = iw, tls
	} else if h3 := s.http3Run(); s.view == viewCompare && h3 != nil && len(s.runs) > 1 {
		// The compare view shows every run: HTTP/3's settings differ.
		w, _ := quicInitialWindow(h3)
		iw, iwShort = iw+" (HTTP/3: "+w+")", iw+"/"+w
		if tls != "1.3" {
			tls, tlsShort = tls+" (HTTP/3: 1.3)", tls+"/1.3"
		}
	}
	long := []string{
		"RTT " + fmtTick(p.RTT), fmtRate(p.Bandwidth), "loss " + fmtLoss(p.Loss),
		what, "IW " + iw, "parallel " + strconv.Itoa(p.Parallel), "TLS " + tls,
	}
	if s := strings.Join(long, " · "); width(s) <= w {
		return s
	}
	long[5] = "par " + strconv.Itoa(p.Parallel)
	if s := strings.Join(long, " · "); width(s) <= w {
		return s
	}
	short := []string{
		"RTT " + fmtTick(p.RTT), strings.ReplaceAll(fmtRate(p.Bandwidth), "bit/s", "b/s"), "loss " + fmtLoss(p.Loss),
		brief, "IW " + iwShort, "par " + strconv.Itoa(p.Parallel), "TLS " + tlsShort,
	}
	return truncate(strings.Join(short, " "), w)
}

// quicInitialWindow is an HTTP/3 run's initial window in datagrams, from
// the server's first window record.
func quicInitialWindow(ix *runIndex) (string, bool) {
	for i := range ix.recs.Len() {
		r := ix.rec(i)
		if r.Kind == trace.CwndChanged && r.Dir == trace.Down && r.State == trace.CwndInitial {
			if r.Cwnd < 0 {
				return "∞", true
			}
			return strconv.Itoa(r.Cwnd / ix.mss), true
		}
	}
	return "", false
}

// http3Run is the lesson's HTTP/3 run, or nil.
func (s *state) http3Run() *runIndex {
	for _, r := range s.runs {
		if r.run.Protocol == trace.HTTP3 {
			return r
		}
	}
	return nil
}
