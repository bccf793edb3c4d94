package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// costPoint is what the connections hold after a change: the browsers'
// connections open now (client side connecting, established or closed
// by the server but not yet by the browser) and how many of them are
// busy: connecting, or with a request outstanding; and the sockets in TIME-WAIT on each side, as the
// shared trace.Index counts them (the report's time_wait columns count
// the same way).
type costPoint struct {
	at                 time.Duration
	open, busy         int
	waitClient, waitSv int
}

// costState follows the records that change a costPoint while a run is
// indexed. Connections a proxy opened to the origin are left out of the
// open and busy counts: they are the proxy's, not a browser's.
type costState struct {
	now    costPoint
	state  map[int]trace.State // conn → its client side's state
	wanted map[int]int         // conn → requests sent and not yet answered
	points []costPoint
}

// clientOpen reports whether a client socket in state s holds an open
// connection: from its SYN (a QUIC connection's first Initial) until the
// browser closes it.
func clientOpen(s trace.State) bool {
	switch s {
	case trace.SynSent, trace.Established, trace.CloseWait, trace.QUICHandshake, trace.QUICOpen:
		return true
	}
	return false
}

// add follows r; origin says whether its connection is a proxy's to the
// origin, shared the index after r.
func (c *costState) add(r *trace.Record, origin bool, shared *trace.Index) {
	if c.state == nil {
		c.state, c.wanted = map[int]trace.State{}, map[int]int{}
	}
	busy := func() bool {
		s := c.state[r.Conn]
		return s == trace.SynSent || s == trace.QUICHandshake || clientOpen(s) && c.wanted[r.Conn] > 0
	}
	before := busy()
	switch r.Kind {
	case trace.StateChanged:
		c.now.waitClient, c.now.waitSv = shared.TimeWait(trace.Up), shared.TimeWait(trace.Down)
		if r.Dir == trace.Up && !origin {
			was, is := clientOpen(c.state[r.Conn]), clientOpen(r.State)
			switch {
			case is && !was:
				c.now.open++
			case was && !is:
				c.now.open--
			}
			c.state[r.Conn] = r.State
		}
	case trace.RequestSent:
		if !origin {
			c.wanted[r.Conn]++
		}
	case trace.LastByte, trace.RequestRetried, trace.RequestFailed:
		if !origin && c.wanted[r.Conn] > 0 {
			c.wanted[r.Conn]--
		}
	default:
		return
	}
	switch after := busy(); {
	case after && !before:
		c.now.busy++
	case before && !after:
		c.now.busy--
	}
	c.now.at = r.At
	c.points = appendPoint(c.points, c.now)
}

func (p costPoint) when() time.Duration { return p.at }

// idle is how many of the browsers' open connections have nothing to
// do; timeWait how many sockets, either side, are in TIME-WAIT.
func (p costPoint) idle() int     { return p.open - p.busy }
func (p costPoint) timeWait() int { return p.waitSv + p.waitClient }

// costsAt returns what the connections held at t.
func (ix *runIndex) costsAt(t time.Duration) costPoint { return pointAt(ix.costs.points, t) }

// costLine is the status line's "now" row: what keep-alive costs at the
// playhead, e.g. "now: browser 6 open (2 busy, 4 idle) · server 6 (1
// busy, 5 idle) · TIME-WAIT: 3 server side". Sides with nothing in
// TIME-WAIT are left out, so that the row fits 80 columns. On a page of
// several hosts the slots are their servers' together: "server slots 6"
// (not "servers 6", which reads as six servers).
func costLine(ix *runIndex, at time.Duration) string {
	c, s := ix.costsAt(at), ix.serverAt(at)
	line := "now: no browser connection open"
	if c.open > 0 {
		line = fmt.Sprintf("now: browser %d open (%d busy, %d idle)", c.open, c.busy, c.idle())
	}
	if s.busy+s.idle > 0 {
		server := "server"
		if ix.lanes.star && len(ix.lanes.names) > 2 {
			server = "server slots"
		}
		line += fmt.Sprintf(" · %s %d (%d busy, %d idle)", server, s.busy+s.idle, s.busy, s.idle)
	}
	var waits []string
	if c.waitSv > 0 {
		waits = append(waits, fmt.Sprintf("%d server side", c.waitSv))
	}
	if c.waitClient > 0 {
		waits = append(waits, fmt.Sprintf("%d client side", c.waitClient))
	}
	if len(waits) > 0 {
		line += " · TIME-WAIT: " + strings.Join(waits, ", ")
	}
	return line
}
