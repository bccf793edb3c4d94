package sim_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// draws returns the next n values of stream name of s.
func draws(s *sim.Simulator, name string, n int) []uint64 {
	r := s.Rand(name)
	out := make([]uint64, n)
	for i := range out {
		out[i] = r.Uint64()
	}
	return out
}

func TestRandSameInputsSameSequence(t *testing.T) {
	tests := []struct {
		seed, run uint64
		name      string
	}{
		{0, 0, ""},
		{1, 0, "link"},
		{1, 7, "tcp/client"},
		{1<<64 - 1, 1<<64 - 1, "loss"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d/%d/%q", tt.seed, tt.run, tt.name), func(t *testing.T) {
			a := draws(sim.New(tt.seed, tt.run), tt.name, 100)
			b := draws(sim.New(tt.seed, tt.run), tt.name, 100)
			if !slices.Equal(a, b) {
				t.Error("two simulators with the same (seed, run, name) gave different sequences")
			}
		})
	}
}

func TestRandReturnsTheSameStream(t *testing.T) {
	s := sim.New(1, 0)
	if a, b := s.Rand("x"), s.Rand("x"); a != b {
		t.Fatal("Rand returned a new stream for a name already in use")
	}
	// Drawing in two halves equals drawing all at once.
	first := append(draws(s, "x", 50), draws(s, "x", 50)...)
	if want := draws(sim.New(1, 0), "x", 100); !slices.Equal(first, want) {
		t.Error("a stream restarted when requested again")
	}
}

func TestRandStreamsAreIndependent(t *testing.T) {
	want := draws(sim.New(3, 1), "b", 100)
	tests := []struct {
		name string
		use  func(s *sim.Simulator) // runs before "b" is read
	}{
		{"b alone", func(s *sim.Simulator) {}},
		{"a requested first, not drawn", func(s *sim.Simulator) { s.Rand("a") }},
		{"a drawn heavily first", func(s *sim.Simulator) { draws(s, "a", 10000) }},
		{"many streams first", func(s *sim.Simulator) {
			for i := range 50 {
				draws(s, fmt.Sprint("stream", i), i)
			}
		}},
		{"b requested, then a drawn", func(s *sim.Simulator) {
			s.Rand("b")
			draws(s, "a", 1000)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := sim.New(3, 1)
			tt.use(s)
			if got := draws(s, "b", 100); !slices.Equal(got, want) {
				t.Error(`using other streams changed what stream "b" yields`)
			}
		})
	}

	t.Run("interleaved draws", func(t *testing.T) {
		s := sim.New(3, 1)
		var got []uint64
		for i := range 100 {
			draws(s, "a", i%3)
			got = append(got, s.Rand("b").Uint64())
		}
		if !slices.Equal(got, want) {
			t.Error(`interleaving draws from "a" changed stream "b"`)
		}
	})
}

func TestRandDifferentInputsDiffer(t *testing.T) {
	type key struct {
		seed, run uint64
		name      string
	}
	base := key{1, 0, "link"}
	tests := []struct {
		name  string
		other key
	}{
		{"different seed", key{2, 0, "link"}},
		{"different run", key{1, 1, "link"}},
		{"different name", key{1, 0, "loss"}},
		{"seed and run swapped", key{0, 1, "link"}},
		{"name prefix", key{1, 0, "lin"}},
		{"empty name", key{1, 0, ""}},
	}
	a := draws(sim.New(base.seed, base.run), base.name, 100)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := draws(sim.New(tt.other.seed, tt.other.run), tt.other.name, 100)
			same := 0
			for i := range a {
				if a[i] == b[i] {
					same++
				}
			}
			if same > 0 {
				t.Errorf("%+v and %+v share %d of 100 draws", base, tt.other, same)
			}
		})
	}

	t.Run("nearby seeds and runs all differ", func(t *testing.T) {
		seen := map[uint64]string{}
		for seed := range uint64(20) {
			for run := range uint64(20) {
				for _, name := range []string{"a", "b", "c"} {
					v := sim.New(seed, run).Rand(name).Uint64()
					k := fmt.Sprintf("%d/%d/%s", seed, run, name)
					if prev, ok := seen[v]; ok {
						t.Fatalf("%s and %s start with the same draw", prev, k)
					}
					seen[v] = k
				}
			}
		}
	})
}

func TestSeedAndRun(t *testing.T) {
	s := sim.New(11, 22)
	if s.Seed() != 11 || s.Run() != 22 {
		t.Errorf("Seed(), Run() = %d, %d, want 11, 22", s.Seed(), s.Run())
	}
}
