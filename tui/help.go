package tui

// helpLines are the key bindings the help box lists.
func helpLines() [][2]string {
	return [][2]string{
		{"Space", "play / pause (at the end: play again from the start)"},
		{"→  ←", "step to the next / previous event"},
		{"+  −", "faster / slower: ×1/1000 … ×1/50 … ×1 (real time)"},
		{"Home  End", "first / last event"},
		{"Tab  Shift-Tab", "next / previous view"},
		{"1 2 3 4", "ladder, waterfall, congestion window, compare"},
		{"p  P", "next / previous protocol"},
		{"c", "waterfall: resources ↔ connections"},
		{"↑  ↓  click", "waterfall: select a resource (Esc: none)"},
		{"z  Z", "ladder: zoom in / out"},
		{"e", "edit the parameters and run again"},
		{"s", "choose a scenario"},
		{"?", "this help (any key closes it)"},
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
	h := min(len(keys)+len(about)+4, c.h)
	if len(about) > 0 {
		h = min(h+1, c.h)
	}
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
	body := box.sub(2, 1, inner, box.h-2)
	y := 1
	for _, k := range keys {
		body.print(0, y, k[0], st.key)
		body.print(16, y, truncate(k[1], inner-16), st.base)
		y++
	}
	if len(about) > 0 {
		y++
		body.print(0, y, "About "+truncate(orWord(s.lesson.Scenario, "this lesson"), inner-6), st.bold)
		for _, l := range about {
			y++
			body.print(0, y, l, st.base)
		}
	}
}
