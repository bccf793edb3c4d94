package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// serverPoint is the web server's worker slots after a change: how many
// connections hold a slot while answering (busy) or while waiting for a
// next request (idle), how many wait in the accept backlog, and how many
// SYNs it has refused so far; and its processor: how many work items
// hold a core (cores) and how many wait for one (queued).
type serverPoint struct {
	at                          time.Duration
	busy, idle, backlog, refuse int
	cores, queued               int
	// mem is the bytes the server holds for its connections (the last
	// ServerMemory record's total).
	mem int
}

// serverState follows the server's slot records while a run is indexed.
// Connections a proxy opened to the origin are left out: the gauge is
// about the server the browsers talk to.
type serverState struct {
	now    serverPoint
	status map[int]byte // conn → 'b' busy, 'i' idle, 'w' waiting in the backlog
	points []serverPoint
	// work is set once the server has had processor work: a run with
	// many clients then keeps the short counters throughout, so that the
	// status line does not change shape as the cores come and go.
	work bool
}

// add follows r; origin says whether its connection is one a proxy opened
// to the origin (trace.Conn.Origin, as the shared index knows it so far).
func (s *serverState) add(r *trace.Record, origin bool) {
	if s.status == nil {
		s.status = map[int]byte{}
	}
	if origin {
		return
	}
	set := func(to byte) {
		switch s.status[r.Conn] {
		case 'b':
			s.now.busy--
		case 'i':
			s.now.idle--
		case 'w':
			s.now.backlog--
		}
		switch to {
		case 'b':
			s.now.busy++
		case 'i':
			s.now.idle++
		case 'w':
			s.now.backlog++
		}
		if to == 0 {
			delete(s.status, r.Conn)
		} else {
			s.status[r.Conn] = to
		}
	}
	switch r.Kind {
	case trace.Backlogged:
		set('w')
	case trace.Accepted, trace.ServerIdle:
		set('i')
	case trace.ServerBusy:
		set('b')
	case trace.SlotReleased:
		set(0)
	case trace.Refused:
		s.now.refuse++
	case trace.CPUQueued:
		s.now.queued++
		s.work = true
	case trace.CPUStarted:
		s.now.queued--
		s.now.cores++
	case trace.CPUDone:
		s.now.cores--
	case trace.ServerMemory:
		s.now.mem = r.Len
	default:
		return
	}
	s.now.at = r.At
	s.points = appendPoint(s.points, s.now)
}

func (p serverPoint) when() time.Duration { return p.at }

// serverAt returns the server's slots as they were at t.
func (ix *runIndex) serverAt(t time.Duration) serverPoint { return pointAt(ix.server.points, t) }

// gaugeText draws the server's slots at t, e.g. "server ████▒▒·· 4 busy ·
// 2 idle · 2 free · backlog 3 · 1 refused"; slots is the server's limit (0:
// none, and then no bar and no free count).
func gaugeText(p serverPoint, slots int) string {
	var b strings.Builder
	b.WriteString("server ")
	if slots > 0 {
		const cells = 8
		n := min(slots, cells)
		scale := func(v int) int { return (v*n + slots - 1) / slots }
		busy := min(scale(p.busy), n)
		idle := min(scale(p.idle), n-busy)
		b.WriteString(strings.Repeat("█", busy) + strings.Repeat("▒", idle) + strings.Repeat("·", n-busy-idle) + " ")
	}
	fmt.Fprintf(&b, "%d busy · %d idle", p.busy, p.idle)
	if slots > 0 {
		fmt.Fprintf(&b, " · %d free", max(slots-p.busy-p.idle, 0))
	}
	fmt.Fprintf(&b, " · backlog %d", p.backlog)
	if p.refuse > 0 {
		fmt.Fprintf(&b, " · %d refused", p.refuse)
	}
	return b.String()
}

// memSuffix is " · mem 1.3 MiB", the memory the server holds at a point,
// or "" before any: the status line puts it after the server's first
// gauge.
func memSuffix(p serverPoint) string {
	if p.mem <= 0 {
		return ""
	}
	return " · mem " + memText(p.mem)
}

// memText is a byte count as the gauge shows it: "256 B", "37.6 KiB",
// "1.3 MiB".
func memText(n int) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
}

// cpuText draws the server's processor at a point: "server cpu: 1 core
// busy · 3 waiting", the cores taken by work items and the items queued
// for one.
func cpuText(p serverPoint) string {
	core := "cores"
	if p.cores == 1 {
		core = "core"
	}
	return fmt.Sprintf("server cpu: %d %s busy · %d waiting", p.cores, core, p.queued)
}
