package trace

import (
	"testing"
	"time"
)

// TestServerMemorySums: the peak is the largest total, the mean the
// time-weighted one from 0 to the last record, exact past 2⁶³
// byte·nanoseconds.
func TestServerMemorySums(t *testing.T) {
	mem := func(at time.Duration, n int) Record { return Record{At: at, Kind: ServerMemory, Len: n} }
	for _, tc := range []struct {
		name       string
		recs       []Record
		peak, mean int64
	}{
		{"none", nil, 0, 0},
		// 100 B for 10 ns, 300 B for 10 ns, then 0 until 40: 4000/40.
		{"steps", []Record{mem(0, 100), mem(10, 300), mem(20, 0), {At: 40, Kind: PageLoaded}}, 300, 100},
		// 1 TiB for 2³⁰ ns: an area of 2⁷⁰.
		{"large", []Record{mem(0, 1<<40), {At: 1 << 30, Kind: PageLoaded}}, 1 << 40, 1 << 40},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := Summarize(tc.recs)
			if s.ServerMemPeak != tc.peak || s.ServerMemMean != tc.mean {
				t.Errorf("peak %d, mean %d; want %d, %d", s.ServerMemPeak, s.ServerMemMean, tc.peak, tc.mean)
			}
		})
	}
}
