package tui

import (
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestTCPOptions: a segment's options are named where its header bytes
// determine them, counted where they do not, and left out in ideal mode.
// Sizes: 40 B of bare IPv4 and TCP headers (RFC 791 §3.1, RFC 9293
// §3.1), 12 of timestamps with their NOPs (RFC 7323 §3.2), 4 + 8 a
// block of SACK (RFC 2018 §3).
func TestTCPOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		r    trace.Record
		want []string
	}{
		{"Linux data: timestamps", trace.Record{Flags: trace.ACK, Len: 1448, Wire: 1500}, []string{"options: timestamps (12 B)"}},
		{"Linux SYN", trace.Record{Flags: trace.SYN, Wire: 60}, []string{"options: MSS, SACK permitted, timestamps, window scale (20 B, as Linux sends them)"}},
		{"RFC profile SYN-ACK", trace.Record{Flags: trace.SYN | trace.ACK, Wire: 44}, []string{"options: MSS (4 B)"}},
		// tcp.syn_header_bytes set to 52: 12 bytes that could be several
		// sets of handshake options, so only counted.
		{"a SYN of 52 B", trace.Record{Flags: trace.SYN, Wire: 52}, []string{"options 12 B: which ones, the trace does not say"}},
		{"a SYN without options", trace.Record{Flags: trace.SYN, Wire: 40}, []string{"no options"}},
		{"RFC profile data", trace.Record{Flags: trace.ACK, Len: 1460, Wire: 1500}, []string{"no options"}},
		{"an ACK with one SACK block", trace.Record{Flags: trace.ACK, Wire: 64, Sack: "2897-4345"},
			[]string{"options: timestamps (12 B), SACK with 1 block (12 B)"}},
		{"a D-SACK and two blocks", trace.Record{Flags: trace.ACK, Wire: 52 + 28, Sack: "D:1-1449 2897-4345 5793-7241"},
			[]string{"options: timestamps (12 B), SACK with 3 blocks (28 B)"}},
		{"SACK without timestamps", trace.Record{Flags: trace.ACK, Wire: 40 + 12, Sack: "2897-4345"},
			[]string{"options: SACK with 1 block (12 B)"}},
		{"header bytes the trace cannot name", trace.Record{Flags: trace.ACK, Len: 100, Wire: 148}, []string{"options 8 B: which ones, the trace does not say"}},
		{"unnamed bytes beside SACK", trace.Record{Flags: trace.ACK, Wire: 40 + 8 + 12, Sack: "1-2"},
			[]string{"options: SACK with 1 block (12 B), 8 B more the trace does not name"}},
		{"ideal mode: no headers", trace.Record{Flags: trace.SYN, Wire: 0}, nil},
		{"fewer bytes than bare headers", trace.Record{Flags: trace.ACK, Len: 10, Wire: 30}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tcpOptions(&tc.r); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestInspectRequestEndStream: an HTTP/2 request's HEADERS frame carries
// END_STREAM when the request has no body (RFC 9113 §8.1), a GET's or a
// HEAD's; a POST's does not say so, and nor does a continuation or an
// HTTP/1.1 request.
func TestInspectRequestEndStream(t *testing.T) {
	ms := time.Millisecond
	const end = "flags END_STREAM: the request is complete, a GET has no body"
	for _, tc := range []struct {
		name   string
		proto  trace.Protocol
		label  string
		starts bool
		want   string
	}{
		{"a GET", trace.HTTP2, "GET /a", true, "frame HEADERS: request GET /a · stream 1 · " + end},
		{"a HEAD", trace.HTTP2, "HEAD /a", true, "frame HEADERS: request HEAD /a · stream 1 · flags END_STREAM: the request is complete, a HEAD has no body"},
		{"a POST may have a body", trace.HTTP2, "POST /a", true, "frame HEADERS: request POST /a · stream 1"},
		{"a GET's continuation", trace.HTTP2, "GET /a", false, "continues: frame HEADERS: request GET /a · stream 1"},
		{"HTTP/1.1 has no frames", trace.HTTP11, "GET /a", true, "request GET /a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := []trace.Record{
				{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.PSH | trace.ACK, Seq: 1, Len: 60, Wire: 112, Label: tc.label},
				{At: 0, Kind: trace.RequestSent, Conn: 1, Resource: 1, Stream: 1, Label: tc.label},
			}
			ix := newRunIndex(&Run{Protocol: tc.proto, Records: recs}, 100*ms)
			if got := strings.Join(ix.httpFields(&recs[0], tc.label, tc.starts), " · "); got != tc.want {
				t.Errorf("%q\nwant %q", got, tc.want)
			}
		})
	}
}

