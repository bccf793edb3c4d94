package tui

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestCostLine follows a keep-alive connection and an HTTP/1.0-style one
// through their lives: open and busy while it connects and while a
// request is outstanding,
// idle after its answer, closed by the server into TIME-WAIT on the
// server's side; a proxy's connection to the origin is not a browser's.
func TestCostLine(t *testing.T) {
	ms := time.Millisecond
	st := func(at time.Duration, conn int, d trace.Dir, s trace.State) trace.Record {
		return trace.Record{At: at, Kind: trace.StateChanged, Conn: conn, Dir: d, State: s}
	}
	recs := []trace.Record{
		st(0, 1, trace.Up, trace.SynSent),
		st(5*ms, 1, trace.Down, trace.SynReceived),
		st(10*ms, 1, trace.Up, trace.Established),
		{At: 10 * ms, Kind: trace.Accepted, Conn: 1},
		{At: 10 * ms, Kind: trace.ServerBusy, Conn: 1},
		{At: 10 * ms, Kind: trace.RequestSent, Conn: 1, Resource: 1},
		st(12*ms, 2, trace.Up, trace.SynSent),
		{At: 15 * ms, Kind: trace.OriginConn, Conn: 9},
		st(15*ms, 9, trace.Up, trace.SynSent),
		{At: 20 * ms, Kind: trace.LastByte, Conn: 1, Resource: 1},
		{At: 20 * ms, Kind: trace.ServerIdle, Conn: 1},
		st(30*ms, 1, trace.Down, trace.FinWait1),
		st(31*ms, 1, trace.Up, trace.CloseWait),
		st(32*ms, 1, trace.Down, trace.TimeWait),
		st(32*ms, 1, trace.Up, trace.Closed),
		{At: 32 * ms, Kind: trace.SlotReleased, Conn: 1},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: recs}, 100*ms)
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{0, "now: browser 1 open (1 busy, 0 idle)"},
		{11 * ms, "now: browser 1 open (1 busy, 0 idle) · server 1 (1 busy, 0 idle)"},
		{16 * ms, "now: browser 2 open (2 busy, 0 idle) · server 1 (1 busy, 0 idle)"},
		{25 * ms, "now: browser 2 open (1 busy, 1 idle) · server 1 (0 busy, 1 idle)"},
		{31 * ms, "now: browser 2 open (1 busy, 1 idle) · server 1 (0 busy, 1 idle)"},
		{40 * ms, "now: browser 1 open (1 busy, 0 idle) · TIME-WAIT: 1 server side"},
	} {
		if got := costLine(ix, tc.at); got != tc.want {
			t.Errorf("at %v: %q, want %q", tc.at, got, tc.want)
		}
	}
	if got := costLine(newRunIndex(&Run{Protocol: trace.HTTP10}, 100*ms), 0); got != "now: no browser connection open" {
		t.Errorf("no records: %q", got)
	}
}
