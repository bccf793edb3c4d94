package tui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// salient returns the index of the record the explanation line describes
// at t: among the records at the time of the last event at or before t,
// the one that teaches most (a SYN-ACK's arrival rather than the ACK it
// triggers). It returns -1 before the first event.
func (ix *runIndex) salient(t time.Duration) int {
	i := ix.last(t)
	if i < 0 {
		return -1
	}
	at := ix.recs.Time(i)
	first := sort.Search(i+1, func(j int) bool { return ix.recs.Time(j) >= at })
	best := first
	for j := first + 1; j <= i; j++ {
		if weight(ix.rec(j)) > weight(ix.rec(best)) {
			best = j
		}
	}
	return best
}

// weight ranks records for the explanation line.
func weight(r *trace.Record) int {
	switch r.Kind {
	case trace.PageLoaded, trace.PageFailed, trace.PageUnfinished, trace.RunStopped:
		return 100
	case trace.ConnFailed, trace.RequestFailed:
		return 95
	case trace.RequestRetried, trace.Refused:
		return 88
	case trace.PacketDropped:
		return 90
	case trace.Retransmit:
		return 85
	case trace.TLSDone, trace.TLSStarted:
		return 75
	case trace.RequestSent:
		return 70
	case trace.LastByte:
		return 66
	case trace.FirstByte:
		return 65
	case trace.PageStarted:
		return 56
	case trace.ResponseCached:
		return 57 // over the ResourceQueued record just before it: no request is made
	case trace.ResourceQueued:
		return 55
	case trace.IdleTimeout:
		return 62
	case trace.Backlogged:
		return 50
	case trace.Accepted, trace.SlotReleased, trace.OriginConn, trace.ConnHost, trace.DNSStarted, trace.DNSDone:
		return 25
	case trace.ServerBusy, trace.ServerIdle:
		return 12
	case trace.CwndChanged:
		if r.Dir == trace.Down {
			return 50
		}
		return 5
	case trace.StateChanged:
		switch r.State {
		case trace.TimeWait:
			return 62 // over the FIN that caused it: what the socket does next is the lesson
		case trace.Closed:
			return 40
		}
		return 30
	case trace.PacketSent, trace.PacketArrived:
		return packetWeight(r)
	}
	return 1
}

func packetWeight(r *trace.Record) int {
	arrived := r.Kind == trace.PacketArrived
	switch {
	case r.Flags&trace.SYN != 0 && r.Flags&trace.ACK != 0 && arrived:
		return 80 // the end of the handshake's round trip
	case r.Flags&(trace.SYN|trace.FIN|trace.RST) != 0:
		return 60
	case r.Len > 0 && arrived:
		return 44
	case r.Len > 0:
		return 45
	}
	return 20
}

// context returns what Explain needs to know about record i.
func (ix *runIndex) context(i int) ExplainContext {
	r := ix.rec(i)
	ctx := ExplainContext{Protocol: ix.run.Protocol, RTT: ix.rtt, MSS: ix.mss, PrevSsthresh: -1,
		Pages: len(ix.pages), Held: ix.held[i]}
	c := ix.lookup(r.Conn)
	if c != nil {
		ctx.SACK, ctx.Origin, ctx.QUIC = c.sack, c.origin, c.quic
	}
	switch r.Kind {
	case trace.PacketSent, trace.PacketDropped:
		if c != nil {
			ctx.Before = c.stateBefore(r.Dir, i)
			ctx.Resource = c.resourceAt(r.Dir, r.Seq)
		}
	case trace.PacketArrived:
		if c != nil {
			to := trace.Up // the receiving side
			if r.Dir == trace.Up {
				to = trace.Down
			}
			ctx.Before = c.stateBefore(to, i)
			ctx.Resource = c.resourceAt(r.Dir, r.Seq)
		}
	case trace.RequestSent:
		if c != nil {
			ctx.Earlier = sort.SearchInts(c.requests, i)
		}
	case trace.CwndChanged:
		if c != nil {
			series := c.server
			if r.Dir != trace.Down {
				series = c.client
			}
			k := sort.Search(len(series), func(k int) bool { return series[k].rec >= i })
			if k > 0 {
				q := series[k-1]
				ctx.Prev, ctx.PrevSsthresh, ctx.Recovering = q.cwnd, q.ssthresh, q.recovery
			}
			if r.State == trace.CwndSlowStart || r.State == trace.CwndAvoidance {
				ctx.Growth = growthOver(series[:k], r.At-ix.rtt, r.Cwnd)
			}
		}
	case trace.PageLoaded, trace.PageFailed:
		// The page's own facts, gathered once when the run was indexed.
		if f, ok := ix.pageFacts[i]; ok {
			ctx.Since, ctx.NewConns, ctx.Retried = f.took, f.conns, f.retried
		}
	case trace.FirstByte, trace.LastByte:
		if t := ix.timing(r.Resource); t != nil {
			if r.Kind == trace.FirstByte && t.RequestSent >= 0 {
				ctx.Since = r.At - t.RequestSent
			} else if r.Kind == trace.LastByte && t.FirstByte >= 0 {
				ctx.Since = r.At - t.FirstByte
			}
		}
	}
	return ctx
}

