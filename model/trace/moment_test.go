package trace_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// raceRecords is a close race, shortened: page 1 on connection 1, the
// server's idle timeout and FIN, page 2's request crossing it, the
// reset, the retry on connection 2 and its TIME-WAIT.
func raceRecords() []trace.Record {
	ms := func(n float64) time.Duration { return time.Duration(n * float64(time.Millisecond)) }
	return []trace.Record{
		0:  {At: 0, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.SynSent},
		1:  {At: ms(100), Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.Established},
		2:  {At: ms(100), Kind: trace.RequestSent, Conn: 1, Label: "GET /index.html", Resource: 1, Page: 1},
		3:  {At: ms(300), Kind: trace.PageLoaded, Page: 1},
		4:  {At: ms(5150), Kind: trace.IdleTimeout, Conn: 1, Dir: trace.Down},
		5:  {At: ms(5150), Kind: trace.StateChanged, Conn: 1, Dir: trace.Down, State: trace.FinWait1},
		6:  {At: ms(5150), Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Flags: trace.FIN | trace.ACK},
		7:  {At: ms(5157), Kind: trace.RequestSent, Conn: 1, Label: "GET /next.html", Resource: 2, Page: 2},
		8:  {At: ms(5200), Kind: trace.PacketArrived, Conn: 1, Dir: trace.Down, Flags: trace.FIN | trace.ACK},
		9:  {At: ms(5200), Kind: trace.RequestRetried, Conn: 1, Resource: 2, Page: 2},
		10: {At: ms(5200), Kind: trace.StateChanged, Conn: 2, Dir: trace.Up, State: trace.SynSent},
		11: {At: ms(5207), Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Flags: trace.RST | trace.ACK, Label: "RST"},
		12: {At: ms(5300), Kind: trace.StateChanged, Conn: 2, Dir: trace.Up, State: trace.Established},
		13: {At: ms(5300), Kind: trace.RequestSent, Conn: 2, Label: "GET /next.html", Resource: 2, Page: 2},
		14: {At: ms(5500), Kind: trace.PageLoaded, Page: 2},
		15: {At: ms(5550), Kind: trace.StateChanged, Conn: 2, Dir: trace.Down, State: trace.TimeWait},
		16: {At: ms(65550), Kind: trace.StateChanged, Conn: 2, Dir: trace.Down, State: trace.Closed},
	}
}

func TestFind(t *testing.T) {
	fin := trace.Moment{Name: "fin", Kind: trace.IdleTimeout, Dir: trace.Down, Nth: 1, Say: "FIN"}
	for _, tc := range []struct {
		name    string
		moments []trace.Moment
		proto   trace.Protocol
		want    []trace.Hit
	}{
		{"kind, first", []trace.Moment{fin}, trace.HTTP11, []trace.Hit{{0, 4}}},
		{"every", []trace.Moment{{Kind: trace.RequestSent}}, trace.HTTP11, []trace.Hit{{0, 2}, {0, 7}, {0, 13}}},
		{"nth", []trace.Moment{{Kind: trace.RequestSent, Nth: 2}}, trace.HTTP11, []trace.Hit{{0, 7}}},
		{"nth beyond the matches", []trace.Moment{{Kind: trace.RequestSent, Nth: 4}}, trace.HTTP11, nil},
		{"side and flags", []trace.Moment{{Kind: trace.PacketSent, Dir: trace.Down, Flags: trace.RST}}, trace.HTTP11, []trace.Hit{{0, 11}}},
		{"flags are all required", []trace.Moment{{Kind: trace.PacketSent, Flags: trace.FIN | trace.RST}}, trace.HTTP11, nil},
		{"the other side", []trace.Moment{{Kind: trace.IdleTimeout, Dir: trace.Up}}, trace.HTTP11, nil},
		{"label prefix", []trace.Moment{{Kind: trace.RequestSent, Label: "GET /next"}}, trace.HTTP11, []trace.Hit{{0, 7}, {0, 13}}},
		{"a packet's label is its description", []trace.Moment{{Kind: trace.PacketArrived, Label: "FIN, ACK"}}, trace.HTTP11, []trace.Hit{{0, 8}}},
		{"state", []trace.Moment{{Kind: trace.StateChanged, Dir: trace.Up, State: trace.Established}}, trace.HTTP11, []trace.Hit{{0, 1}, {0, 12}}},
		{"from", []trace.Moment{{Kind: trace.StateChanged, State: trace.Closed, From: trace.TimeWait}}, trace.HTTP11, []trace.Hit{{0, 16}}},
		{"page", []trace.Moment{{Kind: trace.PageLoaded, Page: 2}}, trace.HTTP11, []trace.Hit{{0, 14}}},
		{"after, on the same connection", []trace.Moment{fin, {Kind: trace.RequestSent, After: "fin", Conn: trace.SameConn, Nth: 1}},
			trace.HTTP11, []trace.Hit{{0, 4}, {1, 7}}},
		{"after, any connection", []trace.Moment{fin, {Kind: trace.StateChanged, State: trace.SynSent, After: "fin"}},
			trace.HTTP11, []trace.Hit{{0, 4}, {1, 10}}},
		{"after a moment that never comes", []trace.Moment{{Name: "x", Kind: trace.RequestFailed}, {Kind: trace.PageLoaded, After: "x"}},
			trace.HTTP11, nil},
		{"after a name nobody has", []trace.Moment{{Kind: trace.PageLoaded, After: "nobody"}}, trace.HTTP11, nil},
		{"after counts from the moment's hit, not its first match",
			[]trace.Moment{{Name: "second", Kind: trace.RequestSent, Nth: 2}, {Kind: trace.PageLoaded, After: "second"}},
			trace.HTTP11, []trace.Hit{{0, 7}, {1, 14}}},
		{"new connection", []trace.Moment{{Kind: trace.RequestSent, Conn: trace.NewConn}}, trace.HTTP11, []trace.Hit{{0, 2}, {0, 13}}},
		{"reused connection", []trace.Moment{{Kind: trace.RequestSent, Conn: trace.ReusedConn}}, trace.HTTP11, []trace.Hit{{0, 7}}},
		{"kept from an earlier page", []trace.Moment{{Kind: trace.RequestSent, Conn: trace.KeptConn}}, trace.HTTP11, []trace.Hit{{0, 7}}},
		{"protocols", []trace.Moment{{Kind: trace.PageLoaded, Protocols: []trace.Protocol{trace.HTTP10}}}, trace.HTTP11, nil},
		{"protocols, this one", []trace.Moment{{Kind: trace.PageLoaded, Nth: 1, Protocols: []trace.Protocol{trace.HTTP10, trace.HTTP11}}},
			trace.HTTP11, []trace.Hit{{0, 3}}},
		{"one record, two moments, in their order", []trace.Moment{{Kind: trace.PageLoaded, Nth: 2}, {Kind: trace.PageLoaded, Page: 2}},
			trace.HTTP11, []trace.Hit{{0, 14}, {1, 14}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := trace.Find(trace.List(raceRecords()), tc.proto, tc.moments); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Find = %v, want %v", got, tc.want)
			}
		})
	}
}

