package tui

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestEventKeys walks the list as a student would: open it, move the
// playhead event by event, filter, search, inspect, close.
func TestEventKeys(t *testing.T) {
	s := newState(basicLesson(t), Options{})
	s.setProto(1) // http1.1
	ix := s.run()
	if a := press(s, 'l'); a != handled || !s.ev.open {
		t.Fatalf("l: action %v, open %v", a, s.ev.open)
	}
	// The cursor starts on the last record at the playhead; ↓ steps
	// through records, several at one time included.
	k0 := s.cursor(ix)
	if ix.recs.Time(k0) != s.at() || ix.recs.Time(k0+1) == s.at() {
		t.Fatalf("the cursor starts on record %d, at %v; the playhead is at %v", k0, ix.recs.Time(k0), s.at())
	}
	for k := k0 + 1; k <= k0+12; k++ {
		press(s, tcell.KeyDown)
		if got := s.rows(ix).rec(s.cursor(ix)); got != k || s.at() != ix.recs.Time(k) {
			t.Fatalf("↓ to record %d: cursor on record %d at %v, want %v", k, got, s.at(), ix.recs.Time(k))
		}
	}
	press(s, tcell.KeyUp, tcell.KeyUp)
	if got := s.cursor(ix); got != k0+10 {
		t.Errorf("↑ ↑: cursor on row %d, want %d", got, k0+10)
	}
	// The cursor follows the playhead when something else moves it.
	press(s, tcell.KeyRight)
	if r := ix.rec(s.rows(ix).rec(s.cursor(ix))); r.At != s.at() {
		t.Errorf("→: cursor on a record at %v, playhead at %v", r.At, s.at())
	}
	// f: the cursor's connection only; again: all.
	s.setCursor(ix, findRec(t, s, firstSyn))
	if press(s, 'f'); s.ev.filter.conn != 1 {
		t.Errorf("f on c1's SYN: filter connection %d", s.ev.filter.conn)
	}
	if press(s, 'f'); s.ev.filter.conn != 0 {
		t.Errorf("f again: filter connection %d", s.ev.filter.conn)
	}
	for _, want := range []eventLayer{layerTCP, layerTLS, layerHTTP, layerLife, layerAll} {
		if press(s, 'L'); s.ev.filter.layer != want {
			t.Fatalf("L: layer %s, want %s", s.ev.filter.layer.name(), want.name())
		}
	}
	// m: the key moments only (the fixture's lesson declares none, so
	// they are the generic ones), each row one of them.
	if press(s, 'm'); !s.ev.filter.moments || s.message != "" {
		t.Errorf("m: moments %v, message %q", s.ev.filter.moments, s.message)
	}
	if rows := s.rows(ix); rows.len() != len(ix.moments) || rows.len() == 0 {
		t.Errorf("m: %d rows, want the %d key moments", rows.len(), len(ix.moments))
	} else {
		for k := range rows.len() {
			if !ix.keyMoment(rows.rec(k)) {
				t.Errorf("m: row %d (record %d) is no key moment", k, rows.rec(k))
			}
		}
	}
	s.ev.filter.conn = 999 // no such connection: an empty list
	if press(s, tcell.KeyEnter); s.ev.insp != nil || s.message != "nothing to inspect here yet" {
		t.Errorf("Enter on an empty list: inspection %v, message %q", s.ev.insp, s.message)
	}
	s.ev.filter.conn = 0
	press(s, 'm')
	s.setCursor(ix, findRec(t, s, func(r *trace.Record) bool { return r.Kind == trace.PageStarted }))
	if press(s, 'f'); s.ev.filter.conn != 0 || s.message != "the event under the cursor is not about a connection" {
		t.Errorf("f on a page's start: filter connection %d, message %q", s.ev.filter.conn, s.message)
	}
	// /: typed text, Enter, then Enter again for the next match; q is
	// text while typing, not quit.
	press(s, tcell.KeyHome, '/', 'q')
	if !s.ev.typing || s.ev.query != "q" {
		t.Fatalf("/ q: typing %v, query %q", s.ev.typing, s.ev.query)
	}
	press(s, tcell.KeyBackspace2, 'G', 'E', 'T', tcell.KeyEnter)
	first := s.rows(ix).rec(s.cursor(ix))
	if !strings.Contains(ix.line(first).text, "GET /index.html") {
		t.Errorf("/GET Enter: cursor on %q", ix.line(first).text)
	}
	press(s, tcell.KeyEnter)
	if next := s.rows(ix).rec(s.cursor(ix)); next <= first || !strings.Contains(ix.line(next).text, "GET") {
		t.Errorf("Enter again: cursor on record %d %q, after %d", next, ix.line(next).text, first)
	}
	press(s, tcell.KeyEscape)
	if s.ev.typing {
		t.Error("Esc did not close the prompt")
	}
	// Smart case: capitals match exactly ("SYN" is not "syn…" in lower
	// case); lower case matches either.
	press(s, tcell.KeyEscape, tcell.KeyHome, '/', 'S', 'Y', 'N', tcell.KeyEnter)
	if got := ix.line(s.rows(ix).rec(s.cursor(ix))).text; !strings.Contains(got, "SYN") {
		t.Errorf("/SYN: cursor on %q", got)
	}
	press(s, tcell.KeyEscape, tcell.KeyHome, '/', 's', 'y', 'n', tcell.KeyEnter)
	if got := ix.line(s.rows(ix).rec(s.cursor(ix))).search(false); !strings.Contains(got, "syn") {
		t.Errorf("/syn: cursor on %q", got)
	}
	press(s, tcell.KeyEscape)
	press(s, '/', 'z', 'z', 'z', tcell.KeyEnter)
	if !strings.Contains(s.message, "no event matches “zzz”") {
		t.Errorf("a search without a match says %q", s.message)
	}
	press(s, tcell.KeyEscape)
	// Enter inspects the cursor's record; ↓ moves the inspection along.
	s.setCursor(ix, findRec(t, s, firstSyn))
	press(s, tcell.KeyEnter)
	if !s.ev.inspecting(ix) || s.ev.insp.pkt != 0 {
		t.Fatalf("Enter on the SYN: inspection %+v", s.ev.insp)
	}
	press(s, tcell.KeyDown)
	if s.ev.insp.rec != s.rows(ix).rec(s.cursor(ix)) {
		t.Errorf("↓ with the inspector open: inspecting %d, cursor on %d", s.ev.insp.rec, s.cursor(ix))
	}
	if press(s, tcell.KeyEscape); s.ev.insp != nil || !s.ev.open {
		t.Errorf("Esc: inspection %v, list open %v", s.ev.insp, s.ev.open)
	}
	// Another protocol's run: the list starts afresh on it.
	press(s, tcell.KeyEnter, 'p')
	if s.ev.inspecting(s.run()) {
		t.Error("the inspection of http1.1 shows on http1.1-pipelined")
	}
	if press(s, 'l'); s.ev.open || s.ev.insp != nil {
		t.Error("l did not close the list")
	}
	// Closed, the keys are the views' again.
	press(s, '2', tcell.KeyDown)
	if s.sel != 0 {
		t.Errorf("↓ in the waterfall with the list closed: selected %d", s.sel)
	}
	if a := press(s, '/'); a != ignored {
		t.Errorf("/ with the list closed: action %v", a)
	}
}

