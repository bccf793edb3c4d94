package units_test

import (
	"errors"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/scenarios/units"
)

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  error // nil, units.ErrSyntax or units.ErrRange
	}{
		{"100ms", 100 * time.Millisecond, nil},
		{"1.5s", 1500 * time.Millisecond, nil},
		{"250us", 250 * time.Microsecond, nil},
		{"250µs", 250 * time.Microsecond, nil}, // as time.Duration prints it
		{"2m", 120 * time.Second, nil},
		{"1m30s", 90 * time.Second, nil},
		{"2m0s", 120 * time.Second, nil}, // time.Duration.String's form
		{"24h", 24 * 3600 * time.Second, nil},
		{"40 ms", 40 * time.Millisecond, nil},
		{" 1s ", time.Second, nil},
		{"0", 0, nil},
		{"0s", 0, nil},
		{"-0ms", 0, nil},
		{"0.000000001s", 1, nil},
		{"100", 0, units.ErrSyntax}, // bare number: milliseconds or seconds?
		{"1.5", 0, units.ErrSyntax},
		{"", 0, units.ErrSyntax},
		{"ms", 0, units.ErrSyntax},
		{"fast", 0, units.ErrSyntax},
		{"100MS", 0, units.ErrSyntax}, // units are case-sensitive
		{"10sec", 0, units.ErrSyntax},
		{"1.2.3s", 0, units.ErrSyntax},
		{"1s-5ms", 0, units.ErrSyntax},
		{"1h30", 0, units.ErrSyntax},
		{"-5ms", 0, units.ErrRange},
		{"0.5ns", 0, units.ErrRange},
		{"3000000h", 0, units.ErrRange}, // past time.Duration's 292 years
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := units.ParseDuration(tc.in)
			check(t, tc.in, err, tc.err)
			if err == nil && got != tc.want {
				t.Errorf("ParseDuration(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		err  error
	}{
		{"10Mbps", 10 * units.Mbps, nil},
		{"512kbps", 512 * units.Kbps, nil},
		{"1Gbps", units.Gbps, nil},
		{"1.5Mbps", 1_500_000, nil},
		{"1.1Mbps", 1_100_000, nil}, // exact: no float rounding
		{"800bps", 800, nil},
		{"10 Mbps", 10 * units.Mbps, nil},
		{"10mbps", 10 * units.Mbps, nil}, // the unit is case-insensitive
		{"10MBPS", 10 * units.Mbps, nil},
		{"512Kbps", 512 * units.Kbps, nil},
		{"unlimited", units.Unlimited, nil},
		{"Unlimited", units.Unlimited, nil},
		{"10Mbs", 0, units.ErrSyntax},
		{"10", 0, units.ErrSyntax},
		{"10M", 0, units.ErrSyntax},
		{"", 0, units.ErrSyntax},
		{"1.2.3Mbps", 0, units.ErrSyntax},
		{"0bps", 0, units.ErrRange},
		{"0", 0, units.ErrRange}, // zero needs no unit to be wrong
		{"0Mbps", 0, units.ErrRange},
		{"-10Mbps", 0, units.ErrRange},
		{"1.5bps", 0, units.ErrRange},
		{"10000000000Gbps", 0, units.ErrRange},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := units.ParseRate(tc.in)
			check(t, tc.in, err, tc.err)
			if err == nil && got != tc.want {
				t.Errorf("ParseRate(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
		err  error
	}{
		{"15KB", 15_000, nil},
		{"15kB", 15_000, nil}, // SI spelling of kilo
		{"15KiB", 15_360, nil},
		{"1MB", 1_000_000, nil},
		{"1MiB", 1 << 20, nil},
		{"2GiB", 2 << 30, nil},
		{"536B", 536, nil},
		{"536", 536, nil}, // a bare number is bytes
		{"0", 0, nil},
		{"1.5KB", 1500, nil},
		{"1.5KiB", 1536, nil},
		{"30 KB", 30_000, nil},
		{"15kib", 0, units.ErrSyntax}, // binary prefixes are written KiB, MiB, GiB
		{"15kb", 0, units.ErrSyntax},  // b is a bit
		{"15Kb", 0, units.ErrSyntax},
		{"1mb", 0, units.ErrSyntax}, // m is milli
		{"15K", 0, units.ErrSyntax},
		{"1.2.3KB", 0, units.ErrSyntax},
		{"", 0, units.ErrSyntax},
		{"KB", 0, units.ErrSyntax},
		{"big", 0, units.ErrSyntax},
		{"-5KB", 0, units.ErrRange},
		{"1.5B", 0, units.ErrRange},
		{"0.0001KB", 0, units.ErrRange},
		{"99999999999GiB", 0, units.ErrRange},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := units.ParseSize(tc.in)
			check(t, tc.in, err, tc.err)
			if err == nil && got != tc.want {
				t.Errorf("ParseSize(%q) = %d, want %d", tc.in, got, tc.want)
			}
		})
	}
}

// TestErrorMessages pins the wording users see: the input, what is wrong
// and what is allowed.
func TestErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		parse func(string) error
		in    string
		want  string
	}{
		{rate, "10Mbs", `"10Mbs": unknown rate unit "Mbs" (allowed: bps, kbps, Mbps, Gbps)`},
		{rate, "0bps", `"0bps": a rate must be > 0 (write unlimited for no limit)`},
		{duration, "100", `"100": missing unit; write e.g. "100ms" or "100s" (allowed: ns, us, ms, s, m, h)`},
		{duration, "-5ms", `"-5ms": a duration must be ≥ 0`},
		{duration, "5MS", `"5MS": unknown duration unit "MS" (allowed: ns, us, ms, s, m, h); did you mean "ms"?`},
		{size, "15kib", `"15kib": unknown size unit "kib" (allowed: B, kB or KB, MB, GB, KiB, MiB, GiB; a bare number is bytes); did you mean "KiB"?`},
		{size, "1.2.3KB", `"1.2.3KB": malformed number "1.2.3"`},
		{size, "1.5B", `"1.5B": not a whole number of bytes`},
	} {
		if err := tc.parse(tc.in); err == nil || err.Error() != tc.want {
			t.Errorf("%q: error %v\nwant %s", tc.in, err, tc.want)
		}
	}
}

