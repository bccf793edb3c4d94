package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/cmd/keepalive/internal/cli"
	"github.com/keepalive-sim/keepalive/scenarios"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.* from the current output")

// keepalive runs the command in-process and returns its exit status and
// output.
func keepalive(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

// mustRun runs a command that must succeed and returns its stdout.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := keepalive(t, args...)
	if code != 0 {
		t.Fatalf("keepalive %s: exit %d, stderr:\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

func readCSV(t *testing.T, text string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, text)
	}
	return rows
}

// csvColumns is the documented column order of --format csv.
var csvColumns = []string{
	"scenario", "protocol", "seed", "rtt_ms", "bandwidth_mbps", "loss", "objects",
	"page_load_ms", "ttfb_ms", "tcp_connections", "tls_handshakes", "packets", "wire_bytes", "retransmissions",
	"complete", "drops", "tls", "iw", "parallel", "mss", "ideal", "tls_resume",
	// The keep-alive life cycle, in the order issue 5 asks for, then more.
	"pages", "retried_requests", "failed_requests", "refused_connections", "idle_slot_total_ms",
	"time_wait_peak_server", "time_wait_peak_client",
	"clients", "page_load_p95_ms", "race_cost_total_ms", "backlog_wait_total_ms", "origin_connections",
	// Page outcomes (issue 9).
	"pages_loaded", "pages_failed", "pages_unfinished", "stopped",
	// Numeric columns hold numbers only: these say when a setting was
	// unlimited (issue 11).
	"bandwidth_unlimited", "iw_unlimited",
	// What connections cost the server (issue 12).
	"server_cpu_ms", "server_cpu_util", "handshake_queue_ms", "server_mem_peak_bytes", "server_mem_mean_bytes", "dns_lookups",
}

func TestBadInput(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // the flag or word the one-line message must mention
	}{
		{"unknown protocol", []string{"run", "--protocol", "http4"}, "--protocol"},
		{"qlog without http3", []string{"run", "--qlog", "ql"}, "--qlog"},
		{"qlog without a directory", []string{"run", "--protocol", "http3", "--qlog", ""}, "--qlog"},
		{"qlog in the terminal UI", []string{"tui", "--qlog", "ql"}, "--qlog"},
		{"an output over a sidecar", []string{"run", "--out", "a.csv", "--resources", "a.csv.meta.json"}, "is where --out's provenance goes"},
		{"tui unknown view", []string{"tui", "--print", "waterfalls"}, "--print"},
		{"tui at without print", []string{"tui", "--at", "1s"}, "--at"},
		{"tui bad at", []string{"tui", "--print", "ladder", "--at", "soon"}, "--at"},
		{"sweep pages to a file named -", []string{"sweep", "--pages", "-"}, "--pages: needs a file name"},
		{"a flag without a command", []string{"--scenario", "tls-cpu"}, "for the terminal UI, keepalive tui --scenario tls-cpu"},
		{"a switch given a word", []string{"run", "--tls-resume=maybe"}, `--tls-resume "maybe": not true or false`},
		{"a sweep switch given a word", []string{"sweep", "--resume=maybe"}, `--resume "maybe": not true or false`},
		{"sweep summary to a file named -", []string{"sweep", "--summary", "-"}, "--summary: needs a file name"},
		{"tui size too small", []string{"tui", "--print", "ladder", "--size", "30x5"}, "--size"},
		{"tui size not a size", []string{"tui", "--print", "ladder", "--size", "big"}, "--size"},
		{"tui format", []string{"tui", "--format", "csv"}, "--format"},
		{"tui resume without tls", []string{"tui", "--print", "ladder", "--tls-resume"}, "--tls-resume"},
		{"unknown protocol in list", []string{"run", "--protocol", "http1.0,spdy"}, "--protocol"},
		{"empty protocol in list", []string{"run", "--protocol", "http1.0,"}, "--protocol"},
		{"negative rtt", []string{"run", "--rtt", "-5ms"}, "--rtt"},
		{"rtt without unit", []string{"run", "--rtt", "100"}, "--rtt"},
		{"rtt unknown unit", []string{"run", "--rtt", "100sec"}, "--rtt"},
		{"rtt missing value", []string{"run", "--rtt"}, "--rtt"},
		{"zero bandwidth", []string{"run", "--bandwidth", "0Mbps"}, "--bandwidth"},
		{"bare zero bandwidth", []string{"run", "--bandwidth", "0"}, "--bandwidth"},
		{"bandwidth bad unit", []string{"run", "--bandwidth", "10Mbs"}, "--bandwidth"},
		{"negative bandwidth", []string{"run", "--bandwidth", "-1Mbps"}, "--bandwidth"},
		{"loss one", []string{"run", "--loss", "1"}, "--loss"},
		{"loss above one", []string{"run", "--loss", "1.5"}, "--loss"},
		{"negative loss", []string{"run", "--loss", "-0.1"}, "--loss"},
		{"loss not a number", []string{"run", "--loss", "some"}, "--loss"},
		{"loss NaN", []string{"run", "--loss", "NaN"}, "--loss"},
		{"loss 100 percent", []string{"run", "--loss", "100%"}, "--loss"},
		{"mss zero", []string{"run", "--mss", "0"}, "--mss"},
		{"iw zero", []string{"run", "--iw", "0"}, "--iw"},
		{"iw word", []string{"run", "--iw", "lots"}, "--iw"},
		{"parallel zero", []string{"run", "--parallel", "0"}, "--parallel"},
		{"parallel too many", []string{"run", "--parallel", "1001"}, "--parallel"},
		{"unknown tls", []string{"run", "--tls", "1.4"}, "--tls"},
		{"resume without tls", []string{"run", "--tls", "none", "--tls-resume"}, "--tls-resume"},
		{"unknown format", []string{"run", "--format", "xml"}, "--format"},
		{"negative seed", []string{"run", "--seed", "-1"}, "--seed"},
		{"unknown scenario", []string{"run", "--scenario", "no-such-scenario"}, "--scenario"},
		{"missing scenario file", []string{"run", "--scenario", "no/such/file.yaml"}, "--scenario"},
		{"object size not a size", []string{"run", "--object-size", "big"}, "--object-size"},
		{"object size empty", []string{"run", "--object-size", ""}, "--object-size"},
		{"object size empty in list", []string{"run", "--object-size", "10KB,,1KB"}, "--object-size"},
		{"object size bad unit", []string{"run", "--object-size", "10kb"}, "--object-size"},
		{"negative html size", []string{"run", "--html-size", "-1KB"}, "--html-size"},
		{"html size that would overflow", []string{"run", "--html-size", "9223372036854775807B"}, "--html-size"},
		{"object size that would overflow", []string{"run", "--object-size", "9223372036854775807B"}, "--object-size"},
		{"mss that would overflow", []string{"run", "--mss", "9223372036854775807"}, "--mss"},
		{"iw that would overflow", []string{"run", "--iw", "9223372036854775807"}, "--iw"},
		{"negative objects", []string{"run", "--objects", "-1"}, "--objects"},
		{"too many objects", []string{"run", "--objects", "10001"}, "--objects"},
		{"unknown flag", []string{"run", "--colour"}, "--colour"},
		{"bool flag with value", []string{"run", "--ideal=maybe"}, "ideal"},
		{"argument after flags", []string{"run", "webpage"}, "webpage"},
		{"unknown command", []string{"frobnicate"}, "frobnicate"},
		{"flag without command", []string{"--rtt", "100ms"}, "--rtt"},
		{"unknown help topic", []string{"help", "frobnicate"}, "frobnicate"},
		{"unknown scenario to print", []string{"scenarios", "no-such-scenario"}, "no-such-scenario"},
		{"two scenarios to print", []string{"scenarios", "webpage", "webpage"}, "one scenario"},
		{"output directory missing", []string{"run", "--out", "missing-dir/out.csv"}, "--out"},
		{"same file twice", []string{"run", "--out", "x.csv", "--trace", "x.csv"}, "--trace"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			args := tc.args
			if args[0] == "run" && !strings.Contains(strings.Join(args, " "), "--out") {
				// Ask for every output file: bad input must create none.
				args = append(append([]string{}, args[:1]...), append([]string{
					"--out", "out.csv", "--resources", "res.csv", "--trace", "trace.csv",
				}, args[1:]...)...)
			}
			code, out, errOut := keepalive(t, args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			if out != "" {
				t.Errorf("stdout not empty:\n%s", out)
			}
			if n := strings.Count(errOut, "\n"); n != 1 || !strings.HasSuffix(errOut, "\n") {
				t.Errorf("stderr has %d lines, want exactly one:\n%s", n, errOut)
			}
			if !strings.Contains(errOut, tc.want) {
				t.Errorf("stderr does not mention %q:\n%s", tc.want, errOut)
			}
			if !strings.HasPrefix(errOut, "keepalive") {
				t.Errorf("stderr does not start with the program name:\n%s", errOut)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				t.Errorf("bad input created %s", e.Name())
			}
		})
	}
}

