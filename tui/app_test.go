package tui

import (
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// fakeSource serves the fixture lessons and remembers what it was asked.
type fakeSource struct {
	t     testing.TB
	loads []string
	last  map[string]string
	fail  error
}

func (f *fakeSource) Scenarios() []ScenarioInfo {
	return []ScenarioInfo{{"fixture", "three images over TLS 1.3"}, {"lossy", "one dropped packet"}}
}

func (f *fakeSource) Load(name string, changes map[string]string) (Lesson, error) {
	f.loads = append(f.loads, name)
	f.last = changes
	if f.fail != nil {
		return Lesson{}, f.fail
	}
	l := basicLesson(f.t)
	if name == "lossy" {
		l = lossyLesson(f.t)
	}
	if rtt, ok := changes["rtt"]; ok {
		d, err := time.ParseDuration(rtt)
		if err != nil {
			return Lesson{}, errors.New("RTT: " + err.Error())
		}
		l.Params.RTT = d
	}
	return l, nil
}

// running is a ui running its event loop on a simulation screen.
type running struct {
	t      *testing.T
	u      *ui
	screen tcell.SimulationScreen
	src    *fakeSource
	done   chan struct{} // closed when run has returned err
	err    error
}

func start(t *testing.T, opts Options) *running {
	t.Helper()
	sim := tcell.NewSimulationScreen("UTF-8")
	once := &onceScreen{Screen: sim}
	if err := once.Init(); err != nil {
		t.Fatal(err)
	}
	sim.SetSize(80, 24)
	src := &fakeSource{t: t}
	r := &running{t: t, u: newUI(src, basicLesson(t), opts, once), screen: sim, src: src, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		r.err = r.u.run()
	}()
	r.do(func() {}) // returns once the event loop runs
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			r.do(r.u.quit)
			r.wait()
		}
	})
	return r
}

// do runs f on the UI goroutine and waits for it.
func (r *running) do(f func()) { r.u.app.QueueUpdate(f) }

// eventually waits, by round trips through the event loop (never by
// sleeping), until cond holds on the UI goroutine.
func (r *running) eventually(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ok := false
		r.do(func() { ok = cond() })
		if ok {
			return
		}
	}
	r.t.Fatalf("timed out waiting for %s", what)
}

func (r *running) key(k tcell.Key, ch rune) { r.screen.InjectKey(k, ch, tcell.ModNone) }

// wait waits for run to return.
func (r *running) wait() error {
	r.t.Helper()
	select {
	case <-r.done:
		return r.err
	case <-time.After(10 * time.Second):
		r.t.Fatal("run did not return")
		return nil
	}
}

func TestQuitWithQ(t *testing.T) {
	r := start(t, Options{})
	r.key(tcell.KeyRune, 'q')
	if err := r.wait(); err != nil {
		t.Fatal(err)
	}
}

// TestOpensPaused: the UI opens paused on the lesson's first key moment,
// with no ticker running, so a teacher decides when it starts; a lesson
// picked from the list opens the same way.
func TestOpensPaused(t *testing.T) {
	r := start(t, Options{})
	check := func(when string) {
		r.do(func() {
			s := r.u.s
			if r.u.anim.running() || !s.player.Paused() || s.at() != s.run().moments[0].at {
				t.Errorf("%s: ticker %v paused %v at %v, want paused on %v", when, r.u.anim.running(), s.player.Paused(), s.at(), s.run().moments[0].at)
			}
		})
	}
	check("opened")
	r.key(tcell.KeyRune, ' ')
	r.eventually("playing", func() bool { return r.u.anim.running() })
	r.key(tcell.KeyRune, 's')
	r.eventually("the list", func() bool { return r.u.pages.HasPage("list") })
	r.key(tcell.KeyDown, 0)
	r.key(tcell.KeyEnter, 0)
	r.eventually("the lossy lesson", func() bool { return r.u.s.lesson.Scenario == "lossy" })
	check("picked")
}

func TestQuitWithCtrlCWhilePlaying(t *testing.T) {
	r := start(t, Options{})
	r.key(tcell.KeyRune, ' ') // it opens paused
	r.eventually("the animation to run", func() bool { return r.u.anim.running() && r.u.s.at() > 0 })
	r.key(tcell.KeyCtrlC, 0)
	if err := r.wait(); err != nil {
		t.Fatal(err)
	}
	if r.u.anim.running() {
		t.Error("the ticker survived quitting")
	}
}

