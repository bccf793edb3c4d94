package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// runPlan is a checked "keepalive run" command line: everything but the
// scenario, which is loaded afterwards so that flag errors come first.
type runPlan struct {
	scenario  string
	ideal     bool
	resume    bool                // --tls-resume was given (true)
	settings  []scenarios.Setting // the flags that set scenario fields
	protocols []model.Protocol
	format    string    // table, csv or json
	out       string    // report file; "" for stdout
	resources string    // per-resource CSV file, or ""
	pages     string    // per-page CSV file, or ""
	args      []string  // the command line, for the outputs' provenance
	trace     string    // trace CSV file, or ""
	har       string    // --har-out HAR file, or ""
	harIn     *harInput // --har: the scenario is a recorded page; nil otherwise
	// protocolsChosen: --protocol was given; otherwise a scenario's
	// protocols field chooses.
	protocolsChosen bool
	pcap            string   // --pcap capture file (one per protocol), or ""
	qlog            string   // --qlog directory, or ""
	pcapAt          []string // --pcap-at's capture points, a file each
}

// outcome is one protocol's run.
type outcome struct {
	cfg     model.Config
	summary trace.Summary
}

// report is what a run command produced, ready to be written.
type report struct {
	meta     provenance // what the outputs say about how they were made
	scenario string     // name for reports
	runs     []outcome
	// recorded is the HAR's own load (--har), the row "recorded"; nil
	// without --har.
	recorded *harLoaded
	// captures are the --pcap files' bytes, by protocol and point.
	captures map[captureFile][]byte
}

func runCommand(args []string, stdout, stderr io.Writer) int {
	plan, err := parseRun(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, runUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, "keepalive run", err)
	}
	plan.args = append([]string{"run"}, args...)
	if err := plan.checkOutputDirs(); err != nil {
		return fail(stderr, "keepalive run", err)
	}
	rep, traceFile, err := executeWithTrace(plan)
	if err != nil {
		return fail(stderr, "keepalive run", err)
	}
	if rep.recorded != nil {
		plan.harIn.notes(stderr, "keepalive run", rep.recorded)
	}
	plan.quicTLSNote(stderr, "keepalive run")
	if err := writeOutputs(plan, rep, stdout, traceFile); err != nil {
		return fail(stderr, "keepalive run", err)
	}
	if plan.qlog != "" {
		if err := writeQlogs(plan); err != nil {
			return fail(stderr, "keepalive run", err)
		}
	}
	status := exitOK
	for _, o := range rep.runs {
		if o.summary.Stopped != trace.NoState {
			fmt.Fprintf(stderr, "keepalive run: %s: %s\n", displayName(o.cfg.HTTP.Protocol), limitReached(o.cfg, o.summary, plan.scenario, plan.harIn != nil))
			if o.summary.PagesUnfinished > 0 {
				status = exitStopped
			}
		}
	}
	return status
}

// limitReached says which limit ended a run, what it left unfinished and
// how to raise it; fromHAR says the scenario is a --har page, which has
// no file to raise it in.
func limitReached(c model.Config, s trace.Summary, scenario string, fromHAR bool) string {
	value := c.MaxTime.String() + " of simulated time"
	switch s.Stopped {
	case trace.StopMaxEvents:
		value = fmt.Sprintf("%d events", c.MaxEvents)
	case trace.StopMaxMemory:
		value = units.FormatSize(int(c.MaxMemory)) + " of memory"
	}
	if scenario == "" {
		scenario = "webpage"
	}
	file := scenario
	if !strings.HasSuffix(file, ".yaml") && !strings.HasSuffix(file, ".yml") {
		file = "my.yaml"
	}
	how := fmt.Sprintf("raise limits.%s in a scenario file (keepalive scenarios %s > my.yaml, edit it, then --scenario my.yaml)", s.Stopped, scenario)
	switch {
	case fromHAR:
		how = fmt.Sprintf("a --har page runs with the default limits, which run cannot raise; keepalive sweep --har %s --set limits.%s=… can", scenario, s.Stopped)
	case file != "my.yaml":
		how = fmt.Sprintf("raise limits.%s in %s", s.Stopped, file)
	}
	if s.PagesUnfinished == 0 {
		// Every page has its outcome: the limit only cut what came after
		// (idle connections, keep-alive probes, TIME-WAIT).
		return fmt.Sprintf("the run reached limits.%s (%s) after every page had its outcome; what came after it (idle connections, keep-alive probes, TIME-WAIT) is cut short, so the life-cycle counts stop there; %s",
			s.Stopped, value, how)
	}
	return fmt.Sprintf("the run reached limits.%s (%s) with %d of %d pages loaded, %d failed and %d unfinished; %s",
		s.Stopped, value, s.PagesLoaded, s.Pages, s.PagesFailed, s.PagesUnfinished, how)
}

