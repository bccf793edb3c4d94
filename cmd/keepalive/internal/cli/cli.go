// Package cli is the keepalive command: argument parsing, the run and
// scenarios commands, and their report formats. The main package only
// calls [Main], so everything here is testable with in-memory writers.
package cli

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"golang.org/x/term"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/scenarios/testbed"
)

// commands lists the commands, for messages.
const commands = "tui, run, sweep, plot, merge, scenarios, testbed, help, version"

// Exit statuses.
const (
	exitOK      = 0
	exitFailure = 1 // the simulation or an output failed
	exitUsage   = 2 // bad command line, scenario or configuration
	exitStopped = 3 // outputs written, but a limit ended a run before all its pages had an outcome
	// exitInternal is a bug (a panic), kept apart from 2, the status the
	// Go runtime gives a panic, which here means bad input. 70 is
	// EX_SOFTWARE in BSD's sysexits.h.
	exitInternal = 70
)

// Main runs the keepalive command with args (without the program name),
// writing reports to stdout and diagnostics to stderr, and returns the
// process exit status: 0 on success, 1 when a run or an output fails, 2
// for bad input (a flag, a scenario file, a configuration out of range),
// 70 for a bug: a panic anywhere below is caught here and reported as one.
func Main(args []string, stdout, stderr io.Writer) (status int) {
	defer func() {
		if p := recover(); p != nil {
			status = fail(stderr, "keepalive", &model.InternalError{Panic: p, Stack: debug.Stack()})
		}
	}()
	if len(args) == 0 {
		return noCommand(stdout, stderr)
	}
	if handled, status := testbed.ChildMain(args); handled {
		return status // a process of the testbed, started by "keepalive testbed"
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "tui":
		return tuiCommand(rest, stdout, stderr)
	case "run":
		return runCommand(rest, stdout, stderr)
	case "scenarios":
		return scenariosCommand(rest, stdout, stderr)
	case "sweep":
		return sweepCommand(rest, stdout, stderr)
	case "plot":
		return plotCommand(rest, stdout, stderr)
	case "merge":
		return mergeCommand(rest, stdout, stderr)
	case "testbed":
		return testbedCommand(rest, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if cmd == "help" && len(rest) > 0 {
			return helpCommand(rest, stdout, stderr)
		}
		fmt.Fprint(stdout, mainUsage)
		return exitOK
	case "version", "-version", "--version":
		fmt.Fprintln(stdout, version())
		return exitOK
	default:
		if strings.HasPrefix(cmd, "-") {
			// The likeliest wish is the terminal UI on other settings.
			return fail(stderr, "keepalive", usageErrorf("flag %s must follow a command: for the terminal UI, keepalive tui %s; commands: %s; see: keepalive --help",
				cmd, strings.Join(args, " "), commands))
		}
		return fail(stderr, "keepalive", usageErrorf("unknown command %q; commands: %s", cmd, commands))
	}
}

// noCommand handles a bare "keepalive": the terminal UI on the default
// lesson, or, without a terminal, a hint of what to run instead.
func noCommand(stdout, stderr io.Writer) int {
	plan, err := parseRun(nil)
	if err != nil {
		return fail(stderr, "keepalive", err)
	}
	return openTUI(plan, stdout, stderr)
}

// isTerminal reports whether w is a terminal (a file such as os.Stdout
// attached to a tty).
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	return ok && term.IsTerminal(int(f.Fd()))
}

func helpCommand(args []string, stdout, stderr io.Writer) int {
	switch args[0] {
	case "run":
		fmt.Fprint(stdout, runUsage)
	case "tui":
		fmt.Fprint(stdout, tuiUsage)
	case "scenarios":
		fmt.Fprint(stdout, scenariosUsage)
	case "sweep":
		fmt.Fprint(stdout, sweepUsage)
	case "plot":
		fmt.Fprint(stdout, plotUsage)
	case "merge":
		fmt.Fprint(stdout, mergeUsage)
	case "testbed":
		fmt.Fprint(stdout, testbedUsage)
	case "help", "version":
		fmt.Fprint(stdout, mainUsage)
	default:
		return fail(stderr, "keepalive help", usageErrorf("unknown command %q; commands: %s", args[0], commands))
	}
	return exitOK
}

