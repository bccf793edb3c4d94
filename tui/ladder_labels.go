package tui

import (
	"strconv"
	"strings"
	"time"
)

// ladderLabels writes each row's packet label beside its sender in the
// lane of one hop: client packets from the left, server packets from the
// right; the inspected packet's stands out, those fo dims are dim. A row
// with more packets than its label names says "+N"; expanded, it names
// them all, as far as there is room. With wide, the server's labels may
// take the whole lane, since no client's are beside them (a host's lane
// on a star, but the first's).
func ladderLabels(lane canvas, ix *runIndex, labels [2][]ladderLabel, fo focus, expand, wide bool, st *styles) {
	many := len(ix.conns) > 1
	for side, rows := range labels {
		room := lane.w/2 - 2
		if wide && side == 1 {
			room = lane.w - 2
		}
		for y, l := range rows {
			if l.pkt < 0 {
				continue
			}
			p := &ix.packets[l.pkt]
			var s string
			if expand && len(l.all) > 1 {
				s = rowText(ix, l.all, room-2, many)
			} else {
				s = packetText(ix, l.pkt, many)
				if l.more > 0 {
					s += " +" + strconv.Itoa(l.more)
				}
			}
			s = " " + truncate(s, room-2) + " "
			style := st.conn(p.conn).Bold(true)
			switch {
			case l.pkt == fo.pkt:
				style = st.selected
			case fo.dims(l.pkt, p):
				style = st.dim
			}
			if side == 0 {
				lane.print(1, y, s, style)
			} else {
				lane.printRight(lane.w-1, y, s, style)
			}
		}
	}
}

// packetText is packet i's label: what it carries, with its connection
// when the run has several.
func packetText(ix *runIndex, i int, many bool) string {
	p := &ix.packets[i]
	r := ix.rec(p.rec)
	s := r.Describe()
	if r.Retx {
		s += " (retx)"
	}
	if many {
		s = "c" + strconv.Itoa(p.conn) + " " + s
	}
	return s
}

// labelGroup is packets of one connection a row's expanded label names
// together: n of one description, or n data segments in a row of the
// stream, from seq to end (exclusive).
type labelGroup struct {
	conn, n  int
	text     string
	data     bool
	seq, end int64
}

// rowText names the packets pkts of one row and side, in the order they
// were sent, in at most w cells: each description once with a count
// ("ACK ×3"), the unlabelled data segments that follow one another in a
// stream as one range ("DATA 1449–14480 ×9"), the connection before each
// change of it when the run has several; "+N" ends it when N packets did
// not fit.
func rowText(ix *runIndex, pkts []int, w int, many bool) string {
	var groups []labelGroup
	for _, i := range pkts {
		p := &ix.packets[i]
		r := ix.rec(p.rec)
		data := r.Label == "" && r.Len > 0 && !r.Retx
		if n := len(groups); n > 0 {
			g := &groups[n-1]
			switch {
			case g.conn == p.conn && data && g.data && r.Seq == g.end:
				g.n, g.end = g.n+1, r.Seq+int64(r.Len)
				continue
			case g.conn == p.conn && !data && !g.data && g.text == packetText(ix, i, false):
				g.n++
				continue
			}
		}
		groups = append(groups, labelGroup{conn: p.conn, n: 1, text: packetText(ix, i, false), data: data, seq: r.Seq, end: r.Seq + int64(r.Len)})
	}
	var b strings.Builder
	left := len(pkts)
	for k, g := range groups {
		s := g.text
		if g.data {
			s = "DATA " + strconv.FormatInt(g.seq, 10) + "–" + strconv.FormatInt(g.end-1, 10)
		}
		if g.n > 1 {
			s += " ×" + strconv.Itoa(g.n)
		}
		if many && (k == 0 || groups[k-1].conn != g.conn) {
			s = "c" + strconv.Itoa(g.conn) + " " + s
		}
		if k > 0 {
			s = ", " + s
		}
		rest := ""
		if left-g.n > 0 {
			rest = " +" + strconv.Itoa(left-g.n)
		}
		if k > 0 && width(b.String())+width(s)+width(rest) > w {
			break
		}
		b.WriteString(s)
		left -= g.n
	}
	if left > 0 {
		return truncate(b.String(), w-width(" +"+strconv.Itoa(left))) + " +" + strconv.Itoa(left)
	}
	return b.String()
}

// connGlyph is the character connection id's arrows carry when there is
// no colour to tell connections apart: 1–9, then a–z, then A–Z, then
// round again.
func connGlyph(id int) rune {
	const glyphs = "123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	if id <= 0 {
		return '?'
	}
	return rune(glyphs[(id-1)%len(glyphs)])
}

// ladderIdle marks each idle stretch the whole-run ladder collapsed into
// one row: the lanes broken, and how long nothing was on the wire; and
// each row of folded rounds: how many, from when to when.
func ladderIdle(body canvas, g ladderGeom, playY int, st *styles) {
	for y := 0; y < g.h; y++ {
		k := g.rows.spanOfRow(g.top + y)
		if k < 0 {
			break
		}
		s := g.rows.spans[k]
		if s.per != 0 {
			continue
		}
		style := st.dim
		if y == playY {
			style = st.playhead
		}
		first, last := g.lanes[0], g.lanes[len(g.lanes)-1]
		fill, lane, text := '┈', '┊', " "+idleText(s.to-s.from)+" "
		if s.fold > 0 {
			fill, lane, text = '╌', '╎', " "+foldText(s.fold, s.from, s.to)+" "
		}
		for x := first; x <= last; x++ {
			r := fill
			if isLane(g.lanes, x) {
				r = lane
			}
			body.set(x, y, r, style)
		}
		body.print(first+(last-first-width(text))/2, y, text, style)
	}
}

// idleText says how long an idle stretch lasted: "44.6 s idle", "450 ms
// idle".
func idleText(d time.Duration) string {
	if d >= time.Second {
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s idle"
	}
	return strconv.FormatInt(d.Round(time.Millisecond).Milliseconds(), 10) + " ms idle"
}