// TestOutputOverTheScenarioRefused: --out naming the scenario file being
// read is refused before anything runs, and the file is left as it was.
func TestOutputOverTheScenarioRefused(t *testing.T) {
	t.Chdir(t.TempDir())
	const in = "name: mine\nlink: {rtt: 50ms}\n"
	if err := os.WriteFile("in.yaml", []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := keepalive(t, "run", "--scenario", "in.yaml", "--out", "in.yaml")
	if code != 2 || !strings.Contains(errOut, "--out") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("exit %d, stderr %q; want 2 and one line naming --out", code, errOut)
	}
	if b, _ := os.ReadFile("in.yaml"); string(b) != in {
		t.Errorf("the scenario file now holds %q", b)
	}
}

// TestIdealKeepsTheFilesFields: --ideal with a scenario file means what
// "ideal: true" in the file means: the textbook's assumptions first, then
// the file's own fields, which win (here tcp.initial_window: 2, which
// ideal alone would make unlimited). The same in run, sweep and tui.
func TestIdealKeepsTheFilesFields(t *testing.T) {
	t.Chdir(t.TempDir())
	if err := os.WriteFile("mine.yaml", []byte("tcp: {initial_window: 2}\npage: {objects: 2}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cell := func(rows [][]string, col string) string {
		i := slices.Index(rows[0], col)
		if i < 0 {
			t.Fatalf("no column %s in %q", col, rows[0])
		}
		return rows[1][i]
	}
	run := readCSV(t, mustRun(t, "run", "--ideal", "--scenario", "mine.yaml", "--format", "csv", "--protocol", "http1.1"))
	if cell(run, "iw") != "2" || cell(run, "ideal") != "true" {
		t.Errorf("run --ideal: iw %s, ideal %s; want the file's 2, and ideal", cell(run, "iw"), cell(run, "ideal"))
	}
	sw := readCSV(t, mustRun(t, "sweep", "--ideal", "--scenario", "mine.yaml", "--vary", "rtt=10ms", "--protocol", "http1.1"))
	if cell(sw, "iw") != "2" || cell(sw, "ideal") != "true" {
		t.Errorf("sweep --ideal: iw %s, ideal %s", cell(sw, "iw"), cell(sw, "ideal"))
	}
	screen := mustRun(t, "tui", "--ideal", "--scenario", "mine.yaml", "--print", "compare")
	if !strings.Contains(screen, "IW 2") {
		t.Errorf("tui --ideal header does not say IW 2:\n%s", screen)
	}
	// Ideal itself still applies where the file says nothing.
	if cell(run, "mss") != "1460" {
		t.Errorf("run --ideal: mss %s, want ideal's 1460", cell(run, "mss"))
	}
}

func TestBadInputKeepsExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("previous\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := keepalive(t, "run", "--out", path, "--loss", "2"); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
	if b, _ := os.ReadFile(path); string(b) != "previous\n" {
		t.Errorf("out.csv changed to %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("directory holds %d entries, want only out.csv", len(entries))
	}
}

func TestBadScenarioFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(path, []byte("name: bad\nlink:\n  rtt: fast\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := keepalive(t, "run", "--scenario", path, "--out", filepath.Join(dir, "out.csv"))
	if code != 2 {
		t.Errorf("exit status %d, want 2", code)
	}
	if strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, "bad.yaml") {
		t.Errorf("want one line naming the file, got:\n%s", errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "out.csv")); err == nil {
		t.Error("a bad scenario created out.csv")
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{
		{"help"}, {"--help"}, {"-h"}, {"help", "run"}, {"run", "--help"}, {"run", "-h"},
		{"help", "scenarios"}, {"scenarios", "--help"},
	} {
		code, out, errOut := keepalive(t, args...)
		if code != 0 || out == "" || errOut != "" {
			t.Errorf("keepalive %s: exit %d, %d bytes of stdout, stderr %q", strings.Join(args, " "), code, len(out), errOut)
		}
	}
	out := mustRun(t, "run", "--help")
	for _, want := range []string{
		"--scenario", "--protocol", "--rtt", "--bandwidth", "--loss", "--mss", "--iw", "--parallel",
		"--tls ", "--tls-resume", "--ideal", "--seed", "--objects", "--object-size", "--html-size",
		"--format", "--out", "--resources", "--trace", "Mbps", "ms", "KB", "Examples:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("run --help does not mention %q", want)
		}
	}
}

func TestNoArgumentsWithoutTerminal(t *testing.T) {
	code, out, errOut := keepalive(t)
	if code != 2 || out != "" {
		t.Errorf("exit %d, stdout %q; want 2 and nothing", code, out)
	}
	for _, want := range []string{"needs a terminal", "keepalive run", "keepalive --help"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr does not mention %q:\n%s", want, errOut)
		}
	}
}

func TestScenariosList(t *testing.T) {
	out := mustRun(t, "scenarios")
	found := false
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "webpage" {
			found = true
		}
	}
	if !found {
		t.Errorf("scenarios does not list webpage:\n%s", out)
	}
	for _, b := range scenarios.Builtins() {
		if !strings.Contains(out, b.Name) || !strings.Contains(out, b.Description) {
			t.Errorf("scenarios does not list %s with its description", b.Name)
		}
	}
}

