package tui

import (
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// synthRun indexes recs as one run of protocol p.
func synthRun(p trace.Protocol, recs []trace.Record) *runIndex {
	run := &Run{Protocol: p, Records: recs, Summary: trace.Summarize(recs)}
	return newRunIndex(run, 100*time.Millisecond)
}

// inspectRun is an HTTP/2 connection over TLS 1.3 on a 10 Mbit/s link:
// a ClientHello, the request for /a.png on stream 3, its HEADERS and two
// DATA segments of which the first is lost and sent again, and a SACK.
func inspectRun() *runIndex {
	ms := func(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
	return synthRun(trace.HTTP2, []trace.Record{
		{At: 0, Kind: trace.ResourceQueued, Resource: 1, Label: "/a.png", Len: 3000},
		{At: 0, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.SynSent},
		{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN, Wire: 52, Wnd: 64240},
		{At: ms(50.0416), Kind: trace.PacketArrived, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN, Wire: 52, Wnd: 64240, Serialized: 41600},
		{At: ms(100), Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.Established},
		{At: ms(100), Kind: trace.TLSStarted, Conn: 1, State: trace.TLS13, Note: trace.TLSResumed},
		{At: ms(100), Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 2, Flags: trace.PSH | trace.ACK, Seq: 1, Ack: 1, Len: 517, Wire: 569, Wnd: 64512, Label: "ClientHello+PSK"},
		{At: ms(151), Kind: trace.PacketArrived, Conn: 1, Dir: trace.Up, Packet: 2, Flags: trace.PSH | trace.ACK, Seq: 1, Ack: 1, Len: 517, Wire: 569, Wnd: 64512, Label: "ClientHello+PSK", Queued: ms(0.5), Serialized: ms(0.5)},
		{At: ms(200), Kind: trace.TLSDone, Conn: 1, State: trace.TLS13},
		{At: ms(200), Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 3, Flags: trace.PSH | trace.ACK, Seq: 518, Ack: 1, Len: 60, Wire: 112, Wnd: 64512, Label: "GET /a.png"},
		{At: ms(200), Kind: trace.RequestSent, Conn: 1, Resource: 1, Stream: 3, Label: "GET /a.png"},
		{At: ms(250), Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 4, Flags: trace.ACK, Seq: 1, Ack: 578, Len: 1448, Wire: 1500, Wnd: 65160, Label: "HEADERS 200 /a.png"},
		{At: ms(251), Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 5, Flags: trace.ACK, Seq: 1449, Ack: 578, Len: 1448, Wire: 1500, Wnd: 65160},
		{At: ms(252.2), Kind: trace.PacketDropped, Conn: 1, Dir: trace.Down, Packet: 5, Flags: trace.ACK, Seq: 1449, Ack: 578, Len: 1448, Wire: 1500, Note: "random loss", Queued: ms(1.2), Serialized: ms(1.2)},
		{At: ms(301.2), Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Packet: 4, Flags: trace.ACK, Seq: 1, Ack: 578, Len: 1448, Wire: 1500, Wnd: 65160, Label: "HEADERS 200 /a.png", Serialized: ms(1.2)},
		{At: ms(301.2), Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 6, Flags: trace.ACK, Seq: 578, Ack: 1449, Wire: 64, Wnd: 64512, Sack: "2897-4345"},
		{At: ms(400), Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 7, Flags: trace.ACK, Seq: 1449, Ack: 578, Len: 1448, Wire: 1500, Wnd: 65160, Retx: true},
		{At: ms(400), Kind: trace.CwndChanged, Conn: 1, Dir: trace.Down, Cwnd: 2896, Ssthresh: -1, State: trace.CwndInitial},
	})
}

// TestInspect: the inspector's rows, field by field, against the records
// they come from.
func TestInspect(t *testing.T) {
	ix := inspectRun()
	rec := func(kind trace.Kind, pkt uint64) int {
		for i := range ix.recs.Len() {
			if r := ix.recs.At(i); r.Kind == kind && r.Packet == pkt {
				return i
			}
		}
		t.Fatalf("no %s record of packet %d", kind, pkt)
		return -1
	}
	for _, tc := range []struct {
		name  string
		rec   int
		title string
		rows  []inspRow
	}{
		{"a SYN, alone on the link", rec(trace.PacketSent, 1),
			"packet 1 · connection 1 · client → server · sent at 0ms",
			[]inspRow{
				{"Link", []string{"52 bytes on the wire", "queue wait 0ms", "serialization 41µs", "propagation 50.0ms"}},
				{"TCP", []string{"flags SYN", "seq 0 (relative)", "window 64240", "length 0", "headers 52 B",
					"options 12 B: which ones, the trace does not say"}},
				{"Fate", []string{"arrived at 50.0ms, 50.0ms after it was sent"}},
			}},
		{"its arrival inspects the same packet", rec(trace.PacketArrived, 1),
			"packet 1 · connection 1 · client → server · sent at 0ms", nil},
		{"a TLS flight that waited in the queue", rec(trace.PacketSent, 2),
			"packet 2 · connection 1 · client → server · sent at 100.0ms",
			[]inspRow{
				{"Link", []string{"569 bytes on the wire", "queue wait 500µs", "serialization 500µs", "propagation 50.0ms"}},
				{"TCP", []string{"flags PSH, ACK", "seq 1 (relative)", "ack 1", "window 64512", "length 517", "headers 52 B", "options: timestamps (12 B)"}},
				{"TLS", []string{"handshake: ClientHello+PSK", "TLS 1.3, resumed handshake"}},
				{"Fate", []string{"arrived at 151.0ms, 51.0ms after it was sent"}},
			}},
		{"an HTTP/2 request", rec(trace.PacketSent, 3),
			"packet 3 · connection 1 · client → server · sent at 200.0ms",
			[]inspRow{
				{"Link", []string{"112 bytes on the wire"}},
				{"TCP", []string{"flags PSH, ACK", "seq 518 (relative)", "ack 1", "window 64512", "length 60", "headers 52 B", "options: timestamps (12 B)"}},
				{"TLS", []string{"application data: it encrypts the HTTP below", "TLS 1.3, resumed handshake"}},
				{"HTTP/2", []string{"frame HEADERS: request GET /a.png", "stream 3", "flags END_STREAM: the request is complete, a GET has no body"}},
				{"Resource", []string{"/a.png (resource 1, 3000 B)"}},
				{"Fate", []string{"neither arrived nor lost by the end of the run"}},
			}},
		{"a lost continuation, sent again", rec(trace.PacketDropped, 5),
			"packet 5 · connection 1 · server → client · sent at 251.0ms",
			[]inspRow{
				{"Link", []string{"1500 bytes on the wire", "queue wait 1.2ms", "serialization 1.2ms", "dropped: random loss"}},
				{"TCP", []string{"flags ACK", "seq 1449 (relative)", "ack 578", "window 65160", "length 1448", "headers 52 B", "options: timestamps (12 B)"}},
				{"TLS", []string{"application data: it encrypts the HTTP below", "TLS 1.3, resumed handshake"}},
				{"HTTP/2", []string{"continues: frame HEADERS: status 200", "stream 3"}},
				{"Resource", []string{"/a.png (resource 1, 3000 B)"}},
				{"Fate", []string{"lost at 252.2ms", "retransmitted as packet 7 at 400.0ms"}},
			}},
		{"the retransmission", rec(trace.PacketSent, 7),
			"packet 7 · connection 1 · server → client · sent at 400.0ms",
			[]inspRow{
				{"Link", []string{"1500 bytes on the wire"}},
				{"TCP", []string{"flags ACK", "seq 1449 (relative)", "ack 578", "window 65160", "length 1448", "headers 52 B", "options: timestamps (12 B)", "retransmission"}},
				{"TLS", []string{"application data: it encrypts the HTTP below", "TLS 1.3, resumed handshake"}},
				{"HTTP/2", []string{"continues: frame HEADERS: status 200", "stream 3"}},
				{"Resource", []string{"/a.png (resource 1, 3000 B)"}},
				{"Fate", []string{"neither arrived nor lost by the end of the run", "a retransmission of packet 5, sent at 251.0ms"}},
			}},
		{"an ACK with SACK", rec(trace.PacketSent, 6),
			"packet 6 · connection 1 · client → server · sent at 301.2ms",
			[]inspRow{
				{"Link", []string{"64 bytes on the wire"}},
				{"TCP", []string{"flags ACK", "seq 578 (relative)", "ack 1449", "window 64512", "length 0", "headers 64 B", "options: timestamps (12 B), SACK with 1 block (12 B)", "SACK 2897-4345"}},
				{"Fate", []string{"neither arrived nor lost by the end of the run"}},
			}},
		{"not a packet", rec(trace.CwndChanged, 0),
			"event cwnd at 400.0ms",
			[]inspRow{{"Record", []string{"connection 1", "side server", "state initial", "cwnd 2896 B", "ssthresh unlimited"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := ix.inspect(tc.rec)
			if in.title != tc.title {
				t.Errorf("title %q\n want %q", in.title, tc.title)
			}
			if tc.rows != nil && !reflect.DeepEqual(in.rows, tc.rows) {
				t.Errorf("rows\n%q\nwant\n%q", in.rows, tc.rows)
			}
		})
	}
}

// TestSummaries: the list's words for each kind of record, against the
// fields they come from.
func TestSummaries(t *testing.T) {
	ix := inspectRun()
	for _, tc := range []struct {
		r    trace.Record
		want eventLine
	}{
		{trace.Record{Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Flags: trace.SYN}, eventLine{conn: "c1", dir: "c→s", text: "sent SYN"}},
		{trace.Record{Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Flags: trace.ACK, Seq: 1, Len: 1448}, eventLine{conn: "c1", dir: "s→c", text: "arrived DATA 1–1448 · 1448 B"}},
		{trace.Record{Kind: trace.PacketDropped, Conn: 1, Dir: trace.Down, Flags: trace.ACK, Seq: 1, Len: 10, Retx: true, Label: "DATA /a.png", Note: "queue full"},
			eventLine{conn: "c1", dir: "s→c", text: "dropped retx DATA /a.png · 10 B (queue full)"}},
		{trace.Record{Kind: trace.CwndChanged, Conn: 1, Dir: trace.Down, Cwnd: 4380, Ssthresh: 2920, State: trace.CwndFastRetransmit},
			eventLine{conn: "c1", text: "cwnd 4380 B, ssthresh 2920 B (fast-retransmit)"}},
		{trace.Record{Kind: trace.StateChanged, Conn: 1, Dir: trace.Down, State: trace.TimeWait}, eventLine{conn: "c1", text: "server TIME-WAIT"}},
		{trace.Record{Kind: trace.Retransmit, Conn: 1, Dir: trace.Down, Seq: 1449, Note: trace.RetxTimeout}, eventLine{conn: "c1", text: "retransmit from seq 1449 (" + trace.RetxTimeout + ")"}},
		{trace.Record{Kind: trace.ResourceQueued, Label: "/a.png", Len: 3000}, eventLine{text: "queued /a.png (3000 B)"}},
		{trace.Record{Kind: trace.TLSStarted, Conn: 1, State: trace.TLS12, Note: trace.TLSFull}, eventLine{conn: "c1", text: "TLS 1.2 handshake starts (full)"}},
		{trace.Record{Kind: trace.RequestSent, Conn: 1, Label: "GET /a.png", Stream: 3}, eventLine{conn: "c1", text: "request GET /a.png · stream 3"}},
		{trace.Record{Kind: trace.LastByte, Conn: 1, Label: "/a.png", Len: 3000}, eventLine{conn: "c1", text: "last byte of /a.png (3000 B)"}},
		{trace.Record{Kind: trace.PageLoaded, Client: 2, Page: 3}, eventLine{text: "client 2: page 3 loaded"}},
		{trace.Record{Kind: trace.RequestRetried, Conn: 2, Label: "/a.png", Note: "reset"}, eventLine{conn: "c2", text: "retry /a.png (reset)"}},
		{trace.Record{Kind: trace.IdleTimeout, Conn: 1, Dir: trace.Up}, eventLine{conn: "c1", text: "client idle timeout"}},
		{trace.Record{Kind: trace.CPUStarted, Conn: 1, Label: trace.WorkFullTLS}, eventLine{conn: "c1", text: "CPU work starts: TLS full handshake"}},
	} {
		ix.recs = trace.StoreOf([]trace.Record{tc.r})
		tc.want.at = tc.r.At
		if got := ix.line(0); got != tc.want {
			t.Errorf("%s: %+v\n want %+v", tc.r.Kind, got, tc.want)
		}
	}
}

// TestInspectReset: a request that reaches a socket whose side answers it
// at once with a reset says so in its fate, naming the reset; a packet
// whose arrival nothing answers that way does not.
func TestInspectReset(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 1, Flags: trace.FIN | trace.ACK, Seq: 100, Wire: 52},
		{At: 1 * ms, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 2, Flags: trace.PSH | trace.ACK, Seq: 1, Len: 300, Wire: 352, Label: "GET /next.html"},
		{At: 50 * ms, Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Packet: 1, Flags: trace.FIN | trace.ACK, Seq: 100, Wire: 52},
		{At: 51 * ms, Kind: trace.PacketArrived, Conn: 1, Dir: trace.Up, Packet: 2, Flags: trace.PSH | trace.ACK, Seq: 1, Len: 300, Wire: 352, Label: "GET /next.html"},
		{At: 51 * ms, Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 3, Flags: trace.RST | trace.ACK, Seq: 101, Wire: 40, Label: "RST"},
		{At: 101 * ms, Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Packet: 3, Flags: trace.RST | trace.ACK, Seq: 101, Wire: 40, Label: "RST"},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: recs}, 100*ms)
	if got := ix.fate(1); len(got) != 2 || got[1] != "answered at once with a reset (packet 3, RST)" {
		t.Errorf("the request's fate %q, want it answered with packet 3's reset", got)
	}
	if got := ix.fate(0); len(got) != 1 {
		t.Errorf("the FIN's fate %q, want its arrival only", got)
	}
}

// TestInspectHeadBytes: a request's or a response's first packet gives
// its head's size as the model sized it, from its RequestSent or
// FirstByte record; a later packet of it, or a trace without sizes, says
// nothing of them.
func TestInspectHeadBytes(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 0, Kind: trace.RequestSent, Conn: 1, Resource: 1, Label: "GET /a", Len: 370},
		{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.PSH | trace.ACK, Seq: 1, Len: 370, Label: "GET /a"},
		{At: 50 * ms, Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 2, Flags: trace.ACK, Seq: 1, Len: 1448, Label: "200 OK /a"},
		{At: 100 * ms, Kind: trace.FirstByte, Conn: 1, Resource: 1, Label: "/a", Len: 250},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: recs}, 100*ms)
	for _, tc := range []struct {
		rec    int
		label  string
		starts bool
		want   string
	}{
		{1, "GET /a", true, "request GET /a · headers 370 B"},
		{2, "200 OK /a", true, "status 200 OK · headers 250 B"},
		{2, "200 OK /a", false, "continues: status 200 OK"},
	} {
		if got := strings.Join(ix.httpFields(&recs[tc.rec], tc.label, tc.starts), " · "); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.label, got, tc.want)
		}
	}
}