// TestFilters: each filter keeps exactly the records that pass it, in
// order, and the layers sort the fixture's records as a student would.
func TestFilters(t *testing.T) {
	l := basicLesson(t)
	ix := newRunIndex(&l.Runs[1], l.Params.RTT) // http1.1, TLS 1.3
	has := func(rows []int, ok func(r *trace.Record) bool) bool {
		for _, i := range rows {
			if ok(ix.rec(i)) {
				return true
			}
		}
		return false
	}
	kind := func(k trace.Kind) func(*trace.Record) bool { return func(r *trace.Record) bool { return r.Kind == k } }
	label := func(s string) func(*trace.Record) bool {
		return func(r *trace.Record) bool { return r.Kind == trace.PacketSent && r.Label == s }
	}
	syn := func(r *trace.Record) bool { return r.Flags == trace.SYN }
	for _, tc := range []struct {
		name      string
		f         eventFilter
		with, not []func(*trace.Record) bool
	}{
		{"all", eventFilter{}, []func(*trace.Record) bool{syn, kind(trace.TLSStarted), kind(trace.Accepted)}, nil},
		{"connection 2", eventFilter{conn: 2}, []func(*trace.Record) bool{syn}, []func(*trace.Record) bool{kind(trace.PageStarted)}},
		{"TCP", eventFilter{layer: layerTCP}, []func(*trace.Record) bool{syn, kind(trace.CwndChanged), kind(trace.StateChanged)},
			[]func(*trace.Record) bool{label("ClientHello"), kind(trace.RequestSent)}},
		{"TLS", eventFilter{layer: layerTLS}, []func(*trace.Record) bool{label("ClientHello"), label("ServerHello…Finished"), kind(trace.TLSDone)},
			[]func(*trace.Record) bool{syn, label("GET /img1.png")}},
		{"HTTP", eventFilter{layer: layerHTTP}, []func(*trace.Record) bool{label("GET /img1.png"), label("200 OK /img1.png"), kind(trace.LastByte), kind(trace.PageLoaded)},
			[]func(*trace.Record) bool{syn, label("ClientHello")}},
		{"life cycle", eventFilter{layer: layerLife}, []func(*trace.Record) bool{kind(trace.Accepted), kind(trace.ServerIdle), kind(trace.IdleTimeout)},
			[]func(*trace.Record) bool{syn, kind(trace.RequestSent)}},
		{"TLS on connection 2", eventFilter{conn: 2, layer: layerTLS}, []func(*trace.Record) bool{label("ClientHello")}, nil},
		{"key moments", eventFilter{moments: true}, nil, []func(*trace.Record) bool{func(*trace.Record) bool { return true }}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c rowCache
			rs := c.rowsOf(ix, tc.f)
			var got, want []int
			for k := 0; k < rs.len(); k++ {
				got = append(got, rs.rec(k))
			}
			for i := range ix.recs.Len() {
				if tc.f.passes(ix, i) {
					want = append(want, i)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("rows %v\nwant %v", got, want)
			}
			for j, ok := range tc.with {
				if !has(got, ok) {
					t.Errorf("expected record %d is filtered out", j)
				}
			}
			for j, ok := range tc.not {
				if has(got, ok) {
					t.Errorf("unexpected record %d passes", j)
				}
			}
			for _, i := range got {
				if r := ix.rec(i); tc.f.conn != 0 && r.Conn != tc.f.conn {
					t.Errorf("record %d of connection %d passes a filter of connection %d", i, r.Conn, tc.f.conn)
				}
			}
			// before is the row of the last passing record at or before i.
			for i := range ix.recs.Len() {
				k := rs.before(i)
				wantK := -1
				for j, w := range want {
					if w <= i {
						wantK = j
					}
				}
				if k != wantK {
					t.Fatalf("before(%d) = %d, want %d", i, k, wantK)
				}
			}
		})
	}
}

