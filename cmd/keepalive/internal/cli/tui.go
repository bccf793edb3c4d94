package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/tui"
)

// tuiCommand opens the terminal UI on a scenario, with the same overrides
// as "keepalive run", or prints one of its screens (--print).
func tuiCommand(args []string, stdout, stderr io.Writer) int {
	var shot tuiShot
	plan, set, err := parseCommand("tui", args, shot.flags)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, tuiUsage)
		return exitOK
	}
	if err == nil {
		err = shot.check(set)
	}
	if err == nil && plan.harIn != nil && !set["trace"] {
		var l *harLoaded
		if l, err = plan.harIn.load(plan.ideal); err == nil {
			plan.harIn.notes(stderr, "keepalive tui", l)
		}
	}
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	if set["trace"] {
		return replayTrace(plan, set, &shot, stdout, stderr)
	}
	if set["print"] {
		return printScreen(plan, &shot, stdout, stderr)
	}
	return openTUI(plan, stdout, stderr)
}

// replayTrace shows a saved trace ("keepalive run --trace FILE.jsonl"):
// the runs as they were recorded, nothing simulated again. The flags that
// would change a scenario do not apply to a replay.
func replayTrace(plan *runPlan, set map[string]bool, shot *tuiShot, stdout, stderr io.Writer) int {
	const who = "keepalive tui"
	for name := range set {
		switch name {
		case "trace", "print", "at", "size":
		default:
			return fail(stderr, who, usageErrorf("--%s: not with --trace, which replays a saved run as it was recorded (to change it, run it again: keepalive run --trace FILE.jsonl with the flags)", name))
		}
	}
	first, err := savedLesson(plan.trace)
	if err != nil {
		return fail(stderr, who, err)
	}
	if set["print"] {
		return printLesson(first, shot, stdout, stderr)
	}
	return showLesson(&lessonSource{plan: &runPlan{scenario: "webpage"}}, first, stdout, stderr)
}

// lessonHeader is a lesson without runs: what its header shows, from the
// RunInfo of its first run (live or saved).
func lessonHeader(info trace.RunInfo) tui.Lesson {
	return tui.Lesson{
		Scenario: info.Scenario, Description: info.Description, Narrative: info.Narrative, ServerSlots: info.ServerSlots,
		Params: tui.Params{RTT: info.RTT, Bandwidth: info.Bandwidth, Loss: info.Loss, Objects: -1,
			InitialWindow: info.IW, Parallel: info.Parallel, TLS: info.TLS},
		BrowserIdle: info.BrowserIdle, ServerIdle: info.ServerIdle,
		Seed: info.Seed, Moments: info.Moments,
	}
}

// savedLesson reads a saved trace into a lesson: one run per protocol,
// its header from the run's RunInfo, its summary computed from the
// records as for a live run. A replay has no settings to edit.
func savedLesson(path string) (tui.Lesson, error) {
	f, err := os.Open(path)
	if err != nil {
		return tui.Lesson{}, usageErrorf("--trace %s: %v", path, unwrapPathError(err))
	}
	defer f.Close()
	// A record is at most a few hundred bytes of JSON: a file larger than
	// tuiRecords of them cannot be replayed, and is not read into memory
	// to find that out.
	const maxBytes = int64(tuiRecords) * 512
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > maxBytes {
		return tui.Lesson{}, usageErrorf("--trace %s: %d MB; the terminal UI replays at most %d records (%d MiB of memory)", path, fi.Size()>>20, tuiRecords, tuiMemory>>20)
	}
	runs, err := trace.ReadSaved(io.LimitReader(f, maxBytes+1))
	if err != nil {
		return tui.Lesson{}, usageErrorf("--trace %s: %v (write one with keepalive run --trace FILE.jsonl)", path, err)
	}
	n := 0
	for _, r := range runs {
		n += len(r.Records)
	}
	if n > tuiRecords {
		return tui.Lesson{}, usageErrorf("--trace %s: %d records; the terminal UI replays at most %d (%d MiB of memory)", path, n, tuiRecords, tuiMemory>>20)
	}
	l := lessonHeader(runs[0].Info)
	seen := map[trace.Protocol]bool{}
	for i, r := range runs {
		if r.Info.Protocol == trace.NoProtocol {
			return tui.Lesson{}, usageErrorf("--trace %s: run %d has no header line naming its protocol; write the file with keepalive run --trace FILE.jsonl", path, i+1)
		}
		if err := checkRunInfo(r.Info, seen); err != nil {
			return tui.Lesson{}, usageErrorf("--trace %s: run %d's header: %v", path, i+1, err)
		}
		l.Runs = append(l.Runs, tui.Run{Protocol: r.Info.Protocol, Store: trace.StoreOf(r.Records), Summary: trace.Summarize(r.Records)})
		runs[i].Records = nil // the store holds them now
	}
	return l, nil
}

