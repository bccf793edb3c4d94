package tui

// helpLines are the key bindings the help box lists.
func helpLines() [][2]string {
	return [][2]string{
		{"Space", "play / pause (at the end: play again from the start)"},
		{"→  ←", "step to the next / previous event"},
		{"+  −", "faster / slower: ×1/1000 … ×1/50 … ×1 (real time)"},
		{"n  N", "next / previous key moment of the lesson, paused there"},
		{"g", "go to a typed time (5.15s, 300ms), paused there"},
		{"Home  End", "first / last event"},
		{"Tab  Shift-Tab", "next / previous view"},
		{"1 2 3 4", "ladder, waterfall, congestion window, compare"},
		{"p  P", "next / previous protocol"},
		{"c", "waterfall: resources ↔ connections"},
		{"↑  ↓  click", "waterfall: select a resource (Esc: none)"},
		{"z  Z", "zoom: ladder (Z at widest: whole run); waterfall: a page"},
		{"w", "ladder: the whole run, idle times collapsed (w: back)"},
		{"x", "ladder: name every packet of a row, not one and +N"},
		{"l", "event list: every event around the playhead (↑↓ move it)"},
		{"Enter  click", "inspect the event or the ladder's packet (Esc: back)"},
		{"/", "event list: find text (Enter: next match, Esc: done)"},
		{"f  L  m", "event list: this connection only, a layer, key moments"},
		{"e", "edit any setting (the last field: by name) and run again"},
		{"s", "choose a scenario"},
		{"S", "save the screen as text and an SVG image (for slides)"},
		{"W", "write this protocol's packets as a Wireshark capture"},
		{"?", "this help (↑↓ scroll it, any other key closes it)"},
		{"q  Ctrl-C", "quit"},
	}
}

// drawHelp draws a box with every key binding and the lesson's
// narrative, centred on c.
func drawHelp(c canvas, s *state) {
	st := s.st
	keys := helpLines()
	w := min(c.w-2, 76)
	inner := w - 4
	var about []string
	if s.lesson.Description != "" || s.lesson.Narrative != "" {
		text := s.lesson.Description
		if s.lesson.Narrative != "" {
			if text != "" {
				text += "\n\n"
			}
			text += s.lesson.Narrative
		}
		about = wrap(text, inner)
	}
	// The box's text, a line each: the keys, then what the lesson is
	// about. A screen too short for it shows a window of it, from
	// s.helpTop, which ↑↓ move.
	type line struct {
		key, text string
		bold      bool
	}
	lines := []line{{}}
	for _, k := range keys {
		lines = append(lines, line{key: k[0], text: truncate(k[1], inner-16)})
	}
	if len(about) > 0 {
		lines = append(lines, line{}, line{text: "About " + truncate(orWord(s.lesson.Scenario, "this lesson"), inner-6), bold: true})
		for _, l := range about {
			lines = append(lines, line{text: l})
		}
	}
	if len(about) == 0 {
		lines = append(lines, line{}) // a margin below the keys
	}
	h := min(len(lines)+2, c.h)
	rows := max(h-2, 0)                                 // text rows inside the border
	s.helpTop = min(s.helpTop, max(len(lines)-rows, 0)) // never past the last line
	box := c.sub((c.w-w)/2, (c.h-h)/2, w, h)
	box.fill(' ', st.base)
	for x := 1; x < box.w-1; x++ {
		box.set(x, 0, '─', st.base)
		box.set(x, box.h-1, '─', st.base)
	}
	for y := 1; y < box.h-1; y++ {
		box.set(0, y, '│', st.base)
		box.set(box.w-1, y, '│', st.base)
	}
	box.set(0, 0, '┌', st.base)
	box.set(box.w-1, 0, '┐', st.base)
	box.set(0, box.h-1, '└', st.base)
	box.set(box.w-1, box.h-1, '┘', st.base)
	box.print(2, 0, " keys ", st.bold)
	switch {
	case s.helpTop+rows < len(lines) && s.helpTop > 0:
		box.print(box.w-16, box.h-1, " ↑↓ more ", st.bold)
	case s.helpTop+rows < len(lines):
		box.print(box.w-16, box.h-1, " ↓ more ", st.bold)
	case s.helpTop > 0:
		box.print(box.w-16, box.h-1, " ↑ more ", st.bold)
	}
	body := box.sub(2, 1, inner, rows)
	for y, l := range lines[s.helpTop:min(s.helpTop+rows, len(lines))] {
		switch {
		case l.bold:
			body.print(0, y, l.text, st.bold)
		case l.key != "":
			body.print(0, y, l.key, st.key)
			body.print(16, y, l.text, st.base)
		default:
			body.print(0, y, l.text, st.base)
		}
	}
}