// TestScenarioYAMLRoundTrip: what "keepalive scenarios NAME" prints is a
// scenario file that parses back to the same scenario.
func TestScenarioYAMLRoundTrip(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			out := mustRun(t, "scenarios", b.Name)
			if !strings.HasPrefix(out, "#") {
				t.Errorf("output does not start with the narrative as comments:\n%s", out)
			}
			got, err := scenarios.Parse(b.Name+".yaml", []byte(out))
			if err != nil {
				t.Fatalf("printed scenario does not parse: %v\n%s", err, out)
			}
			want, err := scenarios.Builtin(b.Name)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("scenario changed in the round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestCSVColumns(t *testing.T) {
	rows := readCSV(t, mustRun(t, "run", "--format", "csv", "--objects", "2"))
	if !reflect.DeepEqual(rows[0], csvColumns) {
		t.Fatalf("header\n got %q\nwant %q", rows[0], csvColumns)
	}
	want := []string{"http1.0", "http1.1", "http1.1-pipelined", "http2"}
	if len(rows) != 1+len(want) {
		t.Fatalf("%d rows, want a header and %d protocols", len(rows), len(want))
	}
	for i, p := range want {
		r := rows[1+i]
		if r[0] != "webpage" || r[1] != p || r[6] != "2" {
			t.Errorf("row %d: scenario %q protocol %q objects %q; want webpage %s 2", i+1, r[0], r[1], r[6], p)
		}
	}
	// --protocol keeps the order given.
	rows = readCSV(t, mustRun(t, "run", "--format", "csv", "--objects", "0", "--protocol", "http2,http1.0"))
	if len(rows) != 3 || rows[1][1] != "http2" || rows[2][1] != "http1.0" {
		t.Errorf("--protocol http2,http1.0 gave rows %q", rows)
	}
}

func TestDeterministic(t *testing.T) {
	for _, extra := range [][]string{nil, {"--loss", "0.01"}, {"--loss", "0.05", "--seed", "9"}} {
		args := append([]string{"run", "--format", "csv", "--objects", "20"}, extra...)
		first, second := mustRun(t, args...), mustRun(t, args...)
		if first != second {
			t.Errorf("keepalive %s differs between two runs:\n%s\n%s", strings.Join(args, " "), first, second)
		}
	}
}

func TestJSON(t *testing.T) {
	var doc struct {
		Meta map[string]any
		Runs []map[string]any
	}
	if err := json.Unmarshal([]byte(mustRun(t, "run", "--format", "json", "--objects", "3")), &doc); err != nil {
		t.Fatal(err)
	}
	runs := doc.Runs
	// The provenance: program, the command line, the scenario and a hash
	// of the settings run.
	if doc.Meta["program"] != "keepalive" || doc.Meta["scenario"] != "webpage" || len(doc.Meta["settings_sha256"].(string)) != 64 ||
		fmt.Sprint(doc.Meta["command"]) != "[run --format json --objects 3]" {
		t.Errorf("meta %v", doc.Meta)
	}
	if len(runs) != 4 {
		t.Fatalf("%d runs, want 4", len(runs))
	}
	for _, r := range runs {
		for _, k := range append(csvColumns, "resources") {
			if _, ok := r[k]; !ok {
				t.Errorf("%v: no key %q", r["protocol"], k)
			}
		}
		if res, _ := r["resources"].([]any); len(res) != 4 {
			t.Errorf("%v: %d resources, want the document and 3 objects", r["protocol"], len(res))
		}
	}
	// Words stay strings whatever they read as: TLS 1.3 is "1.3", as
	// "none" is a string.
	if err := json.Unmarshal([]byte(mustRun(t, "run", "--format", "json", "--tls", "1.3", "--protocol", "http2")), &doc); err != nil {
		t.Fatal(err)
	}
	if v, ok := doc.Runs[0]["tls"].(string); !ok || v != "1.3" {
		t.Errorf("tls %#v, want the string \"1.3\"", doc.Runs[0]["tls"])
	}
}

// TestOutputFiles: --out picks its format from the extension, and
// --resources and --trace write CSV with a protocol column first.
func TestOutputFiles(t *testing.T) {
	dir := t.TempDir()
	out, res, tr := filepath.Join(dir, "r.json"), filepath.Join(dir, "res.csv"), filepath.Join(dir, "trace.csv")
	if stdout := mustRun(t, "run", "--objects", "2", "--protocol", "http1.0,http2", "--tls", "1.3",
		"--out", out, "--resources", res, "--trace", tr); stdout != "" {
		t.Errorf("stdout not empty with --out:\n%s", stdout)
	}
	var doc struct{ Runs []map[string]any }
	if b, err := os.ReadFile(out); err != nil || json.Unmarshal(b, &doc) != nil || len(doc.Runs) != 2 {
		t.Errorf("r.json does not hold 2 runs (read error %v)", err)
	}
	// Each CSV file has its provenance beside it; the JSON report holds its own.
	for _, f := range []string{res, tr} {
		var meta map[string]any
		if b, err := os.ReadFile(f + ".meta.json"); err != nil || json.Unmarshal(b, &meta) != nil || meta["program"] != "keepalive" {
			t.Errorf("%s.meta.json: %v, %v", f, err, meta)
		}
	}

	b, err := os.ReadFile(res)
	if err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, string(b))
	wantHeader := []string{"protocol", "url", "type", "bytes", "connection", "stream", "queued_ms", "connect_ms",
		"connect_end_ms", "tls_ms", "tls_end_ms", "request_sent_ms", "first_byte_ms", "last_byte_ms"}
	if !reflect.DeepEqual(rows[0], wantHeader) {
		t.Errorf("resources header %q", rows[0])
	}
	if len(rows) != 1+2*3 {
		t.Errorf("%d resource rows, want 2 protocols × 3 resources", len(rows)-1)
	}
	for _, r := range rows[1:] {
		if r[0] == "http2" && r[1] != "" && strings.HasSuffix(r[1], "/img2.png") && r[7] != "" {
			t.Errorf("HTTP/2 charged a connection to its last object: %q", r)
		}
	}

	b, err = os.ReadFile(tr)
	if err != nil {
		t.Fatal(err)
	}
	rows = readCSV(t, string(b))
	if got := strings.Join(rows[0][:3], ","); got != "protocol,at_ms,kind" {
		t.Errorf("trace header starts %q", got)
	}
	seen := map[string]bool{}
	for _, r := range rows[1:] {
		seen[r[0]] = true
	}
	if !seen["http1.0"] || !seen["http2"] || len(seen) != 2 {
		t.Errorf("trace protocols %v, want http1.0 and http2", seen)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("%d files in the output directory, want 3 and two sidecars (no temporary files left)", len(entries))
	}
}

