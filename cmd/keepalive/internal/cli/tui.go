package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/tui"
)

// tuiCommand opens the terminal UI on a scenario, with the same overrides
// as "keepalive run".
func tuiCommand(args []string, stdout, stderr io.Writer) int {
	plan, err := parseRun(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, tuiUsage)
		return exitOK
	}
	if err == nil {
		err = plan.onlyForTUI()
	}
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return openTUI(plan, stdout, stderr)
}

// onlyForTUI rejects the flags that only make sense for a report.
func (plan *runPlan) onlyForTUI() error {
	for _, o := range []struct{ flag, value string }{
		{"--out", plan.out}, {"--resources", plan.resources}, {"--trace", plan.trace},
	} {
		if o.value != "" {
			return usageErrorf("%s is for keepalive run; the terminal UI shows its results on screen", o.flag)
		}
	}
	if len(plan.protocols) != len(model.Protocols) {
		return usageErrorf("--protocol is for keepalive run; the terminal UI always runs the four protocols (press p to switch)")
	}
	return nil
}

// openTUI runs the plan's scenario and hands it to the terminal UI.
func openTUI(plan *runPlan, stdout, stderr io.Writer) int {
	if !isTerminal(stdout) {
		fmt.Fprintln(stderr, "keepalive: the terminal UI needs a terminal; standard output is not one.")
		fmt.Fprintln(stderr, "           for a report instead, run: keepalive run   (all commands: keepalive --help)")
		return exitUsage
	}
	src := &lessonSource{}
	sc, err := scenarios.Resolve(plan.scenario)
	if err != nil {
		return fail(stderr, "keepalive tui", scenarioError(plan.scenario, err))
	}
	cfg := sc.Config
	if plan.ideal {
		cfg.ApplyIdeal()
	}
	for _, o := range plan.overrides {
		o(&cfg)
	}
	first, err := src.lesson(sc, cfg)
	if err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	opts := tui.Options{NoColor: os.Getenv("NO_COLOR") != ""}
	if err := tui.Main(src, first, opts); err != nil {
		return fail(stderr, "keepalive tui", err)
	}
	return exitOK
}

// lessonSource runs scenarios for the terminal UI.
type lessonSource struct{}

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
func (lessonSource) lesson(sc *scenarios.Scenario, cfg model.Config) (tui.Lesson, error) {
	l := tui.Lesson{
		Scenario: sc.Name, Description: sc.Description, Narrative: sc.Narrative,
		ServerSlots: cfg.Server.MaxConnections,
		PageObjects: csvrow.Objects(cfg),
		Params: tui.Params{
			RTT: 2 * cfg.Link.Delay, Bandwidth: int64(cfg.Link.Down), Loss: cfg.Link.Loss, Objects: -1,
			InitialWindow: cfg.TCP.InitialWindow, Parallel: cfg.HTTP.Parallel, TLS: cfg.TLS.Version.String(),
		},
	}
	for _, p := range model.Protocols {
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
  keepalive tui [--scenario NAME|FILE] [--ideal] [--rtt 100ms] [--bandwidth 10Mbps]
                [--loss 0.01] [--mss 1460] [--iw 10|unlimited] [--parallel 6]
                [--tls none|1.2|1.3] [--tls-resume] [--seed 1]
                [--objects N --object-size 10KB --html-size 20KB]

"keepalive" with no command does the same with the default scenario (webpage).
The flags change the scenario exactly as they do for "keepalive run"; the
screen shows all four protocols, HTTP/1.0 first. It needs a terminal of at
least 80x24; NO_COLOR=1 turns colours off.

Views (Tab or 1-4): 1 ladder of packets, 2 waterfall (c: per connection),
3 congestion window, 4 the four protocols side by side.
Keys: Space play/pause, ←/→ previous/next event, +/- speed (1/1000 to real
time), Home/End, p next protocol, e edit RTT, bandwidth, loss, objects,
initial window, parallel connections and TLS, s pick a scenario, ? help,
q quit.

Examples:
  keepalive
  keepalive tui --scenario close-race
  keepalive tui --scenario textbook --rtt 300ms
  NO_COLOR=1 keepalive tui --tls 1.3
`
