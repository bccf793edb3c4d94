package tui

import (
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gdamore/tcell/v2"
)

// timePrompt is the time being typed after g: a teacher who knows where
// the lesson is going ("the race is at 5.15 s") goes straight there.
type timePrompt struct{ text string }

// maxPromptLen bounds the typed text: a time is a few characters.
const maxPromptLen = 24

// promptText is the status line while a time is typed.
func (p *timePrompt) promptText() string {
	return "go to time: " + p.text + "▏  Enter: go · Esc: cancel · e.g. 5.15s, 300ms, 2m, or seconds: 5.15"
}

// promptKey handles a key while the prompt is open: the characters of a
// time, Backspace, Enter to go there (paused), Esc to give up.
func (s *state) promptKey(ev *tcell.EventKey) action {
	p := s.prompt
	switch ev.Key() {
	case tcell.KeyEnter:
		s.prompt = nil
		t, err := parseTime(p.text)
		if err != nil {
			s.message = "go to time: " + err.Error()
			return handled
		}
		if _, last := s.player.Span(); t > last {
			s.message = "the run ends at " + fmtTime(last) + ": the playhead is there"
		}
		s.player.SetPaused(true)
		s.player.Seek(t)
		s.moment = -1
	case tcell.KeyEscape:
		s.prompt = nil
	case tcell.KeyBackspace, tcell.KeyBackspace2:
		if _, n := utf8.DecodeLastRuneInString(p.text); n > 0 {
			p.text = p.text[:len(p.text)-n]
		}
	case tcell.KeyRune:
		switch r := ev.Rune(); {
		case !strings.ContainsRune("0123456789.hmsuµn", r):
			s.message = "go to time: " + strconv.QuoteRune(r) + " is not part of a time: digits, a point and h, m, s, ms, µs, ns"
		case len(p.text) < maxPromptLen:
			p.text += string(r)
		}
	}
	return handled
}

// parseTime reads a typed time since the start of the run: a duration
// as Go writes one ("5.15s", "300ms", "2m5s") or a bare number of
// seconds ("5.15").
func parseTime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("nothing typed; write e.g. 5.15s or 300ms")
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 0 && f < 1e9 {
		return time.Duration(f * float64(time.Second)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, errors.New(strconv.Quote(s) + " is no time; write e.g. 5.15s, 300ms or 2m")
	}
	return d, nil
}