func TestTable(t *testing.T) {
	out := mustRun(t, "run", "--objects", "12")
	for _, want := range []string{"webpage", "RTT", "HTTP/1.0", "HTTP/1.1 keep-alive", "HTTP/1.1 pipelined", "HTTP/2", "page load", " ms", "sooner than HTTP/1.0"} {
		if !strings.Contains(out, want) {
			t.Errorf("table does not contain %q:\n%s", want, out)
		}
	}
}

func TestGoldenWebpageCSV(t *testing.T) {
	got := mustRun(t, "run", "--format", "csv", "--scenario", "webpage")
	golden := filepath.Join("testdata", "run-webpage.golden.csv")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (create it with: go test ./cmd/keepalive -run Golden -update)", err)
	}
	if got != string(want) {
		t.Errorf("run --format csv --scenario webpage differs from %s (if the change is intended: go test ./cmd/keepalive -run Golden -update)\n got:\n%s\nwant:\n%s", golden, got, want)
	}
}

// TestTextbookPageLoad: with the textbook's assumptions one object of O
// bits over a link of R bit/s takes 2·RTT + O/R (Kurose & Ross, "Computer
// Networking", ch. 2, non-persistent HTTP): 2·100 ms + 800,000 b / 10 Mb/s
// = 280 ms.
func TestTextbookPageLoad(t *testing.T) {
	rows := readCSV(t, mustRun(t, "run", "--ideal", "--rtt", "100ms", "--bandwidth", "10Mbps",
		"--objects", "0", "--html-size", "100KB", "--protocol", "http1.0", "--tls", "none", "--format", "csv"))
	if got := rows[1][7]; got != "280.000000" {
		t.Errorf("page_load_ms = %s, want 280.000000", got)
	}
}

