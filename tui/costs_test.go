package tui

import (
	"strings"
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

// TestQuietSaysWhatIsHeld: during a quiet stretch the explanation says
// what the connections hold, with the lesson's timeouts: idle
// connections on each side, sockets in TIME-WAIT; nothing when nothing
// is held.
func TestQuietSaysWhatIsHeld(t *testing.T) {
	ms := time.Millisecond
	st := func(at time.Duration, conn int, d trace.Dir, s trace.State) trace.Record {
		return trace.Record{At: at, Kind: trace.StateChanged, Conn: conn, Dir: d, State: s}
	}
	idle := []trace.Record{
		st(0, 1, trace.Up, trace.SynSent),
		st(10*ms, 1, trace.Up, trace.Established),
		{At: 10 * ms, Kind: trace.Accepted, Conn: 1},
		{At: 10 * ms, Kind: trace.ServerIdle, Conn: 1},
		{At: 5000 * ms, Kind: trace.PageStarted, Page: 2},
	}
	closed := []trace.Record{
		st(0, 1, trace.Up, trace.SynSent),
		st(30*ms, 1, trace.Down, trace.TimeWait),
		st(30*ms, 1, trace.Up, trace.Closed),
		{At: 5000 * ms, Kind: trace.PageStarted, Page: 2},
	}
	for _, tc := range []struct {
		name            string
		recs            []trace.Record
		browser, server time.Duration
		want            string
	}{
		{"keep-alive, both timeouts", idle, 60 * time.Second, 5 * time.Second,
			"; the browser holds 1 idle connection (it closes one after 60.000s idle) and the server 1 (after 5.000s)"},
		{"keep-alive, no timeouts known", idle, 0, 0, "; the browser holds 1 idle connection and the server 1"},
		{"server only", idle[2:], 0, 5 * time.Second, "; the server holds 1 idle connection (it closes one after 5.000s idle)"},
		{"HTTP/1.0", closed, 60 * time.Second, 5 * time.Second, "; 1 socket waits in TIME-WAIT"},
		{"nothing", closed[:0], 0, 0, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: tc.recs}, 100*ms)
			ix.browserIdle, ix.serverIdle = tc.browser, tc.server
			if got := ix.heldWhileQuiet(2 * time.Second); got != tc.want {
				t.Errorf("%q, want %q", got, tc.want)
			}
		})
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: idle}, 100*ms)
	if got := ix.explainAt(2 * time.Second); !strings.Contains(got, "quiet: nothing happens from 10.0ms to 5.000s; the browser holds 1 idle connection and the server 1; then ") {
		t.Errorf("explanation %q", got)
	}
}

// TestComparePageTimesAndHeld: the compare view gives each page's time
// for one client's pages, and what each run holds at the playhead.
func TestComparePageTimesAndHeld(t *testing.T) {
	ms := time.Millisecond
	s := trace.Summary{Outcomes: []trace.PageOutcome{
		{Page: 1, Outcome: trace.Loaded, Start: 0, End: 307500 * time.Microsecond},
		{Page: 2, Outcome: trace.Loaded, Start: 5 * time.Second, End: 5*time.Second + 350500*time.Microsecond},
	}}
	if got, want := pageTimes(&s), "page 1 307.5ms · page 2 350.5ms"; got != want {
		t.Errorf("pageTimes %q, want %q", got, want)
	}
	s.Outcomes[1].Client = 2
	if got := pageTimes(&s); got != "" {
		t.Errorf("many clients: %q, want none", got)
	}
	st := func(at time.Duration, conn int, d trace.Dir, s trace.State) trace.Record {
		return trace.Record{At: at, Kind: trace.StateChanged, Conn: conn, Dir: d, State: s}
	}
	a := newRunIndex(&Run{Protocol: trace.HTTP10, Records: []trace.Record{st(0, 1, trace.Up, trace.SynSent), st(10*ms, 1, trace.Down, trace.TimeWait), st(10*ms, 1, trace.Up, trace.Closed)}}, 100*ms)
	b := newRunIndex(&Run{Protocol: trace.HTTP11, Records: []trace.Record{st(0, 1, trace.Up, trace.SynSent), st(10*ms, 1, trace.Up, trace.Established)}}, 100*ms)
	c := newRunIndex(&Run{Protocol: trace.HTTP2}, 100*ms)
	if got, want := heldLine([]*runIndex{a, b, c}, 20*ms), "held now: http1.0 1 in TIME-WAIT · http1.1 1 idle · http2 nothing"; got != want {
		t.Errorf("heldLine %q, want %q", got, want)
	}
}
