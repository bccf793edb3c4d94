package tui_test

import (
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/tui"
)

// watchedScreen is a simulation screen that says when it has been
// initialised, first shown and finalised, and can panic when shown.
type watchedScreen struct {
	tcell.SimulationScreen
	ready, shown, finished chan struct{}
	once                   [3]sync.Once
	panicOnShow            bool
}

func newWatchedScreen() *watchedScreen {
	return &watchedScreen{
		SimulationScreen: tcell.NewSimulationScreen("UTF-8"),
		ready:            make(chan struct{}), shown: make(chan struct{}), finished: make(chan struct{}),
	}
}

func (s *watchedScreen) Init() error {
	err := s.SimulationScreen.Init()
	s.once[0].Do(func() { close(s.ready) })
	return err
}

func (s *watchedScreen) Show() {
	if s.panicOnShow {
		panic("boom")
	}
	s.SimulationScreen.Show()
	s.once[1].Do(func() { close(s.shown) })
}

func (s *watchedScreen) Fini() {
	s.SimulationScreen.Fini()
	s.once[2].Do(func() { close(s.finished) })
}

type oneLesson struct{ l tui.Lesson }

func (o oneLesson) Scenarios() []tui.ScenarioInfo { return []tui.ScenarioInfo{{Name: o.l.Scenario}} }

func (o oneLesson) Load(string, map[string]string) (tui.Lesson, error) { return o.l, nil }

// lesson is a one-packet lesson.
func lesson() tui.Lesson {
	recs := []trace.Record{
		{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN},
		{At: 50 * time.Millisecond, Kind: trace.PacketArrived, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN},
	}
	return tui.Lesson{
		Scenario: "tiny", Params: tui.Params{RTT: 100 * time.Millisecond},
		Runs: []tui.Run{{Protocol: trace.HTTP10, Records: recs, Summary: trace.Summarize(recs)}},
	}
}

// runMain runs Main on s in the background.
func runMain(s tcell.Screen, opts tui.Options) <-chan error {
	opts.Screen = s
	done := make(chan error, 1)
	go func() { done <- tui.Main(oneLesson{lesson()}, lesson(), opts) }()
	return done
}

func waitFor(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func waitErr(t *testing.T, done <-chan error) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("Main did not return")
		return nil
	}
}

func TestMainQuits(t *testing.T) {
	for _, tc := range []struct {
		name string
		key  tcell.Key
		ch   rune
	}{{"q", tcell.KeyRune, 'q'}, {"Ctrl-C", tcell.KeyCtrlC, 0}} {
		t.Run(tc.name, func(t *testing.T) {
			s := newWatchedScreen()
			done := runMain(s, tui.Options{})
			waitFor(t, "the screen", s.ready)
			s.InjectKey(tc.key, tc.ch, tcell.ModNone)
			if err := waitErr(t, done); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the terminal to be restored", s.finished)
		})
	}
}

func TestMainQuitsOnSIGINT(t *testing.T) {
	s := newWatchedScreen()
	done := runMain(s, tui.Options{})
	waitFor(t, "the first frame", s.shown) // Main listens for signals by then
	if err := syscall.Kill(os.Getpid(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if err := waitErr(t, done); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the terminal to be restored", s.finished)
}

func TestMainRestoresTheTerminalOnPanic(t *testing.T) {
	s := newWatchedScreen()
	s.panicOnShow = true
	defer func() {
		p := recover()
		if p == nil || !strings.Contains(p.(string), "boom") {
			t.Fatalf("recovered %v, want the panic re-raised", p)
		}
		waitFor(t, "the terminal to be restored", s.finished)
	}()
	_ = tui.Main(oneLesson{lesson()}, lesson(), tui.Options{Screen: s})
	t.Fatal("Main returned instead of panicking")
}