func version() string {
	p := newProvenance(nil, "") // the build info, read in one place
	v := "keepalive " + p.Version
	if p.Go != "" {
		v += " " + p.Go
	}
	return v
}

// columnsHelp lists report.Table, one column a line: name, unit and
// what it holds, so that "keepalive help run" can never disagree with
// the CSV.
func columnsHelp() string {
	var b strings.Builder
	for _, c := range csvrow.Table {
		name := c.Name
		if c.Unit != "" {
			name += " (" + c.Unit + ")"
		}
		b.WriteString(helpItem(name, c.Doc, 27))
	}
	return b.String()
}

// flagsHelp explains the run flags of one group of scenarios.RunFlags,
// from the table.
func flagsHelp(group string) string {
	var b strings.Builder
	for _, f := range scenarios.RunFlags() {
		if f.Group == group {
			b.WriteString(helpItem(strings.TrimSpace("--"+f.Name+" "+f.Arg), f.Help(), 26))
		}
	}
	return b.String()
}

// helpItem writes name indented by two and doc from column col, wrapped
// before column 79; a name too long for its column is followed by doc on
// the same line.
func helpItem(name, doc string, col int) string {
	var b strings.Builder
	line := "  " + name
	first := true // the next word is doc's first
	for _, word := range strings.Fields(doc) {
		switch {
		case first && len(line) < col:
			line += strings.Repeat(" ", col-len(line)) + word
		case len(line)+1+len(word) > 78:
			b.WriteString(line + "\n")
			line = strings.Repeat(" ", col) + word
		default:
			line += " " + word
		}
		first = false
	}
	b.WriteString(line + "\n")
	return b.String()
}

// usageError is bad input from the user: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error {
	return &usageError{fmt.Sprintf(format, a...)}
}

// fail prints err as one line prefixed with who and returns the exit
// status it deserves: 2 for input errors, 70 for a bug (with the stack
// after the line, for the report), 1 for the rest.
func fail(stderr io.Writer, who string, err error) int {
	msg := strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
	fmt.Fprintf(stderr, "%s: %s\n", who, msg)
	var ue *usageError
	var ce *model.ConfigError
	var ie *model.InternalError
	switch {
	case errors.As(err, &ie):
		fmt.Fprintf(stderr, "%s\n%s", version(), ie.Stack)
		return exitInternal
	case errors.As(err, &ue) || errors.As(err, &ce):
		return exitUsage
	}
	return exitFailure
}

