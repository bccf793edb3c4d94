package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestRunUsageCoversEveryFlag: every flag of "keepalive run" is explained
// in its help.
func TestRunUsageCoversEveryFlag(t *testing.T) {
	var f runFlags
	newRunFlagSet(&f).VisitAll(func(fl *flag.Flag) {
		if !strings.Contains(runUsage, "--"+fl.Name+" ") {
			t.Errorf("runUsage does not explain --%s", fl.Name)
		}
	})
}

func TestMs1(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0.0"},
		{280 * time.Millisecond, "280.0"},
		{1059173600, "1059.2"},
		{49999, "0.0"},
		{50000, "0.1"}, // half rounds away from zero
		{-1234567, "-1.2"},
		{-10000, "0.0"},
	} {
		if got := ms1(tc.d); got != tc.want {
			t.Errorf("ms1(%d) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{0, "0 B"}, {999, "999 B"}, {1000, "1.0 kB"}, {312_449, "312.4 kB"},
		{999_949, "999.9 kB"}, {999_950, "1.0 MB"}, {1_500_000, "1.5 MB"}, {2_000_000_000, "2.0 GB"},
	} {
		if got := humanBytes(tc.n); got != tc.want {
			t.Errorf("humanBytes(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

// TestLossFlag: --loss is read by the scenario files' grammar for
// link.loss, with its range.
func TestLossFlag(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0", 0, true}, {"0.01", 0.01, true}, {"1%", 0.01, true}, {"0.999", 0.999, true},
		{"1", 0, false}, {"100%", 0, false}, {"-0", 0, true}, {"-0.1", 0, false}, {"NaN", 0, false}, {"Inf", 0, false}, {"", 0, false},
		{"1e-3", 0, false}, {"0x1p-3", 0, false}, {"1_0e-3", 0, false}, // no exponents, as in scenario files
	} {
		plan, err := parseRun([]string{"--loss", tc.in})
		if err != nil {
			t.Fatal(err)
		}
		_, cfg, err := plan.config()
		if (err == nil) != tc.ok || tc.ok && cfg.Link.Loss != tc.want {
			t.Errorf("--loss %q: loss %v, %v; want %v, ok %v", tc.in, cfg.Link.Loss, err, tc.want, tc.ok)
		}
		if err != nil && !strings.HasPrefix(err.Error(), "--loss: ") {
			t.Errorf("--loss %q: message %q does not start with the flag", tc.in, err)
		}
	}
}

func outcomeOf(p model.Protocol, conns int, load time.Duration, complete bool) outcome {
	var o outcome
	o.cfg.HTTP.Protocol = p
	o.summary = trace.Summary{Connections: conns, PageLoad: load, Complete: complete}
	return o
}

func TestTakeaway(t *testing.T) {
	ms := time.Millisecond
	for _, tc := range []struct {
		name string
		runs []outcome
		want string
	}{
		{"default", []outcome{
			outcomeOf(model.HTTP10, 13, 1000*ms, true), outcomeOf(model.HTTP11, 6, 587700*time.Microsecond, true),
			outcomeOf(model.HTTP11Pipelined, 6, 500*ms, true), outcomeOf(model.HTTP2, 1, 400*ms, true),
		}, "HTTP/1.1 keep-alive opened 6 connections instead of 13 and finished 412.3 ms sooner than HTTP/1.0; HTTP/1.1 pipelined used 6, HTTP/2 used 1. Fastest: HTTP/2 (400.0 ms)."},
		{"tie", []outcome{
			outcomeOf(model.HTTP10, 11, 2208*ms, true), outcomeOf(model.HTTP11, 1, 1208*ms, true),
			outcomeOf(model.HTTP11Pipelined, 1, 308*ms, true), outcomeOf(model.HTTP2, 1, 308*ms, true),
		}, "HTTP/1.1 keep-alive opened 1 connection instead of 11 and finished 1000.0 ms sooner than HTTP/1.0; HTTP/1.1 pipelined used 1, HTTP/2 used 1. Fastest: HTTP/1.1 pipelined and HTTP/2 (308.0 ms)."},
		{"slower", []outcome{outcomeOf(model.HTTP2, 1, 300*ms, true), outcomeOf(model.HTTP10, 1, 350*ms, true)},
			"HTTP/1.0 opened as many connections as HTTP/2 (1) and finished 50.0 ms later than HTTP/2."},
		{"same", []outcome{outcomeOf(model.HTTP11, 1, 300*ms, true), outcomeOf(model.HTTP11Pipelined, 1, 300*ms, true)},
			"HTTP/1.1 pipelined opened as many connections as HTTP/1.1 keep-alive (1) and finished at the same time as HTTP/1.1 keep-alive."},
		{"one", []outcome{outcomeOf(model.HTTP10, 1, 280*ms, true)},
			"HTTP/1.0 opened 1 connection and loaded the page in 280.0 ms."},
		{"incomplete", []outcome{outcomeOf(model.HTTP10, 3, 9*time.Second, false), outcomeOf(model.HTTP11, 1, 300*ms, true)},
			"HTTP/1.1 keep-alive opened 1 connection instead of 3 and finished in 300.0 ms, where HTTP/1.0 did not load the page."},
	} {
		if got := takeaway(tc.runs); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestCommentLines(t *testing.T) {
	got := strings.Join(commentLines("One two three four.\nFive six.\n\n  indented = 1\nSeven", 12), "\n")
	want := "# One two\n# three four.\n# Five six.\n#\n#   indented = 1\n# Seven"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := commentLines("", 70); got != nil {
		t.Errorf("empty narrative gave %q", got)
	}
}

// TestConfigErrorExitsTwo: the model's *ConfigError is bad input.
func TestConfigErrorExitsTwo(t *testing.T) {
	var stderr bytes.Buffer
	err := &model.ConfigError{Field: "link.loss", Value: "2", Allowed: "a probability in [0, 1]"}
	if code := fail(&stderr, "keepalive run", err); code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if got := stderr.String(); got != "keepalive run: link.loss: 2 is out of range; allowed: a probability in [0, 1]\n" {
		t.Errorf("stderr %q", got)
	}
	stderr.Reset()
	if code := fail(&stderr, "keepalive run", bytes.ErrTooLarge); code != exitFailure {
		t.Errorf("other errors: exit %d, want %d", code, exitFailure)
	}
}

// TestRoundedMatchesTable: the takeaway compares times as the table shows
// them, to the tenth of a millisecond.
func TestRoundedMatchesTable(t *testing.T) {
	for _, tc := range []struct{ a, b time.Duration }{
		{307509600, 307532800}, // both print as 307.5 ms
		{0, 40},
	} {
		if rounded(tc.a) != rounded(tc.b) || ms1(tc.a) != ms1(tc.b) {
			t.Errorf("%v and %v: rounded %v and %v, printed %s and %s", tc.a, tc.b, rounded(tc.a), rounded(tc.b), ms1(tc.a), ms1(tc.b))
		}
	}
	if rounded(307_560_000) == rounded(307_509_600) {
		t.Error("307.56 ms and 307.51 ms should differ at a tenth of a millisecond")
	}
}

// TestInternalErrorStatus: a bug exits 70 with the message on the first
// line and the stack after it, never 2, which means bad input.
func TestInternalErrorStatus(t *testing.T) {
	var stderr bytes.Buffer
	err := fmt.Errorf("run 3 (rtt=10ms): %w", &model.InternalError{Panic: "boom", Stack: []byte("goroutine 1 [running]:\n")})
	if got := fail(&stderr, "keepalive sweep", err); got != exitInternal || exitInternal != 70 {
		t.Errorf("status %d, want 70", got)
	}
	lines := strings.Split(stderr.String(), "\n")
	if !strings.HasPrefix(lines[0], "keepalive sweep: run 3 (rtt=10ms): internal error") || !strings.Contains(stderr.String(), "goroutine 1") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// TestQlogFlag: run --qlog DIR makes DIR and writes a client and a server
// file per QUIC connection, each a JSON-SEQ file whose every text parses
// (model/trace/qlog checks the schema's fields); a rerun replaces them
// with the same bytes.
func TestQlogFlag(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "logs")
	var first map[string][]byte
	for range 2 {
		var stdout, stderr bytes.Buffer
		if code := Main([]string{"run", "--scenario", "hol-under-loss", "--qlog", dir}, &stdout, &stderr); code != 0 {
			t.Fatalf("exit %d: %s", code, stderr.String())
		}
		got := map[string][]byte{}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			got[e.Name()] = b
			for i, text := range bytes.Split(b, []byte{0x1e})[1:] {
				if !json.Valid(text) {
					t.Fatalf("%s: text %d is not JSON: %.80q", e.Name(), i, text)
				}
			}
		}
		for _, want := range []string{"hol-under-loss.conn1.client.sqlog", "hol-under-loss.conn1.server.sqlog"} {
			if got[want] == nil {
				t.Errorf("no %s among %d files", want, len(got))
			}
		}
		if len(got) != 2 {
			t.Errorf("%d files, want 2 (one QUIC connection, two ends)", len(got))
		}
		if first != nil && !maps.EqualFunc(first, got, bytes.Equal) {
			t.Errorf("a second run wrote other bytes")
		}
		first = got
	}
}

// TestHTTP3Header: the terminal UI's header names the settings of the
// run on screen: over HTTP/3, TLS 1.3 and QUIC's initial window (32
// datagrams, quic-go's), in a lesson whose settings are TCP's too.
func TestHTTP3Header(t *testing.T) {
	for _, args := range [][]string{
		{"tui", "--scenario", "hol-under-loss", "--protocol", "http3", "--print", "ladder"},
		{"tui", "--protocol", "http3", "--print", "ladder"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, stderr.String())
		}
		head := strings.Split(stdout.String(), "\n")[1]
		if !strings.Contains(head, "IW 32") || !strings.Contains(head, "TLS 1.3") {
			t.Errorf("%v: header %q does not say IW 32 and TLS 1.3", args, head)
		}
	}
	// The window view counts QUIC's window in its datagrams, not segments.
	var stdout, stderr bytes.Buffer
	if code := Main([]string{"tui", "--protocol", "http3", "--print", "cwnd"}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if line := strings.Split(stdout.String(), "\n")[2]; !strings.Contains(line, "cwnd in datagrams of 1280 B") {
		t.Errorf("the window view says %q; want datagrams of 1280 B", line)
	}
}

// TestQUICTLSNote: --tls other than 1.3 with HTTP/3 alone says on
// standard error that QUIC keeps TLS 1.3; with TCP protocols beside it
// the table's settings line says so, and there is no note.
func TestQUICTLSNote(t *testing.T) {
	for _, tc := range []struct {
		args []string
		note bool
	}{
		{[]string{"run", "--protocol", "http3", "--tls", "1.2", "--objects", "2"}, true},
		{[]string{"run", "--protocol", "http3", "--tls", "1.3", "--objects", "2"}, false},
		{[]string{"run", "--protocol", "http2,http3", "--tls", "1.2", "--objects", "2"}, false},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(tc.args, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr.String())
		}
		if got := strings.Contains(stderr.String(), "does not apply to HTTP/3"); got != tc.note {
			t.Errorf("%v: note %v, want %v; stderr %q", tc.args, got, tc.note, stderr.String())
		}
	}
}