// checkRunInfo checks a saved run's header as a scenario's settings
// are checked: a hand-edited file must not show "loss 500%" or a
// protocol twice. (trace.ReadSaved has refused a protocol it does not
// know.)
func checkRunInfo(in trace.RunInfo, seen map[trace.Protocol]bool) error {
	p := in.Protocol
	switch {
	case seen[p]:
		return fmt.Errorf("protocol %s: a second run of it; each protocol once", p)
	case in.RTT < 0 || in.RTT > time.Duration(units.MaxDuration):
		return fmt.Errorf("rtt_ns %d: out of range, 0 to a year", in.RTT)
	case in.Bandwidth < 1 && in.Bandwidth != -1:
		return fmt.Errorf("bandwidth_bps %d: a rate > 0, or -1 for unlimited", in.Bandwidth)
	case !(in.Loss >= 0 && in.Loss < 1):
		return fmt.Errorf("loss %v: a probability in [0, 1)", in.Loss)
	case in.IW < 1 && in.IW != model.Unlimited:
		return fmt.Errorf("iw %d: segments ≥ 1, or -1 for unlimited", in.IW)
	case in.Parallel < 1:
		return fmt.Errorf("parallel %d: at least 1", in.Parallel)
	case in.ServerSlots < 0:
		return fmt.Errorf("server_slots %d: at least 0", in.ServerSlots)
	case in.BrowserIdle < 0 || in.BrowserIdle > time.Duration(units.MaxDuration):
		return fmt.Errorf("browser_idle_ns %d: out of range, 0 (no limit) to a year", in.BrowserIdle)
	case in.ServerIdle < 0 || in.ServerIdle > time.Duration(units.MaxDuration):
		return fmt.Errorf("server_idle_ns %d: out of range, 0 (no limit) to a year", in.ServerIdle)
	}
	if _, err := model.ParseTLS(in.TLS); err != nil {
		return fmt.Errorf("tls %q: none, 1.2 or 1.3", in.TLS)
	}
	// A moment's sentence reaches the terminal: an edited one must be
	// checked as a scenario file's is.
	if err := trace.CheckMoments(in.Moments); err != nil {
		return fmt.Errorf("moments: %w", err)
	}
	seen[p] = true
	return nil
}

// unwrapPathError drops the operation and path of an *fs.PathError,
// which the message already names.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// onlyForReports rejects, for the terminal UI, the flags that only make
// sense for a report: before the flags' own checks, which would name
// their pairing with others (--pcap-at without --pcap) instead.
func onlyForReports(set map[string]bool) error {
	for _, o := range []string{"out", "resources", "pages", "format"} {
		if set[o] {
			return usageErrorf("--%s is for keepalive run; the terminal UI shows its results on screen (keepalive tui --print VIEW writes one screen as text; keepalive tui --trace FILE.jsonl replays a saved run)", o)
		}
	}
	if set["qlog"] {
		return usageErrorf("--qlog is for keepalive run: keepalive run --protocol http3 --qlog DIR writes the qlog files of the same settings")
	}
	for _, o := range []string{"pcap", "pcap-at"} {
		if set[o] {
			return usageErrorf("--%s is for keepalive run; in the terminal UI, W writes the capture of the protocol on screen (docs/pcap.md)", o)
		}
	}
	return nil
}

// tuiShot holds the flags of "keepalive tui --print".
type tuiShot struct {
	view, at, size string
	shot           tui.Shot
}

func (t *tuiShot) flags(fs *flag.FlagSet) {
	fs.StringVar(&t.view, "print", "", "")
	fs.StringVar(&t.at, "at", "loaded", "")
	fs.StringVar(&t.size, "size", "100x30", "")
}