const mainUsage = `keepalive simulates loading one web page over HTTP/1.0, HTTP/1.1 keep-alive,
HTTP/1.1 pipelining and HTTP/2 on a simulated link, and shows why reusing
connections matters: how long each took, how many TCP connections and TLS
handshakes it needed, and what it put on the wire.

Usage:
  keepalive                      the terminal UI on the default lesson (webpage)
  keepalive tui [flags]          the terminal UI on any scenario, with run's flags
  keepalive run [flags]          load a page over each protocol and compare them
  keepalive sweep [flags]        batch runs over a grid of settings: tidy CSV,
                                 summary statistics and a chart
  keepalive plot FILE.csv        chart a sweep's CSV (PNG, SVG or PDF)
  keepalive merge FILE.csv...    recombine the shards of a sweep
  keepalive scenarios            list the built-in scenarios
  keepalive scenarios NAME       print a scenario as YAML, to start your own file
  keepalive testbed [flags]      load the same page over real Linux TCP and real Go
                                 servers on an emulated link (root), beside the model
  keepalive help [COMMAND]       this help, or every flag of a command
  keepalive version              print the version

Examples:
  keepalive
  keepalive tui --scenario close-race
  keepalive run
  keepalive run --rtt 200ms --bandwidth 2Mbps --protocol http1.0,http1.1
  keepalive run --ideal --rtt 100ms --bandwidth 10Mbps --objects 0 --html-size 100KB
  keepalive run --loss 0.01 --seed 7 --format csv --out results.csv
  keepalive scenarios webpage > mypage.yaml && keepalive run --scenario mypage.yaml
  keepalive sweep --vary rtt=10ms,100ms,400ms --replicates 30 --loss 0.01 \
      --out results.csv --summary summary.csv --plot rtt.png

Run "keepalive help run" for every flag, with units, and "keepalive help
sweep" for batches (docs/batch.md).
Exit status: 0 success; 1 a simulation or output failed; 2 bad command line,
scenario or setting (one line on standard error says which); 3 the outputs
are written but a limit (limits.max_time, limits.max_events) ended a run, so
some of its pages are marked unfinished (one line per run says which and how
to raise it); 130 a sweep interrupted by Ctrl-C (finish it with --resume);
70 an internal error, a bug in keepalive (please report it).
`