// TestInspectEndStream: of a resource's HTTP/2 DATA frames, the
// inspector says END_STREAM only on the packet that begins the last, and
// the HTTP row of that packet says so.
func TestInspectEndStream(t *testing.T) {
	s := newState(basicLesson(t), Options{NoColor: true})
	s.setProto(3)
	ix := s.run()
	var starts []int // packet records that begin a DATA /img3.png frame
	for _, p := range ix.packets {
		r := ix.rec(p.rec)
		if label, begins := ix.message(r); begins && label == "DATA /img3.png" && r.Dir == trace.Down {
			starts = append(starts, p.rec)
		}
	}
	if len(starts) < 2 {
		t.Fatalf("%d DATA frames of /img3.png, want several", len(starts))
	}
	for k, i := range starts {
		r := ix.rec(i)
		got := ix.endsStream(r, "DATA /img3.png", "/img3.png") != ""
		if want := k == len(starts)-1; got != want {
			t.Errorf("frame %d of %d at seq %d: END_STREAM %v, want %v", k+1, len(starts), r.Seq, got, want)
		}
	}
	last := ix.rec(starts[len(starts)-1])
	if fs := strings.Join(ix.httpFields(last, "DATA /img3.png", true), " · "); !strings.Contains(fs, "flags END_STREAM") {
		t.Errorf("the last frame's HTTP row %q", fs)
	}
}