// TestSearch: / finds the next line containing the text, in any case
// when it is typed in lower case and exactly when it has a capital
// ("RST" is no match for "first"), wrapping past the last row, within
// the filter.
func TestSearch(t *testing.T) {
	for _, tc := range []struct {
		name   string
		filter eventFilter
		from   time.Duration
		query  string
		want   string // the line found, or "" for none
	}{
		{"a request", eventFilter{}, 0, "get /img2", "sent GET /img2.png · 394 B"},
		{"a milestone", eventFilter{}, 0, "request get /img2", "request GET /img2.png"},
		{"any case", eventFilter{}, 0, "clienthello", "sent ClientHello · 517 B"},
		{"exact case", eventFilter{}, 0, "ClientHello", "sent ClientHello · 517 B"},
		{"capitals match exactly", eventFilter{}, 0, "CLIENTHELLO", ""},
		{"by connection", eventFilter{}, 0, "c2 ", "client SYN-SENT"},
		{"by time", eventFilter{}, 0, "304.2ms", "arrived 200 OK /index.html · 1460 B"},
		{"wraps around", eventFilter{}, ms(5000), "page 1 starts", "page 1 starts"},
		{"within the filter", eventFilter{layer: layerTLS}, 0, "finished", "sent ServerHello…Finished · 1460 B"},
		{"no match", eventFilter{}, 0, "http/3", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newState(basicLesson(t), Options{})
			s.setProto(1)
			s.ev.filter, s.ev.query = tc.filter, tc.query
			s.player.Seek(tc.from)
			got := ""
			if i := s.nextMatch(s.run()); i >= 0 {
				got = s.run().line(i).text
			}
			if got != tc.want {
				t.Errorf("next match of %q: %q, want %q", tc.query, got, tc.want)
			}
		})
	}
}

