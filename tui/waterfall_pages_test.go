package tui

import (
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
