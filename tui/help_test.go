package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"
)

// TestHelpScrolls: a narrative longer than the screen is read by
// scrolling the help box with ↑↓, which says there is more; its last line
// can be reached, and any other key closes the box and starts it at the
// top again.
func TestHelpScrolls(t *testing.T) {
	l := basicLesson(t)
	var story []string
	for i := 1; i <= 30; i++ {
		story = append(story, fmt.Sprintf("Sentence %d of a long story.", i))
	}
	l.Narrative = strings.Join(story, "\n")
	screen := func(s *state) string { return string(render(t, newFrame(s), 80, 24)) }
	s := newState(l, Options{NoColor: true})
	press(s, '?')
	top := screen(s)
	if !strings.Contains(top, "↓ more") || strings.Contains(top, "Sentence 30 ") || !strings.Contains(top, "Space") {
		t.Fatalf("help at the top of a long story:\n%s", top)
	}
	for range 100 {
		press(s, tcell.KeyDown)
	}
	bottom := screen(s)
	if !strings.Contains(bottom, "Sentence 30 of a long story.") || !strings.Contains(bottom, "↑ more") || strings.Contains(bottom, "↓ more") {
		t.Fatalf("help scrolled to the end:\n%s", bottom)
	}
	press(s, tcell.KeyUp)
	if mid := screen(s); !strings.Contains(mid, "↑↓ more") {
		t.Errorf("help one line up from the end:\n%s", mid)
	}
	if press(s, 'x'); s.help || s.helpTop != 0 {
		t.Errorf("another key: help %v, top %d", s.help, s.helpTop)
	}
}
