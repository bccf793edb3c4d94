package tui

import (
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestClickLadderPacket: a click on a packet's row of the ladder, between
// the lanes, inspects that packet; a click on the time axis or below the
// last row inspects nothing.
func TestClickLadderPacket(t *testing.T) {
	s := newState(basicLesson(t), Options{NoColor: true})
	s.player.Seek(ms(60)) // the SYN and the SYN-ACK on screen
	const w, h = 100, 30
	rows := strings.Split(string(render(t, newFrame(s), w, h)), "\n")
	y := -1
	for i, r := range rows {
		if strings.Contains(r, "SYN, ACK") {
			y = i
			break
		}
	}
	if y < 0 {
		t.Fatalf("no SYN-ACK on screen:\n%s", strings.Join(rows, "\n"))
	}
	if !s.click(w/2, y, w, h) || s.ev.insp == nil {
		t.Fatalf("a click on the SYN-ACK's row inspects nothing")
	}
	if r := s.run().recs.At(s.run().packets[s.ev.insp.pkt].rec); r.Flags != trace.SYN|trace.ACK {
		t.Errorf("the click inspects a %s packet, want the SYN-ACK", r.Flags)
	}
	s.ev.insp = nil
	if s.click(2, y, w, h) || s.ev.insp != nil {
		t.Errorf("a click on the time axis inspects %+v", s.ev.insp)
	}
}
