package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fixture is a HAR of scenarios/har/testdata.
func fixture(name string) string {
	return filepath.Join("..", "..", "..", "..", "scenarios", "har", "testdata", name)
}

func runMain(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = Main(args, &out, &errb)
	return status, out.String(), errb.String()
}

func lines(s string) []string { return strings.Split(strings.TrimRight(s, "\n"), "\n") }

// TestRunHAR: run --har on each fixture gives the four protocols and
// the row "recorded" (the fixture's onLoad or its entries' span, and
// its connections), and one note on standard error.
func TestRunHAR(t *testing.T) {
	for _, tc := range []struct {
		file        string
		load, conns string // the recorded row's page_load_ms and tcp_connections
		versions    string
		note        string
	}{
		{"chrome.har", "612.250000", "3", "recorded (h2, h3)", "RTT 40ms estimated (median connect less ssl of 3 entries)"},
		{"firefox.har", "500.000000", "2", "recorded (h2)", "RTT 35ms estimated (median connect less ssl of 2 entries)"},
		{"fiddler.har", "526.543300", "2", "recorded (HTTP/1.1)", "DNS 10ms a lookup (median of 2 dns times)"},
	} {
		t.Run(tc.file, func(t *testing.T) {
			st, out, errs := runMain("run", "--har", fixture(tc.file), "--format", "csv")
			if st != 0 {
				t.Fatalf("exit %d: %s", st, errs)
			}
			rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != 1+5 {
				t.Fatalf("%d rows, want the header, 4 protocols and recorded:\n%s", len(rows), out)
			}
			col := map[string]int{}
			for i, c := range rows[0] {
				col[c] = i
			}
			rec := rows[5]
			if rec[col["protocol"]] != "recorded" || rec[col["scenario"]] != tc.file || rec[col["page_load_ms"]] != tc.load || rec[col["tcp_connections"]] != tc.conns {
				t.Errorf("recorded row %v", rec)
			}
			for _, c := range []string{"seed", "rtt_ms", "ttfb_ms", "packets", "complete", "dns_lookups"} {
				if rec[col[c]] != "" {
					t.Errorf("recorded %s = %q, want empty: the simulator's column", c, rec[col[c]])
				}
			}
			if n := len(lines(errs)); n != 1 || !strings.Contains(errs, tc.note) {
				t.Errorf("%d lines on stderr, want one note with %q:\n%s", n, tc.note, errs)
			}

			st, out, _ = runMain("run", "--har", fixture(tc.file))
			if st != 0 || !strings.Contains(out, tc.versions) {
				t.Errorf("table (exit %d) has no row %q:\n%s", st, tc.versions, out)
			}
			st, out, _ = runMain("run", "--har", fixture(tc.file), "--format", "json")
			var j struct {
				Meta struct {
					HAR *harMeta `json:"har"`
				} `json:"meta"`
				Runs     []map[string]any `json:"runs"`
				Recorded map[string]any   `json:"recorded"`
			}
			if err := json.Unmarshal([]byte(out), &j); st != 0 || err != nil {
				t.Fatalf("json (exit %d): %v", st, err)
			}
			if len(j.Runs) != 4 || j.Recorded["protocol"] != "recorded" || j.Meta.HAR == nil || j.Meta.HAR.Page != 1 {
				t.Errorf("json: %d runs, recorded %v, meta.har %+v", len(j.Runs), j.Recorded, j.Meta.HAR)
			}
		})
	}
}

// TestRunHARLink: a link setting given is not estimated, and says so.
func TestRunHARLink(t *testing.T) {
	st, out, errs := runMain("run", "--har", fixture("chrome.har"), "--rtt", "20ms", "--bandwidth", "50Mbps", "--protocol", "http2", "--format", "csv")
	if st != 0 {
		t.Fatalf("exit %d: %s", st, errs)
	}
	if !strings.Contains(errs, "RTT as given (--rtt), bandwidth as given (--bandwidth); server think time is wait less 40ms") {
		t.Errorf("note: %s", errs)
	}
	if rows := lines(out); len(rows) != 3 || !strings.Contains(rows[1], ",http2,1,20.000000,50,") {
		t.Errorf("rows:\n%s", out)
	}
}

