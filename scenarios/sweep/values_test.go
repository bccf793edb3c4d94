package sweep

import (
	"slices"
	"strings"
	"testing"
)

func TestParseValues(t *testing.T) {
	for _, tc := range []struct {
		spec string
		want []string
		log  bool
	}{
		{"10ms,50ms,100ms", []string{"10ms", "50ms", "100ms"}, false},
		{"http1.0, http2", []string{"http1.0", "http2"}, false},
		{"10ms..50ms/step:10ms", []string{"10ms", "20ms", "30ms", "40ms", "50ms"}, false},
		{"0.5s..2s/step:500ms", []string{"500ms", "1s", "1.5s", "2s"}, false},
		{"10ms..45ms/step:10ms", []string{"10ms", "20ms", "30ms", "40ms"}, false}, // stops before the end
		{"10ms..10ms/step:1ms", []string{"10ms"}, false},
		{"10..100/step:30", []string{"10", "40", "70", "100"}, false},
		{"0..0.02/step:0.005", []string{"0.000", "0.005", "0.010", "0.015", "0.020"}, false},
		{"0%..2%/step:1%", []string{"0%", "1%", "2%"}, false},
		{"1KB..3KB/step:1KB", []string{"1KB", "2KB", "3KB"}, false},
		// 10^(0, 0.5, 1, 1.5, 2) Mbit/s, rounded to whole bit/s.
		{"1Mbps..100Mbps/log:5", []string{"1Mbps", "3162278bps", "10Mbps", "31622777bps", "100Mbps"}, true},
		{"10..1000/log:3", []string{"10", "100", "1000"}, true},
		{"10..100/log:4", []string{"10", "22", "46", "100"}, true}, // whole numbers: 21.54, 46.42 rounded
		{"0.001..0.1/log:3", []string{"0.001", "0.01", "0.1"}, true},
		{"10ms..1s/log:3", []string{"10ms", "100ms", "1s"}, true},
		{"1ms,5ms..6ms/step:1ms", []string{"1ms", "5ms", "6ms"}, false},
		// Near the int64 limit: stepping a+s past b would overflow.
		{"1B..9223372036854775807B/step:4611686018427387904B", []string{"1B", "4611686018427387905B"}, false},
	} {
		got, err := parseValues(tc.spec)
		if err != nil {
			t.Errorf("%s: %v", tc.spec, err)
			continue
		}
		if !slices.Equal(got.list, tc.want) || got.log != tc.log {
			t.Errorf("%s: got %q log %v, want %q log %v", tc.spec, got.list, got.log, tc.want, tc.log)
		}
	}
}

func TestParseValuesErrors(t *testing.T) {
	for _, tc := range []struct{ spec, want string }{
		{"", "no values"},
		{"10ms,,20ms", "empty value"},
		{"10ms..5ms/step:1ms", "empty range"},
		{"10ms..50ms/step:0ms", "step must be > 0"},
		{"10..50/step:0", "step must be > 0"},
		{"10ms..50ms/step:-5ms", "step must be > 0"},
		{"10ms..50ms/step:5", "step must be a duration"},
		{"10ms..50ms", "needs a spacing"},
		{"10ms..50ms/every:5ms", "unknown spacing"},
		{"10ms..5Mbps/step:1ms", "same kind of unit"},
		{"fast..slow/step:1", "must be quantities"},
		{"1ms..50ms/log:1", "at least 2 points"},
		{"0ms..50ms/log:3", "cannot include 0"},
		{"0..10/log:3", "cannot include 0"},
		{"5ms..5ms/log:3", "two different ends"},
		{"1..3/log:10", "rounding makes"},
		{"1ms..1h/step:1ns", "more than"},
		{"0..9223372036854775807/step:1", "must be below 9007199254740992"},
		{"0..9007199254740993/step:1000000000000000", "must be below"},
		{"0..9007199254740991/step:1", "more than"},
		{"10ms,0.01s", "listed twice"},
		{"fifo,fifo", "listed twice"},
	} {
		_, err := parseValues(tc.spec)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want one saying %q", tc.spec, err, tc.want)
		}
	}
}
