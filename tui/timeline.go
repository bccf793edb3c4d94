package tui

import (
	"sort"
	"time"
)

// timed is a state after a change (serverPoint, costPoint): when it
// took effect.
type timed interface{ when() time.Duration }

// appendPoint adds p to ps, a state's changes in time order: one point
// per instant, the last state of an instant replacing the earlier ones.
func appendPoint[P timed](ps []P, p P) []P {
	if n := len(ps); n > 0 && ps[n-1].when() == p.when() {
		ps[n-1] = p
		return ps
	}
	return append(ps, p)
}

// pointAt is the state of ps at t: the last point at or before t, or the
// zero state before the first.
func pointAt[P timed](ps []P, t time.Duration) P {
	i := sort.Search(len(ps), func(i int) bool { return ps[i].when() > t }) - 1
	if i < 0 {
		var zero P
		return zero
	}
	return ps[i]
}
