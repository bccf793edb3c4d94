package tui

import "github.com/gdamore/tcell/v2"

// action is what a key asks of the application beyond changing the state.
type action int

const (
	ignored action = iota // not a key of ours
	handled               // the state changed; redraw
	actQuit
	actEdit   // open the parameters form
	actChoose // open the scenario list
	actSave   // save the screen as text and SVG
	actPcap   // write the run's packet capture
)

// key applies ev to the view state and says what else to do.
func (s *state) key(ev *tcell.EventKey) action {
	if ev.Key() == tcell.KeyCtrlC {
		return actQuit
	}
	s.message = ""
	if s.prompt != nil {
		return s.promptKey(ev)
	}
	if s.help {
		switch {
		case ev.Key() == tcell.KeyRune && ev.Rune() == 'q':
			return actQuit
		case ev.Key() == tcell.KeyDown || ev.Key() == tcell.KeyRune && ev.Rune() == 'j':
			s.helpTop++ // drawHelp keeps it in range
		case ev.Key() == tcell.KeyUp || ev.Key() == tcell.KeyRune && ev.Rune() == 'k':
			s.helpTop = max(s.helpTop-1, 0)
		case ev.Key() == tcell.KeyPgDn:
			s.helpTop += 10
		case ev.Key() == tcell.KeyPgUp:
			s.helpTop = max(s.helpTop-10, 0)
		default:
			s.help, s.helpTop = false, 0
		}
		return handled
	}
	if a, ok := s.eventKey(ev); ok {
		return a
	}
	switch ev.Key() {
	case tcell.KeyRune:
		return s.rune(ev.Rune())
	case tcell.KeyRight:
		s.player.Step(1)
	case tcell.KeyLeft:
		s.player.Step(-1)
	case tcell.KeyHome:
		s.player.Home()
	case tcell.KeyEnd:
		s.player.End()
	case tcell.KeyTab:
		s.setView((s.view + 1) % numViews)
	case tcell.KeyBacktab:
		s.setView((s.view + numViews - 1) % numViews)
	case tcell.KeyDown:
		s.selectResource(s.sel + 1)
	case tcell.KeyUp:
		s.selectResource(max(s.sel-1, 0))
	case tcell.KeyEscape:
		s.sel = -1
	default:
		return ignored
	}
	return handled
}

// rune handles the printable keys.
func (s *state) rune(r rune) action {
	switch r {
	case 'z', 'Z': // the waterfall's page, or the ladder's zoom
		s.zoom(r == 'z')
		return handled
	}
	if s.ladderKey(r) { // w x: see zoom.go
		return handled
	}
	p := s.player
	switch r {
	case ' ':
		p.SetPaused(!p.Paused())
	case '+', '=':
		p.SetSpeed(p.Speed().Faster())
	case '-', '_':
		p.SetSpeed(p.Speed().Slower())
	case 'n':
		s.jumpMoment(1)
	case 'N':
		s.jumpMoment(-1)
	case 'g':
		p.SetPaused(true)
		s.prompt = &timePrompt{}
	case 'G':
		p.End()
	case '1', '2', '3', '4':
		s.setView(view(r - '1'))
	case 'p':
		s.setProto(s.proto + 1)
	case 'P':
		s.setProto(s.proto - 1)
	case 'c':
		s.conns = s.view != viewWaterfall || !s.conns
		s.setView(viewWaterfall)
	case '?':
		s.help = true
	case 'e':
		return actEdit
	case 's':
		return actChoose
	case 'S':
		return actSave
	case 'W':
		return actPcap
	case 'q':
		return actQuit
	default:
		return ignored
	}
	return handled
}

// zoom zooms in (z) or out (Z): in the waterfall from every page to the
// playhead's page and back; elsewhere the ladder, by round trips and out
// to the whole run (ladderZoomBy).
func (s *state) zoom(in bool) {
	if s.view == viewWaterfall && !s.conns {
		if ix := s.run(); in && (ix == nil || len(ix.pages) < 2) {
			s.message = "one page: the waterfall already shows it whole"
			return
		}
		s.wfPage = in
		return
	}
	s.ladderZoomBy(in)
}

// setView switches views; the compare view steps through every run's
// events.
func (s *state) setView(v view) {
	s.view = v
	s.syncPlayer()
}

// setProto shows run i, cycling.
func (s *state) setProto(i int) {
	if n := len(s.runs); n > 0 {
		s.proto = (i%n + n) % n
		s.sel, s.moment = -1, -1
		s.syncPlayer()
	}
}

// selectResource selects waterfall row i, within range.
func (s *state) selectResource(i int) {
	ix := s.run()
	if ix == nil || s.view != viewWaterfall || s.conns {
		return
	}
	s.sel = min(i, len(ix.run.Summary.Resources)-1)
}
