package tui

import (
	"slices"
	"sync"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// view is one of the four screens.
type view int

const (
	viewLadder view = iota
	viewWaterfall
	viewCwnd
	viewCompare
	numViews
)

func (v view) name() string {
	return [numViews]string{"Ladder", "Waterfall", "Cwnd", "Compare"}[v]
}

// state is everything the screen is drawn from: the lesson and its
// indexes (model state, fixed once loaded) and the view state the keys
// change. The UI touches it only on the tview event goroutine.
type state struct {
	lesson     Lesson
	runs       []*runIndex // one per lesson run
	proto      int         // the run the single-protocol views show
	player     *Player
	view       view
	conns      bool        // the waterfall shows connections instead of resources
	rowsPerRTT int         // ladder zoom
	sel        int         // selected waterfall resource, or -1
	wfPage     bool        // the waterfall shows only the page at the playhead (z)
	moment     int         // the key moment of the shown run that n or N went to, or -1
	prompt     *timePrompt // the typed time g asks for, while it is being typed
	message    string
	help       bool
	helpTop    int         // the first line of the help box's text shown: ↑↓ scroll it
	ev         eventsState // the event list and the packet inspector
	st         *styles
	lad        ladderOpts // the whole run or a window of it, expanded labels
}

// idleRTTs is how many round trips a gap between events may last before
// the player runs through it faster (a 60 s TIME-WAIT then takes 10 s at
// ×1/50 instead of 50 minutes).
const idleRTTs = 2

func newState(l Lesson, opts Options) *state {
	s := &state{player: NewPlayer(), rowsPerRTT: defaultRowsPerRTT, sel: -1, moment: -1, st: newStyles(opts.NoColor)}
	s.setLesson(l)
	s.openStory()
	return s
}

// setLesson swaps in l: indexes its runs and finds their key moments,
// and puts the playhead on the first moment, paused (a teacher decides
// when it plays), keeping the view and the protocol if it exists.
func (s *state) setLesson(l Lesson) {
	s.lesson = l
	s.lesson.Runs = slices.Clone(l.Runs) // the index may fill in a missing Summary
	s.runs = make([]*runIndex, len(l.Runs))
	// Each run is indexed on its own, so on as many cores as there are:
	// a large page's four runs are seconds of work before the first frame.
	var wg sync.WaitGroup
	for i := range s.lesson.Runs {
		wg.Go(func() {
			ix := newRunIndex(&s.lesson.Runs[i], l.Params.RTT)
			ix.findMoments(l.Moments)
			ix.browserIdle, ix.serverIdle = l.BrowserIdle, l.ServerIdle
			ix.seed, ix.tls = l.Seed, l.Params.TLS != "" && l.Params.TLS != "none"
			s.runs[i] = ix
		})
	}
	wg.Wait()
	if s.proto >= len(s.runs) {
		s.proto = 0
	}
	s.sel = -1
	s.player.SetPaused(true)
	s.syncPlayer()
	if ix := s.run(); ix != nil {
		s.player.SetIdle(idleRTTs * ix.rtt)
	}
	s.firstMoment()
}

// run is the run the single-protocol views show, or nil.
func (s *state) run() *runIndex {
	if s.proto < len(s.runs) {
		return s.runs[s.proto]
	}
	return nil
}

// syncPlayer gives the player the events it steps through: every run's
// in the compare view, else the shown run's.
func (s *state) syncPlayer() {
	var recs []trace.Records
	switch ix := s.run(); {
	case s.view == viewCompare:
		for _, ix := range s.runs {
			recs = append(recs, ix.recs)
		}
	case ix != nil:
		recs = append(recs, ix.recs)
	}
	s.player.Load(recs...)
}

// at is the playhead.
func (s *state) at() time.Duration { return s.player.At() }
