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
// rest, as a profiler folds a repeated stack: only when the whole run
// does not fit otherwise, and never the round the playhead is in, so
// what is happening now is always drawn.

// round is a part of the whole run's stretches, st[i:i+n]: a busy
// stretch and the idle one after it, if any, or an idle stretch with no
// busy one before it (the start of a run that begins idle).
type round struct {
	i, n int
	// key is what must be equal for two rounds to be identical: each
	// record in the round's time, in order, with its time from the
	// round's start, its kind, connection, direction, flags, lengths,
	// label, state, note and whether it is a retransmission, and the
	// round's length. It leaves out packet ids and sequence numbers,
	// which count on from round to round of the same exchange. "" for a
	// round that never folds (one without a busy stretch).
	key string
}

// roundsOf splits ix.stretches into rounds, with their keys.
func roundsOf(ix *runIndex) []round { return splitRounds(ix.stretches, ix.roundKey) }

// splitRounds splits st into rounds, each keyed by key(from, to).
func splitRounds(st []stretch, key func(from, to time.Duration) string) []round {
	var rs []round
	for i := 0; i < len(st); {
		r := round{i: i, n: 1}
		if !st[i].idle && i+1 < len(st) && st[i+1].idle {
			r.n = 2
		}
		if !st[i].idle {
			r.key = key(st[i].from, st[i+r.n-1].to)
		}
		rs = append(rs, r)
		i += r.n
	}
	return rs
}

// roundKey is the key (see round) of the round from from to to.
func (ix *runIndex) roundKey(from, to time.Duration) string {
	b := strconv.AppendInt(nil, int64(to-from), 10)
	for i := sort.Search(len(ix.recs), func(i int) bool { return ix.recs[i].At >= from }); i < len(ix.recs) && ix.recs[i].At < to; i++ {
		r := &ix.recs[i]
		b = append(b, '|')
		b = strconv.AppendInt(b, int64(r.At-from), 10)
		for _, n := range []int{int(r.Kind), r.Conn, int(r.Dir), int(r.Flags), r.Len, r.Wire, int(r.State), r.Stream, r.Resource} {
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(n), 10)
		}
		b = strconv.AppendBool(append(b, ' '), r.Retx)
		b = strconv.AppendQuote(append(b, ' '), r.Label)
		b = strconv.AppendQuote(append(b, ' '), r.Note)
	}
	return string(b)
}

// foldRounds is st with the repeated rounds of rs folded: in each run of
// consecutive rounds with the same key, the first is kept, and so is the
// one at the playhead at; each stretch of two or more rounds between
// those becomes one stretch, idle for the layout's sake (one row), that
// says how many rounds it folds.
func foldRounds(st []stretch, rs []round, at time.Duration) []stretch {
	out := make([]stretch, 0, len(st))
	keep := func(r round) { out = append(out, st[r.i:r.i+r.n]...) }
	end := func(r round) time.Duration { return st[r.i+r.n-1].to }
	for a := 0; a < len(rs); {
		b := a + 1
		for rs[a].key != "" && b < len(rs) && rs[b].key == rs[a].key {
			b++
		}
		keep(rs[a])
		for k := a + 1; k < b; {
			m := k // rounds k..m-1 are not at the playhead
			for m < b && !(st[rs[m].i].from <= at && at < end(rs[m])) {
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
