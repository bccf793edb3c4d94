package tui

import (
	"strings"
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

// TestServerCPUGauge follows a one-core server's work: the first
// handshake takes the core at once, the second waits for it; an origin's
// work behind a proxy does not count. The status line names the cores
// and the queue while there is work, and says nothing of them otherwise.
func TestServerCPUGauge(t *testing.T) {
	ms := time.Millisecond
	full := trace.WorkFullTLS
	recs := []trace.Record{
		{At: 10 * ms, Kind: trace.CPUQueued, Conn: 1, Label: full},
		{At: 10 * ms, Kind: trace.CPUStarted, Conn: 1, Label: full},
		{At: 11 * ms, Kind: trace.CPUQueued, Conn: 2, Label: full},
		{At: 12 * ms, Kind: trace.OriginConn, Conn: 9},
		{At: 12 * ms, Kind: trace.CPUQueued, Conn: 9, Label: trace.WorkRequest},
		{At: 13 * ms, Kind: trace.CPUDone, Conn: 1, Label: full},
		{At: 13 * ms, Kind: trace.CPUStarted, Conn: 2, Label: full},
		{At: 16 * ms, Kind: trace.CPUDone, Conn: 2, Label: full},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: recs}, 100*ms)
	for _, tc := range []struct {
		at          time.Duration
		cores, wait int
		text        string
	}{
		{5 * ms, 0, 0, ""},
		{10 * ms, 1, 0, "server cpu: 1 core busy · 0 waiting"},
		{12 * ms, 1, 1, "server cpu: 1 core busy · 1 waiting"},
		{14 * ms, 1, 0, "server cpu: 1 core busy · 0 waiting"},
		{20 * ms, 0, 0, ""},
	} {
		p := ix.serverAt(tc.at)
		if p.cores != tc.cores || p.queued != tc.wait {
			t.Errorf("at %v: %d cores busy, %d waiting; want %d, %d", tc.at, p.cores, p.queued, tc.cores, tc.wait)
		}
		line := counterLine(ix, tc.at, 0)
		if has := strings.Contains(line, "server cpu:"); has != (tc.text != "") || !strings.Contains(line, tc.text) {
			t.Errorf("at %v: status %q, want it to say %q", tc.at, line, tc.text)
		}
	}
	if got := cpuText(serverPoint{cores: 2, queued: 5}); got != "server cpu: 2 cores busy · 5 waiting" {
		t.Errorf("cpuText %q", got)
	}
}

// TestServerMemoryGauge: the gauge shows the total of the last
// ServerMemory record at the playhead, beside the slots and the cores,
// and nothing before the first.
func TestServerMemoryGauge(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 10 * ms, Kind: trace.ServerMemory, Conn: 1, Len: 320, Label: trace.MemSocket},
		{At: 20 * ms, Kind: trace.ServerMemory, Conn: 1, Len: 3712, Label: trace.MemSocket},
		{At: 20 * ms, Kind: trace.Accepted, Conn: 1},
		{At: 20 * ms, Kind: trace.ServerMemory, Conn: 1, Len: 22287, Label: trace.MemConnOpened},
		{At: 30 * ms, Kind: trace.ServerMemory, Conn: 1, Len: 1 << 21, Label: trace.MemData},
		{At: 40 * ms, Kind: trace.SlotReleased, Conn: 1},
		{At: 40 * ms, Kind: trace.ServerMemory, Conn: 1, Len: 256, Label: trace.MemConnClosed},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: recs}, 100*ms)
	for _, tc := range []struct {
		at   time.Duration
		mem  int
		text string
	}{
		{5 * ms, 0, "server 0 busy · 0 idle · backlog 0"},
		{10 * ms, 320, "server 0 busy · 0 idle · backlog 0 · mem 320 B"},
		{25 * ms, 22287, "server 0 busy · 1 idle · backlog 0 · mem 21.8 KiB"},
		{35 * ms, 1 << 21, "server 0 busy · 1 idle · backlog 0 · mem 2.0 MiB"},
		{45 * ms, 256, "server 0 busy · 0 idle · backlog 0 · mem 256 B"},
	} {
		p := ix.serverAt(tc.at)
		if p.mem != tc.mem {
			t.Errorf("at %v: %d bytes, want %d", tc.at, p.mem, tc.mem)
		}
		if got := gaugeText(p, 0) + memSuffix(p); got != tc.text {
			t.Errorf("at %v: gauge %q, want %q", tc.at, got, tc.text)
		}
	}
	if got, want := cpuText(serverPoint{cores: 1, queued: 2, mem: 5 << 20})+memSuffix(serverPoint{mem: 5 << 20}), "server cpu: 1 core busy · 2 waiting · mem 5.0 MiB"; got != want {
		t.Errorf("cpuText %q, want %q", got, want)
	}
}