// TestConnectionFocus: the list's connection stands out in the
// waterfall and the connection view; no other row does.
func TestConnectionFocus(t *testing.T) {
	for _, conns := range []bool{false, true} {
		s := newState(basicLesson(t), Options{})
		s.setProto(1)
		s.setView(viewWaterfall)
		s.conns = conns
		s.player.Seek(ms(700))
		press(s, 'l')
		s.ev.filter.conn = 1
		paint(t, newFrame(s), 100, 30, func(sc tcell.SimulationScreen) {
			rows := strings.Split(string(screenText(sc)), "\n")
			seen := 0
			for y := headerRows + 1; y < headerRows+6; y++ {
				for _, name := range []string{"c1", "c2"} {
					x := strings.Index(rows[y], name)
					if x < 0 {
						continue
					}
					_, _, style, _ := sc.GetContent(len([]rune(rows[y][:x])), y)
					if got := style == s.st.selected; got != (name == "c1") {
						t.Errorf("connections %v, row %d: %s highlighted %v", conns, y, name, got)
					}
					seen++
				}
			}
			if seen == 0 {
				t.Errorf("connections %v: no connection on screen", conns)
			}
		})
	}
}

// TestClickBesideThePane: with the event pane open below the waterfall
// of a page with more resources than rows, a click on a resource row
// still selects it, and a click in the pane selects nothing.
func TestClickBesideThePane(t *testing.T) {
	s := newState(objectsLesson(40), Options{})
	s.setView(viewWaterfall)
	press(s, 'l')
	if !s.click(5, headerRows+2, 100, 30) || s.sel != 1 {
		t.Errorf("a click on the second resource row: selected %d", s.sel)
	}
	s.sel = -1
	_, _, _, bh := bodyRect(100, 30)
	for y := headerRows + s.viewRows(s.run(), bh); y < headerRows+bh; y++ {
		if s.click(5, y, 100, 30) {
			t.Fatalf("a click on row %d, in the event pane, selected resource %d", y, s.sel)
		}
	}
}

// TestSummaryServerMemory: a server-memory record's line in the event
// list gives the total and what changed.
func TestSummaryServerMemory(t *testing.T) {
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: []trace.Record{{At: 0, Kind: trace.ServerMemory, Conn: 1, Len: 38522, Label: trace.MemConnOpened}}}, 100*ms(1))
	if got, want := ix.summary(0), "server memory 37.6 KiB · connection accepted"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