// growthOver is cwnd over the window in force at t, from the points of a
// series before the change: how much the window grew in the last round
// trip. It is 0 when the series starts after t (less than a round trip of
// history), when the window shrank at any point since t (a loss or an
// idle restart: no growth to speak of), or when either is unlimited.
func growthOver(series []cwndPoint, t time.Duration, cwnd int) float64 {
	k := sort.Search(len(series), func(k int) bool { return series[k].at > t })
	if k == 0 || cwnd <= 0 || series[k-1].cwnd <= 0 {
		return 0
	}
	for j := k; j < len(series); j++ {
		if series[j].cwnd < series[j-1].cwnd {
			return 0
		}
	}
	return float64(cwnd) / float64(series[k-1].cwnd)
}

// timing returns the DevTools phases of resource n (from 1), or nil.
func (ix *runIndex) timing(n int) *trace.ResourceTiming {
	rs := ix.run.Summary.Resources
	if n < 1 || n > len(rs) {
		return nil
	}
	return &rs[n-1]
}

// explainAt is the explanation line at t: the event at the playhead, or,
// in a quiet stretch longer than the player's idle threshold, what comes
// next, so that a sentence about the last event does not stay up through
// a minute of TIME-WAIT as if it were still happening.
func (ix *runIndex) explainAt(t time.Duration) string {
	i := ix.salient(t)
	if i < 0 {
		return "nothing has happened yet"
	}
	last := ix.recs.Time(i)
	if j := ix.last(t) + 1; j < ix.recs.Len() && t-last > idleRTTs*ix.rtt {
		next := ix.recs.Time(j)
		k := ix.salient(next)
		return fmt.Sprintf("quiet: nothing happens from %s to %s%s; then %s", fmtTime(last), fmtTime(next), ix.heldWhileQuiet(t), Explain(ix.recs.At(k), ix.context(k)))
	}
	return Explain(ix.recs.At(i), ix.context(i))
}

// heldWhileQuiet says what the connections hold during a quiet period
// at t, for the quiet sentence: "; the browser holds 6 idle connections
// (it closes one after 60s idle) and the server 6 (after 5s); 3 sockets
// wait in TIME-WAIT", or "" when nothing is held.
func (ix *runIndex) heldWhileQuiet(t time.Duration) string {
	c, s := ix.costsAt(t), ix.serverAt(t)
	after := func(d time.Duration) string {
		if d <= 0 {
			return ""
		}
		return fmt.Sprintf(" (it closes one after %s idle)", fmtTime(d))
	}
	var held []string
	if idle := c.idle(); idle > 0 {
		held = append(held, fmt.Sprintf("the browser holds %s%s", plural(idle, "idle connection"), after(ix.browserIdle)))
	}
	switch {
	case s.idle > 0 && len(held) == 0:
		held = append(held, fmt.Sprintf("the server holds %s%s", plural(s.idle, "idle connection"), after(ix.serverIdle)))
	case s.idle > 0:
		srv := fmt.Sprintf(" and the server %d", s.idle)
		if ix.serverIdle > 0 {
			srv += fmt.Sprintf(" (after %s)", fmtTime(ix.serverIdle))
		}
		held[0] += srv
	}
	if w := c.timeWait(); w > 0 {
		verb := "wait"
		if w == 1 {
			verb = "waits"
		}
		held = append(held, fmt.Sprintf("%s %s in TIME-WAIT", plural(w, "socket"), verb))
	}
	if len(held) == 0 {
		return ""
	}
	return "; " + strings.Join(held, "; ")
}

// tally is the running counters at a moment.
type tally struct {
	opened, origin, handshakes, tls, done, resources int
	quic                                             int // handshakes that were QUIC's
	dns                                              int // DNS lookups answered
	rtts                                             float64
}

// originNote is " (+N to the origin)" when a proxy opened connections,
// else "": the browsers' connections and the proxy's are counted apart,
// as "keepalive run" reports them.
func (t tally) originNote() string {
	if t.origin == 0 {
		return ""
	}
	return fmt.Sprintf(" (+%d to the origin)", t.origin)
}

// tallyAt counts what has happened up to t.
func (ix *runIndex) tallyAt(t time.Duration) tally {
	return tally{
		opened:     upTo(ix.count.opened, t),
		origin:     upTo(ix.count.origin, t),
		handshakes: upTo(ix.count.established, t),
		quic:       upTo(ix.count.quic, t),
		tls:        upTo(ix.count.tls, t),
		done:       upTo(ix.count.done, t),
		dns:        upTo(ix.count.dns, t),
		resources:  len(ix.run.Summary.Resources),
		rtts:       float64(ix.loadingUpTo(t)) / float64(ix.rtt), // time spent loading, not reading
	}
}
