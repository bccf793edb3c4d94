package tui

import (
	"regexp"
	"testing"
)

// TestWaterfallPageZoom: z in the waterfall shows the playhead's page on
// its own clock (its navigation start at 0), Z every page again; on a
// one-page run z says there is nothing to zoom; in the ladder z and Z
// still zoom by round trips.
func TestWaterfallPageZoom(t *testing.T) {
	s := newState(raceLesson(t), Options{NoColor: true})
	s.setView(viewWaterfall)
	ix := s.run()
	if len(ix.pages) != 2 {
		t.Fatalf("%d pages, want the close race's 2", len(ix.pages))
	}
	s.player.Seek(ms(5300))
	press(s, 'z')
	rows := ix.waterfallRows(s.at(), s.wfPage)
	if !s.wfPage || rows.page != 2 || rows.start != ix.pages[1].from || len(rows.res) != 1 || rows.res[0].Queued != 0 {
		t.Fatalf("z: page %d from %v, %d rows (first queued at %v); want page 2 from %v, 1 row queued at 0",
			rows.page, rows.start, len(rows.res), rows.res[0].Queued, ix.pages[1].from)
	}
	if got := rows.resource(0); ix.run.Summary.Resources[got].Page != 2 {
		t.Errorf("row 0 is resource %d of page %d", got, ix.run.Summary.Resources[got].Page)
	}
	s.player.Seek(ms(100))
	if rows := ix.waterfallRows(s.at(), s.wfPage); rows.page != 1 {
		t.Errorf("at 100ms zoomed: page %d, want 1", rows.page)
	}
	press(s, 'Z')
	if rows := ix.waterfallRows(s.at(), s.wfPage); s.wfPage || rows.page != 0 || len(rows.res) != 2 {
		t.Errorf("Z: zoomed %v, page %d, %d rows; want every page's 2", s.wfPage, rows.page, len(rows.res))
	}

	one := newState(basicLesson(t), Options{NoColor: true})
	one.setView(viewWaterfall)
	if press(one, 'z'); one.wfPage || one.message != "one page: the waterfall already shows it whole" {
		t.Errorf("z on one page: zoomed %v, message %q", one.wfPage, one.message)
	}
	one.setView(viewLadder)
	before := one.rowsPerRTT
	if press(one, 'z'); one.rowsPerRTT != min(before*2, maxRowsPerRTT) {
		t.Errorf("ladder z: %d rows per RTT, want %d", one.rowsPerRTT, min(before*2, maxRowsPerRTT))
	}
}

// TestMomentBarAgreesWithTheLine: at every key moment n goes to, the
// time axis's count names the moment the explanation line tells, also
// when several moments share an instant.
func TestMomentBarAgreesWithTheLine(t *testing.T) {
	for _, l := range []Lesson{raceLesson(t), basicLesson(t)} { // the generic moments: connections open together
		momentsAgree(t, newState(l, Options{NoColor: true}))
	}
}

func momentsAgree(t *testing.T, s *state) {
	n := len(s.run().moments)
	line := regexp.MustCompile(`◆ ([0-9]+)/([0-9]+) `)
	bar := regexp.MustCompile(` ([0-9]+)/([0-9]+) moments`)
	for k := 0; k < n; k++ {
		text := string(render(t, newFrame(s), 100, 30))
		l, b := line.FindStringSubmatch(text), bar.FindStringSubmatch(text)
		if l == nil || b == nil || l[1] != b[1] || l[2] != b[2] {
			t.Fatalf("moment %d: the line says %v, the axis %v:\n%s", k+1, l, b, text)
		}
		press(s, 'n')
	}
}
