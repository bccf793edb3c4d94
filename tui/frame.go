package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Screen rows outside the view: two of header, the run's time axis with
// its key moments, the status and one key bar.
const (
	headerRows = 2
	chromeRows = headerRows + momentBarRows + statusRows + 1
)

// frame is the whole screen: header, the current view, the run's time
// axis with its key moments, the explanation, the key bar, and the help
// box over them when open. It draws only from
// its state.
type frame struct {
	*tview.Box
	s *state
}

func newFrame(s *state) *frame { return &frame{Box: tview.NewBox(), s: s} }

// Draw draws the frame in its rectangle.
func (f *frame) Draw(screen tcell.Screen) {
	x, y, w, h := f.GetRect()
	drawFrame(canvas{s: screen, x: x, y: y, w: w, h: h}, f.s)
}

// bodyRect is where the view goes within a frame of size w×h.
func bodyRect(w, h int) (x, y, bw, bh int) {
	return 0, headerRows, w, max(h-chromeRows, 0)
}

func drawFrame(c canvas, s *state) {
	c.fill(' ', s.st.base)
	if c.w < 40 || c.h < chromeRows+4 {
		c.print(0, 0, "keepalive needs at least 40×10", s.st.warn)
		return
	}
	drawHeader(c.sub(0, 0, c.w, headerRows), s)
	bx, by, bw, bh := bodyRect(c.w, c.h)
	drawBody(c.sub(bx, by, bw, bh), s)
	drawMomentBar(c.sub(0, c.h-statusRows-1-momentBarRows, c.w, momentBarRows), s)
	drawStatus(c.sub(0, c.h-statusRows-1, c.w, statusRows), s)
	drawKeys(c.sub(0, c.h-1, c.w, 1), s)
	if s.help {
		drawHelp(c, s)
	}
}

// drawBody draws the current view.
func drawBody(c canvas, s *state) {
	ix := s.run()
	if ix == nil {
		c.print(0, 0, "no runs to show", s.st.dim)
		return
	}
	at := s.at()
	c = drawEventPane(c, s, ix) // the list or the inspector below the view, when open
	switch s.view {
	case viewLadder:
		drawLadder(c, ix, at, s.ladderZoom(), s.focus(ix), s.st)
	case viewWaterfall:
		if s.conns {
			drawConnections(c, ix, at, s.focus(ix).conn, s.st)
		} else {
			drawWaterfall(c, ix, at, s.sel, s.focus(ix).conn, s.wfPage, s.st)
		}
	case viewCwnd:
		drawCwnd(c, ix, at, s.st)
	case viewCompare:
		drawCompare(c, s.runs, at, s.proto, s.st)
	}
}

// MouseHandler selects the waterfall row, or inspects the ladder's
// packet, under a left click.
func (f *frame) MouseHandler() func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (consumed bool, capture tview.Primitive) {
	return f.WrapMouseHandler(func(action tview.MouseAction, event *tcell.EventMouse, setFocus func(p tview.Primitive)) (bool, tview.Primitive) {
		if action != tview.MouseLeftClick || !f.InRect(event.Position()) {
			return false, nil
		}
		mx, my := event.Position()
		x, y, w, h := f.GetRect()
		return f.s.click(mx-x, my-y, w, h), nil
	})
}

// click selects the waterfall resource, or inspects the ladder's packet,
// at (x, y) of a frame of size w×h, and reports whether the click meant
// anything.
func (s *state) click(x, y, w, h int) bool {
	ix := s.run()
	if s.help || ix == nil {
		return false
	}
	bx, by, bw, bh := bodyRect(w, h)
	bh = s.viewRows(ix, bh) // the event pane below it takes no clicks
	if s.view == viewLadder {
		if x < bx || x >= bx+bw || y < by || y >= by+bh {
			return false
		}
		if i := ix.ladderPacketAt(x-bx, y-by, bw, bh, s.at(), s.ladderZoom()); i >= 0 {
			s.ev.insp = ix.inspect(i)
			return true
		}
		return false
	}
	if s.view != viewWaterfall || s.conns {
		return false
	}
	rows := ix.waterfallRows(s.at(), s.wfPage)
	n := len(rows.res)
	l := layoutWaterfall(bw, bh, n, rows.row(s.sel), rows.span)
	if x < bx || x >= bx+bw {
		return false
	}
	if i := l.resourceAt(y-by, n); i >= 0 {
		s.sel = rows.resource(i)
		return true
	}
	return false
}
