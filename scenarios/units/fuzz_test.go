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

// fuzzRoundTrip fuzzes a parser: each text either parses to a value that
// valid accepts and that format writes back exactly, or is refused with a
// typed error.
func fuzzRoundTrip[T comparable](f *testing.F, name string, parse func(string) (T, error), format func(T) string, valid func(T) bool) {
	for _, s := range quantitySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parse(s)
		checkErr(t, name, s, err)
		if err != nil {
			return
		}
		if !valid(v) {
			t.Fatalf("%s(%q) = %v, out of range", name, s, v)
		}
		if back, err := parse(format(v)); err != nil || back != v {
			t.Fatalf("%s(%q) = %v, written %q, read back %v, %v", name, s, v, format(v), back, err)
		}
	})
}

// FuzzParseSize: sizes are ≥ 0 and FormatSize writes them back exactly.
func FuzzParseSize(f *testing.F) {
	fuzzRoundTrip(f, "ParseSize", units.ParseSize, units.FormatSize, func(n int) bool { return n >= 0 })
}

// FuzzParseRate: rates are > 0 and FormatRate writes them back exactly.
func FuzzParseRate(f *testing.F) {
	fuzzRoundTrip(f, "ParseRate", units.ParseRate, units.FormatRate, func(r int64) bool { return r > 0 })
}

// FuzzParseDuration: durations are ≥ 0 and Go's own formatting writes
// them back exactly.
func FuzzParseDuration(f *testing.F) {
	fuzzRoundTrip(f, "ParseDuration", units.ParseDuration, func(d time.Duration) string { return time.Duration(d).String() },
		func(d time.Duration) bool { return d >= 0 })
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