// TestLimitEndsRun: a limit that ends a run is reported, not hidden: the
// table and CSV are written, the row's stopped column names the limit, the
// unfinished page is not counted as loaded, one line on standard error
// names the limit and how to raise it, and the exit status is 3.
func TestLimitEndsRun(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "late.yaml")
	const yaml = `page:
  resources:
    - {path: /index.html, size: 20KB}
visits:
  - think: 2h
    page:
      resources:
        - {path: /next.html, size: 20KB}
limits: {max_time: 1h}
`
	if err := os.WriteFile(file, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "late.csv")
	code, _, stderr := keepalive(t, "run", "--scenario", file, "--protocol", "http1.1", "--out", out)
	if code != 3 {
		t.Fatalf("exit status %d, want 3; stderr: %s", code, stderr)
	}
	if !strings.Contains(stderr, "limits.max_time (1h0m0s of simulated time)") || !strings.Contains(stderr, "raise limits.max_time in "+file) || strings.Count(stderr, "\n") != 1 {
		t.Errorf("stderr should be one line naming the limit and how to raise it:\n%s", stderr)
	}
	rows := readCSV(t, mustReadFile(t, out))
	col := func(name string) string { return rows[1][slices.Index(rows[0], name)] }
	if col("stopped") != "max_time" || col("pages") != "2" || col("pages_loaded") != "1" || col("pages_unfinished") != "1" || col("complete") != "false" {
		t.Errorf("row: stopped %q pages %q loaded %q unfinished %q complete %q", col("stopped"), col("pages"), col("pages_loaded"), col("pages_unfinished"), col("complete"))
	}
}