// resolve loads the plan's scenario; with --ideal, as if it began with
// "ideal: true", so that its own fields win over the textbook's
// assumptions exactly as they do in the file (docs/scenarios.md).
func (plan *runPlan) resolve() (*scenarios.Scenario, error) {
	if plan.harIn != nil {
		return plan.harIn.scenario(plan.ideal)
	}
	if plan.ideal {
		return scenarios.ResolveIdeal(plan.scenario)
	}
	return scenarios.Resolve(plan.scenario)
}

// executeWithTrace runs the plan; with --trace, the trace is streamed to
// its file as the runs go (staged, to be committed with the other
// outputs), so that a long run's trace costs disk, not memory.
func executeWithTrace(plan *runPlan) (*report, *csvrow.Staged, error) {
	if plan.trace == "" {
		rep, err := execute(plan, nil)
		return rep, nil, err
	}
	var rep *report
	var runErr error
	staged, err := csvrow.Stage(plan.trace, func(w io.Writer) error {
		sink, err := newTraceSink(plan.trace, w)
		if err != nil {
			return err
		}
		if rep, runErr = execute(plan, sink); runErr != nil {
			return runErr
		}
		return sink.Flush()
	})
	switch {
	case runErr != nil:
		return nil, nil, runErr
	case err != nil:
		return nil, nil, fmt.Errorf("--trace %s: %w", plan.trace, err)
	}
	return rep, staged, nil
}

// traceSink is where --trace goes: each run starts, then records.
type traceSink interface {
	trace.Recorder
	start(sc *scenarios.Scenario, cfg model.Config)
	Flush() error
}

// newTraceSink picks the trace's format by its extension: .jsonl is a
// saved trace that "keepalive tui --trace" replays, anything else CSV
// with a protocol column.
func newTraceSink(path string, w io.Writer) (traceSink, error) {
	if strings.EqualFold(filepath.Ext(path), ".jsonl") {
		return &jsonlSink{trace.NewJSONLWriter(w)}, nil
	}
	cw := trace.NewCSVWriter(w, "protocol")
	if err := cw.WriteHeader(); err != nil {
		return nil, err
	}
	return &csvSink{cw}, nil
}

type csvSink struct{ *trace.CSVWriter }

func (c *csvSink) start(_ *scenarios.Scenario, cfg model.Config) {
	c.SetLeading(cfg.HTTP.Protocol.String())
}

type jsonlSink struct{ *trace.JSONLWriter }

func (j *jsonlSink) start(sc *scenarios.Scenario, cfg model.Config) { j.StartRun(runInfo(sc, cfg)) }

// runInfo is what a saved trace records about a run, to replay it with
// the header the terminal UI shows for it.
func runInfo(sc *scenarios.Scenario, cfg model.Config) trace.RunInfo {
	bw := int64(cfg.Link.Down)
	if cfg.Link.Down == model.UnlimitedRate {
		bw = -1
	}
	seed := cfg.Seed
	iw := cfg.TCP.InitialWindow
	if cfg.HTTP.Protocol == model.HTTP3 {
		iw = cfg.QUIC.InitialPackets(cfg.Ideal)
	}
	return trace.RunInfo{
		Protocol: cfg.HTTP.Protocol.Traced(), Scenario: sc.Name, Description: sc.Description, Narrative: sc.Narrative,
		RTT: time.Duration(2 * cfg.Link.Delay), Bandwidth: bw, Loss: cfg.Link.Loss, IW: iw,
		Parallel: cfg.HTTP.Parallel, TLS: cfg.TLS.Version.String(), ServerSlots: cfg.Server.MaxConnections,
		BrowserIdle: time.Duration(cfg.Browser.IdleTimeout), ServerIdle: time.Duration(cfg.Server.IdleTimeout),
		Seed: &seed, Moments: sc.Moments,
	}
}

