package tui

import (
	"fmt"
	"maps"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/gdamore/tcell/v2"
	"github.com/rivo/tview"
)

// Main shows first, starting with the ladder of its first run, until the
// user quits. It reloads lessons from src when the user edits the
// parameters or picks another scenario. It restores the terminal when it
// returns, on Ctrl-C or SIGINT/SIGTERM, and on a panic (which it then
// re-raises).
func Main(src Source, first Lesson, opts Options) error {
	screen := opts.Screen
	if screen == nil {
		var err error
		if screen, err = tcell.NewScreen(); err != nil {
			return fmt.Errorf("tui: opening the terminal: %w", err)
		}
	}
	once := &onceScreen{Screen: screen}
	defer func() {
		if p := recover(); p != nil {
			once.Fini() // the terminal first, or the panic message is lost
			panic(p)
		}
	}()
	if err := once.Init(); err != nil {
		return fmt.Errorf("tui: opening the terminal: %w", err)
	}
	u := newUI(src, first, opts, once)
	return u.run()
}

// onceScreen lets tview and Main both initialise and finalise the screen:
// only the first call of each does anything.
type onceScreen struct {
	tcell.Screen
	initOnce, finiOnce sync.Once
	initErr            error
}

func (s *onceScreen) Init() error {
	s.initOnce.Do(func() { s.initErr = s.Screen.Init() })
	return s.initErr
}

func (s *onceScreen) Fini() { s.finiOnce.Do(s.Screen.Fini) }

// ui ties the state to tview: the application, its pages (the frame and
// the form or list over it), the animation and the lesson source.
type ui struct {
	app   *tview.Application
	pages *tview.Pages
	frame *frame
	form  *paramsForm // the open edit form, or nil
	src   Source
	s     *state
	anim  *animator
	// edits are the form's changes that made the lesson on screen, sent
	// again with the next form's: the form hands back only what it
	// changed, and the source applies changes to the scenario as
	// designed (with the command line), so a second edit would otherwise
	// undo the first. A scenario picked from the list starts with none.
	edits map[string]string
	// screen is what the frame is drawn on; shotDir where S saves it.
	screen  tcell.Screen
	shotDir string
}

// newUI builds the application on screen, which must be initialised.
func newUI(src Source, first Lesson, opts Options, screen tcell.Screen) *ui {
	u := &ui{app: tview.NewApplication(), pages: tview.NewPages(), src: src, s: newState(first, opts), screen: screen, shotDir: opts.ShotDir}
	u.frame = newFrame(u.s)
	u.pages.AddPage("main", u.frame, true, true)
	u.anim = newAnimator(u.app, u.tick)
	u.app.SetScreen(screen).EnableMouse(true).SetRoot(u.pages, true).SetFocus(u.frame)
	u.app.SetInputCapture(u.capture)
	return u
}

// run runs the event loop until the user quits.
func (u *ui) run() error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	defer func() {
		signal.Stop(sig)
		close(done)
	}()
	go func() {
		select {
		case <-sig:
			u.app.QueueUpdate(u.quit)
		case <-done:
		}
	}()
	u.syncAnim()
	err := u.app.Run()
	u.anim.halt()
	if err != nil {
		return fmt.Errorf("tui: %w", err)
	}
	return nil
}

// tick advances the playhead by a frame; it runs on the UI goroutine.
func (u *ui) tick(dt time.Duration) {
	u.s.player.Advance(dt)
	u.syncAnim()
}

// syncAnim runs the ticker while playing and stops it while paused, so a
// paused screen is never redrawn for nothing.
func (u *ui) syncAnim() {
	if u.s.player.Paused() {
		u.anim.halt()
	} else {
		u.anim.start()
	}
}

func (u *ui) quit() {
	u.anim.halt()
	u.app.Stop()
}

// overlay reports whether the form or the scenario list has the keys.
func (u *ui) overlay() bool {
	return u.pages.HasPage("form") || u.pages.HasPage("list")
}

