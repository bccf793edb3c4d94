package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// newScenarioList lists the scenarios to pick from; choose is called with
// the picked name, cancel on Esc.
func newScenarioList(scenarios []ScenarioInfo, current string, st *styles, choose func(name string), cancel func()) tview.Primitive {
	const width = 64
	l := tview.NewList()
	keys := []rune("1234567890abcdefghijklmnoprtuvwxyz") // q stays "quit" elsewhere
	for i, s := range scenarios {
		var shortcut rune
		if i < len(keys) {
			shortcut = keys[i]
		}
		// The list does not wrap: cut a long description visibly.
		l.AddItem(s.Name, truncate(s.Description, width-6), shortcut, nil)
		if s.Name == current {
			l.SetCurrentItem(i)
		}
	}
	l.SetSelectedFunc(func(i int, _, _ string, _ rune) { choose(scenarios[i].Name) })
	l.SetDoneFunc(cancel)
	l.SetBorder(true).SetTitle(" Scenarios (↑↓ scroll, Enter: load, Esc: back) ")
	if st.noColor {
		d := tcell.StyleDefault
		l.SetBackgroundColor(tcell.ColorDefault)
		l.SetBorderColor(tcell.ColorDefault)
		l.SetTitleColor(tcell.ColorDefault)
		l.SetMainTextStyle(d)
		l.SetSecondaryTextStyle(d.Dim(true))
		l.SetShortcutStyle(d.Bold(true))
		l.SetSelectedStyle(d.Reverse(true))
	}
	h := min(2*len(scenarios)+2, 20)
	return centred(l, width, max(h, 4))
}
