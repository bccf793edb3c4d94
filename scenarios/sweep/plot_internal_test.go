package sweep

import "testing"

func TestLogSpaced(t *testing.T) {
	for _, tc := range []struct {
		name string
		vs   []float64
		want bool
	}{
		{"decades", []float64{1, 10, 100, 1000}, true},
		{"log:6 rounded", []float64{1, 2.511886, 6.309573, 15.848932, 39.810717, 100}, true},
		{"unsorted", []float64{100, 1, 10}, true},
		{"linear", []float64{10, 20, 30, 40}, false},
		{"two points", []float64{1, 100}, false},
		{"zero", []float64{0, 10, 100}, false},
		{"uneven", []float64{1, 10, 20, 1000}, false},
	} {
		if got := logSpaced(tc.vs); got != tc.want {
			t.Errorf("%s: logSpaced(%v) = %v", tc.name, tc.vs, got)
		}
	}
}

func TestAxisLabel(t *testing.T) {
	for _, tc := range []struct {
		col  string
		k    kind
		want string
	}{
		{"rtt", duration, "RTT (ms)"},
		{"link.rtt", duration, "RTT (ms)"},
		{"bandwidth", rate, "bandwidth (Mbit/s)"},
		{"vary.objects", number, "objects per page"},
		{"page_load_ms", number, "page load (ms)"},
		{"tcp.min_rto", duration, "tcp.min_rto (ms)"},
		{"link.queue", word, "link.queue"},
		{"idle_ms", number, "idle (ms)"},
	} {
		if got := axisLabel(tc.col, tc.k); got != tc.want {
			t.Errorf("axisLabel(%q) = %q, want %q", tc.col, got, tc.want)
		}
	}
}
