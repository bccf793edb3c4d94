package units

import (
	"strconv"
	"strings"
)

// maxDecimals is the most fractional digits a formatted value may have.
const maxDecimals = 3

// FormatSize prints n bytes in the shortest exact form that [ParseSize]
// reads back: "20KB", "15KiB", "6MiB", "1.5KB", "536B", "0B". On a tie
// the larger unit wins. A negative n (a programming error: sizes are
// ≥ 0) is printed as a bare number, which ParseSize rejects.
func FormatSize(n int) string {
	if n < 0 {
		return strconv.Itoa(n)
	}
	best := ""
	for _, u := range []struct {
		name string
		n    int64
	}{{"GiB", 1 << 30}, {"GB", 1e9}, {"MiB", 1 << 20}, {"MB", 1e6}, {"KiB", 1 << 10}, {"KB", 1e3}, {"B", 1}} {
		best = shorter(best, int64(n), u.n, u.name)
	}
	return best
}

// FormatRate prints r in the shortest exact form that [ParseRate] reads
// back: "10Mbps", "1.5Mbps", "800bps", "unlimited". A rate ≤ 0 (invalid)
// is printed with "bps", which ParseRate rejects.
func FormatRate(r int64) string {
	if r == Unlimited {
		return "unlimited"
	}
	if r <= 0 {
		return strconv.FormatInt(r, 10) + "bps"
	}
	best := ""
	for _, u := range rateUnits { // largest first
		best = shorter(best, r, u.r, u.name)
	}
	return best
}

// shorter returns n printed in unit if that is exact and shorter than
// best (or best is ""), else best. Called from the largest unit down, it
// keeps the larger unit on a tie.
func shorter(best string, n, unit int64, name string) string {
	if s, ok := exact(n, unit); ok && (best == "" || len(s)+len(name) < len(best)) {
		return s + name
	}
	return best
}

// exact prints n/unit with at most maxDecimals fractional digits, if that
// is exact and at least 1.
func exact(n, unit int64) (string, bool) {
	if n < unit && !(n == 0 && unit == 1) {
		return "", false
	}
	whole, rem := n/unit, n%unit
	if rem == 0 {
		return strconv.FormatInt(whole, 10), true
	}
	var frac strings.Builder
	for i := 0; i < maxDecimals && rem != 0; i++ {
		if rem > (1<<63-1)/10 {
			return "", false
		}
		rem *= 10
		frac.WriteByte(byte('0' + rem/unit))
		rem %= unit
	}
	if rem != 0 {
		return "", false
	}
	return strconv.FormatInt(whole, 10) + "." + frac.String(), true
}
