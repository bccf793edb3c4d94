package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/tui"
)

// keyEvent picks an event of a lesson worth a sentence; all, when set,
// takes every match instead of the first.
type keyEvent struct {
	name string
	all  bool
	is   func(recs []trace.Record, i int) bool
}

func kind(k trace.Kind) func([]trace.Record, int) bool {
	return func(recs []trace.Record, i int) bool { return recs[i].Kind == k }
}

func packet(k trace.Kind, test func(*trace.Record) bool) func([]trace.Record, int) bool {
	return func(recs []trace.Record, i int) bool { return recs[i].Kind == k && test(&recs[i]) }
}

func cwnd(why trace.State) func([]trace.Record, int) bool {
	return func(recs []trace.Record, i int) bool {
		return recs[i].Kind == trace.CwndChanged && recs[i].State == why && recs[i].Dir == trace.Down
	}
}

// keyEvents are the moments of every lesson that the explanation line
// must get right.
var keyEvents = []keyEvent{
	{"first SYN", false, packet(trace.PacketSent, func(r *trace.Record) bool { return r.Flags == trace.SYN })},
	{"SYN-ACK arrives", false, packet(trace.PacketArrived, func(r *trace.Record) bool { return r.Flags == trace.SYN|trace.ACK })},
	{"TLS starts", false, kind(trace.TLSStarted)},
	{"first request", false, kind(trace.RequestSent)},
	{"request reaches the server", false, packet(trace.PacketArrived, func(r *trace.Record) bool { return strings.HasPrefix(r.Label, "GET ") })},
	{"first byte of a response", false, kind(trace.FirstByte)},
	{"data segment arrives", false, packet(trace.PacketArrived, func(r *trace.Record) bool { return r.Dir == trace.Down && r.Len > 0 && r.Label == "" })},
	{"slow start grows the window", false, cwnd(trace.CwndSlowStart)},
	{"congestion avoidance grows the window", false, cwnd(trace.CwndAvoidance)},
	{"first loss", false, kind(trace.PacketDropped)},
	{"first retransmission", false, kind(trace.Retransmit)},
	{"fast retransmit cuts the window", false, cwnd(trace.CwndFastRetransmit)},
	{"timeout cuts the window", false, cwnd(trace.CwndTimeout)},
	{"the server's FIN", false, packet(trace.PacketSent, func(r *trace.Record) bool { return r.Dir == trace.Down && r.Flags&trace.FIN != 0 })},
	{"a RST is sent", true, packet(trace.PacketSent, func(r *trace.Record) bool { return r.Flags&trace.RST != 0 })},
	{"a RST arrives", true, packet(trace.PacketArrived, func(r *trace.Record) bool { return r.Flags&trace.RST != 0 })},
	{"a FIN reaches a reset socket", true, func(recs []trace.Record, i int) bool {
		r := &recs[i]
		if r.Kind != trace.PacketArrived || r.Flags&trace.FIN == 0 {
			return false
		}
		for j := i + 1; j < len(recs) && recs[j].At == r.At; j++ {
			if recs[j].Kind == trace.PacketSent && recs[j].Conn == r.Conn && recs[j].Flags&trace.RST != 0 {
				return true
			}
		}
		return false
	}},
	{"the browser retries", true, kind(trace.RequestRetried)},
	{"a request fails", true, kind(trace.RequestFailed)},
	{"idle timeout", true, kind(trace.IdleTimeout)},
	{"GOAWAY", false, packet(trace.PacketSent, func(r *trace.Record) bool { return r.Label == "GOAWAY" })},
	{"first TIME-WAIT", false, packet(trace.StateChanged, func(r *trace.Record) bool { return r.State == trace.TimeWait })},
	{"keep-alive probe", false, packet(trace.PacketSent, func(r *trace.Record) bool { return r.Label == "keep-alive probe" })},
	{"keep-alive probe answered", false, packet(trace.PacketSent, func(r *trace.Record) bool { return r.Label == "keep-alive ACK" })},
	{"cached", false, kind(trace.ResponseCached)},
	{"backlogged", false, kind(trace.Backlogged)},
	{"refused", false, kind(trace.Refused)},
	{"proxy opens to the origin", false, kind(trace.OriginConn)},
	{"a page loads", true, kind(trace.PageLoaded)},
	{"a page fails", true, kind(trace.PageFailed)},
	{"a page is unfinished", true, kind(trace.PageUnfinished)},
}

