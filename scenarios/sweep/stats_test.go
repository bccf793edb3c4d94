package sweep_test

import (
	"math"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

func TestDescribe(t *testing.T) {
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		xs   []float64
		want sweep.Stats
	}{
		// By hand: n = 5, mean = 22/5 = 4.4; squared deviations 5.76, 0.16,
		// 0.16, 0.36, 6.76 sum to 13.2, so sd = √(13.2/4) = √3.3 =
		// 1.8165902...; t(0.975, 4 df) = 2.7764451 (any t table: 2.776);
		// half-width 2.7764451 · 1.8165902 / √5 = 2.2555947, so the 95% CI
		// is [2.1444053, 6.6555947]. Empirical quantiles: the median is
		// the 3rd value (4), p5 the 1st (2), p95 the 5th (7).
		{"five", []float64{7, 4, 2, 5, 4}, sweep.Stats{
			N: 5, Mean: 4.4, SD: 1.8165902124584950, CILow: 2.1444053, CIHigh: 6.6555947, Median: 4, P5: 2, P95: 7,
		}},
		// n = 2: t(0.975, 1 df) = 12.7062047; sd = √2; half-width
		// 12.7062047 · √2/√2 = 12.7062047 around the mean 2. The
		// empirical median of an even sample is the lower middle value.
		{"two", []float64{3, 1}, sweep.Stats{
			N: 2, Mean: 2, SD: math.Sqrt2, CILow: 2 - 12.7062047, CIHigh: 2 + 12.7062047, Median: 1, P5: 1, P95: 3,
		}},
		// One value: no spread, no interval.
		{"one", []float64{5}, sweep.Stats{N: 1, Mean: 5, SD: nan, CILow: nan, CIHigh: nan, Median: 5, P5: 5, P95: 5}},
		{"none", nil, sweep.Stats{N: 0, Mean: nan, SD: nan, CILow: nan, CIHigh: nan, Median: nan, P5: nan, P95: nan}},
	} {
		got := sweep.Describe(tc.xs)
		if got.N != tc.want.N {
			t.Errorf("%s: N = %d, want %d", tc.name, got.N, tc.want.N)
		}
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"mean", got.Mean, tc.want.Mean}, {"sd", got.SD, tc.want.SD},
			{"ci95_low", got.CILow, tc.want.CILow}, {"ci95_high", got.CIHigh, tc.want.CIHigh},
			{"median", got.Median, tc.want.Median}, {"p5", got.P5, tc.want.P5}, {"p95", got.P95, tc.want.P95},
		} {
			if math.IsNaN(f.want) != math.IsNaN(f.got) || math.Abs(f.got-f.want) > 1e-6 {
				t.Errorf("%s: %s = %v, want %v", tc.name, f.name, f.got, f.want)
			}
		}
	}
	if xs := []float64{3, 1, 2}; sweep.Describe(xs).N != 3 || xs[0] != 3 {
		t.Error("Describe changed its argument")
	}
}

func TestSummarize(t *testing.T) {
	in := &sweep.Table{
		Header: []string{"run", "runs_total", "rtt", "replicate", "scenario", "protocol", "seed", "page_load_ms", "ttfb_ms", "complete"},
		Rows: [][]string{
			{"0", "4", "10ms", "0", "w", "http1.0", "1", "100.5", "10", "true"},
			{"1", "4", "10ms", "1", "w", "http1.0", "2", "200.5", "", "false"},
			{"2", "4", "10ms", "0", "w", "http2", "1", "50", "5", "true"},
			{"3", "4", "10ms", "1", "w", "http2", "2", "70", "7", "true"},
		},
	}
	got := sweep.Summarize(in)
	if h := strings.Join(got.Header, ","); h != "rtt,protocol,metric,n,mean,sd,ci95_low,ci95_high,median,p5,p95" {
		t.Fatalf("header %s", h)
	}
	var lines []string
	for _, r := range got.Rows {
		lines = append(lines, strings.Join(r[:6], ","))
	}
	// sd of {100.5, 200.5} = 100/√2 = 70.710678; of {50, 70} = 14.142136.
	want := []string{
		"10ms,http1.0,page_load_ms,2,150.500000,70.710678",
		"10ms,http1.0,ttfb_ms,1,10.000000,", // the empty cell is not a value
		"10ms,http1.0,complete,2,0.500000,0.707107",
		"10ms,http2,page_load_ms,2,60.000000,14.142136",
		"10ms,http2,ttfb_ms,2,6.000000,1.414214",
		"10ms,http2,complete,2,1.000000,0.000000",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("summary\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}