// TestFindClients: a moment of client 1 takes its records, and those of
// its connections, which name no client, and, in a run of one client
// (which names none), every record.
func TestFindClients(t *testing.T) {
	many := []trace.Record{
		0: {Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.SynSent},
		1: {Kind: trace.StateChanged, Conn: 2, Dir: trace.Up, State: trace.SynSent},
		2: {Kind: trace.RequestSent, Conn: 2, Client: 2, Page: 1},
		3: {Kind: trace.RequestSent, Conn: 1, Client: 1, Page: 1},
		4: {Kind: trace.PageLoaded, Client: 2, Page: 1},
		5: {Kind: trace.PageLoaded, Client: 1, Page: 1},
	}
	ms := []trace.Moment{{Kind: trace.StateChanged, Client: 1}, {Kind: trace.PageLoaded, Client: 1}, {Kind: trace.PageLoaded, Client: 2}}
	if got, want := trace.Find(trace.List(many), trace.HTTP11, ms), []trace.Hit{{0, 0}, {2, 4}, {1, 5}}; !reflect.DeepEqual(got, want) {
		t.Errorf("many clients: %v, want %v", got, want)
	}
	if got, want := trace.Find(trace.List(raceRecords()), trace.HTTP11, ms[1:2]), []trace.Hit{{0, 3}, {0, 14}}; !reflect.DeepEqual(got, want) {
		t.Errorf("one client: %v, want %v", got, want)
	}
}

func TestSentence(t *testing.T) {
	recs := raceRecords()
	for _, tc := range []struct {
		say  string
		rec  int
		want string
	}{
		{"The server closes the idle connection", 4, "The server closes the idle connection"},
		{"The {side} closes connection {conn}", 4, "The server closes connection 1"},
		{"The {side} asks on c{conn}: {label} (page {page})", 7, "The client asks on c1: GET /next.html (page 2)"},
		{"{label} arrives", 8, "FIN, ACK arrives"},
		{"client {client}", 14, "client 0"},
	} {
		m := trace.Moment{Say: tc.say}
		if got := m.Sentence(&recs[tc.rec]); got != tc.want {
			t.Errorf("%q on record %d: %q, want %q", tc.say, tc.rec, got, tc.want)
		}
	}
}