// TestStatusMemoryBetweenWork: with many clients at a server that has
// had processor work, the status line names the server's memory while
// its cores rest, and the processor's gauge (with the memory) while they
// work.
func TestStatusMemoryBetweenWork(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 10 * ms, Kind: trace.ServerMemory, Conn: 1, Client: 1, Len: 3712, Label: trace.MemSocket},
		{At: 10 * ms, Kind: trace.CPUQueued, Conn: 1, Client: 1, Label: trace.WorkAccept},
		{At: 10 * ms, Kind: trace.CPUStarted, Conn: 1, Client: 1, Label: trace.WorkAccept},
		{At: 20 * ms, Kind: trace.CPUDone, Conn: 1, Client: 1, Label: trace.WorkAccept},
		{At: 30 * ms, Kind: trace.ServerMemory, Conn: 2, Client: 2, Len: 7424, Label: trace.MemSocket},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: recs}, 100*ms)
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{15 * ms, "2 clients, 0 conns │ server cpu: 1 core busy · 0 waiting · mem 3.6 KiB"},
		{25 * ms, "2 clients, 0 conns │ server mem 3.6 KiB"},
		{35 * ms, "2 clients, 0 conns │ server mem 7.2 KiB"},
	} {
		if got := counterLine(ix, tc.at, 0); got != tc.want {
			t.Errorf("at %v: %q, want %q", tc.at, got, tc.want)
		}
	}
}

// TestServerQueuePhase: a request that waited for a server core shows
// the wait as a "server queue" segment over its waiting phase, running to
// the playhead while it still waits; one that did not wait has none.
func TestServerQueuePhase(t *testing.T) {
	ms := time.Millisecond
	timing := func(queued, started time.Duration) trace.ResourceTiming {
		return trace.ResourceTiming{Resource: 1, Queued: 0, ConnectStart: -1, ConnectEnd: -1, TLSStart: -1, TLSEnd: -1,
			RequestSent: 10 * ms, FirstByte: 40 * ms, LastByte: 50 * ms, ServerQueued: queued, ServerStarted: started}
	}
	find := func(segs []segment) (segment, bool) {
		for _, s := range segs {
			if s.p == phaseServer {
				return s, true
			}
		}
		return segment{}, false
	}
	for _, tc := range []struct {
		name     string
		t        trace.ResourceTiming
		at       time.Duration
		want     segment
		hasPhase bool
	}{
		{"waited", timing(20*ms, 30*ms), 60 * ms, segment{phaseServer, 20 * ms, 30 * ms}, true},
		{"still waiting", timing(20*ms, 30*ms), 25 * ms, segment{phaseServer, 20 * ms, 25 * ms}, true},
		{"a core at once", timing(20*ms, 20*ms), 60 * ms, segment{}, false},
		{"no work", timing(-1, -1), 60 * ms, segment{}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := find(phasesAt(&tc.t, tc.at))
			if ok != tc.hasPhase || got != tc.want {
				t.Errorf("server segment %+v (%v), want %+v (%v)", got, ok, tc.want, tc.hasPhase)
			}
		})
	}
}

// TestServerQueueCells: a server queue is drawn over the waiting phase
// only where it fills a cell; a wait shorter than a cell leaves the
// waiting phase as it is, since one cell would overstate it.
func TestServerQueueCells(t *testing.T) {
	ms := time.Millisecond
	screen := simScreen(t, 20, 2)
	c := canvas{s: screen, w: 20, h: 2}
	a := timeAxis{x: 0, w: 10, span: 100 * ms} // 10 ms a cell
	st := newStyles(true)
	waiting := segment{phaseWaiting, 0, 100 * ms}
	drawSegments(c, 0, a, []segment{waiting, {phaseServer, 20 * ms, 40 * ms}}, st)
	drawSegments(c, 1, a, []segment{waiting, {phaseServer, 20 * ms, 21 * ms}}, st)
	row := func(y int) string {
		var b strings.Builder
		for x := range 10 {
			b.WriteRune(c.get(x, y))
		}
		return b.String()
	}
	if got, want := row(0), "░░▚▚░░░░░ "; got != want {
		t.Errorf("a 20 ms wait: %q, want %q", got, want)
	}
	if got, want := row(1), "░░░░░░░░░ "; got != want {
		t.Errorf("a 1 ms wait: %q, want %q", got, want)
	}
}
