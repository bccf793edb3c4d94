package tui

import (
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// pickerWidth is the scenario list's width.
const pickerWidth = 64

// currentMark follows the name of the scenario on screen in the list.
const currentMark = "  ◂ on screen now"

// newScenarioList lists the scenarios to pick from, from the top, the one
// on screen (current) marked, and below the list the whole description
// of the one under the cursor; choose is called with the picked name,
// cancel on Esc.
func newScenarioList(scenarios []ScenarioInfo, current string, st *styles, choose func(name string), cancel func()) tview.Primitive {
	return newScenarioPicker(scenarios, current, st, choose, cancel).root
}

// scenarioPicker is the scenario list's parts: the list of names and the
// description below it, in a box centred on the screen.
type scenarioPicker struct {
	root  tview.Primitive
	list  *tview.List
	about *tview.TextView
}

func newScenarioPicker(scenarios []ScenarioInfo, current string, st *styles, choose func(name string), cancel func()) *scenarioPicker {
	l := tview.NewList().ShowSecondaryText(false)
	about := tview.NewTextView().SetWrap(true).SetWordWrap(true)
	keys := []rune("1234567890abcdefghijklmnoprtuvwxyz") // q stays "quit" elsewhere
	descRows := 1
	for i, s := range scenarios {
		var shortcut rune
		if i < len(keys) {
			shortcut = keys[i]
		}
		name := s.Name
		if s.Name == current {
			name += currentMark
		}
		l.AddItem(name, "", shortcut, nil)
		descRows = max(descRows, len(wrap(s.Description, pickerWidth-2)))
	}
	show := func(i int) {
		if i >= 0 && i < len(scenarios) {
			about.SetText(strings.Join(wrap(scenarios[i].Description, pickerWidth-2), "\n"))
		}
	}
	show(0)
	l.SetChangedFunc(func(i int, _, _ string, _ rune) { show(i) })
	l.SetSelectedFunc(func(i int, _, _ string, _ rune) { choose(scenarios[i].Name) })
	l.SetDoneFunc(cancel)
	gap := tview.NewBox()
	box := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(l, 0, 1, true).
		AddItem(gap, 1, 0, false).
		AddItem(about, descRows, 0, false)
	box.SetBorder(true).SetTitle(" Scenarios (↑↓ move, Enter: load, Esc: back) ")
	if st.noColor {
		d := tcell.StyleDefault
		for _, b := range []interface{ SetBackgroundColor(tcell.Color) *tview.Box }{l, about, box, gap} {
			b.SetBackgroundColor(tcell.ColorDefault)
		}
		box.SetBorderColor(tcell.ColorDefault)
		box.SetTitleColor(tcell.ColorDefault)
		l.SetMainTextStyle(d)
		l.SetShortcutStyle(d.Bold(true))
		l.SetSelectedStyle(d.Reverse(true))
		about.SetTextStyle(d.Dim(true))
	}
	// Every name and the longest description, within a 24-row screen: the
	// list scrolls if it must.
	h := min(len(scenarios)+descRows+3, 22)
	return &scenarioPicker{root: centred(box, pickerWidth, max(h, descRows+5)), list: l, about: about}
}