// check reads --print, --at and --size.
func (t *tuiShot) check(set map[string]bool) error {
	if !set["print"] {
		for _, name := range []string{"at", "size"} {
			if set[name] {
				return usageErrorf("--%s: only with --print VIEW", name)
			}
		}
		return nil
	}
	if !slices.Contains(tui.Views, t.view) {
		return usageErrorf("--print %q: unknown view; allowed: %s", t.view, strings.Join(tui.Views, ", "))
	}
	t.shot.View = t.view
	switch t.at {
	case "loaded":
		t.shot.Loaded = true
	case "end":
		t.shot.End = true
	case "start":
	default:
		d, err := units.ParseDuration(t.at)
		if err != nil || d < 0 {
			return usageErrorf("--at %q: give a time since the start such as 1.2s or 250ms, or start, loaded or end", t.at)
		}
		t.shot.At = d
	}
	w, h, ok := strings.Cut(t.size, "x")
	wn, err1 := strconv.Atoi(w)
	hn, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil || wn < 40 || hn < 10 || wn > 1000 || hn > 1000 {
		return usageErrorf("--size %q: give COLUMNSxROWS from 40x10 to 1000x1000, e.g. 100x30", t.size)
	}
	t.shot.Width, t.shot.Height = wn, hn
	return nil
}

// printScreen writes one screen of the lesson to stdout as text.
func printScreen(plan *runPlan, t *tuiShot, stdout, stderr io.Writer) int {
	first, _, err := planLesson(plan)
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return printLesson(first, t, stdout, stderr)
}

// printLesson writes one screen of l, its first protocol's, as text.
func printLesson(l tui.Lesson, t *tuiShot, stdout, stderr io.Writer) int {
	t.shot.Protocol = l.Runs[0].Protocol
	text, err := tui.Snapshot(l, t.shot)
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	if _, err := io.WriteString(stdout, text); err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return exitOK
}

// planLesson runs the plan's scenario, with --ideal and the flags, under
// the plan's protocols.
func planLesson(plan *runPlan) (tui.Lesson, *lessonSource, error) {
	src := &lessonSource{plan: plan}
	first, err := src.Load(plan.scenario, nil)
	return first, src, err
}

// openTUI runs the plan's scenario and hands it to the terminal UI.
func openTUI(plan *runPlan, stdout, stderr io.Writer) int {
	if !isTerminal(stdout) {
		return noTerminal(stderr)
	}
	first, src, err := planLesson(plan)
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return showLesson(src, first, stdout, stderr)
}

// showLesson opens the terminal UI on l, with src for other lessons.
func showLesson(src tui.Source, l tui.Lesson, stdout, stderr io.Writer) int {
	if !isTerminal(stdout) {
		return noTerminal(stderr)
	}
	if err := tui.Main(src, l, tui.Options{NoColor: os.Getenv("NO_COLOR") != ""}); err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return exitOK
}

// noTerminal says what to run instead of the terminal UI.
func noTerminal(stderr io.Writer) int {
	fmt.Fprintln(stderr, "keepalive: the terminal UI needs a terminal; standard output is not one.")
	fmt.Fprintln(stderr, "           for a report instead, run: keepalive run; for one screen as text:")
	fmt.Fprintln(stderr, "           keepalive tui --print ladder   (all commands: keepalive --help)")
	return exitUsage
}

// lessonSource runs scenarios for the terminal UI under the command
// line's protocols. The command line's settings (--ideal, --rtt, --mss,
// --seed, …) belong to the scenario it names: they apply whenever that
// scenario is loaded, and the edit form's changes apply on top of them.
// A scenario picked from the list runs as it was designed.
type lessonSource struct{ plan *runPlan }

// Scenarios lists the built-in scenarios.
func (lessonSource) Scenarios() []tui.ScenarioInfo {
	var out []tui.ScenarioInfo
	for _, in := range scenarios.Builtins() {
		out = append(out, tui.ScenarioInfo{Name: in.Name, Description: in.Description})
	}
	return out
}

// Load runs the scenario ref (a built-in name or a file), with the edit
// form's changes, under every protocol.
func (s lessonSource) Load(ref string, changes map[string]string) (tui.Lesson, error) {
	sc, cfg, err := s.config(ref, changes)
	if err != nil {
		return tui.Lesson{}, err
	}
	return s.lesson(ref, sc, cfg)
}

