package tui

import (
	"github.com/gdamore/tcell/v2"
	"github.com/mattn/go-runewidth"
	"strings"
)

// canvas is a rectangle of the screen; drawing outside it is clipped.
// Coordinates are relative to its top-left corner.
type canvas struct {
	s          tcell.Screen
	x, y, w, h int
}

// sub returns the part of c at (x, y) of size w×h, clipped to c.
func (c canvas) sub(x, y, w, h int) canvas {
	x0, y0 := max(x, 0), max(y, 0)
	x1, y1 := min(x+w, c.w), min(y+h, c.h)
	return canvas{s: c.s, x: c.x + x0, y: c.y + y0, w: max(x1-x0, 0), h: max(y1-y0, 0)}
}

// set draws r at (x, y).
func (c canvas) set(x, y int, r rune, st tcell.Style) {
	if x < 0 || y < 0 || x >= c.w || y >= c.h {
		return
	}
	c.s.SetContent(c.x+x, c.y+y, r, nil, st)
}

// get returns the rune at (x, y), or 0 outside.
func (c canvas) get(x, y int) rune {
	if x < 0 || y < 0 || x >= c.w || y >= c.h {
		return 0
	}
	r, _, _, _ := c.s.GetContent(c.x+x, c.y+y)
	return r
}

// fill paints the whole canvas with r.
func (c canvas) fill(r rune, st tcell.Style) {
	for y := 0; y < c.h; y++ {
		for x := 0; x < c.w; x++ {
			c.s.SetContent(c.x+x, c.y+y, r, nil, st)
		}
	}
}

// print writes s at (x, y), clipped at the right edge, and returns the
// column after it.
func (c canvas) print(x, y int, s string, st tcell.Style) int {
	for _, r := range s {
		w := runewidth.RuneWidth(r)
		if w == 0 {
			continue
		}
		if x+w > c.w {
			break
		}
		c.set(x, y, r, st)
		for i := 1; i < w; i++ {
			c.set(x+i, y, ' ', st)
		}
		x += w
	}
	return x
}

// printRight writes s so that it ends just before column end.
func (c canvas) printRight(end, y int, s string, st tcell.Style) int {
	return c.print(end-width(s), y, s, st)
}

// width is the number of cells s takes.
func width(s string) int { return runewidth.StringWidth(s) }

// truncate shortens s to at most w cells, ending it with "…" when cut.
func truncate(s string, w int) string {
	if w <= 0 {
		return ""
	}
	if width(s) <= w {
		return s
	}
	return runewidth.Truncate(s, w, "…")
}

// wrap splits s into lines of at most w cells, breaking at spaces.
func wrap(s string, w int) []string {
	if w <= 0 {
		return nil
	}
	// Paragraphs are separated by a blank line; within one, line breaks
	// (as in a YAML narrative) are spaces.
	var lines []string
	for i, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if i > 0 {
			lines = append(lines, "")
		}
		lines = append(lines, wrapLine(strings.Join(strings.Fields(para), " "), w)...)
	}
	return lines
}

// wrapLine breaks one paragraph into lines of at most w cells.
func wrapLine(s string, w int) []string {
	var lines []string
	for width(s) > w {
		cut := runewidth.Truncate(s, w+1, "")
		i := len(cut) - 1
		for i > 0 && cut[i] != ' ' {
			i--
		}
		if i <= 0 {
			cut = runewidth.Truncate(s, w, "")
			lines = append(lines, cut)
			s = s[len(cut):]
			continue
		}
		lines = append(lines, s[:i])
		s = s[i+1:]
	}
	return append(lines, s)
}