func TestPauseStopsTheTicker(t *testing.T) {
	r := start(t, Options{})
	r.do(func() {
		if r.u.anim.running() {
			t.Error("ticker running while paused")
		}
	})
	r.key(tcell.KeyRune, ' ')
	r.eventually("playing", func() bool { return r.u.anim.running() })
	r.key(tcell.KeyRune, ' ')
	r.eventually("paused", func() bool { return !r.u.anim.running() && r.u.s.player.Paused() })
	r.key(tcell.KeyRune, 'G') // the end: playing stops there by itself
	r.key(tcell.KeyRune, ' ') // plays again from the start
	r.eventually("playing from the start", func() bool { return r.u.anim.running() })
}

// TestEditForm: the form shows the source's settings, hands back only
// the ones changed, shows the source's error and stays open on it, and
// closes without running anything when nothing changed.
func TestEditForm(t *testing.T) {
	r := start(t, Options{})
	r.key(tcell.KeyRune, 'e')
	r.eventually("the form", func() bool { return r.u.pages.HasPage("form") })
	setField := func(label, text string) {
		r.do(func() {
			r.u.form.form.GetFormItemByLabel(label).(*tview.InputField).SetText(text)
		})
	}
	r.do(func() {
		for _, set := range basicSettings {
			if got := r.u.form.text(set.Label); got != set.Value {
				t.Errorf("field %s shows %q, want %q", set.Label, got, set.Value)
			}
		}
	})
	setField("RTT", "fast")
	r.do(r.u.form.submit)
	r.do(func() {
		if msg := r.u.form.msg.GetText(true); !strings.HasPrefix(msg, "RTT: ") {
			t.Errorf("message %q, want the source's, naming RTT", msg)
		}
		if !r.u.pages.HasPage("form") {
			t.Error("form closed on a bad value")
		}
	})
	setField("RTT", "200ms")
	setField("Objects", "6")
	r.src.fail = errors.New("no such page")
	r.do(r.u.form.submit)
	r.do(func() {
		if msg := r.u.form.msg.GetText(true); !strings.Contains(msg, "no such page") {
			t.Errorf("message %q, want the Load error", msg)
		}
		r.src.fail = nil
	})
	r.do(r.u.form.submit)
	r.do(func() {
		if r.u.pages.HasPage("form") {
			t.Error("form still open after a good submit")
		}
		want := map[string]string{"rtt": "200ms", "objects": "6"}
		if !maps.Equal(r.src.last, want) || r.src.loads[len(r.src.loads)-1] != "fixture" {
			t.Errorf("Load(%v, %v), want the changed settings %v", r.src.loads, r.src.last, want)
		}
		if r.u.s.lesson.Params.RTT != 200*time.Millisecond {
			t.Error("the new lesson was not swapped in")
		}
	})

	// A second edit keeps the first: the source gets both.
	r.key(tcell.KeyRune, 'e')
	r.eventually("the form", func() bool { return r.u.pages.HasPage("form") })
	setField("Loss", "2%")
	r.do(r.u.form.submit)
	r.do(func() {
		if want := map[string]string{"rtt": "200ms", "objects": "6", "loss": "2%"}; !maps.Equal(r.src.last, want) {
			t.Errorf("second edit: Load(%v), want the first edit's settings too, %v", r.src.last, want)
		}
	})

	// An edit that changes nothing runs nothing.
	loads := len(r.src.loads)
	r.key(tcell.KeyRune, 'e')
	r.eventually("the form", func() bool { return r.u.pages.HasPage("form") })
	r.do(r.u.form.submit)
	r.do(func() {
		if r.u.pages.HasPage("form") || len(r.src.loads) != loads {
			t.Errorf("an unchanged form: open %v, %d loads, want closed and none", r.u.pages.HasPage("form"), len(r.src.loads)-loads)
		}
	})
}

func TestChooseScenario(t *testing.T) {
	r := start(t, Options{})
	r.do(func() { r.u.edits = map[string]string{"rtt": "1s"} }) // an earlier edit of the fixture
	r.key(tcell.KeyRune, 's')
	r.eventually("the list", func() bool { return r.u.pages.HasPage("list") })
	r.key(tcell.KeyDown, 0)
	r.key(tcell.KeyEnter, 0)
	r.eventually("the lossy lesson", func() bool { return r.u.s.lesson.Scenario == "lossy" })
	r.do(func() {
		if r.src.last != nil || r.u.edits != nil {
			t.Errorf("a picked scenario must load with no changes: %v, and keep none: %v", r.src.last, r.u.edits)
		}
		if r.u.pages.HasPage("list") {
			t.Error("list still open")
		}
	})
	r.do(func() { r.src.fail = errors.New("broken scenario") })
	r.key(tcell.KeyRune, 's')
	r.key(tcell.KeyEnter, 0)
	r.eventually("the error", func() bool { return strings.Contains(r.u.s.message, "broken scenario") })
}