// execute loads the scenario, applies --ideal and the flags, and runs
// every protocol in turn, recording into sink if it is not nil.
func execute(plan *runPlan, sink traceSink) (*report, error) {
	sc, cfg, err := plan.config()
	if err != nil {
		return nil, err
	}
	defer softLimit(cfg.MaxMemory)()
	rep := &report{scenario: sc.Name}
	if rep.scenario == "" {
		rep.scenario = plan.scenario
	}
	for _, p := range plan.protocols {
		cfg.ForProtocol(p)
		var rec trace.Recorder // nil: the run keeps no trace
		if sink != nil {
			sink.start(sc, cfg)
			rec = sink
		}
		var cap *capture
		if plan.pcap != "" {
			if cap, err = newCapture(plan, cfg); err != nil {
				return nil, err
			}
			rec = teeOf(rec, cap)
		}
		res, err := model.Run(cfg, rec)
		if cap != nil {
			if err := cap.done(); err != nil {
				return nil, fmt.Errorf("--pcap %s (%s): %w", plan.pcap, p, err)
			}
			if rep.captures == nil {
				rep.captures = map[captureFile][]byte{}
			}
			for at, b := range cap.files {
				rep.captures[captureFile{p, at}] = b.Bytes()
			}
		}
		if err != nil {
			var ce *model.ConfigError
			if errors.As(err, &ce) {
				return nil, err // already names the setting
			}
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		o := outcome{cfg: cfg, summary: res.Summary}
		rep.runs = append(rep.runs, o)
	}
	rep.meta = newProvenance(plan.args, rep.scenario)
	if plan.harIn != nil {
		l, err := plan.harIn.load(plan.ideal) // loaded by plan.config: kept
		if err != nil {
			return nil, err
		}
		rep.recorded = l
		rep.meta.HAR = harMetaOf(plan.harIn, l)
	}
	var cfgs []model.Config
	for _, o := range rep.runs {
		cfgs = append(cfgs, o.cfg)
	}
	rep.meta.Settings = settingsHash(cfgs)
	return rep, nil
}

// config resolves the plan's scenario (with --ideal) and applies its
// flags, then those of more (the TUI's edits): a later setting of a field
// wins. Every value is read by the scenario's parser, as its field in a
// file would be.
func (plan *runPlan) config(more ...*runPlan) (*scenarios.Scenario, model.Config, error) {
	sc, err := plan.resolve()
	if err != nil && plan.harIn != nil {
		return nil, model.Config{}, err // names --har and the file
	}
	if err != nil {
		return nil, model.Config{}, scenarioError(plan.scenario, err)
	}
	var settings []scenarios.Setting
	resume := false
	for _, p := range append([]*runPlan{plan}, more...) {
		settings = append(settings, p.settings...)
		resume = resume || p.resume
	}
	if sc, err = sc.With(settings...); err != nil {
		var se *scenarios.SettingError
		switch {
		case errors.As(err, &se) && se.Field == "tls.resume" && resume:
			return nil, model.Config{}, errResumeWithoutTLS
		case errors.As(err, &se):
			return nil, model.Config{}, &usageError{se.Error()}
		}
		return nil, model.Config{}, scenarioError(plan.scenario, err)
	}
	return sc, sc.Config, nil
}

// errResumeWithoutTLS names the flag where the model's message would name
// its field, tls.resume, which the user of the command line did not write.
var errResumeWithoutTLS = usageErrorf("--tls-resume: there is no TLS session to resume (TLS is none); add --tls 1.2 or --tls 1.3")

// scenarioError marks a scenario that cannot be loaded as bad input. A
// *scenarios.FieldError already says file:line: field, so it is kept as
// is; other errors are tied to the flag.
func scenarioError(name string, err error) error {
	var fe *scenarios.FieldError
	switch {
	case errors.As(err, &fe):
		return &usageError{err.Error()}
	case errors.Is(err, scenarios.ErrUnknownScenario):
		return usageErrorf("--scenario: %v", err) // it names the built-ins
	}
	return usageErrorf("--scenario %q: %v", name, err)
}

// runFlags holds the raw text of every flag of "keepalive run"; values are
// checked after parsing so that each error names its flag in our words.
// The flags that set a scenario field are those of scenarios.RunFlags,
// read as the field is in a file.
type runFlags struct {
	scenario, protocol                   string
	format, out, resources, pages, trace string
	har                                  string // --har-out
	harIn, harPage                       string // --har, --har-page
	pcap, pcapAt                         string // --pcap, --pcap-at
	qlog                                 string // --qlog DIR
	ideal                                bool
	fields                               map[string]*string // scenarios.RunFlags by name, as typed
	switches                             map[string]*bool   // those of them that are switches (--tls-resume)
}

func newRunFlagSet(f *runFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by runCommand, help by runUsage
	fs.Usage = func() {}
	fs.StringVar(&f.scenario, "scenario", "webpage", "")
	fs.StringVar(&f.protocol, "protocol", "all", "")
	fs.BoolVar(&f.ideal, "ideal", false, "")
	f.fields, f.switches = map[string]*string{}, map[string]*bool{}
	for _, fl := range scenarios.RunFlags() {
		if fl.Bool {
			f.switches[fl.Name] = fs.Bool(fl.Name, false, "")
		} else {
			f.fields[fl.Name] = fs.String(fl.Name, "", "")
		}
	}
	fs.StringVar(&f.format, "format", "table", "")
	fs.StringVar(&f.out, "out", "", "")
	fs.StringVar(&f.resources, "resources", "", "")
	fs.StringVar(&f.pages, "pages", "", "")
	fs.StringVar(&f.trace, "trace", "", "")
	fs.StringVar(&f.har, "har-out", "", "")
	fs.StringVar(&f.harIn, "har", "", "")
	fs.StringVar(&f.harPage, "har-page", "1", "")
	fs.StringVar(&f.pcap, "pcap", "", "")
	fs.StringVar(&f.pcapAt, "pcap-at", "client", "")
	fs.StringVar(&f.qlog, "qlog", "", "")
	return fs
}

// parseRun checks the command line of "keepalive run". It returns
// flag.ErrHelp for -h/--help and a *usageError naming the flag otherwise.
func parseRun(args []string) (*runPlan, error) {
	plan, _, err := parseCommand("run", args, nil)
	return plan, err
}

// parseCommand checks the command line of cmd, which takes every flag of
// "keepalive run" and those extra adds; it returns which flags were given.
func parseCommand(cmd string, args []string, extra func(*flag.FlagSet)) (*runPlan, map[string]bool, error) {
	var f runFlags
	fs := newRunFlagSet(&f)
	if extra != nil {
		extra(fs)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, nil, err
		}
		return nil, nil, flagSyntaxError(cmd, err)
	}
	if fs.NArg() > 0 {
		return nil, nil, usageErrorf("unexpected argument %q: %s takes only flags (a scenario is given with --scenario NAME|FILE); see: keepalive %s --help", fs.Arg(0), cmd, cmd)
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	if cmd == "tui" {
		if err := onlyForReports(set); err != nil {
			return nil, set, err
		}
	}
	plan, err := planOf(&f, set)
	return plan, set, err
}

// planOf checks the flags' values and builds the plan.
func planOf(f *runFlags, set map[string]bool) (*runPlan, error) {
	plan := &runPlan{scenario: f.scenario, ideal: f.ideal}
	if f.scenario == "" {
		return nil, usageErrorf("--scenario: empty; give a built-in name (see: keepalive scenarios) or a YAML file")
	}
	var err error
	if plan.protocols, err = parseProtocols(f.protocol); err != nil {
		return nil, err
	}
	plan.protocolsChosen = set["protocol"]
	if !set["protocol"] && f.harIn == "" {
		// The lesson's own comparison (its protocols field); a scenario
		// that cannot be read says so later, naming --scenario.
		if sc, err := scenarios.Resolve(f.scenario); err == nil && len(sc.Protocols) > 0 {
			plan.protocols = slices.Clone(sc.Protocols)
		}
	}
	plan.addSettings(f, set)
	if err := plan.setOutputs(f, set); err != nil {
		return nil, err
	}
	if plan.harIn, err = harFlags(f.harIn, f.harPage, set, *f.fields["tls"], *f.switches["tls-resume"]); err != nil {
		return nil, err
	}
	if plan.harIn != nil {
		// The file is the scenario: the terminal UI loads it by this
		// name, and no output may overwrite it (checkOutputPath).
		plan.scenario = plan.harIn.file
	}
	return plan, nil
}

// flagSyntaxError rewords the flag package's parse errors, which name
// flags with one dash.
func flagSyntaxError(cmd string, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return usageErrorf("unknown flag --%s; see: keepalive %s --help", name, cmd)
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return usageErrorf("--%s needs a value; see: keepalive %s --help", name, cmd)
	}
	// invalid boolean value "maybe" for -tls-resume: parse error
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if value, name, ok := strings.Cut(rest, " for -"); ok {
			name, _, _ = strings.Cut(name, ":")
			return usageErrorf("--%s %s: not true or false (the flag alone means true); see: keepalive %s --help", name, value, cmd)
		}
	}
	return usageErrorf("%s; see: keepalive %s --help", msg, cmd)
}

