package tui

import (
	"slices"
	"testing"
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// bigLesson is a synthetic trace of about n records: a bulk download on
// 4 connections, a segment every 1.2 ms with an ACK back and a window
// change for each ACK, over a 100 ms RTT.
func bigLesson(n int) Lesson {
	var recs []trace.Record
	var pkt uint64
	add := func(r trace.Record) { recs = append(recs, r) }
	const oneWay = 50 * time.Millisecond
	for i := 0; len(recs) < n; i++ {
		at := time.Duration(i) * 1200 * time.Microsecond
		conn := 1 + i%4
		pkt++
		seq := int64(1 + 1460*(i/4))
		add(trace.Record{At: at, Kind: trace.PacketSent, Conn: conn, Dir: trace.Down, Packet: pkt, Flags: trace.ACK, Seq: seq, Len: 1460})
		add(trace.Record{At: at + oneWay, Kind: trace.PacketArrived, Conn: conn, Dir: trace.Down, Packet: pkt, Flags: trace.ACK, Seq: seq, Len: 1460})
		pkt++
		add(trace.Record{At: at + oneWay, Kind: trace.PacketSent, Conn: conn, Dir: trace.Up, Packet: pkt, Flags: trace.ACK, Ack: seq + 1460})
		add(trace.Record{At: at + 2*oneWay, Kind: trace.PacketArrived, Conn: conn, Dir: trace.Up, Packet: pkt, Flags: trace.ACK, Ack: seq + 1460})
		add(trace.Record{At: at + 2*oneWay, Kind: trace.CwndChanged, Conn: conn, Dir: trace.Down, Cwnd: 14600 + 10*i, Ssthresh: -1})
	}
	slices.SortStableFunc(recs, byTime) // in time order, as a run logs them
	return Lesson{
		Scenario: "big", Params: Params{RTT: 2 * oneWay},
		Runs: []Run{{Protocol: trace.HTTP11, Records: recs, Summary: trace.Summarize(recs)}},
	}
}

// drawAll draws every view of s at its playhead.
func drawAll(s *state, screen tcell.Screen, f *frame) {
	for v := view(0); v < numViews; v++ {
		s.view = v
		f.Draw(screen)
		if v == viewWaterfall {
			s.conns = !s.conns
			f.Draw(screen)
		}
	}
}

// TestScrubBigTrace scrubs a 10,000-record trace event by event, both
// ways, drawing every view at each step. How long a frame takes is
// BenchmarkFrame's (docs/performance.md), not a test's.
func TestScrubBigTrace(t *testing.T) {
	s := newState(bigLesson(10_000), Options{})
	screen := simScreen(t, 100, 30)
	f := newFrame(s)
	f.SetRect(0, 0, 100, 30)
	steps := 0
	for !s.player.AtEnd() && steps < 150 {
		s.player.Step(1)
		drawAll(s, screen, f)
		steps++
	}
	s.player.End()
	for range 50 {
		s.player.Step(-1)
		drawAll(s, screen, f)
		steps++
	}
	if steps < 150 {
		t.Errorf("%d steps, want 150 and more over %d records", steps, len(s.lesson.Runs[0].Records))
	}
}

func BenchmarkFrame(b *testing.B) {
	s := newState(bigLesson(10_000), Options{})
	screen := simScreen(b, 100, 30)
	f := newFrame(s)
	f.SetRect(0, 0, 100, 30)
	first, last := s.player.Span()
	for v := view(0); v < numViews; v++ {
		b.Run(v.name(), func(b *testing.B) {
			s.view = v
			s.syncPlayer()
			i := 0
			for b.Loop() {
				s.player.Seek(first + (last-first)*time.Duration(i%97)/97)
				f.Draw(screen)
				i++
			}
		})
	}
	// The whole run draws every packet sent by the playhead, not a
	// window's.
	b.Run("Ladder-whole", func(b *testing.B) {
		s.view, s.lad.whole = viewLadder, true
		s.syncPlayer()
		i := 0
		for b.Loop() {
			s.player.Seek(first + (last-first)*time.Duration(i%97)/97)
			f.Draw(screen)
			i++
		}
	})
}

func BenchmarkIndex(b *testing.B) {
	l := bigLesson(10_000)
	for b.Loop() {
		newRunIndex(&l.Runs[0], l.Params.RTT)
	}
}
