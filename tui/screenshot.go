package tui

import (
	"errors"
	"fmt"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/gdamore/tcell/v2"
)

// The screenshot's SVG cell: a monospace font at 14 px, whose advance is
// 0.6 em in the common monospace fonts (DejaVu Sans Mono, Menlo,
// Consolas), on 17 px rows.
const (
	svgCellW    = 8.4
	svgCellH    = 17
	svgFontSize = 14
	// The colours the terminal's defaults stand for in the image: light
	// text on a dark background, as the UI is usually seen.
	svgDefaultFG = "#d0d0d0"
	svgDefaultBG = "#101010"
)

// screenText is what screen shows, a line per row with trailing spaces
// trimmed: the text of a screenshot.
func screenText(screen tcell.Screen) string {
	w, h := screen.Size()
	var b strings.Builder
	for y := range h {
		var line strings.Builder
		for x := 0; x < w; {
			r, _, _, width := screen.GetContent(x, y)
			if r == 0 {
				r = ' '
			}
			line.WriteRune(r)
			x += max(width, 1)
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	return b.String()
}

// cellStyle is a cell's look in the image.
type cellStyle struct {
	fg, bg               string
	bold, dim, underline bool
}

func svgStyle(st tcell.Style) cellStyle {
	fg, bg, attr := st.Decompose()
	c := cellStyle{fg: svgColor(fg, svgDefaultFG), bg: svgColor(bg, svgDefaultBG),
		bold: attr&tcell.AttrBold != 0, dim: attr&tcell.AttrDim != 0, underline: attr&tcell.AttrUnderline != 0}
	if attr&tcell.AttrReverse != 0 {
		c.fg, c.bg = c.bg, c.fg
	}
	return c
}

func svgColor(c tcell.Color, def string) string {
	if c == tcell.ColorDefault {
		return def
	}
	if v := c.Hex(); v >= 0 {
		return fmt.Sprintf("#%06x", v)
	}
	return def
}

// screenSVG draws what screen shows as an SVG image: each run of cells of
// one style as a background rectangle and a text span, in a monospace
// font, colours and bold, dim and underline kept.
func screenSVG(screen tcell.Screen) []byte {
	w, h := screen.Size()
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="%d" viewBox="0 0 %.1f %d">`+"\n",
		float64(w)*svgCellW, h*svgCellH, float64(w)*svgCellW, h*svgCellH)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="%s"/>`+"\n", svgDefaultBG)
	fmt.Fprintf(&b, `<g font-family="DejaVu Sans Mono, Menlo, Consolas, monospace" font-size="%d" xml:space="preserve">`+"\n", svgFontSize)
	for y := range h {
		x := 0
		for x < w {
			_, _, st, _ := screen.GetContent(x, y)
			start, cs := x, svgStyle(st)
			var text strings.Builder
			for x < w {
				r2, _, st2, width2 := screen.GetContent(x, y)
				if x > start && svgStyle(st2) != cs {
					break
				}
				if r2 == 0 {
					r2 = ' '
				}
				text.WriteRune(r2)
				x += max(width2, 1)
			}
			cells := x - start
			if cs.bg != svgDefaultBG {
				fmt.Fprintf(&b, `<rect x="%.1f" y="%d" width="%.1f" height="%d" fill="%s"/>`+"\n",
					float64(start)*svgCellW, y*svgCellH, float64(cells)*svgCellW, svgCellH, cs.bg)
			}
			s := text.String()
			if !cs.underline { // trailing spaces draw nothing
				trimmed := strings.TrimRight(s, " ")
				cells -= len(s) - len(trimmed)
				s = trimmed
			}
			if s == "" {
				continue
			}
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="%s" textLength="%.1f"`, float64(start)*svgCellW, y*svgCellH+svgCellH-4, cs.fg, float64(cells)*svgCellW)
			if cs.bold {
				b.WriteString(` font-weight="bold"`)
			}
			if cs.dim {
				b.WriteString(` opacity="0.6"`)
			}
			if cs.underline {
				b.WriteString(` text-decoration="underline"`)
			}
			b.WriteString(">" + html.EscapeString(s) + "</text>\n")
		}
	}
	b.WriteString("</g>\n</svg>\n")
	return []byte(b.String())
}

// saveScreen writes what screen shows to dir as base.txt and base.svg,
// or base-2.txt and base-2.svg and so on if those exist: a screenshot
// never replaces a file. It returns the two paths.
func saveScreen(screen tcell.Screen, dir, base string) (txt, svg string, err error) {
	text, image := screenText(screen), screenSVG(screen)
	err = numbered(dir, base, func(stem string) error {
		txt, svg = stem+".txt", stem+".svg"
		if _, err := os.Stat(svg); err == nil {
			return fs.ErrExist
		}
		if err := writeNew(txt, []byte(text)); err != nil {
			return err
		}
		if err := writeNew(svg, image); err != nil {
			os.Remove(txt)
			return err
		}
		return nil
	})
	if err != nil {
		return "", "", fmt.Errorf("saving the screen: %w", err)
	}
	return txt, svg, nil
}

// numbered calls save with dir/base, then dir/base-2 and so on up to
// base-999, while it reports fs.ErrExist: what the UI saves never
// replaces a file.
func numbered(dir, base string, save func(stem string) error) error {
	for n := 1; n < 1000; n++ {
		name := base
		if n > 1 {
			name = fmt.Sprintf("%s-%d", base, n)
		}
		if err := save(filepath.Join(dir, name)); !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return fmt.Errorf("%s-2 … %s-999 are all taken in %s", base, base, dir)
}

// writeNew writes data to a file that must not exist yet.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// shotName is a screenshot's file name without extension: the scenario,
// the view, the protocol and the playhead, e.g.
// "keepalive-close-race-ladder-http1.1-5.15s".
func (s *state) shotName() string {
	name := s.lesson.Scenario
	if name == "" {
		name = "scenario"
	}
	v := strings.ToLower(s.view.name())
	if s.view == viewWaterfall && s.conns {
		v = "connections"
	}
	parts := []string{"keepalive", name, v}
	if ix := s.run(); ix != nil && s.view != viewCompare {
		parts = append(parts, ix.run.Protocol.String())
	}
	parts = append(parts, fmtTick(s.at()))
	return fileSafe(strings.Join(parts, "-"))
}

// fileSafe is name with every character but ASCII letters, digits, '.',
// '-' and '_' made '-': a file name on any system.
func fileSafe(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '-'
	}, name)
}
