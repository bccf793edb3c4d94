package tui

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestServerGauge follows two connections through a one-slot server: the
// second waits in the backlog until the first is released; a third SYN is
// refused; connections to an origin behind a proxy do not count.
func TestServerGauge(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 0 * ms, Kind: trace.Accepted, Conn: 1},
		{At: 0 * ms, Kind: trace.ServerIdle, Conn: 1},
		{At: 10 * ms, Kind: trace.Backlogged, Conn: 2},
		{At: 20 * ms, Kind: trace.ServerBusy, Conn: 1},
		{At: 25 * ms, Kind: trace.Refused, Conn: 3},
		{At: 30 * ms, Kind: trace.ServerIdle, Conn: 1},
		{At: 35 * ms, Kind: trace.OriginConn, Conn: 9},
		{At: 36 * ms, Kind: trace.Accepted, Conn: 9},
		{At: 40 * ms, Kind: trace.SlotReleased, Conn: 1},
		{At: 40 * ms, Kind: trace.Accepted, Conn: 2},
		{At: 40 * ms, Kind: trace.ServerIdle, Conn: 2},
		{At: 50 * ms, Kind: trace.ServerBusy, Conn: 2},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: recs}, 100*ms)
	for _, tc := range []struct {
		at   time.Duration
		want serverPoint
	}{
		{5 * ms, serverPoint{at: 0, idle: 1}},
		{15 * ms, serverPoint{at: 10 * ms, idle: 1, backlog: 1}},
		{27 * ms, serverPoint{at: 25 * ms, busy: 1, backlog: 1, refuse: 1}},
		{45 * ms, serverPoint{at: 40 * ms, idle: 1, refuse: 1}},
		{60 * ms, serverPoint{at: 50 * ms, busy: 1, refuse: 1}},
	} {
		if got := ix.serverAt(tc.at); got != tc.want {
			t.Errorf("at %v: %+v, want %+v", tc.at, got, tc.want)
		}
	}
	if got, want := gaugeText(serverPoint{busy: 2, idle: 1, backlog: 3, refuse: 1}, 4), "server ██▒· 2 busy · 1 idle · 1 free · backlog 3 · 1 refused"; got != want {
		t.Errorf("gauge %q, want %q", got, want)
	}
}