var runUsage = `Usage: keepalive run [flags]

Loads a scenario's page once per protocol and reports one row per protocol.
Order: the textbook's assumptions if --ideal, then the scenario's own
fields (as if its file began with "ideal: true": a file's tcp.initial_window
stays), then every flag you give overrides its setting. A flag below is
read as its scenario field is in a file, with the same units and ranges
(docs/scenarios.md, "From the command line"). Flags may be written -flag
or --flag, with the value after a space or "=".

Scenario and protocols:
  --scenario NAME|FILE    a built-in scenario (see "keepalive scenarios") or a
                          YAML file; default webpage
  --protocol LIST         comma-separated protocols, run in the order given:
                          http1.0, http1.1 (keep-alive), http1.1-pipelined,
                          http2, http3 (over QUIC, always TLS 1.3), or all,
                          the four over TCP; default the scenario's
                          protocols field, else all
  --ideal                 the textbook's assumptions: TCP with no slow start
                          (unlimited initial window), no header bytes, no
                          delayed ACKs, no loss, negligible TLS and HTTP bytes
  --har FILE              a page recorded as HAR 1.2 (DevTools' "Save all as
                          HAR", WebPageTest, Fiddler) instead of a scenario:
                          each request on its host (https with TLS 1.3, or
                          --tls), think time wait − RTT, DNS from its dns
                          times, the link estimated from it unless --rtt or
                          --bandwidth is given (a note on standard error
                          says which), and a row "recorded" with the HAR's
                          own page load, connections and HTTP versions
                          (docs/har.md); not with --scenario or the page
                          flags
  --har-page N            the page of the HAR to load, from 1; default 1
` + flagsHelp(scenarios.GroupScenario) + `
` + scenarios.GroupLink + `:
` + flagsHelp(scenarios.GroupLink) + `
` + scenarios.GroupTCP + `:
` + flagsHelp(scenarios.GroupTCP) + `
` + scenarios.GroupHTTP + `:
` + flagsHelp(scenarios.GroupHTTP) + `
` + scenarios.GroupPage + ` (any of these three replaces the scenario's page with a base document
that references images):
` + flagsHelp(scenarios.GroupPage) + `                          Sizes: B, KB or kB (1000 B), MB, GB, KiB (1024 B),
                          MiB, GiB; a bare number is bytes.

Output:
  --format table|csv|json report format; default table, or csv/json when
                          --out ends in .csv/.json
  --out FILE              write the report to FILE instead of standard output
                          ("-" is standard output)
  --resources FILE        write per-resource timings (CSV: protocol, url,
                          type, bytes, connection, stream, then times in ms
                          since navigation start; empty when a phase did not
                          happen)
  --pages FILE            write one row per page load (CSV: scenario,
                          protocol, seed, client, page, outcome, load_ms,
                          ttfb_ms, connections, bytes, start_ms, end_ms, why)
  --trace FILE            write every trace record as the runs go: CSV (a
                          protocol column first, times in ms), or, for a
                          FILE ending in .jsonl, a saved lesson that
                          "keepalive tui --trace FILE" replays
  --har-out FILE          write every load as HAR 1.2, for Chrome DevTools
                          (Network, Import HAR) and HAR tools: a page per
                          protocol and page (with several clients, the first
                          client's), an entry per finished request; times
                          from 2026-01-01T00:00:00Z, servers 192.0.2.N
                          (docs/har.md)
  --pcap FILE             write each protocol's packets as a capture file
                          that Wireshark and tshark open (pcap, nanosecond
                          times from 2026-01-01T00:00:00Z, raw IPv4): FILE
                          with one protocol, else NAME.PROTOCOL.EXT (FILE's
                          name and extension: page.http2.pcap); real
                          TCP/IP headers, options and checksums; the
                          HTTP/1.x text, HTTP/2 frames and TLS records the
                          model sized (docs/pcap.md); clients 198.51.100.N
  --qlog DIR              write each HTTP/3 run's QUIC connections as qlog
                          files for qvis (JSON-SEQ, the IETF qlog schema as
                          quic-go writes it): DIR/NAME.connN.client.sqlog
                          and .server.sqlog, DIR made if needed; packets,
                          their types, numbers and frame types, losses,
                          window and RTT, stream states (docs/qlog.md)
  --pcap-at POINT         where the capture is taken: client (default), the
                          browsers' interface; server; proxy, both hops at
                          the proxy; both, a file each at client and server
                          (NAME[.PROTOCOL].client.EXT, .server.EXT). A
                          packet lost on the link is in its sender's
                          capture only
Files are written whole or not at all, replacing a file already there (a sweep
refuses to without --force); nothing is created on bad input.
Beside each CSV file, FILE.meta.json says how it was made (program, version,
command line, scenario, a hash of the settings); --format json holds the
same as "meta", beside "runs".

CSV and JSON columns, in order (times in milliseconds with 6 decimals; an
empty cell, null in JSON, is a time that did not happen or a setting that
is unlimited; page_load_ms is the mean of the pages that loaded, and a
failed or unfinished page never counts):
` + columnsHelp() + `
--resources times run from the start of the run (page 1's navigation);
JSON lists each loaded page's time in page_loads_ms and every page's
outcome, with why it did not load, in page_outcomes.

A run goes on until nothing is left to happen, or until a limit of the
scenario's limits section (max_time: 24h, max_events: 50000000,
max_memory: 1GiB) stops it; then the pages without an outcome are
unfinished, one line on standard error names the limit, and the exit
status is 3.

Examples:
  keepalive
  keepalive tui --scenario close-race
  keepalive run
  keepalive run --protocol http1.0,http1.1 --rtt 300ms --parallel 1
  keepalive run --ideal --rtt 100ms --bandwidth 10Mbps --objects 0 --html-size 100KB
  keepalive run --tls 1.2 --tls-resume --objects 30 --object-size 50KB,2KB
  keepalive run --loss 0.02 --seed 3 --out run.csv --trace trace.csv
  keepalive run --tls 1.3 --har-out page.har
  keepalive run --har page.har --rtt 50ms --bandwidth 20Mbps
`

const scenariosUsage = `Usage: keepalive scenarios [NAME|FILE]

Without an argument, lists the built-in scenarios with a one-line description.
With a name (or a YAML file), prints the scenario: its story as # comments,
then its settings as YAML, a starting point for a file of your own:

  keepalive scenarios
  keepalive scenarios webpage > mypage.yaml
  keepalive run --scenario mypage.yaml
`
