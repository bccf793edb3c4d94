package tui

import "github.com/gdamore/tcell/v2"

// braille is a dot canvas: each cell holds 2×4 dots drawn with the
// Unicode braille patterns, so lines can be finer than a cell. Each cell
// remembers the tag (a connection id) of the last line through it, which
// picks its style.
type braille struct {
	w, h int // in cells
	dots []uint8
	tags []int
}

func newBraille(w, h int) *braille {
	w, h = max(w, 0), max(h, 0)
	return &braille{w: w, h: h, dots: make([]uint8, w*h), tags: make([]int, w*h)}
}

// brailleBit is the bit of dot (dx, dy) of a cell, dx < 2, dy < 4.
func brailleBit(dx, dy int) uint8 {
	if dy == 3 {
		return [2]uint8{0x40, 0x80}[dx]
	}
	return uint8(1) << (dy + 3*dx)
}

// dot sets the dot at (px, py), in dots.
func (b *braille) dot(px, py, tag int) {
	if px < 0 || py < 0 || px >= 2*b.w || py >= 4*b.h {
		return
	}
	i := (py/4)*b.w + px/2
	b.dots[i] |= brailleBit(px%2, py%4)
	b.tags[i] = tag
}

// line draws from (x0, y0) to (x1, y1), in dots, both ends included. With
// dashed, every other pair of dots along the line is left out.
func (b *braille) line(x0, y0, x1, y1, tag int, dashed bool) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	err := dx + dy
	for n := 0; ; n++ {
		if !dashed || n%4 < 2 {
			b.dot(x0, y0, tag)
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * err
		if e2 >= dy {
			err += dy
			x0 += sx
		}
		if e2 <= dx {
			err += dx
			y0 += sy
		}
	}
}

// draw puts every non-empty cell on c at (x, y) onwards.
func (b *braille) draw(c canvas, x, y int, style func(tag int) tcell.Style) {
	for cy := 0; cy < b.h; cy++ {
		for cx := 0; cx < b.w; cx++ {
			i := cy*b.w + cx
			if b.dots[i] != 0 {
				c.set(x+cx, y+cy, rune(0x2800+int(b.dots[i])), style(b.tags[i]))
			}
		}
	}
}

// empty reports whether cell (cx, cy) has no dots.
func (b *braille) empty(cx, cy int) bool {
	if cx < 0 || cy < 0 || cx >= b.w || cy >= b.h {
		return true
	}
	return b.dots[cy*b.w+cx] == 0
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sign(x int) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}
