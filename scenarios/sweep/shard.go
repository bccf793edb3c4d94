package sweep

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Shard is the K-th of N deterministic slices of a sweep's runs: the
// runs i with i mod N = K-1 (round robin, so that every shard gets a
// fair share of slow and fast grid points). The zero Shard is the whole
// sweep.
type Shard struct{ K, N int }

// ParseShard reads "K/N" with 1 ≤ K ≤ N.
func ParseShard(s string) (Shard, error) {
	k, n, ok := strings.Cut(strings.TrimSpace(s), "/")
	ki, err1 := strconv.Atoi(k)
	ni, err2 := strconv.Atoi(n)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, errors.New("not K/N; write e.g. 2/10 for the second of ten shards")
	case ni < 1:
		return Shard{}, fmt.Errorf("%d shards: N must be ≥ 1", ni)
	case ki < 1 || ki > ni:
		return Shard{}, fmt.Errorf("shard %d of %d does not exist; K must be from 1 to %d", ki, ni, ni)
	}
	return Shard{K: ki, N: ni}, nil
}

func (s Shard) String() string {
	if s.N == 0 {
		return "1/1"
	}
	return fmt.Sprintf("%d/%d", s.K, s.N)
}

// whole reports whether s is the whole sweep.
func (s Shard) whole() bool { return s.N <= 1 }

// count is how many of total runs belong to the shard.
func (s Shard) count(total int) int {
	if s.whole() {
		return total
	}
	if total < s.K {
		return 0
	}
	return (total-s.K)/s.N + 1
}

// run is the canonical index of the shard's j-th run.
func (s Shard) run(j int) int {
	if s.whole() {
		return j
	}
	return s.K - 1 + j*s.N
}
