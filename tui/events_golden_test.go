package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// findRec is the index of the first record of the shown run that ok
// accepts; it fails the test if there is none.
func findRec(t testing.TB, s *state, ok func(r *trace.Record) bool) int {
	t.Helper()
	for i := range s.run().recs.Len() {
		if ok(s.run().rec(i)) {
			return i
		}
	}
	t.Fatal("no such record in the fixture")
	return -1
}

// inspectRec opens the list with its cursor on the first record ok
// accepts, and inspects it.
func inspectRec(t testing.TB, s *state, ok func(r *trace.Record) bool) {
	t.Helper()
	press(s, 'l')
	s.setCursor(s.run(), findRec(t, s, ok))
	press(s, tcell.KeyEnter)
}

// The packets of the inspector's golden screens.
var (
	firstSyn = func(r *trace.Record) bool { return r.Kind == trace.PacketSent && r.Flags == trace.SYN }
	h2Data   = func(r *trace.Record) bool { return r.Kind == trace.PacketSent && r.Label == "DATA /img3.png" }
	lost     = func(r *trace.Record) bool { return r.Kind == trace.PacketDropped }
	h2Get    = func(r *trace.Record) bool {
		return r.Kind == trace.PacketSent && r.Conn == 1 && r.Label == "GET /index.html"
	}
	windowUpdate = func(r *trace.Record) bool {
		return r.Kind == trace.PacketSent && strings.HasPrefix(r.Label, trace.WindowUpdateLabel)
	}
)

// eventCases are the golden screens of the event list and the inspector.
func eventCases(t testing.TB) []goldenCase {
	return []goldenCase{
		{"events", basicLesson, func(s *state) { s.setProto(1); s.player.Seek(ms(260)); press(s, 'l') }, ms(260), nil},
		{"events-filtered", basicLesson, func(s *state) {
			s.setProto(1)
			s.player.Seek(ms(420))
			press(s, 'l', 'L', 'L') // TLS
			s.ev.filter.conn = 2
		}, ms(420), nil},
		{"events-connections", basicLesson, func(s *state) {
			s.setProto(1)
			press(s, 'c')
			s.player.Seek(ms(700))
			press(s, 'l')
			s.ev.filter.conn = 2
		}, ms(700), nil},
		{"events-moments", basicLesson, func(s *state) { press(s, 'l', 'm') }, 0, nil},
		{"events-search", basicLesson, func(s *state) {
			s.player.Seek(ms(100))
			press(s, 'l', '/', 'i', 'm', 'g', '2', tcell.KeyEnter)
		}, 0, nil},
		{"inspect-syn", basicLesson, func(s *state) { press(s, tcell.KeyEnter) }, 0, nil},
		{"inspect-http2-data", basicLesson, func(s *state) { s.setProto(3); inspectRec(t, s, h2Data) }, 0, nil},
		{"inspect-lost", lossyLesson, func(s *state) { inspectRec(t, s, lost) }, 0, nil},
		// A Linux SYN: its 20 bytes of handshake options named.
		{"inspect-syn-linux", raceLesson, func(s *state) { inspectRec(t, s, firstSyn) }, 0, nil},
		// An HTTP/2 GET's HEADERS frame, with END_STREAM (RFC 9113 §8.1).
		{"inspect-http2-request", proxyLesson, func(s *state) { s.setProto(1); inspectRec(t, s, h2Get) }, 0, nil},
		{"inspect-window-update", windowUpdateLesson, func(s *state) { inspectRec(t, s, windowUpdate) }, 0, nil},
	}
}

// TestGoldenEvents renders the event list and the inspector at 100×30
// and 80×24 and compares them with testdata/<name>_<w>x<h>.golden; run
// with -update to rewrite them.
func TestGoldenEvents(t *testing.T) {
	for _, tc := range eventCases(t) {
		for _, size := range [][2]int{{100, 30}, {80, 24}} {
			name := fmt.Sprintf("%s_%dx%d", tc.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				s := newState(tc.lesson(t), Options{NoColor: true})
				tc.setup(s)
				checkGolden(t, name, render(t, newFrame(s), size[0], size[1]))
			})
		}
	}
}

// TestInspectorDimsTheLadder: with a packet inspected, every other
// packet's label on the ladder is drawn dim and its own stands out.
func TestInspectorDimsTheLadder(t *testing.T) {
	s := newState(basicLesson(t), Options{})
	press(s, tcell.KeyEnter) // the first SYN, at 0
	if s.ev.insp == nil || s.ev.insp.pkt != 0 {
		t.Fatalf("Enter on the ladder at 0 inspects %+v, want the first packet", s.ev.insp)
	}
	s.player.Seek(ms(60)) // the SYN and the SYN-ACK on screen
	const w, h = 100, 30
	_, _, _, bh := bodyRect(w, h)
	viewRows := headerRows + bh - bh/2 // the ladder, above the pane
	paint(t, newFrame(s), w, h, func(sc tcell.SimulationScreen) {
		rows := strings.Split(string(screenText(sc)), "\n")
		seen := map[string]bool{}
		for y := headerRows; y < viewRows && y < len(rows); y++ {
			for _, label := range []string{"c1 SYN ", "c1 SYN, ACK "} {
				x := strings.Index(rows[y], label)
				if x < 0 {
					continue
				}
				seen[label] = true
				_, _, style, _ := sc.GetContent(len([]rune(rows[y][:x])), y)
				want := s.st.dim
				if label == "c1 SYN " {
					want = s.st.selected
				}
				if style != want {
					t.Errorf("row %d: %q drawn %v, want %v", y, label, style, want)
				}
			}
		}
		if len(seen) != 2 {
			t.Errorf("the ladder shows %v of the SYN and the SYN-ACK:\n%s", seen, strings.Join(rows[:viewRows], "\n"))
		}
	})
}