// TestLessonExplanations pairs the key events of every built-in lesson,
// under every protocol, with the exact sentence the terminal UI shows with
// the playhead there, in testdata/explanations.golden; a sentence that
// changes shows up as a difference to review (-update rewrites the file).
// It also checks the sentences' numbers against the scenario: the
// TIME-WAIT it names is the configured one.
func TestLessonExplanations(t *testing.T) {
	var golden strings.Builder
	for _, b := range scenarios.Builtins() {
		sc, err := scenarios.Builtin(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range sc.Compared() {
			cfg := sc.Config
			cfg.ForProtocol(p)
			log := &trace.Log{}
			res, err := model.Run(cfg, log)
			if err != nil {
				t.Fatal(err)
			}
			run := tui.Run{Protocol: p.Traced(), Records: log.Records, Summary: res.Summary}
			rtt := 2 * cfg.Link.Delay
			fmt.Fprintf(&golden, "## %s %s\n", b.Name, p)
			for _, ev := range keyEvents {
				n := 0
				for i := range log.Records {
					if !ev.is(log.Records, i) {
						continue
					}
					at := log.Records[i].At
					shown := tui.ExplainAt(run, rtt, at)
					fmt.Fprintf(&golden, "%s @ %v: %s\n", ev.name, at, shown)
					if ev.name == "first TIME-WAIT" && !strings.Contains(shown, "end of the run") {
						if want := fmt.Sprintf("%.3fs (2·MSL)", cfg.TCP.TimeWait.Seconds()); !strings.Contains(shown, want) {
							t.Errorf("%s %s: TIME-WAIT sentence %q does not name the configured %v", b.Name, p, shown, cfg.TCP.TimeWait)
						}
					}
					if n++; !ev.all || n == 4 { // enough of a many-client lesson's repeats
						break
					}
				}
			}
			if gap, at := longestGap(log.Records); gap > 2*rtt {
				fmt.Fprintf(&golden, "quiet stretch @ %v: %s\n", at, tui.ExplainAt(run, rtt, at))
			}
		}
	}
	checkGoldenText(t, "explanations.golden", golden.String())
}

// longestGap is the longest stretch without events and its middle.
func longestGap(recs []trace.Record) (time.Duration, time.Duration) {
	var gap, mid time.Duration
	for i := 1; i < len(recs); i++ {
		if d := recs[i].At - recs[i-1].At; d > gap {
			gap, mid = d, recs[i-1].At+d/2
		}
	}
	return gap, mid
}

func checkGoldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/keepalive -run %s -update)", err, t.Name())
	}
	if !bytes.Equal([]byte(got), want) {
		t.Errorf("%s differs: rerun with -update and review the diff:\n%s", path, firstDiff(want, []byte(got)))
	}
}

// TestFailedPageExplained: in close-race without retries the second page
// fails; the explanation line says so, and never calls it a fast load.
func TestFailedPageExplained(t *testing.T) {
	sc, err := scenarios.Builtin("close-race")
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	cfg.Browser.Retry = false
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	run := tui.Run{Protocol: trace.HTTP11, Records: log.Records, Summary: res.Summary}
	var failedAt time.Duration = -1
	for _, r := range log.Records {
		if r.Kind == trace.PageFailed {
			failedAt = r.At
		}
	}
	if failedAt < 0 {
		t.Fatal("page 2 did not fail")
	}
	got := tui.ExplainAt(run, 2*cfg.Link.Delay, failedAt)
	want := "page 2 failed after 43.7ms: the request for /next.html failed: the server closed the connection before answering (its FIN crossed the request)"
	if got != want {
		t.Errorf("at the failure the line says\n%q\nwant\n%q", got, want)
	}
	for _, r := range log.Records {
		if s := tui.ExplainAt(run, 2*cfg.Link.Delay, r.At); strings.Contains(s, "page 2 loaded") || strings.Contains(s, "page loaded") && r.At > 5*time.Second {
			t.Errorf("at %v the line says %q", r.At, s)
		}
	}
}

// TestHTTP3Explanations explains every record of every built-in lesson
// run over HTTP/3 as the UI would, with the run's protocol: no QUIC
// packet, state or retransmission is told in TCP's words (SYN, FIN,
// RST, segments, byte offsets), and none falls through to the
// generic sentence.
func TestHTTP3Explanations(t *testing.T) {
	// TIME-WAIT may be named, to say QUIC has none.
	tcpWords := []string{"SYN", "FIN", "RST", "segment", "resends byte", "duplicate ACK", "HTTP/2", "one more round trip"}
	for _, b := range scenarios.Builtins() {
		sc, err := scenarios.Builtin(b.Name)
		if err != nil {
			t.Fatal(err)
		}
		cfg := sc.Config
		cfg.ForProtocol(model.HTTP3)
		log := &trace.Log{}
		if _, err := model.Run(cfg, log); err != nil {
			t.Fatal(err)
		}
		ctx := tui.ExplainContext{Protocol: trace.HTTP3, RTT: 2 * cfg.Link.Delay, MSS: cfg.QUIC.MaxDatagram, QUIC: true}
		quic := map[int]bool{} // a proxy's hop to the origin stays TCP
		for _, r := range log.Records {
			if r.Kind == trace.StateChanged && r.State == trace.QUICHandshake {
				quic[r.Conn] = true
			}
		}
		for _, r := range log.Records {
			if !quic[r.Conn] {
				continue
			}
			switch r.Kind {
			case trace.PacketSent, trace.PacketArrived, trace.PacketDropped, trace.StateChanged, trace.Retransmit,
				trace.TLSStarted, trace.RequestSent:
			default:
				continue
			}
			s := tui.Explain(r, ctx)
			if strings.HasSuffix(s, "event on connection "+fmt.Sprint(r.Conn)) {
				t.Fatalf("%s: %v record %+v has no sentence: %q", b.Name, r.Kind, r, s)
			}
			for _, w := range tcpWords {
				if strings.Contains(s, w) {
					t.Fatalf("%s: a QUIC %v record is told in TCP's words (%q): %q", b.Name, r.Kind, w, s)
				}
			}
		}
	}
}