// config resolves ref (with --ideal, if ref is the command line's
// scenario) and applies, in order: the command line's flags if ref is its
// scenario, then changes. The form has no ideal field, so changes never
// turn ideal on or off.
func (s lessonSource) config(ref string, changes map[string]string) (*scenarios.Scenario, model.Config, error) {
	base := &runPlan{scenario: ref}
	if ref == s.plan.scenario {
		base = s.plan
	}
	var edits []*runPlan
	if len(changes) > 0 {
		edit, err := editPlan(changes)
		if err != nil {
			return nil, model.Config{}, err
		}
		if base.harIn != nil {
			// As on the command line (harFlags): the recording is the page.
			for _, st := range edit.settings {
				if replacesRecording(st.Field) {
					return nil, model.Config{}, usageErrorf("%s: not with --har, whose page is the recording's", st.Where)
				}
			}
		}
		edits = append(edits, edit)
	}
	sc, cfg, err := base.config(edits...)
	if err != nil {
		return nil, model.Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return nil, model.Config{}, err
	}
	return sc, cfg, nil
}

// formFlags are the run flags the edit form shows, with their labels:
// the form takes exactly what the command line takes, read by the same
// parser, and shows each value as the flag reads it back.
func formFlags() []scenarios.Flag {
	var out []scenarios.Flag
	for _, f := range scenarios.RunFlags() {
		if f.Label != "" {
			out = append(out, f)
		}
	}
	return out
}

// editPlan turns the edit form's changes into the settings of the run
// flags they are, each named by the form's label in messages.
func editPlan(changes map[string]string) (*runPlan, error) {
	plan := &runPlan{}
	for _, f := range formFlags() {
		if v, ok := changes[f.Name]; ok {
			plan.settings = append(plan.settings, f.Setting(f.Label, v))
		}
	}
	// The form's other settings, by name, in a fixed order: a later one
	// of the same field wins, as on the command line.
	for _, k := range slices.Sorted(maps.Keys(changes)) {
		name, ok := strings.CutPrefix(k, tui.OtherKey)
		if !ok {
			continue
		}
		st, err := scenarios.SettingNamed(name, name, changes[k])
		if err != nil {
			return nil, err
		}
		plan.settings = append(plan.settings, st)
	}
	if len(plan.settings) != len(changes) {
		return nil, fmt.Errorf("the edit form changed a setting it does not have: %v", changes)
	}
	return plan, nil
}

// tuiMemory is what the terminal UI's traces may take: it keeps every
// record of every protocol's run, to replay them. A run that would need
// more stops there, its pages marked unfinished, and its last record
// says why (docs/reliability.md).
const tuiMemory = 1 << 30

// tuiRecords is how many records fit in tuiMemory: each takes
// trace.StoredRecordBytes (64) in its run's store, and the TUI's indexes
// (a packet's life, the series the views draw) and the collector's
// headroom three times as much again (measured: docs/reliability.md).
const tuiRecords = tuiMemory / (4 * trace.StoredRecordBytes)

// lesson runs cfg under the plan's protocols.
func (s lessonSource) lesson(ref string, sc *scenarios.Scenario, cfg model.Config) (tui.Lesson, error) {
	// The header from the RunInfo a saved trace would record, so that a
	// replay shows exactly what the live lesson showed.
	protocols := s.plan.protocols
	if len(protocols) == 0 {
		protocols = model.Protocols
	}
	if !s.plan.protocolsChosen {
		// The lesson's comparison, for a lesson picked in the UI too.
		protocols = sc.Compared()
	}
	head := cfg
	if len(protocols) == 1 {
		head.ForProtocol(protocols[0]) // HTTP/3's TLS and window
	}
	l := lessonHeader(runInfo(sc, head))
	l.Ref = ref
	for _, f := range formFlags() {
		l.Settings = append(l.Settings, tui.Setting{Key: f.Name, Label: f.Label, Value: f.Show(&cfg), Options: f.Options})
	}
	l.SettingNames = scenarios.SettingNames()
	// W's capture: the run again, which the same settings and seed make
	// the same, at the browser's interface.
	l.Capture = func(p trace.Protocol) ([]byte, error) {
		for _, mp := range protocols {
			if mp.Traced() == p {
				c := cfg
				c.ForProtocol(mp)
				files, err := captureOf(c, "client")
				if err != nil {
					return nil, err
				}
				return files["client"].Bytes(), nil
			}
		}
		return nil, fmt.Errorf("the lesson has no %s run", p)
	}
	// The protocols' runs are independent, so they run side by side, on
	// as many cores as there are: a large page's four runs took seconds
	// one after another before the first frame.
	l.Runs = make([]tui.Run, len(protocols))
	errs := make([]error, len(protocols))
	var wg sync.WaitGroup
	for i, p := range protocols {
		wg.Go(func() {
			c := cfg
			c.ForProtocol(p)
			store := &trace.Store{Max: tuiRecords / len(protocols)}
			res, err := model.Run(c, store)
			if err != nil {
				errs[i] = fmt.Errorf("%s: %w", p, err)
				return
			}
			l.Runs[i] = tui.Run{Protocol: p.Traced(), Store: store, Summary: res.Summary}
		})
	}
	wg.Wait()
	for _, err := range errs { // the first protocol's error, as one after another
		if err != nil {
			return tui.Lesson{}, err
		}
	}
	return l, nil
}

