package tui

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestFormValuesRoundTrip(t *testing.T) {
	for _, p := range []Params{
		basicParams,
		{RTT: 1500 * time.Millisecond, Bandwidth: 56_000, Loss: 0.005, Objects: -1, InitialWindow: -1, Parallel: 6, TLS: "none"},
	} {
		got, err := values(p).parse()
		if err != nil {
			t.Fatalf("parse(values(%+v)): %v", p, err)
		}
		if got != p {
			t.Errorf("round trip: got %+v, want %+v", got, p)
		}
	}
}

func TestFormValuesErrorsNameTheField(t *testing.T) {
	good := values(basicParams)
	for _, tc := range []struct {
		field string
		edit  func(*formValues)
	}{
		{"RTT", func(v *formValues) { v.RTT = "fast" }},
		{"RTT", func(v *formValues) { v.RTT = "-5ms" }},
		{"Bandwidth", func(v *formValues) { v.Bandwidth = "10 Mbitz" }},
		{"Bandwidth", func(v *formValues) { v.Bandwidth = "0" }},
		{"Loss", func(v *formValues) { v.Loss = "1.5" }},
		{"Loss", func(v *formValues) { v.Loss = "100%" }},
		{"Objects", func(v *formValues) { v.Objects = "-2" }},
		{"Objects", func(v *formValues) { v.Objects = "three" }},
		{"Initial window", func(v *formValues) { v.InitialWindow = "0" }},
		{"Parallel", func(v *formValues) { v.Parallel = "0" }},
		{"TLS", func(v *formValues) { v.TLS = "1.4" }},
	} {
		v := good
		tc.edit(&v)
		_, err := v.parse()
		var fe *fieldError
		if !errors.As(err, &fe) || fe.Field != tc.field || !strings.HasPrefix(err.Error(), tc.field+": ") {
			t.Errorf("%+v: error %v, want one naming %s", v, err, tc.field)
		}
	}
}

func TestParseRate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"10 Mbit/s", 10_000_000}, {"10Mbps", 10_000_000}, {"1.5M", 1_500_000}, {"500k", 500_000},
		{"1 Gbit/s", 1_000_000_000}, {"56000", 56_000}, {"56 kbit/s", 56_000},
	} {
		got, err := parseRate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseRate(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
}

func TestParseRTTBareMilliseconds(t *testing.T) {
	if got, err := parseRTT("250"); err != nil || got != 250*time.Millisecond {
		t.Errorf("parseRTT(\"250\") = %v, %v", got, err)
	}
}

// TestWrapJoinsLineBreaks: a narrative written over several lines (a YAML
// block) wraps as flowing text, with blank lines kept as paragraph breaks.
func TestWrapJoinsLineBreaks(t *testing.T) {
	got := wrap("one two\nthree four\n\nfive", 9)
	want := []string{"one two", "three", "four", "", "five"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("wrap = %q, want %q", got, want)
	}
}
