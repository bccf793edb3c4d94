package tui

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"
)

// legendRow is the last row of the view, where each view writes its
// legend, in a w×h frame of s.
func legendRow(t *testing.T, s *state, w, h int) string {
	t.Helper()
	_, _, _, bh := bodyRect(w, h)
	return strings.Split(string(render(t, newFrame(s), w, h)), "\n")[headerRows+bh-1]
}

// TestLegends: every view's last row explains the marks it draws, at
// 100×30 and at 80×24, and says only what the run has: ✗ where a packet
// was lost, ┈ on the whole run, the connections' glyphs where there are
// several connections and no colour, in the glyphs the ladder draws.
func TestLegends(t *testing.T) {
	view := func(v view) func(*state) { return func(s *state) { s.setView(v) } }
	for _, tc := range []struct {
		name         string
		lesson       func(testing.TB) Lesson
		setup        func(*state)
		noColor      bool
		want, absent []string
	}{
		{"ladder", basicLesson, nil, true, []string{"• in flight", "◀ ▶ arrived", "┄ now", "+N more (x: name them)", "1 2 = c1 c2"}, []string{"✗", "┈"}},
		{"ladder in colour", basicLesson, nil, false, []string{"• in flight", "━ colour: connection"}, []string{"1 2 = c1 c2"}},
		{"ladder, one connection", basicLesson, func(s *state) { s.setProto(3) }, true, []string{"┄ now"}, []string{"= c1", "colour"}},
		{"ladder, a loss", lossyLesson, nil, true, []string{"✗ lost"}, nil},
		{"ladder, labels expanded", lossyLesson, func(s *state) { press(s, 'x') }, true, []string{"+N not named (x: fewer)"}, []string{"name them"}},
		{"ladder, whole run", keepaliveLesson, func(s *state) { press(s, 'w') }, true, []string{"┈ no packet, collapsed (w)"}, nil},
		{"ladder, proxy", proxyLesson, nil, true, []string{"1 2 a = c1 c2 c10"}, nil},
		{"waterfall", basicLesson, view(viewWaterfall), true, []string{"▒ connect", "▼ now"}, nil},
		{"connections", basicLesson, func(s *state) { press(s, 'c') }, true, []string{"─ open", "▼ now", "1…9 request for #n"}, nil},
		{"cwnd", lossyLesson, view(viewCwnd), true, []string{"⣀⣀ cwnd", "⠤⠄ ssthresh", "│ ▲ now"}, nil},
		{"compare", basicLesson, view(viewCompare), true, []string{"░ waiting", "│ ▲ now", "c1 its connection"}, nil},
	} {
		for _, size := range [][2]int{{100, 30}, {80, 24}} {
			t.Run(tc.name+"@"+strconv.Itoa(size[0]), func(t *testing.T) {
				s := newState(tc.lesson(t), Options{NoColor: tc.noColor})
				if tc.setup != nil {
					tc.setup(s)
				}
				s.player.Seek(ms(400))
				row := legendRow(t, s, size[0], size[1])
				for _, w := range tc.want {
					if !strings.Contains(row, w) {
						t.Errorf("the legend %q does not say %q", row, w)
					}
				}
				for _, a := range tc.absent {
					if strings.Contains(row, a) {
						t.Errorf("the legend %q says %q", row, a)
					}
				}
			})
		}
	}
}

// TestGlyphItemIsConnGlyph: the legend's glyphs are the ones the arrows
// of those connections carry.
func TestGlyphItemIsConnGlyph(t *testing.T) {
	ix := newRunIndex(&proxyLesson(t).Runs[0], 0)
	it := glyphItem(ix, newStyles(true))
	glyphs, names := strings.Fields(it.glyph), strings.Fields(strings.TrimPrefix(it.text, "= "))
	if len(glyphs) != len(names) || len(glyphs) < 2 {
		t.Fatalf("legend %q %q", it.glyph, it.text)
	}
	for i := range glyphs {
		id, err := strconv.Atoi(strings.TrimPrefix(names[i], "c"))
		if err != nil || ix.lookup(id) == nil || string(connGlyph(id)) != glyphs[i] {
			t.Errorf("legend: %s = %s, but c%d's glyph is %c", glyphs[i], names[i], id, connGlyph(id))
		}
	}
}

// TestGlyphsOnlyWithoutColour: the ladder drawn without colour differs
// from the one in colour only in the connections' glyphs, each on the
// hop of its connection and of a connection opened by then; in colour
// the colours tell them apart and no glyph is drawn.
func TestGlyphsOnlyWithoutColour(t *testing.T) {
	const w, h = 100, 30
	for _, tc := range []struct {
		lesson func(testing.TB) Lesson
		proto  int
		at     time.Duration
	}{{basicLesson, 0, ms(560)}, {proxyLesson, 0, ms(420)}, {proxyLesson, 1, ms(330)}} {
		var screens [2][]tcell.SimCell
		var ix *runIndex
		for k, noColor := range []bool{false, true} {
			s := newState(tc.lesson(t), Options{NoColor: noColor})
			s.setProto(tc.proto)
			s.player.Seek(tc.at)
			ix = s.run()
			screens[k] = drawn(t, newFrame(s), w, h)
		}
		lanes := laneColumns(len(ix.lanes.names), ladderAxisW, w-1)
		_, _, _, bh := bodyRect(w, h)
		glyphs := 0
		for i := range screens[0] {
			x, y := i%w, i/w
			if y <= headerRows || y >= headerRows+bh-1 { // the lanes' names and the legend differ too
				continue
			}
			was, now := screens[0][i].Runes[0], screens[1][i].Runes[0]
			if was == now {
				continue
			}
			glyphs++
			hop := 0
			if len(lanes) > 2 && x > lanes[1] {
				hop = 1
			}
			ok := false
			for k := range ix.conns {
				c := &ix.conns[k]
				ok = ok || connGlyph(c.id) == now && c.open <= tc.at && ix.lanes.hop[c.id] == hop
			}
			if !ok || (was != ' ' && (was < 0x2800 || was > 0x28ff)) {
				t.Errorf("(%d, %d): %q without colour, %q in colour: not a glyph of a connection of hop %d", x, y, now, was, hop)
			}
		}
		if glyphs == 0 {
			t.Errorf("no glyph drawn at %v", tc.at)
		}
	}
}