func rate(s string) error     { _, err := units.ParseRate(s); return err }
func duration(s string) error { _, err := units.ParseDuration(s); return err }
func size(s string) error     { _, err := units.ParseSize(s); return err }

func check(t *testing.T, in string, err, want error) {
	t.Helper()
	switch {
	case want == nil && err != nil:
		t.Errorf("%q: unexpected error %v", in, err)
	case want != nil && !errors.Is(err, want):
		t.Errorf("%q: error %v, want one wrapping %v", in, err, want)
	}
}

func TestParseProbability(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
	}{
		{"0", 0}, {"0.02", 0.02}, {"2%", 0.02}, {"0.5 %", 0.005}, {" 0.001 ", 0.001}, {"99.9%", 0.999}, {".5", 0.5}, {"-0", 0},
	} {
		if got, err := units.ParseProbability(tc.in); err != nil || got != tc.want {
			t.Errorf("ParseProbability(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		in   string
		kind error
	}{
		{"1e-3", units.ErrSyntax}, {"0x1p-3", units.ErrSyntax}, {"1_0e-3", units.ErrSyntax}, {"+0.1", units.ErrSyntax}, {"NaN", units.ErrSyntax},
		{"", units.ErrSyntax}, {"%", units.ErrSyntax}, {"1", units.ErrRange}, {"100%", units.ErrRange}, {"-0.1", units.ErrRange}, {"1.5", units.ErrRange},
	} {
		if _, err := units.ParseProbability(tc.in); !errors.Is(err, tc.kind) {
			t.Errorf("ParseProbability(%q): error %v, want %v", tc.in, err, tc.kind)
		}
	}
}
