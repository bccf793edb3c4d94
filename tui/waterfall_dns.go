package tui

import (
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// dnsLookup is one lookup of a host's name, from its DNSStarted record
// to its DNSDone (-1 while it has none), and the resource whose
// waterfall row draws it: the first queued of those on that host that
// waited for the answer (queued before it came, requested after), -1
// when none did.
type dnsLookup struct {
	host        string
	start, done time.Duration
	res         int // index in the run's Summary.Resources, or -1
}

// addLookup follows a DNSStarted or DNSDone record: a host's answer ends
// its oldest lookup still waiting.
func (ix *runIndex) addLookup(r *trace.Record) {
	if r.Kind == trace.DNSStarted {
		ix.dns = append(ix.dns, dnsLookup{host: r.Label, start: r.At, done: -1, res: -1})
		return
	}
	for k := range ix.dns {
		if l := &ix.dns[k]; l.host == r.Label && l.done < 0 {
			l.done = r.At
			return
		}
	}
}

// placeLookups gives each lookup its row, once the connections know
// their hosts.
func (ix *runIndex) placeLookups() {
	res := ix.run.Summary.Resources
	for k := range ix.dns {
		l := &ix.dns[k]
		end := l.done
		if end < 0 {
			end = ix.span // never answered: every later request waited
		}
		for i := range res {
			t := &res[i]
			sent := t.RequestSent
			if t.ConnectStart >= 0 {
				sent = t.ConnectStart
			}
			if !ix.onHost(t, l.host) || t.Queued < 0 || t.Queued > end || (sent >= 0 && sent < end) || t.Cached {
				continue
			}
			if l.res < 0 || t.Queued < res[l.res].Queued {
				l.res = i
			}
		}
	}
}

// resourceHost is the host resource t was fetched from, as its
// connection's ConnHost record names it; "" on a page of one host, or
// before it had a connection.
func (ix *runIndex) resourceHost(t *trace.ResourceTiming) string {
	if c := ix.lookup(t.Conn); c != nil && t.Conn > 0 {
		return c.host
	}
	return ""
}

// onHost reports whether resource t came from host: its connection's
// host, or on a page of one host (no ConnHost records), any.
func (ix *runIndex) onHost(t *trace.ResourceTiming, host string) bool {
	if h := ix.resourceHost(t); h != "" || ix.lanes.star {
		return h == host
	}
	return true
}

// lookupOf is the lookup drawn on the row of resource i, or nil.
func (ix *runIndex) lookupOf(i int) *dnsLookup {
	for k := range ix.dns {
		if ix.dns[k].res == i {
			return &ix.dns[k]
		}
	}
	return nil
}

// drawsLookups reports whether any row of the waterfall draws a lookup,
// for its legend.
func (ix *runIndex) drawsLookups() bool {
	for k := range ix.dns {
		if ix.dns[k].res >= 0 {
			return true
		}
	}
	return false
}

// withLookup is segs, a row's phases up to at, with lookup l (its times
// less shift, the zoomed page's start) after the queued phase it is part
// of, so that it is drawn over that phase and under the connect after.
func withLookup(segs []segment, l *dnsLookup, shift, at time.Duration) []segment {
	if l == nil {
		return segs
	}
	from, to := max(l.start-shift, 0), l.done
	if to >= 0 {
		to = max(to-shift, 0)
	}
	if from > at {
		return segs
	}
	if to < 0 || to > at {
		to = at
	}
	k := 0
	if len(segs) > 0 && segs[0].p == phaseQueued {
		k = 1
	}
	return append(segs[:k:k], append([]segment{{phaseDNS, from, to}}, segs[k:]...)...)
}
