package tui

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// TestCompleteSetting: the other setting's field offers every name that
// contains what is typed of the last setting, keeping those before it,
// and nothing while a value is typed.
func TestCompleteSetting(t *testing.T) {
	names := []string{"rtt", "server.idle_close", "server.idle_timeout", "browser.idle_timeout", "browser.retry"}
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"idle_c", []string{"server.idle_close: "}},
		{"idle_t", []string{"server.idle_timeout: ", "browser.idle_timeout: "}},
		{"browser.retry: false; ret", []string{"browser.retry: false; browser.retry: "}},
		{"server.idle_close: 4", nil},
		{"", nil},
		{"nothing", nil},
	} {
		if got := completeSetting(tc.text, names); !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestParseOthers: "name: value" and "name=value", separated by ";",
// become changes keyed OtherKey+name; a part without a value is refused
// with an example.
func TestParseOthers(t *testing.T) {
	got, err := parseOthers(" server.idle_close: 408 ; browser.retry=false;; ")
	want := map[string]string{OtherKey + "server.idle_close": "408", OtherKey + "browser.retry": "false"}
	if err != nil || !maps.Equal(got, want) {
		t.Errorf("%v, %v; want %v", got, err, want)
	}
	if _, err := parseOthers("server.idle_close"); err == nil || !strings.Contains(err.Error(), "write name: value, e.g. server.idle_close: 408") {
		t.Errorf("no value: %v", err)
	}
}

// TestEditFormOtherSetting: typed in the form's last field, a setting
// by name reaches the source with the form's other changes, and Enter in
// it runs.
func TestEditFormOtherSetting(t *testing.T) {
	r := openOtherField(t)
	for _, ch := range "server.idle_close: 408" {
		r.key(tcell.KeyRune, ch)
	}
	r.key(tcell.KeyEnter, 0)
	r.eventually("the form to close", func() bool { return !r.u.pages.HasPage("form") })
	r.do(func() {
		if !maps.Equal(r.src.last, map[string]string{OtherKey + "server.idle_close": "408"}) {
			t.Errorf("Load(%v), want server.idle_close 408", r.src.last)
		}
		// The header says the lesson on screen is not the one as designed.
		if got := screenText(r.screen); !strings.Contains(strings.Split(got, "\n")[1], "│ server.idle_close: 408") {
			t.Errorf("the header does not name the edit:\n%s", got)
		}
	})
}

// TestEditFormPicksASuggestion: while the list of names is open, Enter
// takes the highlighted name instead of running, so the user goes on to
// type its value.
func TestEditFormPicksASuggestion(t *testing.T) {
	r := openOtherField(t)
	for _, ch := range "idle_c" {
		r.key(tcell.KeyRune, ch)
	}
	r.eventually("the list of names", func() bool { return r.u.form.suggesting })
	r.key(tcell.KeyEnter, 0)
	r.eventually("the name taken", func() bool { return r.u.form.other.GetText() == "server.idle_close: " })
	for _, ch := range "408" {
		r.key(tcell.KeyRune, ch)
	}
	r.key(tcell.KeyEnter, 0)
	r.eventually("the form to close", func() bool { return !r.u.pages.HasPage("form") })
	r.do(func() {
		if !maps.Equal(r.src.last, map[string]string{OtherKey + "server.idle_close": "408"}) {
			t.Errorf("Load(%v), want server.idle_close 408", r.src.last)
		}
	})
}

// openOtherField runs the UI, opens the edit form with the names rtt and
// server.idle_close to offer, and puts the focus on its last field.
func openOtherField(t *testing.T) *running {
	t.Helper()
	r := start(t, Options{})
	r.do(func() { r.u.s.lesson.SettingNames = []string{"rtt", "server.idle_close"} })
	r.key(tcell.KeyRune, 'e')
	r.eventually("the form", func() bool { return r.u.pages.HasPage("form") })
	r.do(func() {
		if r.u.form.other == nil {
			t.Fatal("the form has no other setting's field")
		}
		r.u.form.form.SetFocus(r.u.form.form.GetFormItemCount() - 1)
		r.u.app.SetFocus(r.u.form.form)
	})
	return r
}