// addSettings records every flag that sets a scenario field, as the
// setting it is; its value is checked when the scenario is loaded, by
// the scenario's own parser (runPlan.config).
func (plan *runPlan) addSettings(f *runFlags, set map[string]bool) {
	for _, fl := range scenarios.RunFlags() {
		if !set[fl.Name] {
			continue
		}
		if fl.Bool {
			on := *f.switches[fl.Name]
			plan.settings = append(plan.settings, fl.Setting("--"+fl.Name, strconv.FormatBool(on)))
			plan.resume = plan.resume || fl.Field == "tls.resume" && on
			continue
		}
		plan.settings = append(plan.settings, fl.Setting("--"+fl.Name, *f.fields[fl.Name]))
	}
}

func (plan *runPlan) setOutputs(f *runFlags, set map[string]bool) error {
	switch f.format {
	case "table", "csv", "json":
	default:
		return usageErrorf("--format %q: unknown format; allowed: table, csv, json", f.format)
	}
	plan.format = f.format
	if !set["format"] {
		switch strings.ToLower(filepath.Ext(f.out)) {
		case ".csv":
			plan.format = "csv"
		case ".json":
			plan.format = "json"
		}
	}
	seen := map[string]string{}
	for _, o := range []struct{ flag, path string }{{"out", f.out}, {"resources", f.resources}, {"pages", f.pages}, {"trace", f.trace}, {"har-out", f.har}} {
		if !set[o.flag] {
			continue
		}
		if o.path == "" || o.path == "-" && o.flag != "out" {
			return usageErrorf("--%s: needs a file name", o.flag)
		}
		key := filepath.Clean(o.path)
		if prev, dup := seen[key]; dup {
			return usageErrorf("--%s and --%s both name %s; give each its own file", prev, o.flag, o.path)
		}
		seen[key] = o.flag
	}
	// No output may be another's provenance sidecar (FILE.meta.json):
	// one would silently replace the other.
	for _, o := range []struct{ flag, path string }{{"out", f.out}, {"resources", f.resources}, {"pages", f.pages}, {"trace", f.trace}, {"har-out", f.har}} {
		if !set[o.flag] || o.path == "" || o.path == "-" {
			continue
		}
		if prev, dup := seen[filepath.Clean(metaPath(o.path))]; dup {
			return usageErrorf("--%s %s: is where --%s's provenance goes (FILE.meta.json); give it another name", prev, metaPath(o.path), o.flag)
		}
	}
	plan.out, plan.resources, plan.pages, plan.trace, plan.har = f.out, f.resources, f.pages, f.trace, f.har
	if set["pcap"] {
		if f.pcap == "" || f.pcap == "-" {
			return usageErrorf("--pcap: needs a file name (a capture per protocol: FILE, or NAME.PROTOCOL.EXT with several)")
		}
		plan.pcap = f.pcap
		if slices.Contains(plan.protocols, model.HTTP3) {
			// The writer makes TCP segments of the records; QUIC's
			// datagrams need their own (encrypted) packets, not written yet.
			return usageErrorf("--pcap: no capture of http3 yet (QUIC's packets are not written); choose TCP protocols with --protocol, or drop --pcap")
		}
	}
	if set["qlog"] {
		switch {
		case f.qlog == "" || f.qlog == "-":
			return usageErrorf("--qlog: needs a directory (a file per QUIC connection and end: NAME.connN.client.sqlog, .server.sqlog)")
		case !slices.Contains(plan.protocols, model.HTTP3):
			return usageErrorf("--qlog %s: only http3 runs have QUIC connections to log; add http3 to --protocol", f.qlog)
		}
		if fi, err := os.Stat(f.qlog); err == nil && !fi.IsDir() {
			return usageErrorf("--qlog %s: is a file, not a directory", f.qlog)
		}
		plan.qlog = f.qlog
	}
	if set["pcap-at"] && !set["pcap"] {
		return usageErrorf("--pcap-at %s: only with --pcap FILE, the capture it places", f.pcapAt)
	}
	var err error
	if plan.pcapAt, err = parsePcapAt(f.pcapAt); err != nil {
		return err
	}
	if plan.pcap != "" {
		if err := checkCaptureNames(plan.pcap, plan.pcapPaths(), seen); err != nil {
			return err
		}
	}
	if plan.out == "-" {
		plan.out = "" // "-" is standard output
	}
	return nil
}

// quicTLSNote says, on standard error, that a --tls other than 1.3 left
// the HTTP/3 runs alone: QUIC always runs TLS 1.3 (RFC 9001). A mixed
// table says it in its settings line; a run of HTTP/3 alone would
// otherwise ignore the flag without a word.
func (p *runPlan) quicTLSNote(w io.Writer, who string) {
	if h3, tcp := protocolMix(p.protocols); !h3 || tcp {
		return
	}
	for _, s := range p.settings {
		if s.Field == "tls.version" && s.Value != "1.3" {
			fmt.Fprintf(w, "%s: note: --tls %s does not apply to HTTP/3, which always runs TLS 1.3 inside QUIC (RFC 9001)\n", who, s.Value)
		}
	}
}
