package tui

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// objectsLesson is a synthetic page of n objects fetched over 6
// connections, a request every 2 ms: each its queued, request and
// response milestones, a request packet and three response segments,
// each sent and arrived, with an ACK back.
func objectsLesson(n int) Lesson {
	var recs []trace.Record
	var pkt uint64
	const oneWay = 50 * time.Millisecond
	packet := func(at time.Duration, conn int, d trace.Dir, seq int64, size int, label string) {
		pkt++
		r := trace.Record{At: at, Kind: trace.PacketSent, Conn: conn, Dir: d, Packet: pkt, Flags: trace.ACK, Seq: seq, Len: size, Wire: size + 52, Label: label}
		recs = append(recs, r)
		r.At, r.Kind, r.Serialized = at+oneWay, trace.PacketArrived, 1200*time.Microsecond
		recs = append(recs, r)
	}
	seq := [7][3]int64{}
	for k := 1; k <= n; k++ {
		at := time.Duration(k) * 2 * time.Millisecond
		conn := 1 + k%6
		path := fmt.Sprintf("/o%d.png", k)
		recs = append(recs,
			trace.Record{At: 0, Kind: trace.ResourceQueued, Resource: k, Label: path, Len: 4000},
			trace.Record{At: at, Kind: trace.RequestSent, Conn: conn, Resource: k, Label: "GET " + path})
		packet(at, conn, trace.Up, 1+seq[conn][trace.Up], 300, "GET "+path)
		seq[conn][trace.Up] += 300
		recs = append(recs, trace.Record{At: at + oneWay + time.Millisecond, Kind: trace.FirstByte, Conn: conn, Resource: k, Label: path})
		for j := range 3 {
			label := ""
			if j == 0 {
				label = "200 OK " + path
			}
			packet(at+oneWay+time.Duration(j)*time.Millisecond, conn, trace.Down, 1+seq[conn][trace.Down], 1448, label)
			seq[conn][trace.Down] += 1448
		}
		packet(at+2*oneWay+3*time.Millisecond, conn, trace.Up, 1+seq[conn][trace.Up], 0, "")
		recs = append(recs, trace.Record{At: at + 2*oneWay + 3*time.Millisecond, Kind: trace.LastByte, Conn: conn, Resource: k, Label: path, Len: 4000})
	}
	slices.SortStableFunc(recs, byTime)
	return Lesson{
		Scenario: "objects", Params: Params{RTT: 2 * oneWay, Objects: n},
		Runs: []Run{{Protocol: trace.HTTP11, Records: recs, Summary: trace.Summarize(recs)}},
	}
}

// eventPaneSetups open the pane the ways the benchmarks draw it.
var eventPaneSetups = []struct {
	name  string
	setup func(*state)
}{
	{"list", func(s *state) { s.ev.open = true }},
	{"list-conn", func(s *state) { s.ev.open, s.ev.filter.conn = true, 3 }},
	{"list-http", func(s *state) { s.ev.open, s.ev.filter.layer = true, layerHTTP }},
	{"inspector", func(s *state) {
		s.ev.open = true
		s.ev.insp = s.run().inspect(s.run().packetAt(s.at()))
	}},
}

// TestScrubWithEventList scrubs a 1,000-object page with the event list
// open, as a 30 fps replay draws it, under each filter: the whole trace
// is filtered once per filter, never per frame (the list finds its rows
// around the playhead by binary search). How long a frame takes is
// BenchmarkFrameEventList's (docs/performance.md), not a test's.
func TestScrubWithEventList(t *testing.T) {
	s := newState(objectsLesson(1000), Options{})
	screen := simScreen(t, 100, 30)
	f := newFrame(s)
	f.SetRect(0, 0, 100, 30)
	filtered := 0
	for _, p := range eventPaneSetups {
		p.setup(s)
		if s.ev.filter != (eventFilter{}) {
			filtered++
		}
		for range 50 {
			s.player.Advance(time.Second / 30)
			f.Draw(screen)
		}
		s.player.SetPaused(false)
	}
	if b := s.ev.cache.builds; b > filtered {
		t.Errorf("150 frames under %d filters filtered the whole trace %d times, want at most once a filter", filtered, b)
	}
}

// BenchmarkFrameEventList draws the ladder with the event pane open on
// a 1,000-object page, the playhead moving as it plays.
func BenchmarkFrameEventList(b *testing.B) {
	s := newState(objectsLesson(1000), Options{})
	screen := simScreen(b, 100, 30)
	f := newFrame(s)
	f.SetRect(0, 0, 100, 30)
	first, last := s.player.Span()
	for _, p := range eventPaneSetups {
		b.Run(p.name, func(b *testing.B) {
			s.ev = eventsState{}
			p.setup(s)
			i := 0
			for b.Loop() {
				s.player.Seek(first + (last-first)*time.Duration(i%97)/97)
				f.Draw(screen)
				i++
			}
		})
	}
}
