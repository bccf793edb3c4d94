package sweep

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Stats describes a sample of one metric.
type Stats struct {
	N    int     // values (empty cells are not counted)
	Mean float64 // arithmetic mean
	// SD is the sample standard deviation (divisor n-1); NaN when N < 2.
	SD float64
	// CILow and CIHigh bound the 95% confidence interval of the mean,
	// mean ± t(0.975, n-1)·sd/√n with Student's t; NaN when N < 2.
	CILow, CIHigh float64
	// Median, P5 and P95 are empirical quantiles: the smallest value
	// with at least that fraction of the sample at or below it (the
	// inverse of the empirical CDF, gonum's stat.Empirical; R's
	// quantile type 1). With 30 values, P5 is the 2nd smallest and P95
	// the 29th.
	Median, P5, P95 float64
}

// Describe computes the statistics of xs, which it does not modify. An
// empty sample gives N = 0 and NaN everywhere.
func Describe(xs []float64) Stats {
	nan := math.NaN()
	s := Stats{N: len(xs), Mean: nan, SD: nan, CILow: nan, CIHigh: nan, Median: nan, P5: nan, P95: nan}
	if s.N == 0 {
		return s
	}
	sorted := slices.Clone(xs)
	slices.Sort(sorted)
	s.Mean = stat.Mean(sorted, nil)
	s.Median = stat.Quantile(0.5, stat.Empirical, sorted, nil)
	s.P5 = stat.Quantile(0.05, stat.Empirical, sorted, nil)
	s.P95 = stat.Quantile(0.95, stat.Empirical, sorted, nil)
	if s.N >= 2 {
		s.SD = stat.StdDev(sorted, nil)
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.N - 1)}.Quantile(0.975)
		half := t * s.SD / math.Sqrt(float64(s.N))
		s.CILow, s.CIHigh = s.Mean-half, s.Mean+half
	}
	return s
}
