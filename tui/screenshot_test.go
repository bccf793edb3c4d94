package tui

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// TestSaveScreen: S writes the screen as the user sees it to a text file
// and an SVG image in the shot directory, says where on the status line,
// and a second S writes new files instead of replacing the first.
func TestSaveScreen(t *testing.T) {
	dir := t.TempDir()
	r := start(t, Options{ShotDir: dir})
	var before string
	r.do(func() { before = screenText(r.screen) })
	r.key(tcell.KeyRune, 'S')
	var msg string
	r.eventually("the first screenshot", func() bool { msg = r.u.s.message; return strings.HasPrefix(msg, "saved") })
	base := filepath.Join(dir, "keepalive-fixture-ladder-http1.0-0")
	if want := "saved the screen as " + base + ".txt and " + base + ".svg"; msg != want {
		t.Errorf("message %q, want %q", msg, want)
	}
	text, err := os.ReadFile(base + ".txt")
	if err != nil {
		t.Fatal(err)
	}
	if string(text) != before {
		t.Errorf("the text file is not the screen:\n%s\nwant:\n%s", text, before)
	}
	image, err := os.ReadFile(base + ".svg")
	if err != nil {
		t.Fatal(err)
	}
	var svg struct {
		XMLName xml.Name
		Group   struct {
			Texts []struct {
				Fill string `xml:"fill,attr"`
				Body string `xml:",chardata"`
			} `xml:"text"`
		} `xml:"g"`
	}
	if err := xml.Unmarshal(image, &svg); err != nil || svg.XMLName.Local != "svg" {
		t.Fatalf("not an SVG image (%v): %.200s", err, image)
	}
	var all strings.Builder
	for _, tx := range svg.Group.Texts {
		all.WriteString(tx.Body)
	}
	for _, line := range strings.Split(string(text), "\n") {
		for _, word := range strings.Fields(line) {
			if !strings.Contains(all.String(), word) {
				t.Fatalf("the image lacks %q of the screen", word)
			}
		}
	}
	r.key(tcell.KeyRune, 'S')
	r.eventually("the second screenshot", func() bool { return strings.Contains(r.u.s.message, "-2.svg") })
	if _, err := os.Stat(base + "-2.txt"); err != nil {
		t.Error(err)
	}
}

// TestScreenSVGStyles: the image keeps a cell's colours, reverse video
// and bold.
func TestScreenSVGStyles(t *testing.T) {
	screen := simScreen(t, 10, 1)
	screen.SetContent(0, 0, 'a', nil, tcell.StyleDefault.Foreground(tcell.ColorRed).Bold(true))
	screen.SetContent(1, 0, 'b', nil, tcell.StyleDefault.Reverse(true))
	screen.SetContent(2, 0, '<', nil, tcell.StyleDefault)
	svg := string(screenSVG(screen))
	for _, want := range []string{
		`fill="#ff0000" textLength="8.4" font-weight="bold">a</text>`,
		`<rect x="8.4" y="0" width="8.4" height="17" fill="` + svgDefaultFG + `"/>`,
		`fill="` + svgDefaultBG + `" textLength="8.4">b</text>`,
		`textLength="8.4">&lt;</text>`, // trailing spaces left out
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("the image lacks %s:\n%s", want, svg)
		}
	}
}