// capture sees every key first: Ctrl-C always quits, an open form or
// list gets the rest, else the state does.
func (u *ui) capture(ev *tcell.EventKey) *tcell.EventKey {
	if ev.Key() == tcell.KeyCtrlC {
		u.quit()
		return nil
	}
	if u.overlay() {
		return ev
	}
	switch u.s.key(ev) {
	case ignored:
		return ev
	case actQuit:
		u.quit()
	case actEdit:
		u.edit()
	case actChoose:
		u.choose()
	case actSave:
		u.save()
	case actPcap:
		u.pcap()
	}
	u.syncAnim()
	return nil
}

// save writes the screen as the user sees it to a text file and an SVG
// image, for a slide or a lab report, and says where on the status line.
func (u *ui) save() {
	txt, svg, err := saveScreen(u.screen, u.saveDir(), u.s.shotName())
	if err != nil {
		u.s.message = err.Error()
		return
	}
	u.s.message = "saved the screen as " + txt + " and " + svg
}

// pcap writes the current run's packets as a capture file for Wireshark
// beside the screenshots, and says where on the status line.
func (u *ui) pcap() {
	u.pause()
	u.s.message = writeCapture(&u.s.lesson, u.s.run(), u.saveDir())
}

// saveDir is where S and W save: the shot directory, else the current
// one.
func (u *ui) saveDir() string {
	if u.shotDir == "" {
		return "."
	}
	return u.shotDir
}

// edit opens the settings form.
func (u *ui) edit() {
	u.pause()
	if len(u.s.lesson.Settings) == 0 {
		u.s.message = "this lesson has no settings to edit"
		return
	}
	title := "Edit settings: " + orWord(u.s.lesson.Scenario, "lesson")
	f := newParamsForm(title, u.s.lesson.Settings, u.s.lesson.SettingNames, u.s.st, func(changes map[string]string) error {
		if len(changes) == 0 {
			u.close("form") // nothing changed: the lesson on screen is the one asked for
			return nil
		}
		all := maps.Clone(u.edits)
		if all == nil {
			all = map[string]string{}
		}
		maps.Copy(all, changes)
		l, err := u.src.Load(u.s.lesson.ref(), all)
		if err != nil {
			return err
		}
		u.close("form")
		u.edits = all
		l.Edits = namedEdits(all)
		u.s.setLesson(l)
		return nil
	}, func() { u.close("form") })
	u.form = f
	u.pages.AddPage("form", f.root, true, true)
	u.app.SetFocus(f.form)
}

// namedEdits are the edit form's settings by name in edits, as the
// header shows them: "server.idle_close: 408", sorted.
func namedEdits(edits map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(edits)) {
		if name, ok := strings.CutPrefix(k, OtherKey); ok {
			out = append(out, name+": "+edits[k])
		}
	}
	return out
}

// choose opens the list of scenarios.
func (u *ui) choose() {
	u.pause()
	list := newScenarioList(u.src.Scenarios(), u.s.lesson.Scenario, u.s.st, func(name string) {
		u.close("list")
		l, err := u.src.Load(name, nil)
		if err != nil {
			u.s.message = fmt.Sprintf("could not load %s: %v", name, err)
			return
		}
		u.edits = nil
		u.s.setLesson(l)
		u.s.openStory() // a new lesson opens where its story is told; an edit keeps the run on screen
	}, func() { u.close("list") })
	u.pages.AddPage("list", list, true, true)
	u.app.SetFocus(list)
}

func (u *ui) pause() {
	u.s.player.SetPaused(true)
	u.syncAnim()
}

// close removes an overlay page and gives the keys back to the frame.
func (u *ui) close(page string) {
	if page == "form" {
		u.form = nil
	}
	u.pages.RemovePage(page)
	u.app.SetFocus(u.frame)
}
