package units_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios/units"
)

func TestFormatSize(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0B"},
		{536, "536B"},
		{1460, "1460B"}, // shorter than 1.46KB
		{1500, "1.5KB"}, // a tie with 1500B: the larger unit wins
		{15_000, "15KB"},
		{15_360, "15KiB"},
		{16_384, "16KiB"},
		{1_000_000, "1MB"},
		{6 << 20, "6MiB"},
		{15<<20 + 1<<16, "15424KiB"}, // Chrome's HTTP/2 connection window
		{3 << 30, "3GiB"},
	} {
		if got := units.FormatSize(tc.n); got != tc.want {
			t.Errorf("FormatSize(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestFormatRate(t *testing.T) {
	for _, tc := range []struct {
		r    int64
		want string
	}{
		{800, "800bps"},
		{56 * units.Kbps, "56kbps"},
		{1_544_000, "1544kbps"}, // T1: shorter than 1.544Mbps
		{1_500_000, "1.5Mbps"},
		{10 * units.Mbps, "10Mbps"},
		{units.Gbps, "1Gbps"},
		{units.Unlimited, "unlimited"},
	} {
		if got := units.FormatRate(tc.r); got != tc.want {
			t.Errorf("FormatRate(%d) = %q, want %q", tc.r, got, tc.want)
		}
	}
}

// TestFormatParses: whatever the formatters print, the parsers read back
// to the same value.
func TestFormatParses(t *testing.T) {
	for n := 0; n < 5_000_000; n = n*3 + 7 {
		for _, v := range []int{n, n * 1000, n << 10} {
			got, err := units.ParseSize(units.FormatSize(v))
			if err != nil || got != v {
				t.Errorf("ParseSize(FormatSize(%d) = %q) = %d, %v", v, units.FormatSize(v), got, err)
			}
			r := int64(v + 1)
			gotR, err := units.ParseRate(units.FormatRate(r))
			if err != nil || gotR != r {
				t.Errorf("ParseRate(FormatRate(%d) = %q) = %d, %v", r, units.FormatRate(r), gotR, err)
			}
		}
	}
}
