package trace_test

import (
	"bytes"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

func TestFlagsString(t *testing.T) {
	for _, tc := range []struct {
		f    trace.Flags
		want string
	}{
		{trace.SYN, "SYN"},
		{trace.SYN | trace.ACK, "SYN, ACK"},
		{trace.FIN | trace.PSH | trace.ACK, "FIN, PSH, ACK"},
		{trace.RST | trace.ACK, "RST, ACK"},
		{trace.SYN | trace.FIN, "FIN, SYN"}, // unusual: built in Wireshark's order, not looked up
		{0, ""},
	} {
		if got := tc.f.String(); got != tc.want {
			t.Errorf("%#x: %q, want %q", uint8(tc.f), got, tc.want)
		}
	}
}

func TestMillis(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{1500 * time.Microsecond, "1.500000"},
		{2003 * time.Millisecond, "2003.000000"},
		{1, "0.000001"},
		{-1500 * time.Microsecond, "-1.500000"},
		{0, "0.000000"},
	} {
		if got := trace.Millis(tc.d); got != tc.want {
			t.Errorf("Millis(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		r    trace.Record
		want string
	}{
		{trace.Record{Kind: trace.PacketSent, Flags: trace.ACK, Seq: 1461, Len: 1460}, "DATA 1461–2920"},
		{trace.Record{Kind: trace.PacketSent, Flags: trace.SYN | trace.ACK}, "SYN, ACK"},
		{trace.Record{Kind: trace.PacketSent, Flags: trace.PSH | trace.ACK, Len: 300, Label: "GET /img3.png"}, "GET /img3.png"},
	} {
		if got := tc.r.Describe(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.r, got, tc.want)
		}
	}
}

// TestSummarize checks the derived metrics on a small hand-written trace:
// two pages, one retried request, a TIME-WAIT on each side, a server
// connection idle for 3 s and a backlog wait of 2 s.
func TestSummarize(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 0, Kind: trace.PageStarted, Page: 1},
		{At: 0, Kind: trace.ResourceQueued, Resource: 1, Label: "/", Len: 1000},
		{At: 0, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.SynSent},
		{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN, Wire: 40},
		{At: 50 * ms, Kind: trace.Accepted, Conn: 1},
		{At: 50 * ms, Kind: trace.ServerIdle, Conn: 1},
		{At: 100 * ms, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.Established},
		{At: 100 * ms, Kind: trace.RequestSent, Conn: 1, Resource: 1},
		{At: 150 * ms, Kind: trace.ServerBusy, Conn: 1},
		{At: 150 * ms, Kind: trace.ServerIdle, Conn: 1},
		{At: 200 * ms, Kind: trace.FirstByte, Conn: 1, Resource: 1},
		{At: 250 * ms, Kind: trace.LastByte, Conn: 1, Resource: 1, Len: 1000},
		{At: 250 * ms, Kind: trace.PageLoaded, Page: 1},
		{At: 1000 * ms, Kind: trace.PageStarted, Page: 2},
		{At: 1000 * ms, Kind: trace.RequestSent, Conn: 1, Resource: 2},
		{At: 1100 * ms, Kind: trace.RequestRetried, Conn: 1, Resource: 2},
		{At: 1200 * ms, Kind: trace.Backlogged, Conn: 2},
		{At: 3150 * ms, Kind: trace.StateChanged, Conn: 1, Dir: trace.Down, State: trace.TimeWait},
		{At: 3150 * ms, Kind: trace.SlotReleased, Conn: 1},
		{At: 3200 * ms, Kind: trace.Accepted, Conn: 2},
		{At: 3300 * ms, Kind: trace.RequestSent, Conn: 2, Resource: 2},
		{At: 3500 * ms, Kind: trace.LastByte, Conn: 2, Resource: 2},
		{At: 3500 * ms, Kind: trace.PageLoaded, Page: 2},
		{At: 4000 * ms, Kind: trace.StateChanged, Conn: 2, Dir: trace.Up, State: trace.TimeWait},
		{At: 5000 * ms, Kind: trace.StateChanged, Conn: 1, Dir: trace.Down, State: trace.Closed},
	}
	s := trace.Summarize(recs)
	checks := []struct {
		name      string
		got, want any
	}{
		{"pages", s.Pages, 2},
		{"page loads", len(s.PageLoads), 2},
		{"mean page load", s.PageLoad, (250*ms + 2500*ms) / 2},
		{"complete", s.Complete, true},
		{"ttfb", s.TTFB, 200 * ms},
		{"connections", s.Connections, 1},
		{"packets", s.Packets, 1},
		{"wire bytes", s.WireBytes, 40},
		{"retried", s.RetriedRequests, 1},
		{"race cost", s.RaceCost, 2300 * ms}, // resent at 3.3 s, first sent at 1 s
		{"backlog wait", s.BacklogWait, 2000 * ms},
		{"idle slot-seconds", s.IdleSlot.Seconds(), 0.1 + 3.0}, // 50–150 ms and 150 ms–3.15 s
		{"TIME-WAIT peak server", s.TimeWaitPeakServer, 1},
		{"TIME-WAIT peak client", s.TimeWaitPeakClient, 1},
		{"resource 1 connect", s.Resources[0].ConnectEnd, 100 * ms},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestWriteJSONLOmitsZeroFields(t *testing.T) {
	var b bytes.Buffer
	err := trace.WriteJSONL(&b, []trace.Record{{At: 1500, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Flags: trace.SYN, Wire: 40, Label: "SYN"}})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"at_ns":1500,"kind":"packet-sent","conn":1,"dir":"up","flags":"SYN","wire":40,"label":"SYN"}` + "\n"
	if b.String() != want {
		t.Errorf("got %s want %s", b.String(), want)
	}
}

// ExampleWriteCSV writes a handshake's first packet as CSV.
func ExampleWriteCSV() {
	recs := []trace.Record{
		{At: 0, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN, Wire: 40},
		{At: 50 * time.Millisecond, Kind: trace.PacketArrived, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN, Wire: 40, Serialized: 32 * time.Microsecond},
	}
	if err := trace.WriteCSV(os.Stdout, recs); err != nil {
		panic(err)
	}
	// Output:
	// at_ms,kind,conn,dir,packet,flags,seq,ack,len,wire,wnd,retx,cwnd,ssthresh,state,label,resource,stream,note,client,page,sack,queue_ms,tx_ms
	// 0.000000,packet-sent,1,up,1,SYN,0,0,0,40,0,false,0,0,,SYN,0,0,,0,0,,0.000000,0.000000
	// 50.000000,packet-arrived,1,up,1,SYN,0,0,0,40,0,false,0,0,,SYN,0,0,,0,0,,0.000000,0.032000
}

func TestKindNames(t *testing.T) {
	for k := trace.PacketSent; k <= trace.OriginConn; k++ {
		if strings.HasPrefix(k.String(), "kind(") {
			t.Errorf("kind %d has no name", k)
		}
	}
}

// TestJSONLRoundTrip: ReadJSONL gives back exactly what WriteJSONL wrote,
// labels included (a computed "DATA 1–1460" or flags label becomes empty
// again, a real one such as an HTTP/2 frame's "DATA /a.png" stays).
func TestJSONLRoundTrip(t *testing.T) {
	recs := []trace.Record{
		{At: 1, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: 1, Flags: trace.SYN},
		{At: 2, Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Packet: 2, Flags: trace.SYN | trace.ACK, Wnd: 65535, Queued: 3, Serialized: 4},
		{At: 3, Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 3, Flags: trace.ACK, Seq: 1, Len: 1460, Wire: 1500},
		{At: 4, Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: 4, Flags: trace.PSH | trace.ACK, Seq: 1461, Len: 900, Label: "DATA /a.png"},
		{At: 5, Kind: trace.PacketDropped, Conn: 1, Dir: trace.Up, Packet: 5, Flags: trace.ACK, Label: "keep-alive probe", Note: "random loss", Retx: true},
		{At: 6, Kind: trace.CwndChanged, Conn: 1, Dir: trace.Down, Cwnd: 14600, Ssthresh: -1, State: trace.CwndSlowStart, Note: "rfc5681", Len: 2920},
		{At: 7, Kind: trace.PageFailed, Client: 2, Page: 3, Note: "the request for /x failed: reset"},
		{At: 8, Kind: trace.RunStopped, State: trace.StopMaxTime, Note: "stopped"},
	}
	var b strings.Builder
	if err := trace.WriteJSONL(&b, recs); err != nil {
		t.Fatal(err)
	}
	back, err := trace.ReadJSONL(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, recs) {
		t.Errorf("round trip changed the records:\n got %+v\nwant %+v", back, recs)
	}
	for _, bad := range []string{`{"at_ns":1,"kind":"nonsense"}`, `{"at_ns":1,"kind":"cwnd","dir":"sideways"}`, `{"at_ns":1,"kind":"packet-sent","flags":"SYN, URG"}`, `{`} {
		if _, err := trace.ReadJSONL(strings.NewReader(bad + "\n")); err == nil || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ReadJSONL(%s): error %v, want one naming line 1", bad, err)
		}
	}
}

// TestSavedRoundTrip: runs written by a JSONLWriter come back from
// ReadSaved with their headers and records; a file of bare records is one
// run without a header.
func TestSavedRoundTrip(t *testing.T) {
	runs := []trace.SavedRun{
		{Info: trace.RunInfo{Protocol: trace.HTTP10, Scenario: "s", RTT: 100 * time.Millisecond, Bandwidth: -1, IW: -1, TLS: "none",
			// Every field of a moment, in words: a replay jumps where the live lesson did.
			Moments: []trace.Moment{
				{Name: "fin", Say: "the {side}'s FIN", Protocols: []trace.Protocol{trace.HTTP11, trace.HTTP2}, Kind: trace.PacketSent,
					Dir: trace.Down, Flags: trace.FIN | trace.ACK, Label: "FIN", Page: 2, Client: 1, Nth: 0},
				{Say: "TIME-WAIT ends", Kind: trace.StateChanged, State: trace.Closed, From: trace.TimeWait, After: "fin", Conn: trace.SameConn, Nth: 1},
				{Say: "a timeout", Kind: trace.Retransmit, Note: trace.RetxTimeout, Nth: 2},
			}},
			Records: []trace.Record{{At: 1, Kind: trace.PageStarted, Page: 1}, {At: 5, Kind: trace.PageLoaded, Page: 1}}},
		{Info: trace.RunInfo{Protocol: trace.HTTP2, Scenario: "s", Loss: 0.01},
			Records: []trace.Record{{At: 2, Kind: trace.RequestFailed, Note: "why\nnot", Label: "/a"}}},
	}
	var b strings.Builder
	w := trace.NewJSONLWriter(&b)
	for _, r := range runs {
		w.StartRun(r.Info)
		for _, rec := range r.Records {
			w.Record(rec)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := trace.ReadSaved(strings.NewReader(b.String()))
	if err != nil || !reflect.DeepEqual(got, runs) {
		t.Fatalf("ReadSaved = %+v, %v\nwant %+v", got, err, runs)
	}
	var bare strings.Builder
	if err := trace.WriteJSONL(&bare, runs[0].Records); err != nil {
		t.Fatal(err)
	}
	got, err = trace.ReadSaved(strings.NewReader(bare.String()))
	if err != nil || len(got) != 1 || !reflect.DeepEqual(got[0].Info, trace.RunInfo{}) || !reflect.DeepEqual(got[0].Records, runs[0].Records) {
		t.Errorf("bare records: %+v, %v", got, err)
	}
	if _, err := trace.ReadSaved(strings.NewReader("")); err == nil {
		t.Error("an empty file read as a saved trace")
	}
}

// TestStateNames: every state has its saved word, reads back as itself on
// a record of its kind, and the TCP states are spelt as RFC 9293 §3.3.2
// spells them.
func TestStateNames(t *testing.T) {
	for _, tc := range []struct {
		kind   trace.Kind
		states []trace.State
		words  string
	}{
		{trace.StateChanged, []trace.State{trace.Closed, trace.Listen, trace.SynSent, trace.SynReceived, trace.Established,
			trace.FinWait1, trace.FinWait2, trace.CloseWait, trace.Closing, trace.LastAck, trace.TimeWait},
			"CLOSED LISTEN SYN-SENT SYN-RECEIVED ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 CLOSE-WAIT CLOSING LAST-ACK TIME-WAIT"},
		{trace.CwndChanged, []trace.State{trace.CwndInitial, trace.CwndSynLost, trace.CwndSlowStart, trace.CwndAvoidance,
			trace.CwndFastRetransmit, trace.CwndRecovery, trace.CwndPartialAck, trace.CwndRecovered, trace.CwndTimeout,
			trace.CwndRestart, trace.CwndHyStart, trace.CwndLoss, trace.CwndPRR, trace.CwndProbeLoss, trace.CwndUndo, trace.CwndAppLimited},
			"initial syn-lost slow-start avoidance fast-retransmit fast-recovery partial-ack recovered timeout restart hystart loss prr probe-loss undo app-limited"},
		{trace.RunStopped, []trace.State{trace.StopMaxTime, trace.StopMaxEvents, trace.StopMaxMemory, trace.StopTraceFull}, "max_time max_events max_memory trace_full"},
		{trace.TLSStarted, []trace.State{trace.TLS12, trace.TLS13}, "1.2 1.3"},
		{trace.TLSDone, []trace.State{trace.TLS12, trace.TLS13}, "1.2 1.3"},
		{trace.Retransmit, []trace.State{trace.SynLinear}, "linear"},
	} {
		var words []string
		for _, s := range tc.states {
			words = append(words, s.String())
			back, err := trace.ParseState(tc.kind, s.String())
			if err != nil || back != s {
				t.Errorf("ParseState(%s, %q) = %v, %v; want %v", tc.kind, s, back, err, s)
			}
			if got := s.IsTCP(); got != (tc.kind == trace.StateChanged) {
				t.Errorf("%v.IsTCP() = %v", s, got)
			}
		}
		if got := strings.Join(words, " "); got != tc.words {
			t.Errorf("%s states: %q, want %q", tc.kind, got, tc.words)
		}
	}
	if trace.NoState.String() != "" {
		t.Errorf("NoState is %q, want empty", trace.NoState)
	}
}

// TestParseStateRefuses: a word outside its kind's group, or a state on a
// kind that carries none, is refused with the allowed words.
func TestParseStateRefuses(t *testing.T) {
	for _, tc := range []struct {
		kind trace.Kind
		word string
		want string
	}{
		{trace.StateChanged, "ESTABLISHD", `unknown state "ESTABLISHD" for a state record (allowed: CLOSED, LISTEN,`},
		{trace.StateChanged, "slow-start", `unknown state "slow-start" for a state record`}, // a cwnd word is not a TCP state
		{trace.StateChanged, "", "a state record needs a state (allowed: CLOSED,"},
		{trace.CwndChanged, "TIME-WAIT", `unknown state "TIME-WAIT" for a cwnd record (allowed: initial, syn-lost,`},
		{trace.RunStopped, "tired", `(allowed: max_time, max_events, max_memory, trace_full)`},
		{trace.TLSStarted, "none", `(allowed: 1.2, 1.3)`},
		{trace.PacketSent, "ESTABLISHED", `state "ESTABLISHED" on a packet-sent record, which carries none`},
	} {
		_, err := trace.ParseState(tc.kind, tc.word)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ParseState(%s, %q): %v, want %q", tc.kind, tc.word, err, tc.want)
		}
	}
}

// TestReadSavedRefusesVocabulary: a saved trace with a state or protocol
// the program does not know is refused, naming the line and the allowed
// words, rather than replayed as something it is not.
func TestReadSavedRefusesVocabulary(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{`{"run":{"protocol":"http2"}}` + "\n" + `{"at_ns":1,"kind":"state","conn":1,"dir":"up","state":"TIME_WAIT"}`,
			`line 2: unknown state "TIME_WAIT" for a state record (allowed: CLOSED,`},
		{`{"at_ns":1,"kind":"run-stopped","state":"max-time"}`, `line 1: unknown state "max-time" for a run-stopped record (allowed: max_time, max_events, max_memory, trace_full)`},
		{`{"run":{"protocol":"http4"}}`, `line 1: not a run's header: unknown protocol "http4" (allowed: http1.0, http1.1, http1.1-pipelined, http2, http3)`},
		{`{"at_ns":1,"kind":"packet-arrived","conn":1,"dir":"up","packet":1,"queue_ns":-5}`,
			`record 1 of the run whose records start at line 1: queue_ns and tx_ns are durations: they cannot be negative`},
		{`{"at_ns":1,"kind":"server-memory","conn":1,"len":-100,"label":"socket"}`,
			`record 1 of the run whose records start at line 1: a server-memory record's len is the bytes the server holds: -100 is out of range, 0 to 1125899906842624`},
		{`{"at_ns":1,"kind":"server-memory","conn":1,"len":9223372036854775807,"label":"socket"}`, `is out of range, 0 to 1125899906842624`},
	} {
		_, err := trace.ReadSaved(strings.NewReader(tc.file + "\n"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ReadSaved(%s):\n got %v\nwant %q", tc.file, err, tc.want)
		}
	}
}

// TestProtocolNames: each protocol reads back from its name, and the
// zero value is the empty name of a trace that does not say.
func TestProtocolNames(t *testing.T) {
	for p, want := range map[trace.Protocol]string{trace.NoProtocol: "", trace.HTTP10: "http1.0", trace.HTTP11: "http1.1",
		trace.HTTP11Pipelined: "http1.1-pipelined", trace.HTTP2: "http2"} {
		back, err := trace.ParseProtocol(want)
		if p.String() != want || err != nil || back != p {
			t.Errorf("%d: %q, ParseProtocol = %v, %v; want %q", p, p, back, err, want)
		}
	}
}

// TestWindowUpdateLabel: a WINDOW_UPDATE label reads back as the stream
// and increment written; a bare or malformed one does not read.
func TestWindowUpdateLabel(t *testing.T) {
	for _, tc := range []struct {
		label       string
		stream, inc int
		ok          bool
	}{
		{trace.WindowUpdate(3, 3145728), 3, 3145728, true},
		{trace.WindowUpdate(0, 7864320), 0, 7864320, true},
		{"WINDOW_UPDATE stream 3 +3145728", 3, 3145728, true},
		{"WINDOW_UPDATE connection +1", 0, 1, true},
		{"WINDOW_UPDATE connection +2147483647", 0, 1<<31 - 1, true}, // the largest increment (RFC 9113 §6.9)
		{"WINDOW_UPDATE", 0, 0, false},
		{"WINDOW_UPDATE connection +0", 0, 0, false}, // an increment of 0 is a PROTOCOL_ERROR (§6.9)
		{"WINDOW_UPDATE connection +2147483648", 0, 0, false},
		{"WINDOW_UPDATE stream 0 +5", 0, 0, false},
		{"WINDOW_UPDATE stream +3 +5", 0, 0, false},
		{"WINDOW_UPDATE stream 3 5", 0, 0, false},
		{"WINDOW_UPDATE connection ++5", 0, 0, false},
		{"WINDOW_UPDATE peer +5", 0, 0, false},
		{"DATA /a.png", 0, 0, false},
	} {
		stream, inc, ok := trace.ParseWindowUpdate(tc.label)
		if stream != tc.stream || inc != tc.inc || ok != tc.ok {
			t.Errorf("%q: %d, %d, %v; want %d, %d, %v", tc.label, stream, inc, ok, tc.stream, tc.inc, tc.ok)
		}
	}
}
