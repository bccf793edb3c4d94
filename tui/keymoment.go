package tui

import (
	"sort"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// keyMoment is a key moment of a run: where one of the lesson's moments
// matched, and what the explanation line says there.
type keyMoment struct {
	at   time.Duration
	rec  int    // the record it matched, in the index's order
	text string // the moment's sentence about that record
}

// findMoments finds ms in the run, or the generic moments if none of
// them happens in it: a lesson's moments may all be about other
// protocols (the race is no moment of HTTP/1.0), and a run must still
// have somewhere for n to go.
func (ix *runIndex) findMoments(ms []trace.Moment) {
	ix.moments, ix.story = ix.moments[:0], 0
	for pass, list := range [][]trace.Moment{ms, trace.GenericMoments()} {
		for _, h := range trace.Find(ix.recs, ix.run.Protocol, list) {
			r := ix.rec(h.Record)
			ix.moments = append(ix.moments, keyMoment{at: r.At, rec: h.Record, text: list[h.Moment].Sentence(r)})
		}
		if len(ix.moments) > 0 {
			// In record order, whichever moment matched first: keyMoment
			// searches them, and n and N step through them.
			sort.SliceStable(ix.moments, func(a, b int) bool { return ix.moments[a].rec < ix.moments[b].rec })
			if pass == 0 {
				ix.story = len(ix.moments) // storyRun counts them
			}
			return
		}
	}
}

// storyRun is the run that tells most of the lesson's own moments (the
// first of those that tell as many): the close race happens in
// HTTP/1.1's run, not in HTTP/1.0's, which comes first. A lesson
// without moments of its own opens on its first run.
func (s *state) storyRun() int {
	best, most := 0, 0
	for i, ix := range s.runs {
		if ix.story > most {
			best, most = i, ix.story
		}
	}
	return best
}

// openStory shows the run that tells the lesson's story, paused on its
// first key moment: how a lesson opens, at start and when picked.
func (s *state) openStory() {
	s.setProto(s.storyRun())
	s.firstMoment()
}

// momentAt is the key moment the explanation line tells at t, or -1: a
// moment at the time of the last event at or before t, until the next
// event or, in a quiet stretch, for as long as explainAt tells the
// event itself. Of several moments at that time it is cur, the one n or
// N went to, else the first.
func (ix *runIndex) momentAt(t time.Duration, cur int) int {
	i := ix.last(t)
	if i < 0 || t-ix.recs.Time(i) > idleRTTs*ix.rtt {
		return -1
	}
	last := ix.recs.Time(i)
	k := sort.Search(len(ix.moments), func(k int) bool { return ix.moments[k].at >= last })
	if k == len(ix.moments) || ix.moments[k].at != last {
		return -1
	}
	if cur >= k && cur < len(ix.moments) && ix.moments[cur].at == last {
		return cur
	}
	return k
}

// nextMoment is the moment n (dir > 0) or N (dir < 0) goes to from the
// playhead at t, cur being the moment shown there (-1: none): the next
// of several at one time, else the first after t; the previous one, else
// the last before t. It returns -1 when there is none that way.
func (ix *runIndex) nextMoment(t time.Duration, cur, dir int) int {
	ms := ix.moments
	if dir > 0 {
		if cur >= 0 && cur+1 < len(ms) && ms[cur+1].at == t {
			return cur + 1
		}
		k := sort.Search(len(ms), func(k int) bool { return ms[k].at > t })
		if k == len(ms) {
			return -1
		}
		return k
	}
	if cur > 0 && ms[cur].at == t && ms[cur-1].at == t {
		return cur - 1
	}
	k := sort.Search(len(ms), func(k int) bool { return ms[k].at >= t }) - 1
	if k < 0 {
		return -1
	}
	// Of several moments at that time, N lands on the last of them, so
	// that N steps back through them one by one.
	return k
}

// jumpMoment moves the playhead to the next (dir > 0) or previous key
// moment of the run on screen and pauses there; at the last (or first)
// it stays and says so.
func (s *state) jumpMoment(dir int) {
	ix := s.run()
	if ix == nil {
		return
	}
	cur := ix.momentAt(s.at(), s.moment)
	if cur >= 0 && ix.moments[cur].at != s.at() {
		cur = -1 // shown, but the playhead has moved past it
	}
	k := ix.nextMoment(s.at(), cur, dir)
	s.player.SetPaused(true)
	if k < 0 {
		if len(ix.moments) == 0 {
			s.message = "no key moments in this run"
		} else if dir > 0 {
			s.message = "that was the last key moment (End: the last event)"
		} else {
			s.message = "that was the first key moment (Home: the first event)"
		}
		return
	}
	s.moment = k
	s.player.Seek(ix.moments[k].at)
}

// firstMoment puts the playhead on the run's first key moment, or its
// first event if it has none.
func (s *state) firstMoment() {
	s.player.Home()
	s.moment = -1
	if ix := s.run(); ix != nil && len(ix.moments) > 0 {
		s.moment = 0
		s.player.Seek(ix.moments[0].at)
	}
}
