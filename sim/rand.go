package sim

import "math/rand/v2"

// Rand returns the random stream called name, creating it on first use.
// The stream is seeded from (seed, run, name) alone, so components that
// draw from differently named streams never disturb each other, and the
// order in which streams are first requested does not matter.
func (s *Simulator) Rand(name string) *rand.Rand {
	if r, ok := s.streams[name]; ok {
		return r
	}
	if s.streams == nil {
		s.streams = make(map[string]*rand.Rand)
	}
	h := fnv64a(name)
	r := rand.New(rand.NewPCG(splitmix64(s.seed^h), splitmix64(s.run+0x9e3779b97f4a7c15^h)))
	s.streams[name] = r
	return r
}

// fnv64a hashes a stream name (FNV-1a, 64-bit).
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// splitmix64 scrambles a seed so that nearby seeds give unrelated streams
// (Steele, Lea & Flood, "Fast splittable pseudorandom number generators").
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