const tuiUsage = `keepalive tui: watch a scenario play out, packet by packet, in the terminal

Usage:
  keepalive tui [--scenario NAME|FILE] [--protocol LIST] [--ideal] [--rtt 100ms]
                [--bandwidth 10Mbps] [--loss 0.01] [--mss 1460] [--iw 10|unlimited]
                [--parallel 6] [--tls none|1.2|1.3] [--tls-resume] [--seed 1]
                [--objects N --object-size 10KB --html-size 20KB]
                [--print VIEW [--at TIME|start|loaded|end] [--size 100x30]]
  keepalive tui --har FILE [--har-page N] [flags as above]
  keepalive tui --trace FILE.jsonl [--print VIEW ...]

--har loads a page recorded as HAR 1.2 instead of a scenario, as "keepalive
run --har" does (keepalive help run; docs/har.md): its requests on their
hosts, the link estimated from it unless --rtt or --bandwidth is given.
--har-page N picks the HAR's page, from 1 (default 1).

--trace replays a saved run ("keepalive run --trace FILE.jsonl"), exactly as
it was recorded and without simulating again: a lesson to take to a class,
or to look at again later. The flags that change a scenario do not apply.

"keepalive" with no command does the same with the default scenario (webpage).
The flags change the scenario exactly as they do for "keepalive run"; the
screen shows the protocols of --protocol (default all four, HTTP/1.0 first).
It needs a terminal of at least 80x24; NO_COLOR=1 turns colours off.

--print VIEW writes one screen as text to standard output instead, without a
terminal: VIEW is ladder, waterfall, connections, cwnd, compare or help; the
single-protocol views show the first protocol of --protocol. --at puts the
playhead at a time since the start (250ms, 1.2s), at start, at loaded (the
moment the last page loaded or failed: the default) or at end (the last
event, after idle connections and TIME-WAIT); --size is the screen,
COLUMNSxROWS (default 100x30, at least 40x10).

It opens paused on the lesson's first key moment (the scenario's moments, or
the first handshake, each connection, loss, timeout and page loaded), on the
protocol that tells the lesson's story.

Views (Tab or 1-4): 1 ladder of packets, 2 waterfall (c: per connection),
3 congestion window, 4 the four protocols side by side.
Keys: Space play/pause, n/N next/previous key moment, ←/→ previous/next
event, g go to a typed time, +/- speed (1/1000 to real time), Home/End,
p next protocol, l event list (↑/↓ move, / find, f this connection,
L layer, m key moments), Enter inspect a packet (Esc back), z/Z zoom
(the ladder; Z past the widest, or w: the whole run with idle stretches
collapsed; the waterfall: the playhead's page), x name every packet of a
ladder row,
e edit RTT, bandwidth, loss, objects, initial window, parallel
connections and TLS, and any other flag or scenario field by name
("server.idle_close: 408"; the values the flags take; the other flags
stay in force), s pick a
built-in scenario (it runs as designed, without the flags), S save the
screen as text and SVG in the current directory, W write the protocol on
screen as a Wireshark capture (keepalive-SCENARIO-PROTOCOL.pcap, the bytes
"keepalive run --pcap" writes), ? help, q quit.

Examples:
  keepalive
  keepalive tui --scenario close-race
  keepalive tui --scenario hol-blocking --protocol http2,http1.1-pipelined
  keepalive tui --print ladder --protocol http2 --at 420ms --size 100x30
  keepalive run --scenario close-race --trace race.jsonl && keepalive tui --trace race.jsonl
  keepalive tui --scenario textbook --rtt 300ms
  NO_COLOR=1 keepalive tui --tls 1.3
`
