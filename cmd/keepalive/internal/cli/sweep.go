package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

// exitInterrupted is the status of a sweep stopped by Ctrl-C or
// SIGTERM: 128 + SIGINT, as shells report it.
const exitInterrupted = 130

// sweepFlags holds the raw text of every flag of "keepalive sweep".
type sweepFlags struct {
	scenario, protocol, replicates, seed, jobs string
	out, summary, plot, pages, x, y, by, title string
	shard                                      string
	harIn, harPage                             string // --har, --har-page
	pcap, pcapRun, pcapAt                      string // --pcap, --pcap-run, --pcap-at
	vary, set                                  listFlag
	resume, force, ideal, tlsResume, logx      bool
	run                                        map[string]*string // run's value flags: rtt, loss, …
}

// sweepRunFlags are the flags of "keepalive run" that a sweep takes as
// fixed settings, in the order of runUsage: every one that sets a field
// and takes a value (--seed is the sweep's own, --tls-resume a switch).
func sweepRunFlags() []string {
	var names []string
	for _, f := range scenarios.RunFlags() {
		if !f.Bool && f.Field != "seed" {
			names = append(names, f.Name)
		}
	}
	return names
}

// listFlag collects the values of a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func newSweepFlagSet(f *sweepFlags) *flag.FlagSet {
	fs := flag.NewFlagSet("sweep", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&f.scenario, "scenario", "webpage", "")
	fs.Var(&f.vary, "vary", "")
	fs.Var(&f.set, "set", "")
	fs.StringVar(&f.protocol, "protocol", "", "")
	fs.StringVar(&f.replicates, "replicates", "1", "")
	fs.StringVar(&f.seed, "seed", "", "")
	fs.StringVar(&f.jobs, "jobs", strconv.Itoa(runtime.NumCPU()), "")
	fs.StringVar(&f.out, "out", "", "")
	fs.StringVar(&f.summary, "summary", "", "")
	fs.StringVar(&f.plot, "plot", "", "")
	fs.StringVar(&f.pages, "pages", "", "")
	fs.StringVar(&f.x, "x", "", "")
	fs.StringVar(&f.y, "y", "", "")
	fs.StringVar(&f.by, "by", "", "")
	fs.BoolVar(&f.logx, "logx", false, "")
	fs.StringVar(&f.title, "title", "", "")
	fs.StringVar(&f.shard, "shard", "", "")
	fs.StringVar(&f.harIn, "har", "", "")
	fs.StringVar(&f.harPage, "har-page", "1", "")
	fs.StringVar(&f.pcap, "pcap", "", "")
	fs.StringVar(&f.pcapRun, "pcap-run", "", "")
	fs.StringVar(&f.pcapAt, "pcap-at", "client", "")
	fs.BoolVar(&f.resume, "resume", false, "")
	fs.BoolVar(&f.force, "force", false, "")
	fs.BoolVar(&f.ideal, "ideal", false, "")
	fs.BoolVar(&f.tlsResume, "tls-resume", false, "")
	f.run = map[string]*string{}
	for _, name := range sweepRunFlags() {
		f.run[name] = fs.String(name, "", "")
	}
	return fs
}

// sweepJob is a checked sweep command line.
type sweepJob struct {
	spec sweep.Spec
	opt  sweep.Options
	har  *harInput // --har, or nil
	pcap sweepCaptures
}

func sweepCommand(args []string, stdout, stderr io.Writer) int {
	defer batchGC()()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return sweepWith(ctx, args, stdout, stderr)
}

