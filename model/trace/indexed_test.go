package trace

import (
	"reflect"
	"testing"
)

// TestIndexedKinds: the kinds Add skips by their bit are exactly those
// its switch does nothing with, so that a kind given a case is not
// skipped for want of its bit.
func TestIndexedKinds(t *testing.T) {
	for k := Kind(1); k <= CPUDone; k++ {
		ix := NewIndex()
		lo, _, _ := states(k)
		ix.follow(&Record{At: 5, Kind: k, Conn: 1, Dir: Up, Resource: 1, Page: 1, State: lo, Len: 10})
		if changed := !reflect.DeepEqual(ix, NewIndex()); changed != k.indexed() {
			t.Errorf("%s: the index follows it: %v; its bit says %v", k, changed, k.indexed())
		}
	}
}
