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

// paint draws p on a fresh w×h simulation screen and hands the screen to
// read before closing it.
func paint(t testing.TB, p tview.Primitive, w, h int, read func(tcell.SimulationScreen)) {
	t.Helper()
	s := tcell.NewSimulationScreen("UTF-8")
	if err := s.Init(); err != nil {
		t.Fatal(err)
	}
	defer s.Fini()
	s.SetSize(w, h)
	p.SetRect(0, 0, w, h)
	p.Draw(s)
	s.Show()
	read(s)
}
