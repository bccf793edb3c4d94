package units_test

import (
	"errors"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// quantitySeeds are texts near every edge the parsers have: the int64
// limits, units differing in case, exponents, signs, separators.
var quantitySeeds = []string{
	"0", "-0", "1", "536", "15KB", "15KiB", "1.5KB", "1MiB", "8EiB", "9223372036854775807", "9223372036854775808B",
	"1152921504606846976B", "100ms", "1.5s", "1m30s", "2562047h", "2562048h", "-5ms", "0.1ns", "10Mbps", "10MBps",
	"1.1Mbps", "0.5bps", "unlimited", "1e3", "0x10", "1_000", "+1", "10 Mbps", " 1 ", "", ".", "1.", ".5", "%", "2%",
	"99.9%", "1e-3", "0x1p-3", "NaN", "Inf", "1.0000000000000000001", "µs", "1µs",
}

// checkErr fails unless err is nil or one of the package's typed errors.
func checkErr(t *testing.T, what, s string, err error) {
	if err != nil && !errors.Is(err, units.ErrSyntax) && !errors.Is(err, units.ErrRange) {
		t.Fatalf("%s(%q): error %v is neither ErrSyntax nor ErrRange", what, s, err)
	}
}

// FuzzParseSize: a size either parses to a byte count that FormatSize
// writes back exactly, or is refused with a typed error.
func FuzzParseSize(f *testing.F) {
	for _, s := range quantitySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := units.ParseSize(s)
		checkErr(t, "ParseSize", s, err)
		if err != nil {
			return
		}
		if n < 0 {
			t.Fatalf("ParseSize(%q) = %d", s, n)
		}
		if back, err := units.ParseSize(units.FormatSize(n)); err != nil || back != n {
			t.Fatalf("ParseSize(%q) = %d, written %q, read back %d, %v", s, n, units.FormatSize(n), back, err)
		}
	})
}

// FuzzParseRate: as FuzzParseSize, for rates.
func FuzzParseRate(f *testing.F) {
	for _, s := range quantitySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := units.ParseRate(s)
		checkErr(t, "ParseRate", s, err)
		if err != nil {
			return
		}
		if r <= 0 {
			t.Fatalf("ParseRate(%q) = %d", s, r)
		}
		if back, err := units.ParseRate(units.FormatRate(r)); err != nil || back != r {
			t.Fatalf("ParseRate(%q) = %d, written %q, read back %d, %v", s, r, units.FormatRate(r), back, err)
		}
	})
}

// FuzzParseDuration: a duration parses to a non-negative time that Go's
// own formatting writes back exactly, or is refused with a typed error.
func FuzzParseDuration(f *testing.F) {
	for _, s := range quantitySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := units.ParseDuration(s)
		checkErr(t, "ParseDuration", s, err)
		if err != nil {
			return
		}
		if d < 0 {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		text := time.Duration(d).String()
		if back, err := units.ParseDuration(text); err != nil || back != d {
			t.Fatalf("ParseDuration(%q) = %d, written %q, read back %d, %v", s, d, text, back, err)
		}
	})
}

// FuzzParseProbability: a probability is in [0, 1) or refused with a
// typed error; it never reads an exponent or a hex float.
func FuzzParseProbability(f *testing.F) {
	for _, s := range quantitySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := units.ParseProbability(s)
		checkErr(t, "ParseProbability", s, err)
		if err == nil && !(p >= 0 && p < 1) {
			t.Fatalf("ParseProbability(%q) = %v", s, p)
		}
	})
}
