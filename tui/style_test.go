package tui

import (
	"testing"

	"github.com/gdamore/tcell/v2"
	"github.com/mattn/go-runewidth"
	"github.com/rivo/tview"
)

// drawn renders p and returns the cells.
func drawn(t *testing.T, p tview.Primitive, w, h int) []tcell.SimCell {
	t.Helper()
	var cells []tcell.SimCell
	paint(t, p, w, h, func(s tcell.SimulationScreen) { cells, _, _ = s.GetContents() })
	return cells
}

// everyScreen returns the main frame in every view, with help, and with
// the edit form and the scenario list over it.
func everyScreen(t *testing.T, noColor bool) map[string]tview.Primitive {
	out := map[string]tview.Primitive{}
	for _, tc := range goldenCases() {
		s := newState(tc.lesson(t), Options{NoColor: noColor})
		if tc.setup != nil {
			tc.setup(s)
		}
		s.player.Seek(tc.at)
		out[tc.name] = newFrame(s)
	}
	s := newState(basicLesson(t), Options{NoColor: noColor})
	for name, overlay := range map[string]tview.Primitive{
		"form": newParamsForm("Edit", basicSettings, []string{"rtt", "server.idle_close"}, s.st, func(map[string]string) error { return nil }, func() {}).root,
		"list": newScenarioList([]ScenarioInfo{{"a", "first"}, {"b", "second"}}, "b", s.st, func(string) {}, func() {}),
	} {
		pages := tview.NewPages().AddPage("main", newFrame(s), true, true).AddPage(name, overlay, true, true)
		out[name] = pages
	}
	return out
}

// TestNoColor checks that with NoColor no cell has a colour: only
// attributes set the styles apart.
func TestNoColor(t *testing.T) {
	for name, p := range everyScreen(t, true) {
		for i, c := range drawn(t, p, 80, 24) {
			fg, bg, _ := c.Style.Decompose()
			if fg != tcell.ColorDefault || bg != tcell.ColorDefault {
				t.Errorf("%s: cell (%d, %d) %q has colours %v on %v", name, i%80, i/80, c.Runes, fg, bg)
				break
			}
		}
	}
}

// TestColor checks that the colour styles do use colour.
func TestColor(t *testing.T) {
	for name, p := range everyScreen(t, false) {
		coloured := false
		for _, c := range drawn(t, p, 80, 24) {
			if fg, _, _ := c.Style.Decompose(); fg != tcell.ColorDefault {
				coloured = true
				break
			}
		}
		if !coloured {
			t.Errorf("%s: no colour at all", name)
		}
	}
}

// TestNarrowGlyphs checks that every glyph drawn is one cell wide, so
// columns line up in any terminal.
func TestNarrowGlyphs(t *testing.T) {
	for name, p := range everyScreen(t, true) {
		for _, c := range drawn(t, p, 100, 30) {
			for _, r := range c.Runes {
				if runewidth.RuneWidth(r) != 1 {
					t.Errorf("%s: %q (%U) is %d cells wide", name, r, r, runewidth.RuneWidth(r))
				}
			}
		}
	}
}

func TestGoldenOverlays(t *testing.T) {
	screens := everyScreen(t, true)
	for _, name := range []string{"form", "list"} {
		got := render(t, screens[name], 80, 24)
		checkGolden(t, name+"@0_80x24", got)
	}
}
