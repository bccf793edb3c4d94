package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// newScenarioList lists the scenarios to pick from; choose is called with
// the picked name, cancel on Esc.
func newScenarioList(scenarios []ScenarioInfo, current string, st *styles, choose func(name string), cancel func()) tview.Primitive {
	l := tview.NewList()
	for i, s := range scenarios {
		var shortcut rune
		if i < 9 {
			shortcut = rune('1' + i)
		}
		l.AddItem(s.Name, s.Description, shortcut, nil)
		if s.Name == current {
			l.SetCurrentItem(i)
		}
	}
	l.SetSelectedFunc(func(i int, _, _ string, _ rune) { choose(scenarios[i].Name) })
	l.SetDoneFunc(cancel)
	l.SetBorder(true).SetTitle(" Scenarios (Enter: load, Esc: back) ")
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
	return centred(l, 64, max(h, 4))
}
