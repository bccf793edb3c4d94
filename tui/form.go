package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Form field labels, in order.
const (
	labelRTT       = "RTT"
	labelBandwidth = "Bandwidth"
	labelLoss      = "Loss"
	labelObjects   = "Objects (-1: scenario's)"
	labelIW        = "Initial window"
	labelParallel  = "Parallel connections"
	labelTLS       = "TLS"
)

// formHint says which keys work in the form.
const formHint = "↑↓ or Tab move · Enter runs (on TLS it opens the list) · Esc cancels"

// paramsForm is the edit form: the parameters of the current lesson, a
// message line for errors, Run and Cancel buttons.
type paramsForm struct {
	root   tview.Primitive // the box, centred
	form   *tview.Form
	msg    *tview.TextView
	onRun  func(Params) error
	cancel func()
}

// newParamsForm builds the form for p. submit runs the lesson again with
// the parameters read; its error, or a field's, is shown in the form.
func newParamsForm(title string, p Params, st *styles, submit func(Params) error, cancel func()) *paramsForm {
	v := values(p)
	f := &paramsForm{form: tview.NewForm(), msg: tview.NewTextView(), onRun: submit, cancel: cancel}
	tlsOpts := []string{"none", "1.2", "1.3"}
	tlsIdx := 0
	for i, o := range tlsOpts {
		if o == v.TLS {
			tlsIdx = i
		}
	}
	f.form.SetBorderPadding(1, 0, 1, 1)
	f.form.SetItemPadding(0).
		AddInputField(labelRTT, v.RTT, 14, nil, nil).
		AddInputField(labelBandwidth, v.Bandwidth, 14, nil, nil).
		AddInputField(labelLoss, v.Loss, 14, nil, nil).
		AddInputField(labelObjects, v.Objects, 14, nil, nil).
		AddInputField(labelIW, v.InitialWindow, 14, nil, nil).
		AddInputField(labelParallel, v.Parallel, 14, nil, nil).
		AddDropDown(labelTLS, tlsOpts, tlsIdx, nil).
		AddButton("Run", f.submit).
		AddButton("Cancel", cancel).
		SetCancelFunc(cancel)
	// Up and Down move between fields as Shift-Tab and Tab do, except in
	// the open TLS list, which uses them itself; Enter in a text field
	// runs (tview would move to the next field).
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
	f.root = centred(box, 56, 14)
	return f
}

// submit reads the fields and runs the lesson again with them; a bad
// field or a failed run leaves the form open with the error.
func (f *paramsForm) submit() {
	p, err := f.read().parse()
	if err == nil {
		err = f.onRun(p)
	}
	if err != nil {
		f.msg.SetText(err.Error())
	}
}

// read returns the texts of the fields.
func (f *paramsForm) read() formValues {
	text := func(label string) string {
		if in, ok := f.form.GetFormItemByLabel(label).(*tview.InputField); ok {
			return in.GetText()
		}
		return ""
	}
	var tls string
	if dd, ok := f.form.GetFormItemByLabel(labelTLS).(*tview.DropDown); ok {
		_, tls = dd.GetCurrentOption()
	}
	return formValues{
		RTT: text(labelRTT), Bandwidth: text(labelBandwidth), Loss: text(labelLoss), Objects: text(labelObjects),
		InitialWindow: text(labelIW), Parallel: text(labelParallel), TLS: tls,
	}
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
	if dd, ok := f.form.GetFormItemByLabel(labelTLS).(*tview.DropDown); ok {
		dd.SetListStyles(d, d.Reverse(true))
		dd.SetFocusedStyle(d.Reverse(true))
		dd.SetPrefixStyle(d.Underline(true))
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