// TestInspectAddresses: with the run's seed known, a packet's TCP row
// gives its connection's ports (the server's 443 under TLS) and its
// sequence and acknowledgement numbers absolute beside the relative
// ones, from trace.AddressesOf, wrapping at 2³²; without the seed, only
// the relative ones.
func TestInspectAddresses(t *testing.T) {
	ms := time.Millisecond
	up := trace.Record{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.PSH | trace.ACK, Seq: 1, Ack: 1, Len: 500, Wire: 552}
	down := trace.Record{At: ms, Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 2, Flags: trace.ACK, Seq: 1, Ack: 501, Wire: 52}
	ix := newRunIndex(&Run{Protocol: trace.HTTP11, Records: []trace.Record{up, down}}, 100*ms)
	if f := tcpFields(&up, ix.addresses(&up)); strings.Contains(strings.Join(f, " "), "ports") {
		t.Errorf("no seed: %q", f)
	}
	seed := uint64(7)
	ix.seed, ix.tls = &seed, true
	a := trace.AddressesOf(7, 1)
	abs := func(isn uint32, rel int64) string { return strconv.FormatUint(uint64(isn+uint32(rel)), 10) }
	want := "ports " + strconv.Itoa(int(a.ClientPort)) + " → 443 · flags PSH, ACK · seq 1 (relative), " + abs(a.ClientISN, 1) +
		" absolute · ack 1 (relative), " + abs(a.ServerISN, 1) + " absolute · window 0 · length 500 · headers 52 B · options: timestamps (12 B)"
	if got := strings.Join(tcpFields(&up, ix.addresses(&up)), " · "); got != want {
		t.Errorf("client → server:\n%s\nwant\n%s", got, want)
	}
	if got := tcpFields(&down, ix.addresses(&down))[0]; got != "ports 443 → "+strconv.Itoa(int(a.ClientPort)) {
		t.Errorf("server → client: %q", got)
	}
}

