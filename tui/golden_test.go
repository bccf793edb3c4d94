package tui

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// ms is a shorthand for the playheads of the golden files.
func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

// goldenCase is one screen: a lesson, how to set the view up, a playhead
// or, instead, the keys that move it (as a teacher would: n to the
// lesson's key moments).
type goldenCase struct {
	name   string
	lesson func(testing.TB) Lesson
	setup  func(*state)
	at     time.Duration
	keys   []any
}

func goldenCases() []goldenCase {
	waterfall := func(s *state) { s.setView(viewWaterfall) }
	return []goldenCase{
		{"ladder", basicLesson, nil, ms(260), nil},
		{"ladder-start", basicLesson, nil, ms(60), nil},
		{"ladder-http2", basicLesson, func(s *state) { s.setProto(3) }, ms(420), nil},
		{"ladder-lossy", lossyLesson, nil, ms(270), nil},
		{"waterfall", basicLesson, waterfall, ms(750), nil},
		{"waterfall-selected", basicLesson, func(s *state) { waterfall(s); s.sel = 2 }, ms(1200), nil},
		{"connections", basicLesson, func(s *state) { waterfall(s); s.conns = true }, ms(1200), nil},
		{"connections-http2", basicLesson, func(s *state) { waterfall(s); s.conns = true; s.setProto(3) }, ms(400), nil},
		{"cwnd", lossyLesson, func(s *state) { s.setView(viewCwnd) }, ms(420), nil},
		{"cwnd-http1.0", basicLesson, func(s *state) { s.setView(viewCwnd) }, ms(1200), nil},
		{"compare", basicLesson, func(s *state) { s.setView(viewCompare) }, ms(650), nil},
		{"compare-end", basicLesson, func(s *state) { s.setView(viewCompare); s.setProto(3) }, ms(1200), nil},
		// The close race's two pages: a mark where page 2 starts, then z
		// zooms to the page at the playhead, on its own clock.
		{"waterfall-pages", raceLesson, waterfall, ms(5300), nil},
		{"waterfall-page2", raceLesson, func(s *state) { waterfall(s); s.zoom(true) }, ms(5300), nil},
		{"help", basicLesson, func(s *state) { s.help = true }, 0, nil},
		// Scrolled down (↓ ten times) to the lesson's story at 80×24.
		{"help-scrolled", basicLesson, func(s *state) { s.help = true }, 0, []any{tcell.KeyDown, tcell.KeyDown, tcell.KeyDown, tcell.KeyDown, tcell.KeyDown, tcell.KeyDown, tcell.KeyDown, tcell.KeyDown, tcell.KeyDown, tcell.KeyDown}},
		// Paused on the close race's key moments: the request that crosses
		// the server's FIN, then the reset, with the time axis's marks.
		{"moment-race", raceLesson, nil, 0, []any{'n', 'n', 'n'}},
		{"moment-rst", raceLesson, nil, 0, []any{'n', 'n', 'n', 'n', 'n'}},
		{"moment-waterfall", raceLesson, func(s *state) { s.setView(viewWaterfall) }, 0, []any{'n', 'n', 'n'}},
		{"moment-compare", basicLesson, func(s *state) { s.setView(viewCompare) }, 0, []any{'n', 'n'}},
		{"goto-prompt", raceLesson, nil, 0, []any{'g', '5', '.', '1', '5'}},
		{"ladder-proxy", proxyLesson, nil, ms(420), nil},
		{"ladder-proxy-http2", proxyLesson, func(s *state) { s.setProto(1) }, ms(330), nil},
		{"ladder-parallel", basicLesson, nil, ms(560), nil},
		{"ladder-expanded", lossyLesson, func(s *state) { press(s, 'x') }, ms(270), nil},
		{"ladder-whole-keepalive", keepaliveLesson, func(s *state) { press(s, 'w') }, 200 * time.Second, nil},
		// In TIME-WAIT: the whole run on one screen, its probe rounds
		// folded after the first.
		{"ladder-whole-keepalive-end", keepaliveLesson, func(s *state) { press(s, 'w') }, 630 * time.Second, nil},
		{"ladder-whole-idle", idleLesson, func(s *state) { press(s, 'w') }, 20 * time.Second, nil},
		{"ladder-whole-proxy", proxyLesson, func(s *state) { press(s, 'w') }, 10 * time.Second, nil},
		// A page on three hosts: a lane for each, in the order the
		// browser connected to them, each connection's packets between
		// the client's lane and its host's.
		{"ladder-hosts", hostsLesson, nil, ms(560), nil},
		{"ladder-hosts-http2", hostsLesson, func(s *state) { s.setProto(1) }, ms(520), nil},
		// Seven hosts: those past the lanes that fit share the last.
		{"ladder-many-hosts", manyHostsLesson, nil, ms(300), nil},
		// Its waterfall: each row's host, and each host's DNS lookup on
		// the row of the first resource that waited for it; selected,
		// /app.js says its host and its lookup's share of its queueing.
		{"waterfall-hosts", hostsLesson, waterfall, ms(1000), nil},
		{"waterfall-hosts-selected", hostsLesson, func(s *state) { waterfall(s); s.sel = 3 }, ms(600), nil},
		// A page of one host looked up first: no host column, its lookup
		// on the document's row.
		{"waterfall-dns-one-host", dnsOneHostLesson, waterfall, ms(500), nil},
		// Its connections, each with the host it goes to.
		{"connections-hosts", hostsLesson, func(s *state) { waterfall(s); s.conns = true }, ms(1000), nil},
		{"compare-hosts", hostsLesson, func(s *state) { s.setView(viewCompare) }, ms(1000), nil},
	}
}

// TestGolden renders every view at a fixed playhead at 100×30 and 80×24
// and compares the text with testdata/<view>@<t>_<w>x<h>.golden; run
// with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		for _, size := range [][2]int{{100, 30}, {80, 24}} {
			name := fmt.Sprintf("%s@%s_%dx%d", tc.name, fmtTick(tc.at), size[0], size[1])
			if tc.keys != nil {
				name = fmt.Sprintf("%s@keys_%dx%d", tc.name, size[0], size[1])
			}
			t.Run(name, func(t *testing.T) {
				s := newState(tc.lesson(t), Options{NoColor: true})
				if tc.setup != nil {
					tc.setup(s)
				}
				if tc.keys == nil {
					s.player.Seek(tc.at)
				}
				press(s, tc.keys...)
				got := render(t, newFrame(s), size[0], size[1])
				checkGolden(t, name, got)
			})
		}
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./tui -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s\nwant:\n%s", name, got, want)
	}
}