func TestClickSelectsWaterfallRow(t *testing.T) {
	r := start(t, Options{})
	r.key(tcell.KeyRune, '2')
	r.eventually("the waterfall", func() bool { return r.u.s.view == viewWaterfall })
	// Row 0 of the view is the axis; rows 1… are resources, from screen
	// row headerRows+1.
	r.screen.InjectMouse(30, headerRows+3, tcell.Button1, tcell.ModNone)
	r.screen.InjectMouse(30, headerRows+3, tcell.ButtonNone, tcell.ModNone)
	r.eventually("resource 3 selected", func() bool { return r.u.s.sel == 2 })
	r.do(func() {
		if got := string(screenText(r.screen)); !strings.Contains(got, "/img2.png (5000 B) on c3") {
			t.Errorf("the status does not show the selection:\n%s", got)
		}
	})
}

func TestResize(t *testing.T) {
	r := start(t, Options{})
	for _, size := range [][2]int{{120, 40}, {40, 10}, {30, 5}, {80, 24}} {
		r.screen.SetSize(size[0], size[1])
		r.u.app.QueueEvent(tcell.NewEventResize(size[0], size[1]))
		r.eventually("a redraw", func() bool {
			cells, w, _ := r.screen.GetContents()
			return w == size[0] && len(cells) > 0
		})
	}
	r.do(func() { r.u.app.ForceDraw() })
	r.do(func() {
		if got := string(screenText(r.screen)); !strings.Contains(got, "1 Ladder") {
			t.Errorf("after resizing back:\n%s", got)
		}
	})
}

// TestEditFormEnterRuns: Enter in any text field runs the lesson again, as
// the form's hint says (tview alone would move to the next field).
func TestEditFormEnterRuns(t *testing.T) {
	r := start(t, Options{})
	r.key(tcell.KeyRune, 'e')
	r.eventually("the form", func() bool { return r.u.pages.HasPage("form") })
	r.do(func() {
		if msg := r.u.form.msg.GetText(true); msg != formHint {
			t.Errorf("hint %q", msg)
		}
		r.u.form.form.GetFormItemByLabel("Loss").(*tview.InputField).SetText("1%")
	})
	r.key(tcell.KeyDown, 0) // to Bandwidth
	r.key(tcell.KeyDown, 0) // to Loss
	r.key(tcell.KeyEnter, 0)
	r.eventually("the form to close", func() bool { return !r.u.pages.HasPage("form") })
	r.do(func() {
		if !maps.Equal(r.src.last, map[string]string{"loss": "1%"}) {
			t.Errorf("Load(%v), want loss 1%%", r.src.last)
		}
	})
}

// TestScenarioListShowsWhole: the scenario list opens at the top, marks
// the scenario on screen, and shows the whole description of the one
// under the cursor, however long.
func TestScenarioListShowsWhole(t *testing.T) {
	long := strings.Repeat("a long description that goes on ", 5) + "and ends here"
	var chosen string
	p := newScenarioPicker([]ScenarioInfo{{"first", "the first"}, {"second", long}, {"third", "the third"}}, "third",
		newStyles(true), func(n string) { chosen = n }, func() {})
	text := string(render(t, p.root, 80, 24))
	if !strings.Contains(text, "third"+currentMark) || strings.Contains(text, "first"+currentMark) {
		t.Errorf("the current scenario is not the one marked:\n%s", text)
	}
	if p.list.GetCurrentItem() != 0 || !strings.Contains(text, "the first") {
		t.Errorf("the list opens on item %d, not at the top with its description:\n%s", p.list.GetCurrentItem(), text)
	}
	p.list.InputHandler()(tcell.NewEventKey(tcell.KeyDown, 0, tcell.ModNone), func(tview.Primitive) {})
	text = string(render(t, p.root, 80, 24))
	flat := strings.Join(strings.Fields(strings.ReplaceAll(text, "│", " ")), " ")
	if !strings.Contains(flat, long) {
		t.Errorf("the second's description is not whole:\n%s", text)
	}
	p.list.InputHandler()(tcell.NewEventKey(tcell.KeyEnter, 0, tcell.ModNone), func(tview.Primitive) {})
	if chosen != "second" {
		t.Errorf("Enter chose %q, want second", chosen)
	}
}
