package tui

import (
	"strings"
	"time"

	"github.com/gdamore/tcell/v2"
)

// eventsState is the view state of the event list and the packet
// inspector. What it points at belongs to the run it was set on: after
// a switch of protocol or lesson it is ignored (see live), so nothing
// else has to reset it.
type eventsState struct {
	open   bool // the list is shown
	filter eventFilter
	// cur is the record under the list's cursor, in run curIx; the
	// cursor follows the playhead when the playhead leaves cur's time.
	cur    int
	curIx  *runIndex
	typing bool   // the search prompt has the keys
	query  string // the search text
	insp   *inspection
	cache  rowCache
}

// shown reports whether the bottom pane is on screen: the list, or an
// inspection of the run shown.
func (e *eventsState) shown(ix *runIndex) bool {
	return e.open || e.inspecting(ix)
}

// inspecting reports whether a record of ix is being inspected.
func (e *eventsState) inspecting(ix *runIndex) bool {
	return e.insp != nil && e.insp.ix == ix
}

// rows are the list's rows for ix under the current filter.
func (s *state) rows(ix *runIndex) rowSet { return s.ev.cache.rowsOf(ix, s.ev.filter) }

// cursor is the row under the list's cursor: cur while the playhead is
// at its time, else the last row at or before the playhead; -1 before
// the first.
func (s *state) cursor(ix *runIndex) int {
	rows := s.rows(ix)
	e := &s.ev
	if e.curIx == ix && e.cur < ix.recs.Len() && ix.recs.Time(e.cur) == s.at() {
		if k := rows.before(e.cur); k >= 0 && rows.rec(k) == e.cur {
			return k
		}
	}
	return rows.before(ix.last(s.at()))
}

// eventKey handles the keys of the event list, its search prompt and
// the inspector. ok is false for a key they leave to the other views.
func (s *state) eventKey(ev *tcell.EventKey) (a action, ok bool) {
	e := &s.ev
	ix := s.run()
	if ix == nil {
		return ignored, false
	}
	if e.typing {
		s.searchKey(ev, ix)
		return handled, true
	}
	switch {
	case ev.Key() == tcell.KeyRune && ev.Rune() == 'l':
		e.open = !e.open
		if !e.open {
			e.insp = nil
		}
		return handled, true
	case ev.Key() == tcell.KeyEnter && (e.open || s.view == viewLadder):
		s.inspectHere(ix)
		return handled, true
	case ev.Key() == tcell.KeyEscape && e.inspecting(ix):
		e.insp = nil
		return handled, true
	case !e.shown(ix):
		return ignored, false
	}
	switch ev.Key() {
	case tcell.KeyUp:
		s.moveCursor(ix, -1)
	case tcell.KeyDown:
		s.moveCursor(ix, 1)
	case tcell.KeyPgUp:
		s.moveCursor(ix, -10)
	case tcell.KeyPgDn:
		s.moveCursor(ix, 10)
	case tcell.KeyRune:
		if !e.open {
			return ignored, false
		}
		switch ev.Rune() {
		case '/':
			e.typing, e.query = true, ""
		case 'f':
			s.filterConn(ix)
		case 'L':
			e.filter.layer = (e.filter.layer + 1) % numLayers
		case 'm':
			e.filter.moments = !e.filter.moments
			if e.filter.moments && s.rows(ix).len() == 0 {
				s.message = "this run has no key moments: the list is empty (m again: every event)"
			}
		default:
			return ignored, false
		}
	default:
		return ignored, false
	}
	return handled, true
}

// moveCursor moves the list's cursor by d rows and the playhead to its
// record, paused; an open inspection follows it.
func (s *state) moveCursor(ix *runIndex, d int) {
	rows := s.rows(ix)
	if rows.len() == 0 {
		return
	}
	k := min(max(s.cursor(ix)+d, 0), rows.len()-1)
	s.setCursor(ix, rows.rec(k))
}

// setCursor puts the cursor and the playhead on record i.
func (s *state) setCursor(ix *runIndex, i int) {
	s.ev.cur, s.ev.curIx = i, ix
	s.player.SetPaused(true)
	s.player.Seek(ix.recs.Time(i))
	if s.ev.inspecting(ix) {
		s.ev.insp = ix.inspect(i)
	}
}

// inspectHere inspects the record under the list's cursor or, with the
// list closed, the packet at the playhead on the ladder.
func (s *state) inspectHere(ix *runIndex) {
	i := -1
	if s.ev.open {
		if k := s.cursor(ix); k >= 0 {
			i = s.rows(ix).rec(k)
		}
	} else {
		i = ix.packetAt(s.at())
	}
	if i < 0 {
		s.message = "nothing to inspect here yet"
		return
	}
	s.ev.insp = ix.inspect(i)
}

// packetAt is the packet record the ladder's playhead is on: the one the
// explanation line describes if it is a packet, else the last packet
// record at or before t; -1 if none.
func (ix *runIndex) packetAt(t time.Duration) int {
	at := ix.last(t)
	if at < 0 {
		return -1
	}
	if i := ix.salient(ix.recs.Time(at)); i >= 0 && isPacket(ix.rec(i)) {
		return i
	}
	for i := at; i >= 0; i-- {
		if isPacket(ix.rec(i)) {
			return i
		}
	}
	return -1
}

// filterConn shows only the connection of the record under the cursor,
// or every connection again.
func (s *state) filterConn(ix *runIndex) {
	e := &s.ev
	if e.filter.conn != 0 {
		e.filter.conn = 0
		return
	}
	k := s.cursor(ix)
	if k < 0 || ix.recs.At(s.rows(ix).rec(k)).Conn == 0 {
		s.message = "the event under the cursor is not about a connection"
		return
	}
	e.filter.conn = ix.recs.At(s.rows(ix).rec(k)).Conn
}

// searchKey edits the search text; Enter moves to the next row after the
// cursor whose line contains it (from the top again after the last),
// Esc closes the prompt.
func (s *state) searchKey(ev *tcell.EventKey, ix *runIndex) {
	e := &s.ev
	switch ev.Key() {
	case tcell.KeyEscape:
		e.typing = false
	case tcell.KeyBackspace, tcell.KeyBackspace2:
		if r := []rune(e.query); len(r) > 0 {
			e.query = string(r[:len(r)-1])
		}
	case tcell.KeyRune:
		e.query += string(ev.Rune())
	case tcell.KeyEnter:
		if i := s.nextMatch(ix); i >= 0 {
			s.setCursor(ix, i)
		} else if e.query != "" {
			s.message = "no event matches “" + e.query + "”"
		}
	}
}

// nextMatch is the record of the first row after the cursor whose line
// contains the search text, wrapping around; -1 if none does.
func (s *state) nextMatch(ix *runIndex) int {
	// Smart case, as less and vim do: text with a capital letter ("RST")
	// matches exactly, so that it does not land on "first"; text in
	// lower case matches either.
	q := s.ev.query
	exact := strings.ToLower(q) != q
	rows := s.rows(ix)
	n := rows.len()
	if q == "" || n == 0 {
		return -1
	}
	from := s.cursor(ix)
	for d := 1; d <= n; d++ {
		k := ((from+d)%n + n) % n
		if i := rows.rec(k); strings.Contains(ix.line(i).search(exact), q) {
			return i
		}
	}
	return -1
}
