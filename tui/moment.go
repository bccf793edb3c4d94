package tui

import (
	"sort"
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
	at := ix.recs[i].At
	first := sort.Search(i+1, func(j int) bool { return ix.recs[j].At >= at })
	best := first
	for j := first + 1; j <= i; j++ {
		if weight(&ix.recs[j]) > weight(&ix.recs[best]) {
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
	case trace.ResourceQueued, trace.ResponseCached:
		return 55
	case trace.IdleTimeout:
		return 62
	case trace.Backlogged:
		return 50
	case trace.Accepted, trace.SlotReleased, trace.OriginConn:
		return 25
	case trace.ServerBusy, trace.ServerIdle:
		return 12
	case trace.CwndChanged:
		if r.Dir == trace.Down {
			return 50
		}
		return 5
	case trace.StateChanged:
		if r.State == "TIME-WAIT" || r.State == "CLOSED" {
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
	r := &ix.recs[i]
	ctx := ExplainContext{Protocol: ix.run.Protocol, RTT: ix.rtt, MSS: ix.mss, PrevSsthresh: -1}
	c := ix.lookup(r.Conn)
	switch r.Kind {
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

// timing returns the DevTools phases of resource n (from 1), or nil.
func (ix *runIndex) timing(n int) *trace.ResourceTiming {
	rs := ix.run.Summary.Resources
	if n < 1 || n > len(rs) {
		return nil
	}
	return &rs[n-1]
}

// explainAt is the explanation line at t.
func (ix *runIndex) explainAt(t time.Duration) string {
	i := ix.salient(t)
	if i < 0 {
		return "nothing has happened yet"
	}
	return Explain(ix.recs[i], ix.context(i))
}

// tally is the running counters at a moment.
type tally struct {
	opened, handshakes, tls, done, resources int
	rtts                                     float64
}

// tallyAt counts what has happened up to t.
func (ix *runIndex) tallyAt(t time.Duration) tally {
	return tally{
		opened:     upTo(ix.count.opened, t),
		handshakes: upTo(ix.count.established, t),
		tls:        upTo(ix.count.tls, t),
		done:       upTo(ix.count.done, t),
		resources:  len(ix.run.Summary.Resources),
		rtts:       float64(ix.loadingUpTo(t)) / float64(ix.rtt), // time spent loading, not reading
	}
}
