package tui

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// formHint says which keys work in the form.
const formHint = "↑↓ or Tab move · Enter runs (on a list it opens it) · Esc cancels"

// otherLabel is the form's last field: any other setting by name, "name:
// value" (several separated by ";"), the names offered as one types.
const otherLabel = "other setting"

// OtherKey prefixes, in the form's changes, a setting given by name in
// its last field: "set:server.idle_close" → "408".
const OtherKey = "set:"

// paramsForm is the edit form: the lesson's settings, a message line for
// errors, Run and Cancel buttons.
type paramsForm struct {
	root     tview.Primitive // the box, centred
	form     *tview.Form
	msg      *tview.TextView
	settings []Setting
	other    *tview.InputField // any other setting by name; nil without names
	// suggesting is set while other's list of names is open: its keys
	// (↑↓, Enter, Esc) are the list's then.
	suggesting bool
	onRun      func(changes map[string]string) error
	cancel     func()
}

// newParamsForm builds the form for settings. submit runs the lesson
// again with the settings the user changed; its error is shown in the
// form, which stays open.
func newParamsForm(title string, settings []Setting, names []string, st *styles, submit func(map[string]string) error, cancel func()) *paramsForm {
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
	if len(names) > 0 {
		other := tview.NewInputField().SetLabel(otherLabel).SetFieldWidth(34).
			SetPlaceholder("e.g. server.idle_close: 408")
		other.SetAutocompleteFunc(func(text string) []string {
			entries := completeSetting(text, names)
			f.suggesting = len(entries) > 0
			return entries
		})
		other.SetAutocompletedFunc(func(text string, _, source int) bool {
			if source == tview.AutocompletedNavigate {
				return false
			}
			other.SetText(text)
			f.suggesting = false
			return true
		})
		f.form.AddFormItem(other)
		f.other = other
	}
	f.form.AddButton("Run", f.submit).
		AddButton("Cancel", cancel).
		SetCancelFunc(cancel)
	// Up and Down move between fields as Shift-Tab and Tab do, except in
	// an open list, which uses them itself; Enter in a text field runs
	// (tview would move to the next field).
	f.form.SetInputCapture(func(ev *tcell.EventKey) *tcell.EventKey {
		idx, _ := f.form.GetFocusedItemIndex()
		if f.suggesting && f.other != nil && idx == f.form.GetFormItemCount()-1 {
			if ev.Key() == tcell.KeyEscape {
				f.suggesting = false
			}
			return ev // the list of names has the keys
		}
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
	rows := len(settings) + 7
	if f.other != nil {
		rows++
	}
	f.root = centred(box, max(60, width+40), rows)
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
	if f.other != nil {
		others, err := parseOthers(f.other.GetText())
		if err != nil {
			f.msg.SetText(err.Error())
			return
		}
		maps.Copy(changes, others)
	}
	if err := f.onRun(changes); err != nil {
		f.msg.SetText(err.Error())
	}
}

// completeSetting offers, for the last "name" being typed in the other
// setting's field, every setting name that contains it (a search, not
// only a prefix), the text before it kept and ": " added; nothing once a
// value is being typed.
func completeSetting(text string, names []string) []string {
	head, last := "", text
	if i := strings.LastIndexByte(text, ';'); i >= 0 {
		head, last = text[:i+1]+" ", text[i+1:]
	}
	last = strings.TrimSpace(last)
	if last == "" || strings.ContainsAny(last, ":=") {
		return nil
	}
	var out []string
	for _, n := range names {
		if strings.Contains(n, last) {
			out = append(out, head+n+": ")
		}
	}
	return out
}

// parseOthers reads the other setting's field, "name: value; name=value",
// into changes keyed OtherKey+name.
func parseOthers(text string) (map[string]string, error) {
	out := map[string]string{}
	for _, part := range strings.Split(text, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		i := strings.IndexAny(part, ":=")
		if i < 0 {
			return nil, fmt.Errorf("%s %q: write name: value, e.g. server.idle_close: 408", otherLabel, part)
		}
		out[OtherKey+strings.TrimSpace(part[:i])] = strings.TrimSpace(part[i+1:])
	}
	return out, nil
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
	if f.other != nil {
		f.other.SetPlaceholderStyle(d.Dim(true))
		f.other.SetAutocompleteStyles(tcell.ColorDefault, d, d.Reverse(true))
	}
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