// TestRunHARSkipped: the entries that cannot be simulated are named on
// one line, and all of them in the JSON's meta.
func TestRunHARSkipped(t *testing.T) {
	file := filepath.Join(t.TempDir(), "skip.har")
	data := `{"log": {"version": "1.2", "entries": [
	 {"startedDateTime": "2026-03-01T10:00:00Z", "request": {"url": "https://a.test/"}, "response": {"status": 200, "content": {"size": 500, "mimeType": "text/html"}}, "timings": {"connect": 30, "wait": 40, "receive": 5}},
	 {"startedDateTime": "2026-03-01T10:00:00.1Z", "request": {"url": "data:image/gif;base64,R0lGOD"}, "response": {"status": 200, "content": {"size": 6, "mimeType": "image/gif"}}, "timings": {}},
	 {"startedDateTime": "2026-03-01T10:00:00.2Z", "request": {"url": "https://a.test/a.css"}, "response": {"status": 200, "content": {"size": 60, "mimeType": "text/css"}}, "timings": {"wait": 1}, "_fromCache": "disk"}]}}`
	if err := os.WriteFile(file, []byte(data), 0o666); err != nil {
		t.Fatal(err)
	}
	st, out, errs := runMain("run", "--har", file, "--format", "json")
	if st != 0 {
		t.Fatalf("exit %d: %s", st, errs)
	}
	if l := lines(errs); len(l) != 2 || !strings.Contains(l[1], "2 entries not simulated: log.entries[1] data:image/gif;base64,R0lGOD: a data: URL") ||
		!strings.Contains(l[1], `log.entries[2] https://a.test/a.css: from the browser's cache`) {
		t.Errorf("stderr:\n%s", errs)
	}
	var j struct {
		Meta struct{ HAR harMeta } `json:"meta"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || len(j.Meta.HAR.Skipped) != 2 || j.Meta.HAR.Skipped[1].Index != 2 {
		t.Errorf("meta.har %+v (%v)", j.Meta.HAR, err)
	}
}

// TestHARErrors: a HAR or --har-page that cannot be used is one line on
// standard error naming it, exit 2, and no output file.
func TestHARErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.har")
	good, err := os.ReadFile(fixture("chrome.har"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, bytes.Replace(good, []byte(`"_transferSize": 5000`), []byte(`"_transferSize": "abc"`), 1), 0o666); err != nil {
		t.Fatal(err)
	}
	notJSON := filepath.Join(dir, "page.har")
	if err := os.WriteFile(notJSON, []byte("<html>a saved page, not its HAR</html>"), 0o666); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.csv")
	chrome := fixture("chrome.har")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a bad field", []string{"run", "--har", bad, "--out", out},
			"keepalive run: --har " + bad + `: log.entries[1].response._transferSize: "abc" is not a number`},
		{"no such file", []string{"run", "--har", filepath.Join(dir, "none.har"), "--out", out}, "no such file or directory"},
		{"not JSON", []string{"run", "--har", notJSON, "--out", out}, "--har " + notJSON + ": not JSON"},
		{"not JSON, what takes it", []string{"run", "--har", notJSON, "--out", out}, "(a HAR file is JSON, as browsers' developer tools save it; a scenario file goes to --scenario)"},
		{"a page past the last", []string{"run", "--har", chrome, "--har-page", "2", "--out", out},
			"keepalive run: --har-page 2: out of range; allowed: 1 to 1 (the pages of " + chrome + ")"},
		{"page 0", []string{"run", "--har", chrome, "--har-page", "0", "--out", out}, `--har-page "0": not a page number; allowed: 1 to the number of pages`},
		{"--har-page alone", []string{"run", "--har-page", "2", "--out", out}, "--har-page 2: only with --har FILE"},
		{"with --scenario", []string{"run", "--har", chrome, "--scenario", "webpage", "--out", out}, "--har and --scenario: give one"},
		{"with a page flag", []string{"run", "--har", chrome, "--objects", "3", "--out", out}, "--objects: not with --har"},
		{"tui, a page past the last", []string{"tui", "--har", chrome, "--har-page", "9", "--print", "ladder"}, "keepalive tui: --har-page 9: out of range"},
		{"sweep, a bad field", []string{"sweep", "--har", bad, "--vary", "rtt=10ms,20ms", "--out", out}, `keepalive sweep: --har ` + bad + `: log.entries[1]`},
		{"sweep, a page varied", []string{"sweep", "--har", chrome, "--vary", "objects=1,2", "--out", out}, "--vary objects: not with --har"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, stdout, errs := runMain(tc.args...)
			if st != exitUsage || len(lines(errs)) != 1 || !strings.Contains(errs, tc.want) || stdout != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 2 and one line with %q", st, stdout, errs, tc.want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("%s was written", out)
			}
		})
	}
}

// TestHARCommands: tui --print and sweep take --har as a scenario.
func TestHARCommands(t *testing.T) {
	st, out, errs := runMain("tui", "--har", fixture("firefox.har"), "--print", "waterfall", "--size", "100x24")
	if st != 0 || !strings.Contains(out, "firefox.har") || len(lines(errs)) != 1 {
		t.Errorf("tui: exit %d, stderr %s\n%s", st, errs, out)
	}
	st, out, errs = runMain("sweep", "--har", fixture("fiddler.har"), "--vary", "rtt=10ms,40ms")
	if st != 0 || len(lines(out)) != 1+2*4 || !strings.Contains(errs, "RTT as given (--vary rtt)") {
		t.Errorf("sweep: exit %d, stderr %s\n%s", st, errs, out)
	}
}

// TestRunHARResources: --resources names each resource's own host.
func TestRunHARResources(t *testing.T) {
	file := filepath.Join(t.TempDir(), "r.csv")
	if st, _, errs := runMain("run", "--har", fixture("chrome.har"), "--protocol", "http2", "--resources", file); st != 0 {
		t.Fatalf("exit %d: %s", st, errs)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"http2,https://www.example.com/site.css,css,5000,", "http2,https://cdn.example.net/app.js,js,50000,", "http2,https://api.example.org/data,json,700,"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("no row %q in\n%s", want, data)
		}
	}
}

// TestRunHARPage: --har-page picks a page of a file with several (the
// writer's: a page per protocol, the fourth HTTP/2's).
func TestRunHARPage(t *testing.T) {
	st, out, errs := runMain("run", "--har", fixture("webpage.har"), "--har-page", "4", "--protocol", "http2")
	if st != 0 {
		t.Fatalf("exit %d: %s", st, errs)
	}
	if !strings.HasPrefix(out, "webpage.har#4: ") || !strings.Contains(out, "recorded (h2)") || !strings.Contains(errs, "page 4 of 4, 13 requests on 1 host") {
		t.Errorf("stdout:\n%s\nstderr:\n%s", out, errs)
	}
}

// TestRunHARReadmeRoundTrip checks README's sentence on the HAR that
// --har-out wrote: read back on the link it was written on (--rtt
// 100ms), the HTTP/1.1 load is within 1 % of the original, the row
// "recorded".
func TestRunHARReadmeRoundTrip(t *testing.T) {
	t.Chdir(t.TempDir())
	if st, _, errs := runMain("run", "--har-out", "page.har", "--protocol", "http1.0,http1.1"); st != 0 {
		t.Fatalf("exit %d: %s", st, errs)
	}
	st, out, errs := runMain("run", "--har", "page.har", "--har-page", "2", "--protocol", "http1.1", "--rtt", "100ms", "--format", "csv")
	if st != 0 {
		t.Fatalf("exit %d: %s", st, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("%v, rows %v", err, rows)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	var sim, rec float64
	if _, err := fmt.Sscan(rows[1][col["page_load_ms"]], &sim); err != nil {
		t.Fatal(err)
	}
	if _, err := fmt.Sscan(rows[2][col["page_load_ms"]], &rec); err != nil {
		t.Fatal(err)
	}
	if rows[2][col["protocol"]] != "recorded" || math.Abs(sim-rec) > rec/100 {
		t.Errorf("simulated %v ms, recorded %v ms (%s): not within 1 %%", sim, rec, rows[2][col["protocol"]])
	}
}