// sweepWith runs "keepalive sweep" until ctx is cancelled.
func sweepWith(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	const who = "keepalive sweep"
	job, err := parseSweep(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, sweepUsage)
		return exitOK
	}
	if err != nil {
		return failSweep(stderr, who, err)
	}
	plan, err := sweep.NewPlan(job.spec)
	if err != nil {
		return failSweep(stderr, who, err)
	}
	if err := job.pcap.check(plan); err != nil {
		return failSweep(stderr, who, err)
	}
	if job.har != nil {
		l, err := job.har.load(job.spec.Ideal) // loaded by parseSweep: kept
		if err != nil {
			return failSweep(stderr, who, err)
		}
		job.har.notes(stderr, who, l)
	}
	if job.opt.Out == "" {
		job.opt.W = stdout
	}
	var bar *sweep.Bar
	if isTerminal(stderr) {
		bar = sweep.NewBar(stderr, time.Now)
		job.opt.Progress = bar.Update
	}
	out, err := sweep.Run(ctx, plan, job.opt)
	if bar != nil {
		bar.Done()
	}
	// Beside each CSV the sweep wrote, its provenance: the command line,
	// the program and the sweep's id (the rows' sweep column).
	meta := newProvenance(append([]string{"sweep"}, args...), plan.Scenario)
	meta.Sweep = plan.ID
	if job.har != nil {
		l, _ := job.har.load(job.spec.Ideal) // loaded above
		meta.HAR = harMetaOf(job.har, l)
	}
	files := []string{job.opt.Out}
	if err == nil { // no summary or pages are written when the sweep did not finish
		files = append(files, job.opt.Summary, job.opt.Pages)
	}
	if merr := writeSidecars(meta, files...); merr != nil && err == nil {
		err = merr
	}
	var intr *sweep.Interrupted
	if errors.As(err, &intr) {
		where := "standard output got"
		if job.opt.Out != "" {
			where = job.opt.Out + " holds"
		}
		fmt.Fprintf(stderr, "%s: interrupted: %s the first %d of %d rows, complete and in canonical order; no summary, plot or pages file was written\n",
			who, where, intr.Written, intr.Total)
		if job.opt.Out != "" {
			again := args
			if !slices.Contains(args, "--resume") && !slices.Contains(args, "-resume") {
				again = append(slices.Clone(args), "--resume")
			}
			fmt.Fprintf(stderr, "%s: to finish it: keepalive sweep %s\n", who, shellJoin(again))
		}
		return exitInterrupted
	}
	if err != nil {
		if job.opt.Out != "" && out.Written > 0 {
			err = fmt.Errorf("%w (%s holds the first %d of %d rows; fix the cause and add --resume)", err, job.opt.Out, out.Written, out.Total)
		}
		return failSweep(stderr, who, err)
	}
	// The captures last, once every row is written: each is a run the
	// sweep made, made again.
	if err := job.pcap.write(plan); err != nil {
		return fail(stderr, who, err)
	}
	if out.Stopped > 0 {
		fmt.Fprintf(stderr, "%s: %d of the %d runs just made were ended by a limit before every page had an outcome (their stopped column names it; those pages count as unfinished, not loaded); raise it with --set limits.max_time=48h, --set limits.max_events=100000000 or --set limits.max_memory=4GiB\n",
			who, out.Stopped, out.Written-out.Resumed)
		return exitStopped
	}
	return exitOK
}

// failSweep is fail, with the sweep package's input errors as bad input.
func failSweep(stderr io.Writer, who string, err error) int {
	var ie *sweep.InputError
	if errors.As(err, &ie) {
		err = &usageError{err.Error()}
	}
	return fail(stderr, who, err)
}

// parseSweep checks the command line of "keepalive sweep".
func parseSweep(args []string) (*sweepJob, error) {
	var f sweepFlags
	fs := newSweepFlagSet(&f)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, flagSyntaxError("sweep", err)
	}
	if fs.NArg() > 0 {
		return nil, usageErrorf("unexpected argument %q: sweep takes only flags (vary a parameter with --vary NAME=VALUES); see: keepalive sweep --help", fs.Arg(0))
	}
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })

	job := &sweepJob{}
	spec := &job.spec
	spec.Scenario, spec.Ideal = f.scenario, f.ideal
	if f.scenario == "" {
		return nil, usageErrorf("--scenario: empty; give a built-in name (see: keepalive scenarios) or a YAML file")
	}
	var err error
	if set["protocol"] {
		if spec.Protocols, err = parseProtocols(f.protocol); err != nil {
			return nil, err
		}
	}
	if spec.Replicates, err = parseCount("replicates", f.replicates, 1, 1<<30, "a whole number ≥ 1"); err != nil {
		return nil, err
	}
	if set["seed"] {
		seed, err := parseSeed(f.seed)
		if err != nil {
			return nil, err
		}
		spec.Seed = &seed
	}
	if set["shard"] {
		if spec.Shard, err = sweep.ParseShard(f.shard); err != nil {
			return nil, usageErrorf("--shard %s: %v", f.shard, err)
		}
	}
	for _, name := range sweepRunFlags() {
		if set[name] {
			spec.Set = append(spec.Set, sweep.Set{Flag: "--" + name, Name: name, Value: *f.run[name]})
		}
	}
	if set["tls-resume"] {
		spec.Set = append(spec.Set, sweep.Set{Flag: "--tls-resume", Name: "tls-resume", Value: strconv.FormatBool(f.tlsResume)})
	}
	for _, s := range f.set {
		name, value, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, usageErrorf("--set %s: give FIELD=VALUE, e.g. --set tcp.min_rto=200ms", s)
		}
		spec.Set = append(spec.Set, sweep.Set{Flag: "--set", Name: strings.TrimSpace(name), Value: value})
	}
	for _, v := range f.vary {
		name, values, ok := strings.Cut(v, "=")
		if !ok {
			return nil, usageErrorf("--vary %s: give NAME=VALUES, e.g. --vary rtt=10ms,100ms or --vary bandwidth=1Mbps..100Mbps/log:5", v)
		}
		spec.Vary = append(spec.Vary, sweep.Vary{Name: strings.TrimSpace(name), Values: values})
	}
	if err := job.setHAR(&f, set); err != nil {
		return nil, err
	}
	if err := job.pcap.parse(&f, set); err != nil {
		return nil, err
	}
	if err := job.setOutputs(&f, set); err != nil {
		return nil, err
	}
	return job, nil
}