func TestCheckMoment(t *testing.T) {
	before := []trace.Moment{{Name: "fin", Kind: trace.IdleTimeout, Say: "x"}}
	ok := trace.Moment{Kind: trace.RequestSent, Say: "The request {label} on c{conn}", After: "fin", Conn: trace.SameConn}
	for _, tc := range []struct {
		name   string
		change func(*trace.Moment)
		field  string
		msg    string
	}{
		{"fine", func(*trace.Moment) {}, "", ""},
		{"no kind", func(m *trace.Moment) { m.Kind = 0 }, "kind", "missing"},
		{"no sentence", func(m *trace.Moment) { m.Say = " " }, "say", "missing"},
		{"two lines", func(m *trace.Moment) { m.Say = "a\nb" }, "say", "one line"},
		{"an escape", func(m *trace.Moment) { m.Say = "a\x1b[31m" }, "say", "control character"},
		{"an unknown field", func(m *trace.Moment) { m.Say = "at {at}" }, "say", "{at} is no field"},
		{"an open brace", func(m *trace.Moment) { m.Say = "a {conn" }, "say", "without its }"},
		{"a name taken", func(m *trace.Moment) { m.Name = "fin" }, "name", "earlier moment"},
		{"after nobody", func(m *trace.Moment) { m.After = "race" }, "after", `"race" is no earlier moment's name (allowed: fin)`},
		{"nth", func(m *trace.Moment) { m.Nth = -1 }, "nth", "0 (every match)"},
		{"flags off a packet", func(m *trace.Moment) { m.Flags = trace.FIN }, "flags", "only on a packet"},
		{"state of another kind", func(m *trace.Moment) { m.State = trace.TimeWait }, "state", "carries none"},
		{"from off a state", func(m *trace.Moment) { m.From = trace.TimeWait }, "from", "only on a state record"},
		{"same without after", func(m *trace.Moment) { m.After = "" }, "conn", "needs after"},
		{"reuse off a request", func(m *trace.Moment) { m.Kind, m.Conn = trace.PageLoaded, trace.ReusedConn }, "conn", "only with kind request"},
		{"no protocol", func(m *trace.Moment) { m.Protocols = []trace.Protocol{trace.NoProtocol} }, "protocols", "unknown protocol"},
		{"a protocol twice", func(m *trace.Moment) { m.Protocols = []trace.Protocol{trace.HTTP2, trace.HTTP2} }, "protocols", "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := ok
			tc.change(&m)
			field, err := trace.CheckMoment(before, &m)
			switch {
			case tc.field == "" && err != nil:
				t.Errorf("refused: %s: %v", field, err)
			case tc.field == "":
			case field != tc.field || err == nil || !strings.Contains(err.Error(), tc.msg):
				t.Errorf("%s: %v; want %s: …%s…", field, err, tc.field, tc.msg)
			}
		})
	}
	err := trace.CheckMoments(append(before, trace.Moment{Kind: trace.PageLoaded}))
	var me *trace.MomentError
	if !errors.As(err, &me) || me.Index != 1 || me.Field != "say" || !strings.HasPrefix(err.Error(), "moment 2: say: missing") {
		t.Errorf("CheckMoments: %v", err)
	}
}

// TestGenericMoments: the moments of any scenario are well formed and
// find the race's story: its handshakes, connections, closes, timeout
// and pages.
func TestGenericMoments(t *testing.T) {
	ms := trace.GenericMoments()
	if err := trace.CheckMoments(ms); err != nil {
		t.Fatal(err)
	}
	recs := raceRecords()
	var got []string
	for _, h := range trace.Find(trace.List(recs), trace.HTTP11, ms) {
		got = append(got, ms[h.Moment].Sentence(&recs[h.Record]))
	}
	want := []string{
		"Connection 1 opens: its SYN leaves",
		"The first connection is open: its TCP handshake is done",
		"Page 1 has loaded",
		"The server closes connection 1: it has been idle too long",
		"Connection 1 begins to close: the server sends the first FIN",
		"Connection 2 opens: its SYN leaves",
		"Page 2 has loaded",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("generic moments:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseConnRule(t *testing.T) {
	for _, w := range trace.ConnRuleNames() {
		if c, err := trace.ParseConnRule(w); err != nil || c.String() != w {
			t.Errorf("%s: %v, %v", w, c, err)
		}
	}
	if _, err := trace.ParseConnRule("old"); err == nil || !strings.Contains(err.Error(), "allowed: any, same, new, reused, kept") {
		t.Errorf("old: %v", err)
	}
	if k, err := trace.ParseKind("idle-timeout"); err != nil || k != trace.IdleTimeout {
		t.Errorf("ParseKind: %v, %v", k, err)
	}
	if _, err := trace.ParseKind("idle"); err == nil || !strings.Contains(err.Error(), "idle-timeout") {
		t.Errorf("ParseKind(idle): %v", err)
	}
}
