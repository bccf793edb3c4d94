package tui

import "github.com/gdamore/tcell/v2"

// focus is what the ladder and the waterfall bring forward while the
// event pane is open: the packet being inspected (every other packet
// dims), or the connection the list shows alone (other connections'
// packets dim, its waterfall rows stand out). The zero focus, with pkt
// -1, brings nothing forward; see noFocus.
type focus struct {
	pkt  int // in ix.packets; -1: none
	conn int // a connection id; 0: none
}

// noFocus dims nothing.
var noFocus = focus{pkt: -1}

// dimTag is the braille tag of a packet drawn dimmed.
const dimTag = -2

// focus is the focus of run ix: the inspected packet, and the
// connection of the list's filter or, failing one, of that packet.
func (s *state) focus(ix *runIndex) focus {
	f := noFocus
	if !s.ev.shown(ix) {
		return f
	}
	f.conn = s.ev.filter.conn
	if s.ev.inspecting(ix) && s.ev.insp.pkt >= 0 {
		f.pkt = s.ev.insp.pkt
		if f.conn == 0 {
			f.conn = ix.packets[f.pkt].conn
		}
	}
	return f
}

// dims reports whether packet i (p) steps back.
func (f focus) dims(i int, p *packet) bool {
	switch {
	case f.pkt >= 0:
		return i != f.pkt
	case f.conn > 0:
		return p.conn != f.conn
	}
	return false
}

// tag is the braille tag packet i is drawn with.
func (f focus) tag(i int, p *packet) int {
	if f.dims(i, p) {
		return dimTag
	}
	return p.conn
}

// tagStyle is the style of a braille tag: a connection's colour, or dim.
func (st *styles) tagStyle(tag int) tcell.Style {
	if tag == dimTag {
		return st.dim
	}
	return st.conn(tag)
}
