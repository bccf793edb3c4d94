package model

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRequestQueue checks the queue against a plain slice under random
// pushes to both ends and dispatches that keep some of the requests they
// look at, as pool.dispatch does.
func TestRequestQueue(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var q requestQueue
	var want []*exchange
	next := 0
	newEx := func() *exchange { next++; return &exchange{rid: next} }
	for step := range 20_000 {
		switch rng.IntN(4) {
		case 0, 1:
			ex := newEx()
			q.pushBack(ex)
			want = append(want, ex)
		case 2:
			exs := []*exchange{newEx()}
			if rng.IntN(4) == 0 {
				exs = append(exs, newEx(), newEx())
			}
			q.pushFront(exs...)
			want = append(slices.Clone(exs), want...)
		case 3:
			n := rng.IntN(len(want) + 1)
			var kept []*exchange
			for _, ex := range want[:n] {
				if rng.IntN(3) == 0 {
					kept = append(kept, ex)
				}
			}
			q.consume(n, kept)
			want = append(kept, want[n:]...)
		}
		if q.len() != len(want) {
			t.Fatalf("step %d: len %d, want %d", step, q.len(), len(want))
		}
		for i, ex := range want {
			if q.at(i) != ex {
				t.Fatalf("step %d: at(%d) is request %d, want %d", step, i, q.at(i).rid, ex.rid)
			}
		}
		if len(q.items) > 4*len(want)+4096 {
			t.Fatalf("step %d: %d slots for %d requests", step, len(q.items), len(want))
		}
	}
	if all := q.takeAll(); !slices.Equal(all, want) || q.len() != 0 {
		t.Error("takeAll")
	}
}
