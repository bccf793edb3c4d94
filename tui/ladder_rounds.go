package tui

import (
	"sort"
	"strconv"
	"time"
)

// The whole-run ladder folds repeated rounds: tcp-keepalive's probe and
// its ACK every 45 s for ten minutes take two rows each (the exchange,
// then the idle stretch after it), more than a screen has, though they
// all say the same. Where consecutive rounds are identical, the ladder
// draws the first and one row "× N identical rounds (t1 … t2)" for the
// rest: only when the whole run does not fit otherwise, and never the
// round the playhead is in, so what is happening now is always drawn.

// round is a part of the whole run's stretches, st[i:i+n]: a busy
// stretch and the idle one after it, if any, or an idle stretch with no
// busy one before it (the start of a run that begins idle), which never
// folds. Its records are ix.recs.At(lo:hi), those in its time.
type round struct {
	i, n, lo, hi int
}

// roundsOf splits ix.stretches into rounds.
func roundsOf(ix *runIndex) []round {
	first := func(t time.Duration) int {
		return sort.Search(ix.recs.Len(), func(i int) bool { return ix.recs.Time(i) >= t })
	}
	return splitRounds(ix.stretches, first)
}

// splitRounds splits st into rounds; first(t) is the index of the first
// record at or after t.
func splitRounds(st []stretch, first func(time.Duration) int) []round {
	var rs []round
	for i := 0; i < len(st); {
		r := round{i: i, n: 1}
		if !st[i].idle && i+1 < len(st) && st[i+1].idle {
			r.n = 2
		}
		r.lo, r.hi = first(st[i].from), first(st[i+r.n-1].to)
		rs = append(rs, r)
		i += r.n
	}
	return rs
}

// sameRounds reports whether rounds a and b of ix are identical: as
// long, both with an exchange, and each record of one like the other's
// in its time from the round's start, its kind, connection, direction,
// flags, lengths, label, state, note, stream, resource and whether it is
// a retransmission. Packet ids and sequence numbers may differ: they
// count on from round to round of the same exchange.
func (ix *runIndex) sameRounds(a, b round) bool {
	st := ix.stretches
	fa, fb := st[a.i].from, st[b.i].from
	if st[a.i].idle || st[b.i].idle || st[a.i+a.n-1].to-fa != st[b.i+b.n-1].to-fb || a.hi-a.lo != b.hi-b.lo {
		return false
	}
	for k := 0; k < a.hi-a.lo; k++ {
		x, y := ix.rec(a.lo+k), ix.rec(b.lo+k)
		if x.At-fa != y.At-fb || x.Kind != y.Kind || x.Conn != y.Conn || x.Dir != y.Dir || x.Flags != y.Flags ||
			x.Len != y.Len || x.Wire != y.Wire || x.Label != y.Label || x.State != y.State || x.Note != y.Note ||
			x.Stream != y.Stream || x.Resource != y.Resource || x.Retx != y.Retx {
			return false
		}
	}
	return true
}

// foldRounds is st with the repeated rounds of rs folded, same(j, k)
// saying whether rounds j and k are identical: in each run of
// consecutive identical rounds, the first is kept, and so is the one at
// the playhead at (the last, at the run's end); each stretch of two or
// more rounds between those becomes one stretch, idle for the layout's
// sake (one row), that says how many rounds it folds.
func foldRounds(st []stretch, rs []round, same func(j, k int) bool, at time.Duration) []stretch {
	out := make([]stretch, 0, len(st))
	keep := func(r round) { out = append(out, st[r.i:r.i+r.n]...) }
	end := func(r round) time.Duration { return st[r.i+r.n-1].to }
	playing := func(k int) bool { return st[rs[k].i].from <= at && (at < end(rs[k]) || k == len(rs)-1) }
	for a := 0; a < len(rs); {
		b := a + 1
		for b < len(rs) && same(a, b) {
			b++
		}
		keep(rs[a])
		for k := a + 1; k < b; {
			m := k // rounds k..m-1 are not at the playhead
			for m < b && !playing(m) {
				m++
			}
			if m-k >= 2 {
				out = append(out, stretch{from: st[rs[k].i].from, to: end(rs[m-1]), idle: true, fold: m - k})
			} else {
				for _, r := range rs[k:m] {
					keep(r)
				}
			}
			if m < b {
				keep(rs[m]) // the round at the playhead
				m++
			}
			k = m
		}
		a = b
	}
	return out
}

// foldText says what a folded row holds: "× 10 identical rounds
// (90.407s … 541.408s)", from when the first of them begins to when the
// last ends, which is when the row after it begins.
func foldText(n int, from, to time.Duration) string {
	return "× " + strconv.Itoa(n) + " identical rounds (" + fmtTime(from) + " … " + fmtTime(to) + ")"
}
