package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Shot says which screen Snapshot draws.
type Shot struct {
	// View is "ladder", "waterfall", "connections", "cwnd", "compare" or
	// "help".
	View string
	// Protocol is the run the single-protocol views show; NoProtocol
	// for the first.
	Protocol trace.Protocol
	// At is the playhead; End puts it at the last event instead, and
	// Loaded at the moment the last page loaded or failed (the last
	// event, if none did).
	At     time.Duration
	End    bool
	Loaded bool
	// Width and Height are the screen's size in cells (at least 40×10).
	Width, Height int
}

// Views lists the names Shot.View accepts.
var Views = []string{"ladder", "waterfall", "connections", "cwnd", "compare", "help"}

// Snapshot draws one screen of l as the terminal UI would show it paused
// (monochrome), and returns it as text, a line per row with trailing
// spaces trimmed. It is how a screen gets into a slide, a document or a
// test without a terminal.
func Snapshot(l Lesson, shot Shot) (string, error) {
	if shot.Width < 40 || shot.Height < chromeRows+4 {
		return "", fmt.Errorf("tui: a snapshot needs at least 40×%d cells, not %d×%d", chromeRows+4, shot.Width, shot.Height)
	}
	s := newState(l, Options{NoColor: true})
	switch shot.View {
	case "ladder":
	case "waterfall":
		s.setView(viewWaterfall)
	case "connections":
		s.setView(viewWaterfall)
		s.conns = true
	case "cwnd":
		s.setView(viewCwnd)
	case "compare":
		s.setView(viewCompare)
	case "help":
		s.help = true
	default:
		return "", fmt.Errorf("tui: unknown view %q (allowed: %s)", shot.View, strings.Join(Views, ", "))
	}
	if shot.Protocol != trace.NoProtocol {
		found := false
		for i, r := range s.lesson.Runs {
			if r.Protocol == shot.Protocol {
				s.setProto(i)
				found = true
			}
		}
		if !found {
			return "", fmt.Errorf("tui: the lesson has no run of %q", shot.Protocol)
		}
	}
	loaded := time.Duration(-1) // when the shown runs' last page had its outcome
	for i, ix := range s.runs {
		if s.view == viewCompare || i == s.proto {
			loaded = max(loaded, ix.loaded)
		}
	}
	switch {
	case shot.Loaded && loaded >= 0:
		s.player.Seek(loaded)
	case shot.End || shot.Loaded:
		s.player.End()
	default:
		s.player.Seek(shot.At)
	}
	screen := tcell.NewSimulationScreen("UTF-8")
	if err := screen.Init(); err != nil {
		return "", fmt.Errorf("tui: %w", err)
	}
	defer screen.Fini()
	screen.SetSize(shot.Width, shot.Height)
	f := newFrame(s)
	f.SetRect(0, 0, shot.Width, shot.Height)
	f.Draw(screen)
	screen.Show()
	return screenText(screen), nil
}

// ExplainAt is the explanation line the UI shows for run with the
// playhead at t, rtt being the lesson's round-trip time (0: measured from
// the first handshake). Tests outside the package use it to check every
// sentence against the event it explains.
func ExplainAt(run Run, rtt, t time.Duration) string {
	return newRunIndex(&run, rtt).explainAt(t)
}
