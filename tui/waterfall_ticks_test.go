package tui

import (
	"strconv"
	"strings"
	"testing"
	"time"
)

// tickLabel reports whether s is a label fmtTick writes: a number and
// its unit, as it writes that time.
func tickLabel(s string) bool {
	for _, u := range []struct {
		suffix string
		unit   time.Duration
	}{{"ms", time.Millisecond}, {"µs", time.Microsecond}, {"s", time.Second}} {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(num, 64)
			return err == nil && fmtTick(time.Duration(f*float64(u.unit))) == s
		}
	}
	return s == "0"
}

// TestWaterfallMarkerClearOfTicks: as the playhead crosses the
// waterfall (every page, one page zoomed, the connections view), its ▼
// on the time axis never covers a tick's label: every word on the axis
// row is a whole label beside its tick, and the ▼ is where the playhead
// is.
func TestWaterfallMarkerClearOfTicks(t *testing.T) {
	for _, tc := range []struct {
		name   string
		lesson func(testing.TB) Lesson
		setup  func(*state)
		head   string // the first word of the axis row
	}{
		{"waterfall", basicLesson, func(s *state) { s.setView(viewWaterfall) }, "resource"},
		{"two pages", raceLesson, func(s *state) { s.setView(viewWaterfall) }, "resource"},
		{"connections", basicLesson, func(s *state) { s.setView(viewWaterfall); s.conns = true }, "connection"},
	} {
		for _, size := range [][2]int{{100, 30}, {80, 24}} {
			s := newState(tc.lesson(t), Options{NoColor: true})
			tc.setup(s)
			span := s.run().span
			w := layoutWaterfall(size[0], size[1], 0, -1, span).axis.w
			for k := 0; k <= w+2; k++ { // each column of the axis, and past its end
				at := span*time.Duration(k)/time.Duration(w) + 1
				s.player.Seek(at)
				screen := string(render(t, newFrame(s), size[0], size[1]))
				var row []rune
				for _, r := range strings.Split(screen, "\n") {
					if strings.HasPrefix(r, tc.head) {
						row = []rune(r)
						break
					}
				}
				if row == nil {
					t.Fatalf("%s %dx%d at %v: no axis row:\n%s", tc.name, size[0], size[1], at, screen)
				}
				from := layoutWaterfall(size[0], size[1], 0, -1, span).barX // the axis's first column
				if row[from] != '╵' && row[from] != '▼' {
					t.Fatalf("%s %dx%d at %v: the axis does not start at column %d: %q", tc.name, size[0], size[1], at, from, string(row))
				}
				if strings.Count(string(row), "▼") != 1 {
					t.Errorf("%s %dx%d at %v: %d playhead marks in %q", tc.name, size[0], size[1], at, strings.Count(string(row), "▼"), string(row))
				}
				for i := from; i < len(row); {
					if row[i] == ' ' || row[i] == '╵' || row[i] == '▼' {
						i++
						continue
					}
					j := i
					for j < len(row) && row[j] != ' ' && row[j] != '╵' && row[j] != '▼' {
						j++
					}
					word := string(row[i:j])
					beside := row[i-1] == '╵' || row[i-1] == '▼' || j < len(row) && row[j] == '╵'
					if !tickLabel(word) || !beside {
						t.Errorf("%s %dx%d at %v: %q on the axis is not a whole tick label: %q", tc.name, size[0], size[1], at, word, string(row))
					}
					i = j
				}
			}
		}
	}
}
