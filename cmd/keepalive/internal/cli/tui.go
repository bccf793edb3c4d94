package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

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
		err = plan.onlyForTUI(set)
	}
	if err == nil {
		err = shot.check(set)
	}
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	if set["print"] {
		return printScreen(plan, &shot, stdout, stderr)
	}
	return openTUI(plan, stdout, stderr)
}

// onlyForTUI rejects the flags that only make sense for a report.
func (plan *runPlan) onlyForTUI(set map[string]bool) error {
	for _, o := range []string{"out", "resources", "trace", "format"} {
		if set[o] {
			return usageErrorf("--%s is for keepalive run; the terminal UI shows its results on screen (keepalive tui --print VIEW writes one screen as text)", o)
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
	fs.StringVar(&t.at, "at", "end", "")
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
	case "end":
		t.shot.End = true
	case "start":
	default:
		d, err := units.ParseDuration(t.at)
		if err != nil || d < 0 {
			return usageErrorf("--at %q: give a time since the start such as 1.2s or 250ms, or start or end", t.at)
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
	t.shot.Protocol = plan.protocols[0].String()
	text, err := tui.Snapshot(first, t.shot)
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	if _, err := io.WriteString(stdout, text); err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return exitOK
}

// planLesson loads the plan's scenario, applies --ideal and the flags,
// and runs it under the plan's protocols.
func planLesson(plan *runPlan) (tui.Lesson, *lessonSource, error) {
	src := &lessonSource{protocols: plan.protocols}
	sc, err := scenarios.Resolve(plan.scenario)
	if err != nil {
		return tui.Lesson{}, nil, scenarioError(plan.scenario, err)
	}
	cfg := sc.Config
	if plan.ideal {
		cfg.ApplyIdeal()
	}
	for _, o := range plan.overrides {
		o(&cfg)
	}
	if plan.resume && cfg.TLS.Version == model.NoTLS {
		return tui.Lesson{}, nil, usageErrorf("--tls-resume: there is no TLS session to resume (TLS is none); add --tls 1.2 or --tls 1.3")
	}
	first, err := src.lesson(sc, cfg)
	return first, src, err
}

// openTUI runs the plan's scenario and hands it to the terminal UI.
func openTUI(plan *runPlan, stdout, stderr io.Writer) int {
	if !isTerminal(stdout) {
		fmt.Fprintln(stderr, "keepalive: the terminal UI needs a terminal; standard output is not one.")
		fmt.Fprintln(stderr, "           for a report instead, run: keepalive run   (all commands: keepalive --help)")
		return exitUsage
	}
	first, src, err := planLesson(plan)
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	opts := tui.Options{NoColor: os.Getenv("NO_COLOR") != ""}
	if err := tui.Main(src, first, opts); err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return exitOK
}

// lessonSource runs scenarios for the terminal UI under its protocols.
type lessonSource struct{ protocols []model.Protocol }

// Scenarios lists the built-in scenarios.
func (lessonSource) Scenarios() []tui.ScenarioInfo {
	var out []tui.ScenarioInfo
	for _, in := range scenarios.Builtins() {
		out = append(out, tui.ScenarioInfo{Name: in.Name, Description: in.Description})
	}
	return out
}

// Load runs a scenario, changed by the edit form's parameters if p is not
// nil, under every protocol.
func (s lessonSource) Load(name string, p *tui.Params) (tui.Lesson, error) {
	sc, err := scenarios.Resolve(name)
	if err != nil {
		return tui.Lesson{}, err
	}
	cfg := sc.Config
	if p != nil {
		if err := applyParams(&cfg, *p); err != nil {
			return tui.Lesson{}, err
		}
	}
	return s.lesson(sc, cfg)
}

// applyParams sets the knobs of the edit form.
func applyParams(cfg *model.Config, p tui.Params) error {
	cfg.Link.Delay = p.RTT / 2
	cfg.Link.Up, cfg.Link.Down = model.Rate(p.Bandwidth), model.Rate(p.Bandwidth)
	cfg.Link.Loss = p.Loss
	if p.Objects >= 0 {
		html := cfg.Page.Resources[0].Size
		cfg.Page = model.SyntheticPage(html, p.Objects, []int{10_000})
		cfg.Visits = nil
	}
	cfg.TCP.InitialWindow = p.InitialWindow
	cfg.HTTP.Parallel = p.Parallel
	v, err := model.ParseTLS(p.TLS)
	if err != nil {
		return err
	}
	cfg.TLS.Version = v
	if v != model.TLS13 {
		cfg.TLS.EarlyData = false
	}
	if p.Loss >= 1 {
		return &model.ConfigError{Field: "loss", Value: fmt.Sprint(p.Loss), Allowed: "a probability from 0 to below 1"}
	}
	return cfg.Validate()
}

// lesson runs cfg under the four protocols.
func (src lessonSource) lesson(sc *scenarios.Scenario, cfg model.Config) (tui.Lesson, error) {
	l := tui.Lesson{
		Scenario: sc.Name, Description: sc.Description, Narrative: sc.Narrative,
		ServerSlots: cfg.Server.MaxConnections,
		Params: tui.Params{
			RTT: 2 * cfg.Link.Delay, Bandwidth: int64(cfg.Link.Down), Loss: cfg.Link.Loss, Objects: -1,
			InitialWindow: cfg.TCP.InitialWindow, Parallel: cfg.HTTP.Parallel, TLS: cfg.TLS.Version.String(),
		},
	}
	protocols := src.protocols
	if len(protocols) == 0 {
		protocols = model.Protocols
	}
	for _, p := range protocols {
		cfg.HTTP.Protocol = p
		log := &trace.Log{}
		res, err := model.Run(cfg, log)
		if err != nil {
			return tui.Lesson{}, fmt.Errorf("%s: %w", p, err)
		}
		l.Runs = append(l.Runs, tui.Run{Protocol: p.String(), Records: log.Records, Summary: res.Summary})
	}
	return l, nil
}

const tuiUsage = `keepalive tui: watch a scenario play out, packet by packet, in the terminal

Usage:
  keepalive tui [--scenario NAME|FILE] [--protocol LIST] [--ideal] [--rtt 100ms]
                [--bandwidth 10Mbps] [--loss 0.01] [--mss 1460] [--iw 10|unlimited]
                [--parallel 6] [--tls none|1.2|1.3] [--tls-resume] [--seed 1]
                [--objects N --object-size 10KB --html-size 20KB]
                [--print VIEW [--at TIME|start|end] [--size 100x30]]

"keepalive" with no command does the same with the default scenario (webpage).
The flags change the scenario exactly as they do for "keepalive run"; the
screen shows the protocols of --protocol (default all four, HTTP/1.0 first).
It needs a terminal of at least 80x24; NO_COLOR=1 turns colours off.

--print VIEW writes one screen as text to standard output instead, without a
terminal: VIEW is ladder, waterfall, connections, cwnd, compare or help; the
single-protocol views show the first protocol of --protocol. --at puts the
playhead at a time since the start (250ms, 1.2s), at start or at end (the
default); --size is the screen, COLUMNSxROWS (default 100x30, at least 40x10).

Views (Tab or 1-4): 1 ladder of packets, 2 waterfall (c: per connection),
3 congestion window, 4 the four protocols side by side.
Keys: Space play/pause, ←/→ previous/next event, +/- speed (1/1000 to real
time), Home/End, p next protocol, e edit RTT, bandwidth, loss, objects,
initial window, parallel connections and TLS, s pick a scenario, ? help,
q quit.

Examples:
  keepalive
  keepalive tui --scenario close-race
  keepalive tui --scenario hol-blocking --protocol http2,http1.1-pipelined
  keepalive tui --print ladder --protocol http2 --at 420ms --size 100x30
  keepalive tui --scenario textbook --rtt 300ms
  NO_COLOR=1 keepalive tui --tls 1.3
`
