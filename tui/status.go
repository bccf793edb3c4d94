package tui

import (
	"fmt"
	"github.com/keepalive-sim/keepalive/model/trace"
	"strconv"
	"strings"
	"time"
)

// statusRows is how many rows drawStatus takes: two of explanation, one
// of counters so far, one of what the connections hold now.
const statusRows = 4

// drawStatus writes the explanation of the event at the playhead (or the
// selected resource's timings, or a message) on two rows, then the
// running counters and what the connections hold at the playhead.
func drawStatus(c canvas, s *state) {
	st := s.st
	ix := s.run()
	var text string
	style := st.explain
	first := "▸ "
	switch {
	case s.prompt != nil:
		text, style = s.prompt.promptText(), st.key
	case s.message != "":
		text, style = s.message, st.warn
	case ix == nil:
		text = "this lesson has no runs"
	case s.view == viewWaterfall && !s.conns && s.sel >= 0:
		text = resourceDetails(ix, s.sel)
	default:
		text = ix.explainAt(s.at())
		if k := ix.momentAt(s.at(), s.moment); k >= 0 {
			// A key moment: the lesson's sentence first, then what the
			// record itself is, in the explanation's words and numbers.
			m := &ix.moments[k]
			text = strconv.Itoa(k+1) + "/" + strconv.Itoa(len(ix.moments)) + " " + m.text + " · " + Explain(ix.recs.At(m.rec), ix.context(m.rec))
			first, style = "◆ ", st.explain.Bold(true)
		}
		if s.view == viewCompare {
			text = ix.run.Protocol.String() + ": " + text
		}
	}
	lines := wrap(text, c.w-2)
	if len(lines) > 2 {
		lines = []string{lines[0], truncate(strings.Join(lines[1:], " "), c.w-2)}
	}
	for i, l := range lines {
		prefix := first
		if i > 0 {
			prefix = "  "
		}
		c.print(0, i, prefix+l, style)
	}
	if ix == nil {
		return
	}
	c.print(2, 2, truncate(counterLine(ix, s.at(), s.lesson.ServerSlots), c.w-2), st.dim)
	c.print(2, 3, truncate(costLine(ix, s.at()), c.w-2), st.dim)
}

// counterLine is the running counters at t, each saying what it counts:
// connections are every client's, resources and round trips the first
// client's (its pages, not the time it spent reading them). A run that
// looks names up counts its DNS lookups beside the handshakes, its
// connections then "conns" to make room at 100 columns.
func counterLine(ix *runIndex, at time.Duration, slots int) string {
	t := ix.tallyAt(at)
	conns := fmt.Sprintf("%s opened%s · %s · %d TLS", plural(t.opened, "connection"), t.originNote(), plural(t.handshakes, "handshake"), t.tls)
	lookups := len(ix.count.dns) > 0
	if lookups {
		conns = fmt.Sprintf("%s%s · %s · %d TLS · %s", plural(t.opened, "conn"), t.originNote(), plural(t.handshakes, "handshake"), t.tls, plural(t.dns, "DNS lookup"))
	}
	if ix.run.Protocol == trace.HTTP3 {
		// QUIC's handshake is TLS's: one per connection, not two. With
		// quic.discovery alt-svc the first connection is TCP and TLS 1.3.
		conns = fmt.Sprintf("%s opened%s · %s (TLS 1.3 inside)", plural(t.opened, "connection"), t.originNote(), plural(t.quic, "QUIC handshake"))
		if tcp := t.handshakes - t.quic; tcp > 0 {
			conns = fmt.Sprintf("%s opened%s · %s + TLS · %s (TLS 1.3 inside)", plural(t.opened, "conn"), t.originNote(), plural(tcp, "TCP handshake"), plural(t.quic, "QUIC handshake"))
		}
		if lookups {
			conns += " · " + plural(t.dns, "DNS lookup")
		}
	}
	mine := fmt.Sprintf("%d/%d resources done · %.1f RTTs loading", t.done, t.resources, t.rtts)
	p := ix.serverAt(at)
	cpu := p.cores > 0 || p.queued > 0 // the server's processor is at work at the playhead
	if slots > 0 {
		// A server with a slot limit: the gauge matters more than the
		// counters, which shrink to fit beside it.
		conns = fmt.Sprintf("%d conns · %d TLS", t.opened, t.tls)
		if lookups {
			conns += " · " + plural(t.dns, "DNS lookup")
		}
		mine = fmt.Sprintf("%d/%d resources", t.done, t.resources)
	}
	line := "so far: " + conns + " · " + mine
	switch {
	case ix.clients > 1 && (slots > 0 || ix.server.work):
		// Many clients at a server whose gauge is shown: the server is
		// the lesson, and its gauge needs the width (100 columns).
		line = fmt.Sprintf("%d clients, %d conns", ix.clients, t.opened)
	case ix.clients > 1:
		line = fmt.Sprintf("so far, all %d clients: %s │ client 1: %s", ix.clients, conns, mine)
	}
	// The server's gauges: its slots, its cores while they work (how
	// many are busy, how much work waits), and after the first of them
	// the memory it holds; with many clients at a working server, the
	// memory alone while the cores rest.
	var gauges []string
	if slots > 0 {
		gauges = append(gauges, gaugeText(p, slots))
	}
	if cpu {
		gauges = append(gauges, cpuText(p))
	}
	switch {
	case len(gauges) > 0:
		gauges[0] += memSuffix(p)
	case ix.clients > 1 && ix.server.work && p.mem > 0:
		gauges = append(gauges, "server mem "+memText(p.mem))
	}
	for _, g := range gauges {
		line += " │ " + g
	}
	return line
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// keyHints are the key bar's entries, most useful first.
func keyHints() [][2]string {
	return [][2]string{
		{"Space", "play"}, {"n N", "moment"}, {"←→", "step"}, {"+−", "speed"}, {"Tab", "view"}, {"p", "protocol"},
		{"e", "edit"}, {"g", "go to"}, {"c", "conns"}, {"z", "zoom"}, {"s", "scenario"},
	}
}

// drawKeys writes as many key hints as fit, always ending with help ("?
// more" when some did not fit) and quit.
func drawKeys(c canvas, s *state) {
	st := s.st
	tail := [][2]string{{"?", "help"}, {"q", "quit"}}
	cells := func(h [2]string) int { return width(h[0]) + 1 + width(h[1]) + 2 }
	room := c.w
	for _, h := range tail {
		room -= cells(h)
	}
	x := 0
	put := func(h [2]string) {
		x = c.print(x, 0, h[0], st.key)
		x = c.print(x, 0, " "+h[1]+"  ", st.dim)
	}
	hints := keyHints()
	fit := 0
	for w := 0; fit < len(hints) && w+cells(hints[fit]) <= room; fit++ {
		w += cells(hints[fit])
	}
	if fit < len(hints) {
		tail[0][1] = "more" // the help lists the keys left out
	}
	for _, h := range hints[:fit] {
		put(h)
	}
	for _, h := range tail {
		put(h)
	}
}
