package tui

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// ms is a shorthand for the playheads of the golden files.
func ms(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }

// goldenCase is one screen: a lesson, how to set the view up, a playhead.
type goldenCase struct {
	name   string
	lesson func(testing.TB) Lesson
	setup  func(*state)
	at     time.Duration
}

func goldenCases() []goldenCase {
	waterfall := func(s *state) { s.setView(viewWaterfall) }
	return []goldenCase{
		{"ladder", basicLesson, nil, ms(260)},
		{"ladder-start", basicLesson, nil, ms(60)},
		{"ladder-http2", basicLesson, func(s *state) { s.setProto(3) }, ms(420)},
		{"ladder-lossy", lossyLesson, nil, ms(270)},
		{"waterfall", basicLesson, waterfall, ms(750)},
		{"waterfall-selected", basicLesson, func(s *state) { waterfall(s); s.sel = 2 }, ms(1200)},
		{"connections", basicLesson, func(s *state) { waterfall(s); s.conns = true }, ms(1200)},
		{"connections-http2", basicLesson, func(s *state) { waterfall(s); s.conns = true; s.setProto(3) }, ms(400)},
		{"cwnd", lossyLesson, func(s *state) { s.setView(viewCwnd) }, ms(420)},
		{"cwnd-http1.0", basicLesson, func(s *state) { s.setView(viewCwnd) }, ms(1200)},
		{"compare", basicLesson, func(s *state) { s.setView(viewCompare) }, ms(650)},
		{"compare-end", basicLesson, func(s *state) { s.setView(viewCompare); s.setProto(3) }, ms(1200)},
		{"help", basicLesson, func(s *state) { s.help = true }, 0},
		{"ladder-proxy", proxyLesson, nil, ms(420)},
		{"ladder-proxy-http2", proxyLesson, func(s *state) { s.setProto(1) }, ms(330)},
		{"ladder-parallel", basicLesson, nil, ms(560)},
		{"ladder-expanded", lossyLesson, func(s *state) { press(s, 'x') }, ms(270)},
		{"ladder-whole-keepalive", keepaliveLesson, func(s *state) { press(s, 'w') }, 200 * time.Second},
		{"ladder-whole-idle", idleLesson, func(s *state) { press(s, 'w') }, 20 * time.Second},
		{"ladder-whole-proxy", proxyLesson, func(s *state) { press(s, 'w') }, 10 * time.Second},
	}
}

// TestGolden renders every view at a fixed playhead at 100×30 and 80×24
// and compares the text with testdata/<view>@<t>_<w>x<h>.golden; run
// with -update to rewrite them.
func TestGolden(t *testing.T) {
	for _, tc := range goldenCases() {
		for _, size := range [][2]int{{100, 30}, {80, 24}} {
			name := fmt.Sprintf("%s@%s_%dx%d", tc.name, fmtTick(tc.at), size[0], size[1])
			t.Run(name, func(t *testing.T) {
				s := newState(tc.lesson(t), Options{NoColor: true, StartPaused: true})
				if tc.setup != nil {
					tc.setup(s)
				}
				s.player.Seek(tc.at)
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