// givenBy lists the settings the sweep fixes or varies: each name and
// the flag that gave it ("--rtt", "--set link.rtt", "--vary rtt").
func (job *sweepJob) givenBy() []struct{ name, by string } {
	var out []struct{ name, by string }
	for _, s := range job.spec.Set {
		by := s.Flag
		if by == "--set" {
			by += " " + s.Name
		}
		out = append(out, struct{ name, by string }{s.Name, by})
	}
	for _, v := range job.spec.Vary {
		out = append(out, struct{ name, by string }{v.Name, "--vary " + v.Name})
	}
	return out
}

// setHAR reads --har: the recorded page is the sweep's scenario, made on
// the textbook's assumptions too in case ideal is set or varied. A
// setting that would replace its page is refused.
func (job *sweepJob) setHAR(f *sweepFlags, set map[string]bool) error {
	h, err := harFlags(f.harIn, f.harPage, set, *f.run["tls"], f.tlsResume)
	if err != nil || h == nil {
		return err
	}
	for _, s := range job.spec.Set {
		if replacesRecording(s.Name) {
			return usageErrorf("%s %s: not with --har, whose page is the recording's", s.Flag, s.Name)
		}
	}
	for _, v := range job.spec.Vary {
		if replacesRecording(v.Name) {
			return usageErrorf("--vary %s: not with --har, whose page is the recording's", v.Name)
		}
	}
	for _, g := range job.givenBy() {
		// A link setting the sweep gives (or varies) is not estimated.
		switch g.name {
		case "rtt", "link.rtt":
			h.rttBy = g.by
		case "bandwidth", "link.bandwidth":
			h.bandwidthBy = g.by
		}
	}
	if job.spec.Source, err = h.scenario(false); err != nil {
		return err
	}
	if job.spec.SourceIdeal, err = h.scenario(true); err != nil {
		return err
	}
	job.har, job.spec.Scenario = h, h.file
	f.scenario = h.file // no output may overwrite it (checkOutputPath)
	return nil
}

// setOutputs checks --jobs, --out, --resume, --summary and the chart.
func (job *sweepJob) setOutputs(f *sweepFlags, set map[string]bool) error {
	opt := &job.opt
	var err error
	if opt.Jobs, err = parseCount("jobs", f.jobs, 1, 4096, "1 to 4096 workers"); err != nil {
		return err
	}
	for _, o := range []struct{ flag, path string }{{"out", f.out}, {"summary", f.summary}, {"plot", f.plot}, {"pages", f.pages}} {
		// "-" is standard output for --out only, as in run: a file named
		// "-" (and its "-.meta.json") is never what was meant.
		if set[o.flag] && (o.path == "" || o.path == "-" && o.flag != "out") {
			return usageErrorf("--%s: needs a file name", o.flag)
		}
	}
	opt.Out, opt.Summary, opt.Pages, opt.Resume = f.out, f.summary, f.pages, f.resume
	if opt.Out == "-" {
		opt.Out = ""
	}
	for _, o := range []struct{ flag, path string }{{"out", opt.Out}, {"summary", f.summary}, {"plot", f.plot}, {"pages", f.pages}} {
		if o.path == "" {
			continue
		}
		if err := checkOutputPath(o.flag, o.path, f.scenario); err != nil {
			return err
		}
	}
	if f.resume && f.force {
		return usageErrorf("--force: not with --resume (continue the sweep, or start it again: one of them)")
	}
	if fi, err := os.Stat(opt.Out); opt.Out != "" && err == nil && fi.Mode().IsRegular() && fi.Size() > 0 && !f.resume && !f.force {
		return usageErrorf("--out %s: the file exists; add --resume to continue the sweep in it, or --force to replace it", opt.Out)
	}
	// With --resume, the sweep checks that an existing pages file is its
	// own, which it writes again whole (sweep.Options.Pages).
	if fi, err := os.Stat(opt.Pages); opt.Pages != "" && err == nil && fi.Mode().IsRegular() && fi.Size() > 0 && !f.resume && !f.force {
		return usageErrorf("--pages %s: the file exists; add --force to replace it", opt.Pages)
	}
	chart, err := chartSpec(f.plot, f.x, f.y, f.by, f.title, f.logx, set)
	if err != nil {
		return err
	}
	opt.Plot = chart
	return nil
}

// chartSpec checks the chart flags shared by sweep and plot.
func chartSpec(path, x, y, by, title string, logx bool, set map[string]bool) (*sweep.PlotSpec, error) {
	if path == "" {
		for _, name := range []string{"x", "y", "by", "logx", "title"} {
			if set[name] {
				return nil, usageErrorf("--%s: only with --plot FILE", name)
			}
		}
		return nil, nil
	}
	spec := &sweep.PlotSpec{Path: path, X: x, Y: y, Title: title}
	if set["by"] {
		for _, b := range strings.Split(by, ",") {
			if b = strings.TrimSpace(b); b == "" {
				return nil, usageErrorf("--by %q: an empty column name; give e.g. --by protocol,loss", by)
			}
			spec.By = append(spec.By, b)
		}
	}
	if set["logx"] {
		spec.LogX = &logx
	}
	return spec, nil
}

// shellJoin quotes args for a POSIX shell where needed.
func shellJoin(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=.,:/+%") == "" {
			quoted[i] = a
		} else {
			quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(quoted, " ")
}