// TestInspectWindowUpdate: a WINDOW_UPDATE frame's row gives the stream
// and the increment its label spells (trace.WindowUpdate), the
// connection's window as stream 0 (RFC 9113 §6.9), and says they are
// not in the trace when the label is bare.
func TestInspectWindowUpdate(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name  string
		label string
		want  string
	}{
		{"a stream's", trace.WindowUpdate(3, 3145728), "frame WINDOW_UPDATE · stream 3 · increment 3145728 B"},
		{"the connection's", trace.WindowUpdate(0, 7864320), "frame WINDOW_UPDATE · stream 0: the connection's window · increment 7864320 B"},
		{"a bare label", trace.WindowUpdateLabel, "frame WINDOW_UPDATE · increment and stream: not in the trace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs := []trace.Record{{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.PSH | trace.ACK, Seq: 1, Len: 35, Wire: 87, Label: tc.label}}
			ix := newRunIndex(&Run{Protocol: trace.HTTP2, Records: recs}, 100*ms)
			label, starts := ix.message(&recs[0])
			if got := strings.Join(ix.httpFields(&recs[0], label, starts), " · "); got != tc.want {
				t.Errorf("%q\nwant %q", got, tc.want)
			}
		})
	}
}

// windowUpdateLesson is a made-up HTTP/2 run without TLS on a 100 ms
// round trip, since no fixture's streams are long enough to need one: a
// handshake, the preface, the request for /big on stream 1, the first
// DATA frames, and the client's WINDOW_UPDATE for the stream, labelled
// as trace.WindowUpdate spells it.
func windowUpdateLesson(t testing.TB) Lesson {
	sent := func(at time.Duration, dir trace.Dir, pkt uint64, f trace.Flags, seq, ack int64, n int, label string) []trace.Record {
		r := trace.Record{At: at, Kind: trace.PacketSent, Conn: 1, Dir: dir, Packet: pkt, Flags: f, Seq: seq, Ack: ack, Len: n, Wire: n + 52, Wnd: 64512, Label: label}
		a := r
		a.Kind, a.At = trace.PacketArrived, at+ms(50)
		return []trace.Record{r, a}
	}
	var recs []trace.Record
	add := func(rs ...trace.Record) { recs = append(recs, rs...) }
	up, down, ack := trace.Up, trace.Down, trace.ACK
	add(trace.Record{At: 0, Kind: trace.ResourceQueued, Resource: 1, Label: "/big", Len: 100000})
	add(sent(0, up, 1, trace.SYN, 0, 0, 0, "SYN")...)
	add(sent(ms(50), down, 2, trace.SYN|ack, 0, 1, 0, "SYN, ACK")...)
	add(sent(ms(100), up, 3, trace.PSH|ack, 1, 1, 63, "PREFACE+SETTINGS")...)
	add(sent(ms(100), up, 4, trace.PSH|ack, 64, 1, 40, "GET /big")...)
	add(trace.Record{At: ms(100), Kind: trace.RequestSent, Conn: 1, Resource: 1, Stream: 1, Label: "GET /big", Len: 40})
	add(sent(ms(150), down, 5, ack, 1, 104, 1448, "HEADERS 200 /big")...)
	add(sent(ms(151), down, 6, ack, 1449, 104, 1448, "")...)
	add(sent(ms(201), up, 7, trace.PSH|ack, 104, 2897, 13, trace.WindowUpdate(1, 32768))...)
	sortRecords(recs)
	return Lesson{
		Scenario: "window-update", Description: "a stream's WINDOW_UPDATE (made up)",
		Params: Params{RTT: 100 * time.Millisecond, Bandwidth: 10_000_000, InitialWindow: 10, Parallel: 1, TLS: "none"},
		Runs:   []Run{{Protocol: trace.HTTP2, Records: recs, Summary: trace.Summarize(recs)}},
	}
}

// sortRecords puts records in time order, keeping the order of those at
// the same time.
func sortRecords(recs []trace.Record) {
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].At < recs[j].At })
}
