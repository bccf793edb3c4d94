package trace_test

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// pageTrace is a page of n resources, each on its own connection: a
// handshake, the request, 20 data packets and their ACKs with a window
// change per ACK, the response, and a TIME-WAIT; about the mix of a
// real trace, where packets and window changes are most records.
func pageTrace(n int) []trace.Record {
	ms := time.Millisecond
	recs := []trace.Record{{Kind: trace.PageStarted, Page: 1}}
	var pkt uint64
	for c := 1; c <= n; c++ {
		t := time.Duration(c) * ms
		add := func(r trace.Record) {
			r.At, r.Conn = t, c
			recs = append(recs, r)
			t += 10 * time.Microsecond
		}
		add(trace.Record{Kind: trace.ResourceQueued, Resource: c, Page: 1, Label: "/r", Len: 20 * 1460})
		add(trace.Record{Kind: trace.StateChanged, Dir: trace.Up, State: trace.SynSent})
		add(trace.Record{Kind: trace.StateChanged, Dir: trace.Up, State: trace.Established})
		add(trace.Record{Kind: trace.RequestSent, Resource: c, Page: 1})
		for i := range 20 {
			pkt++
			add(trace.Record{Kind: trace.PacketSent, Dir: trace.Down, Packet: pkt, Flags: trace.ACK, Seq: int64(1 + i*1460), Len: 1460, Wire: 1500})
			add(trace.Record{Kind: trace.PacketArrived, Dir: trace.Down, Packet: pkt, Flags: trace.ACK, Seq: int64(1 + i*1460), Len: 1460, Wire: 1500})
			pkt++
			add(trace.Record{Kind: trace.PacketSent, Dir: trace.Up, Packet: pkt, Flags: trace.ACK, Ack: int64(1 + (i+1)*1460), Wire: 40})
			add(trace.Record{Kind: trace.CwndChanged, Dir: trace.Down, Cwnd: (11 + i) * 1460, Ssthresh: -1, State: trace.CwndSlowStart})
		}
		add(trace.Record{Kind: trace.FirstByte, Resource: c, Page: 1})
		add(trace.Record{Kind: trace.LastByte, Resource: c, Page: 1, Len: 20 * 1460})
		add(trace.Record{Kind: trace.StateChanged, Dir: trace.Up, State: trace.TimeWait})
	}
	return append(recs, trace.Record{At: recs[len(recs)-1].At, Kind: trace.PageLoaded, Page: 1})
}

// BenchmarkSummarize is the Summarizer's cost per record, which every
// run pays as its records arrive (docs/performance.md).
func BenchmarkSummarize(b *testing.B) {
	recs := pageTrace(50)
	b.ReportAllocs()
	for b.Loop() {
		z := trace.NewSummarizer()
		for i := range recs {
			z.Record(recs[i])
		}
		if s := z.Summary(); s.Connections != 50 || !s.Complete {
			b.Fatalf("summary: %d connections, complete %v", s.Connections, s.Complete)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
}

// BenchmarkStore stores and reads back the records of a 50-connection
// page, as the terminal UI does, against a Log.
func BenchmarkStore(b *testing.B) {
	recs := pageTrace(50)
	b.Run("store", func(b *testing.B) {
		var s trace.Store
		for b.Loop() {
			s.Reset()
			for i := range recs {
				s.Record(recs[i])
			}
			for i := range s.Len() {
				r := s.At(i)
				_ = r
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
	})
	b.Run("log", func(b *testing.B) {
		var l trace.Log
		for b.Loop() {
			l.Reset()
			for i := range recs {
				l.Record(recs[i])
			}
			for i := range l.Records {
				r := l.Records[i]
				_ = r
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(recs)), "ns/record")
	})
}
