package tui

import (
	"sort"
	"strconv"
	"strings"
	"time"
)

// drawConnections draws the connection view, WebPageTest style: one row
// per TCP connection opened by at, from its SYN to its last packet, with its handshake,
// TLS, and each response it carried (waiting, then download, the
// resource's number where its request left), up to at; on a page of
// several hosts, the host each goes to. The row of connection conn (0:
// none), the one the event list is about, stands out.
func drawConnections(c canvas, ix *runIndex, at time.Duration, conn int, st *styles) {
	opened := sort.Search(len(ix.conns), func(i int) bool { return ix.conns[i].open > at })
	l := layoutWaterfallHosts(c.w, c.h, opened, -1, ix.span, ix.lanes.star)
	if l.axis.w < 10 || c.h < 3 {
		c.print(0, 0, "window too small for the connections", st.dim)
		return
	}
	c.print(0, 0, "connection", st.dim)
	if l.hostW > 0 {
		c.print(l.nameW, 0, "host", st.dim)
	}
	drawTicksAround(c, 0, l.axis, 8, l.axis.col(at), st)
	shown := 0
	for y := 1; y <= l.rows; y++ {
		i := l.resourceAt(y, opened)
		if i < 0 {
			break
		}
		shown++
		drawConnRow(c, y, l, ix, &ix.conns[i], at, ix.conns[i].id == conn, st)
	}
	drawPlayhead(c, l.axis, at, 0, 1, 1+shown, st)
	x := drawLegend(c, c.h-1, []phase{phaseIdle, phaseConnect, phaseTLS, phaseWaiting, phaseDownload}, st, connViewItems(ix, st)...)
	if hidden := opened - l.offset - l.rows; hidden > 0 {
		c.print(x+2, c.h-1, "↓ "+strconv.Itoa(hidden)+" more", st.dim)
	}
}

func drawConnRow(c canvas, y int, l waterfallLayout, ix *runIndex, k *connIndex, at time.Duration, hi bool, st *styles) {
	var carried []string
	for _, n := range k.resources {
		if t := ix.timing(n); t != nil && t.RequestSent >= 0 && t.RequestSent <= at {
			carried = append(carried, "#"+strconv.Itoa(n))
		}
	}
	name := st.conn(k.id).Bold(true)
	if hi {
		name = st.selected
	}
	x := c.print(0, y, "c"+strconv.Itoa(k.id), name)
	end := l.barX // where the resources it carried must end
	if l.hostW > 0 {
		end = l.nameW
		c.print(l.nameW, y, laneName(k.host, l.hostW-1), st.base)
	}
	c.print(x+1, y, truncate(strings.Join(carried, " "), end-x-2), st.base)

	last := k.lastPacket
	if !k.fin {
		last = max(last, ix.span) // never closed: open to the end of the page load
	}
	segs := []segment{
		{phaseIdle, k.open, min(last, at)},
		{phaseConnect, k.open, clampEnd(k.established, at)},
	}
	if k.tlsStart >= 0 && k.tlsStart <= at {
		segs = append(segs, segment{phaseTLS, k.tlsStart, clampEnd(k.tlsEnd, at)})
	}
	type mark struct {
		x int
		r rune
	}
	var marks []mark
	for _, n := range k.resources {
		t := ix.timing(n)
		if t == nil || t.RequestSent < 0 || t.RequestSent > at {
			continue
		}
		segs = append(segs, segment{phaseWaiting, t.RequestSent, clampEnd(t.FirstByte, at)})
		if t.FirstByte >= 0 && t.FirstByte <= at {
			segs = append(segs, segment{phaseDownload, t.FirstByte, clampEnd(t.LastByte, at)})
		}
		if n < 10 {
			marks = append(marks, mark{l.axis.col(t.RequestSent), rune('0' + n)})
		}
	}
	drawSegments(c, y, l.axis, segs, st)
	for _, m := range marks {
		c.set(m.x, y, m.r, st.bold)
	}
	if !k.fin && at >= ix.span {
		c.set(l.axis.x+l.axis.w, y, '▸', st.dim) // still open when the page had loaded
	}
}

// clampEnd is end if it has happened by at, else at.
func clampEnd(end, at time.Duration) time.Duration {
	if end < 0 || end > at {
		return at
	}
	return end
}