// TestTUIPrint: keepalive tui --print writes one screen as text, with the
// protocols of --protocol and the playhead of --at.
func TestTUIPrint(t *testing.T) {
	out := mustRun(t, "tui", "--print", "ladder", "--protocol", "http2,http1.0", "--at", "150ms", "--size", "80x24")
	lines := strings.Split(out, "\n")
	if len(lines) != 25 || !strings.Contains(lines[1], "webpage ▸ http2") || !strings.Contains(lines[0], "150.0ms") {
		t.Errorf("screen:\n%s", out)
	}
	out = mustRun(t, "tui", "--print", "compare", "--protocol", "http1.0,http1.1", "--at", "end")
	if !strings.Contains(out, "http1.1") || strings.Contains(out, "http2") || !strings.Contains(out, "■ end") {
		t.Errorf("compare of two protocols at the end:\n%s", out)
	}
	// The default is the moment the page loaded (webpage's HTTP/1.0 at
	// 1.159s, the slower of the two), not the end, which is after
	// TIME-WAIT and shows an empty ladder.
	for _, view := range []string{"ladder", "compare"} {
		out = mustRun(t, "tui", "--print", view, "--protocol", "http1.0,http1.1")
		if first := strings.Split(out, "\n")[0]; !strings.Contains(first, "1.159s") || strings.Contains(first, "■ end") {
			t.Errorf("%s by default: status line %q, want the playhead at the page load, 1.159s", view, first)
		}
	}
	if out := mustRun(t, "tui", "--print", "ladder"); !strings.Contains(out, "page loaded in 1.159s") {
		t.Errorf("the default ladder does not explain the page load:\n%s", out)
	}
}

