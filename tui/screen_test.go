package tui

import (
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// render draws p on a w×h simulation screen and returns the screen as
// text, one line per row, trailing spaces trimmed.
func render(t testing.TB, p tview.Primitive, w, h int) []byte {
	t.Helper()
	var text []byte
	paint(t, p, w, h, func(s tcell.SimulationScreen) { text = []byte(screenText(s)) })
	return text
}

// simScreen is a fresh w×h simulation screen, finalized when the test
// ends.
func simScreen(t testing.TB, w, h int) tcell.SimulationScreen {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Fini)
	s.SetSize(w, h)
	return s
}

// paint draws p on a fresh w×h simulation screen and hands the screen to
// read.
func paint(t testing.TB, p tview.Primitive, w, h int, read func(tcell.SimulationScreen)) {
	t.Helper()
	s := simScreen(t, w, h)
	p.SetRect(0, 0, w, h)
	p.Draw(s)
	s.Show()
	read(s)
}
