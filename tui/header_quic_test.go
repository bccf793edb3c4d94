package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestHeaderComparesQUICSettings: the compare view's header shows the
// lesson's TCP settings and, beside them, what HTTP/3's run had instead
// (its initial window in datagrams, TLS 1.3), wide and narrow; a single
// HTTP/3 run shows its own.
func TestHeaderComparesQUICSettings(t *testing.T) {
	ms := time.Millisecond
	h3 := []trace.Record{{At: 0, Kind: trace.CwndChanged, Conn: 1, Dir: trace.Down, State: trace.CwndInitial, Cwnd: 32 * 1460, Note: trace.RecoveryQUIC}}
	h2 := []trace.Record{{At: 0, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.SynSent}}
	l := Lesson{Scenario: "x", Params: Params{RTT: 100 * ms, Bandwidth: 10_000_000, InitialWindow: 10, Parallel: 6, TLS: "none"},
		Runs: []Run{{Protocol: trace.HTTP2, Records: h2, Summary: trace.Summarize(h2)}, {Protocol: trace.HTTP3, Records: h3, Summary: trace.Summarize(h3)}}}
	s := newState(l, Options{})
	s.view = viewCompare
	for _, tc := range []struct {
		w    int
		want []string
	}{
		{200, []string{"IW 10 (HTTP/3: 32)", "TLS none (HTTP/3: 1.3)"}},
		{60, []string{"IW 10/32", "TLS none/1.3"}},
	} {
		got := fitParams(s, tc.w)
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("width %d: %q lacks %q", tc.w, got, w)
			}
		}
	}
	s.view = viewLadder
	s.proto = 1
	if got := fitParams(s, 200); !strings.Contains(got, "IW 32") || !strings.Contains(got, "TLS 1.3") || strings.Contains(got, "HTTP/3:") {
		t.Errorf("the HTTP/3 run alone: %q, want its own IW 32 and TLS 1.3", got)
	}
}