// TestPagesFile: --pages writes one row per page load, and the rows add
// up to the run's: the connections of a one-client run's pages sum to
// tcp_connections, and the mean of the loaded pages' load_ms is
// page_load_ms, to the nanosecond.
func TestPagesFile(t *testing.T) {
	dir := t.TempDir()
	pages := filepath.Join(dir, "pages.csv")
	runs := readCSV(t, mustRun(t, "run", "--scenario", "idle-reuse", "--format", "csv", "--pages", pages))
	rows := readCSV(t, mustReadFile(t, pages))
	if strings.Join(rows[0], ",") != "scenario,protocol,seed,client,page,outcome,load_ms,ttfb_ms,connections,bytes,start_ms,end_ms,why" {
		t.Fatalf("header %q", rows[0])
	}
	if len(rows) != 1+3*4 {
		t.Fatalf("%d rows, want a header and 3 pages × 4 protocols", len(rows))
	}
	ns := func(ms string) int64 { // "669.322400" → 669322400 exactly
		whole, frac, _ := strings.Cut(ms, ".")
		w, _ := strconv.ParseInt(whole, 10, 64)
		f, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
		return w*1_000_000 + f
	}
	col := func(header []string, name string) int { return slices.Index(header, name) }
	for _, run := range runs[1:] {
		proto := run[col(runs[0], "protocol")]
		conns, sum, n := 0, int64(0), int64(0)
		for _, r := range rows[1:] {
			if r[1] != proto {
				continue
			}
			c, _ := strconv.Atoi(r[col(rows[0], "connections")])
			conns += c
			if r[col(rows[0], "outcome")] == "loaded" {
				sum += ns(r[col(rows[0], "load_ms")])
				n++
			}
		}
		if want := run[col(runs[0], "tcp_connections")]; strconv.Itoa(conns) != want {
			t.Errorf("%s: the pages opened %d connections, the run %s", proto, conns, want)
		}
		if want := ns(run[col(runs[0], "page_load_ms")]); n == 0 || sum/n != want {
			t.Errorf("%s: mean of the pages' load_ms %d ns, page_load_ms %d ns", proto, sum/max(n, 1), want)
		}
	}
}
