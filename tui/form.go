package tui

import (
	"slices"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// formHint says which keys work in the form.
const formHint = "↑↓ or Tab move · Enter runs (on a list it opens it) · Esc cancels"

// paramsForm is the edit form: the lesson's settings, a message line for
// errors, Run and Cancel buttons.
type paramsForm struct {
	root     tview.Primitive // the box, centred
	form     *tview.Form
	msg      *tview.TextView
	settings []Setting
	onRun    func(changes map[string]string) error
	cancel   func()
}

// newParamsForm builds the form for settings. submit runs the lesson
// again with the settings the user changed; its error is shown in the
// form, which stays open.
func newParamsForm(title string, settings []Setting, st *styles, submit func(map[string]string) error, cancel func()) *paramsForm {
	f := &paramsForm{form: tview.NewForm(), msg: tview.NewTextView(), settings: settings, onRun: submit, cancel: cancel}
	f.form.SetBorderPadding(1, 0, 1, 1)
	f.form.SetItemPadding(0)
	width := 0
	for _, set := range settings {
		width = max(width, len(set.Label))
		if set.Options != nil {
			idx := max(0, slices.Index(set.Options, set.Value))
			f.form.AddDropDown(set.Label, set.Options, idx, nil)
			continue
		}
		f.form.AddInputField(set.Label, set.Value, 14, nil, nil)
	}
	f.form.AddButton("Run", f.submit).
		AddButton("Cancel", cancel).
		SetCancelFunc(cancel)
	// Up and Down move between fields as Shift-Tab and Tab do, except in
	// an open list, which uses them itself; Enter in a text field runs
	// (tview would move to the next field).
	f.form.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		idx, _ := f.form.GetFocusedItemIndex()
		if idx >= 0 {
			switch item := f.form.GetFormItem(idx).(type) {
			case *tview.DropDown:
				if item.IsOpen() {
					return ev
				}
			case *tview.InputField:
				if ev.Key() == tcell.KeyEnter {
					f.submit()
					return nil
				}
			}
		}
		switch ev.Key() {
		case tcell.KeyUp:
			return tcell.NewEventKey(tcell.KeyBacktab, 0, tcell.ModNone)
		case tcell.KeyDown:
			return tcell.NewEventKey(tcell.KeyTab, 0, tcell.ModNone)
		}
		return ev
	})
	f.msg.SetText(formHint)
	box := tview.NewFlex().SetDirection(tview.FlexRow).
		AddItem(f.form, 0, 1, true).
		AddItem(f.msg, 2, 0, false)
	box.SetBorder(true).SetTitle(" " + title + " ")
	f.style(box, st)
	f.root = centred(box, max(56, width+22), len(settings)+7)
	return f
}

// submit runs the lesson again with the settings whose text the user
// changed (so that an edit that changes nothing changes nothing, and a
// setting the form shows rounded is not rewritten); a bad value or a
// failed run leaves the form open with the error.
func (f *paramsForm) submit() {
	changes := map[string]string{}
	for _, set := range f.settings {
		if text := f.text(set.Label); text != set.Value {
			changes[set.Key] = text
		}
	}
	if err := f.onRun(changes); err != nil {
		f.msg.SetText(err.Error())
	}
}

// text returns the text of the field labelled label.
func (f *paramsForm) text(label string) string {
	switch item := f.form.GetFormItemByLabel(label).(type) {
	case *tview.InputField:
		return item.GetText()
	case *tview.DropDown:
		_, opt := item.GetCurrentOption()
		return opt
	}
	return ""
}

// style applies the UI's styles; without colour, only attributes.
func (f *paramsForm) style(box *tview.Flex, st *styles) {
	d := tcell.StyleDefault
	if !st.noColor {
		f.msg.SetTextStyle(st.warn)
		return
	}
	box.SetBackgroundColor(tcell.ColorDefault)
	box.SetBorderColor(tcell.ColorDefault)
	box.SetTitleColor(tcell.ColorDefault)
	f.form.SetBackgroundColor(tcell.ColorDefault)
	f.form.SetLabelColor(tcell.ColorDefault)
	f.form.SetFieldStyle(d)
	f.form.SetButtonStyle(d)
	f.form.SetButtonActivatedStyle(d.Reverse(true))
	f.msg.SetBackgroundColor(tcell.ColorDefault)
	f.msg.SetTextStyle(st.warn)
	for i := 0; i < f.form.GetFormItemCount(); i++ {
		if b, ok := f.form.GetFormItem(i).(interface {
			SetBackgroundColor(tcell.Color) *tview.Box
		}); ok {
			b.SetBackgroundColor(tcell.ColorDefault)
		}
	}
	for i := 0; i < f.form.GetFormItemCount(); i++ {
		if dd, ok := f.form.GetFormItem(i).(*tview.DropDown); ok {
			dd.SetListStyles(d, d.Reverse(true))
			dd.SetFocusedStyle(d.Reverse(true))
			dd.SetPrefixStyle(d.Underline(true))
		}
	}
}

// centred places p, w×h, in the middle of the screen, leaving the rest
// of the screen as it is.
func centred(p tview.Primitive, w, h int) tview.Primitive {
	return tview.NewFlex().
		AddItem(nil, 0, 1, false).
		AddItem(tview.NewFlex().SetDirection(tview.FlexRow).
			AddItem(nil, 0, 1, false).
			AddItem(p, h, 0, true).
			AddItem(nil, 0, 1, false), w, 0, true).
		AddItem(nil, 0, 1, false)
}
