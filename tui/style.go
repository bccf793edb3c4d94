package tui

import "github.com/gdamore/tcell/v2"

// phase is a DevTools waterfall phase, in drawing order.
type phase int

const (
	phaseQueued phase = iota
	phaseConnect
	phaseTLS
	phaseWaiting
	phaseDownload
	phaseIdle   // connection view: open but not carrying a response
	phaseServer // inside waiting: the request's work waits for a server core
	phaseDNS    // inside queued: the browser looks up the resource's host
	numPhases
)

// glyph is how a phase is drawn; the glyphs alone tell phases apart, so
// the waterfall reads without colour.
func (p phase) glyph() rune {
	return [numPhases]rune{'·', '▒', '▓', '░', '█', '─', '▚', '≈'}[p]
}

func (p phase) name() string {
	return [numPhases]string{"queued", "connect", "TLS", "waiting", "download", "open", "server queue", "DNS"}[p]
}

// styles are every style the UI draws with. With NoColor they use only
// attributes (bold, dim, reverse, underline) on the terminal's colours.
type styles struct {
	noColor   bool
	base      tcell.Style // ordinary text
	dim       tcell.Style // axes, grid, secondary text
	bold      tcell.Style
	title     tcell.Style // header: scenario and protocol
	tab, on   tcell.Style // inactive and active view tabs
	playhead  tcell.Style // the playhead marks and clock
	explain   tcell.Style // the explanation line
	warn      tcell.Style // errors, drops
	selected  tcell.Style // a selected waterfall row
	key       tcell.Style // key names in the key bar and help
	phases    [numPhases]tcell.Style
	conns     []tcell.Style // one per connection, cycling
	threshold tcell.Style   // ssthresh, dimmer than cwnd
}

func newStyles(noColor bool) *styles {
	d := tcell.StyleDefault
	s := &styles{
		noColor: noColor, base: d, dim: d.Dim(true), bold: d.Bold(true),
		title: d.Bold(true), tab: d, on: d.Reverse(true).Bold(true),
		playhead: d.Bold(true), explain: d.Bold(true), warn: d.Bold(true).Underline(true),
		selected: d.Reverse(true), key: d.Bold(true), threshold: d.Dim(true),
	}
	for p := range s.phases {
		s.phases[p] = d
	}
	s.phases[phaseQueued] = d.Dim(true)
	s.phases[phaseIdle] = d.Dim(true)
	s.conns = []tcell.Style{d}
	if noColor {
		return s
	}
	fg := func(c tcell.Color) tcell.Style { return d.Foreground(c) }
	s.title = fg(tcell.ColorAqua).Bold(true)
	s.on = d.Background(tcell.ColorTeal).Foreground(tcell.ColorWhite).Bold(true)
	s.playhead = fg(tcell.ColorYellow).Bold(true)
	s.explain = fg(tcell.ColorWhite).Bold(true)
	s.warn = fg(tcell.ColorRed).Bold(true)
	s.selected = d.Background(tcell.ColorNavy).Foreground(tcell.ColorWhite)
	s.key = fg(tcell.ColorYellow)
	s.threshold = fg(tcell.ColorGray)
	// Chrome DevTools' waterfall colours.
	s.phases = [numPhases]tcell.Style{
		fg(tcell.ColorSilver), fg(tcell.ColorOrange), fg(tcell.ColorFuchsia),
		fg(tcell.ColorLime), fg(tcell.ColorDodgerBlue), fg(tcell.ColorGray), fg(tcell.ColorRed),
		fg(tcell.ColorDarkCyan),
	}
	s.conns = []tcell.Style{
		fg(tcell.ColorAqua), fg(tcell.ColorYellow), fg(tcell.ColorFuchsia), fg(tcell.ColorLime),
		fg(tcell.ColorOrange), fg(tcell.ColorDodgerBlue), fg(tcell.ColorHotPink), fg(tcell.ColorSpringGreen),
	}
	return s
}

// conn is the style of connection id (from 1).
func (s *styles) conn(id int) tcell.Style {
	if id <= 0 {
		return s.base
	}
	return s.conns[(id-1)%len(s.conns)]
}