// TestInspectHost: on a page of several hosts, the inspector names the
// host a packet's connection goes to as its server's end, and an event
// of a connection says its host; on a page of one host it says "server"
// (TestInspect).
func TestInspectHost(t *testing.T) {
	l := hostsLesson(t)
	ix := newRunIndex(&l.Runs[0], l.Params.RTT) // HTTP/1.1: c3 to cdn.example.com
	find := func(ok func(r *trace.Record) bool) int {
		for i := range ix.recs.Len() {
			if ok(ix.rec(i)) {
				return i
			}
		}
		t.Fatal("no such record in the fixture")
		return -1
	}
	packet := func(conn int, flags trace.Flags) func(*trace.Record) bool {
		return func(r *trace.Record) bool { return r.Kind == trace.PacketSent && r.Conn == conn && r.Flags == flags }
	}
	for _, tc := range []struct {
		name, title string
		rec         int
		field       string // a field of its first row, "" for none to check
	}{
		{"a SYN to the CDN", "· connection 3 · client → cdn.example.com · sent at 375.3ms", find(packet(3, trace.SYN)), ""},
		{"its answer", "· connection 3 · cdn.example.com → client · sent at", find(packet(3, trace.SYN|trace.ACK)), ""},
		{"a SYN to the page's host", "· connection 1 · client → www.example.com · sent at 30.0ms", find(packet(1, trace.SYN)), ""},
		{"the connection's host", "event conn-host at 492.7ms",
			find(func(r *trace.Record) bool { return r.Kind == trace.ConnHost && r.Conn == 4 }), "connection 4 to fonts.example.net"},
		{"the server's state", "event state at",
			find(func(r *trace.Record) bool { return r.Kind == trace.StateChanged && r.Conn == 3 && r.Dir == trace.Down }), "side cdn.example.com"},
	} {
		in := ix.inspect(tc.rec)
		if !strings.Contains(in.title, tc.title) {
			t.Errorf("%s: title %q, want it to say %q", tc.name, in.title, tc.title)
		}
		if tc.field != "" && (len(in.rows) == 0 || !slices.Contains(in.rows[0].fields, tc.field)) {
			t.Errorf("%s: fields %q, want %q among them", tc.name, in.rows, tc.field)
		}
	}
}
