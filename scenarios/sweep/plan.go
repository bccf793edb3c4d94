package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// maxRuns bounds a sweep, against a typo that multiplies it by 1000.
const maxRuns = 100_000_000

// Spec is a sweep as the user gives it; [NewPlan] checks it.
type Spec struct {
	// Scenario is a built-in name or a YAML file (scenarios.Resolve);
	// "" is webpage.
	Scenario string
	// Ideal applies the textbook's assumptions before every setting, as
	// "keepalive run --ideal" does.
	Ideal bool
	// Set are fixed settings, applied to every run; Vary the varied
	// parameters, the first outermost.
	Set  []Set
	Vary []Vary
	// Protocols are run at every grid point in this order; nil means the
	// four protocols, unless "protocol" is varied.
	Protocols []model.Protocol
	// Replicates is how many times each grid point and protocol is run,
	// replicate r with seed Seed + r.
	Replicates int
	// Seed is the seed of replicate 0; nil keeps the scenario's.
	Seed *uint64
	// Shard selects a slice of the runs; the zero Shard is all of them.
	Shard Shard
	// Source, when not nil, is the scenario itself, already made
	// ("keepalive sweep --har": a recorded page), used instead of
	// resolving Scenario; SourceIdeal is the same made on the textbook's
	// assumptions, for --ideal or ideal varied (nil: ideal is refused).
	Source, SourceIdeal *scenarios.Scenario
}

// Set is one fixed setting: Name (a run flag such as "rtt" or a scenario
// field such as "tcp.min_rto") set to Value. Flag is how the user gave
// it, for messages: "--rtt" or "--set".
type Set struct{ Flag, Name, Value string }

// Vary is one varied parameter: Name (as for [Set]) and its Values as
// written: a comma-separated list of values and ranges.
type Vary struct{ Name, Values string }

// Plan is a checked sweep: its grid, the configuration of every grid
// point, the seeds and the slice to run.
type Plan struct {
	Scenario string // the scenario's name, for the CSV
	ID       string // the sweep column: see id
	Grid     Grid
	Seed     uint64 // seed of replicate 0
	Shard    Shard
	// The plan keeps a digest of each grid point's configuration, not the
	// configuration: 900,000 points of a 10,000-object page took GBs to
	// plan. A run builds its point's again (the same, from the same
	// settings), and recent points are kept for the runs that follow
	// (point is the outer index of a run: Grid.split).
	digests [][sha256.Size]byte
	builder *builder
	fixed   []setting
	recent  pointCache
}

// pointCache keeps the configurations of the last points built.
type pointCache struct {
	mu    sync.Mutex
	cfgs  map[int]model.Config
	order []int // oldest first
}

// recentPoints is how many points' configurations a plan keeps: enough
// for every worker to find its neighbours'.
const recentPoints = 16

// NewPlan checks spec and builds the configuration of every grid point,
// so that every error comes before the first run. Errors in the user's
// input are *InputError naming the flag and value.
func NewPlan(spec Spec) (*Plan, error) {
	if spec.Replicates < 1 {
		return nil, inputErrorf("--replicates "+strconv.Itoa(spec.Replicates), "must be ≥ 1")
	}
	name := spec.Scenario
	if name == "" {
		name = "webpage"
	}
	sc := spec.Source
	if sc == nil {
		var err error
		if sc, err = scenarios.Resolve(name); err != nil {
			var fe *scenarios.FieldError
			if errors.As(err, &fe) {
				return nil, &InputError{Where: "--scenario " + name, Err: err}
			}
			return nil, &InputError{Where: "--scenario", Err: err}
		}
	}
	p := &Plan{Scenario: sc.Name, Seed: sc.Config.Seed, Shard: spec.Shard}
	if p.Scenario == "" {
		p.Scenario = name
	}
	if spec.Seed != nil {
		p.Seed = *spec.Seed
	}
	// Replicate r runs with seed Seed + r; past the largest seed that
	// would wrap to 0, 1, … and repeat seeds a small sweep already used.
	if last := uint64(spec.Replicates - 1); p.Seed > math.MaxUint64-last {
		where := "--seed " + strconv.FormatUint(p.Seed, 10)
		if spec.Seed == nil {
			where = "--scenario " + name + " (seed " + strconv.FormatUint(p.Seed, 10) + ")"
		}
		return nil, inputErrorf(where, "with --replicates %d the seeds run to seed+%d, which must be at most %d; use a seed ≤ %d",
			spec.Replicates, last, uint64(math.MaxUint64), uint64(math.MaxUint64)-last)
	}
	fixed, err := fixedSettings(spec)
	if err != nil {
		return nil, err
	}
	if err := p.setGrid(spec, fixed, sc.Protocols); err != nil {
		return nil, err
	}
	// The scenario with ideal first, for --ideal or ideal varied: its
	// own fields win, as in a file. Refused only if it is needed.
	var scIdeal *scenarios.Scenario
	var idealErr error
	switch {
	case spec.SourceIdeal != nil:
		scIdeal = spec.SourceIdeal
	case spec.Source != nil:
		idealErr = errors.New("the scenario has no ideal form")
	default:
		scIdeal, idealErr = scenarios.ResolveIdeal(name)
	}
	if idealErr != nil && spec.Ideal {
		return nil, &InputError{Where: "--ideal with --scenario " + name, Err: idealErr}
	}
	b := newBuilder(sc, scIdeal, idealErr, spec.Ideal)
	p.builder, p.fixed = b, fixed
	if err := p.buildConfigs(b, fixed); err != nil {
		return nil, err
	}
	if err := p.setCells(); err != nil {
		return nil, err
	}
	p.ID = p.id()
	return p, nil
}

// id is the sweep's identity: a hash of everything that decides its
// rows (the configuration of every grid point, which holds the scenario,
// --ideal and every fixed and varied setting; the parameters and their
// values, as their columns write them; the protocols, replicates and
// seed), but not the shard, so
// that the shards of one sweep share it. Two sweeps with the same id
// make the same rows; --resume and merge refuse rows of another id.
func (p *Plan) id() string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	// json.Marshal of these types cannot fail: no channels, funcs or
	// cyclic values; an error would only make the id less specific.
	// A parameter counts by its field and its cells, not as typed: --vary
	// rtt=20ms and --vary link.rtt=0.02s make the same rows.
	type param struct {
		Field string
		Cells []string
	}
	params := make([]param, len(p.Grid.Params))
	for k, prm := range p.Grid.Params {
		params[k] = param{prm.field, prm.Cells}
	}
	_ = enc.Encode(struct {
		Params     []param
		Protocols  []model.Protocol
		Replicates int
		Seed       uint64
		Configs    [][sha256.Size]byte
	}{params, p.Grid.Protocols, p.Grid.Replicates, p.Seed, p.digests})
	return hex.EncodeToString(h.Sum(nil))[:idLength]
}

// idLength is the hex digits of the sweep column: 64 bits, so that two
// different sweeps share an id with odds of 1 in 2^64.
const idLength = 16

// fixedSettings checks the fixed settings: each names a known parameter
// once.
func fixedSettings(spec Spec) ([]setting, error) {
	var out []setting
	seen := map[string]string{}
	for _, s := range spec.Set {
		where := s.Flag + " " + s.Value
		if s.Flag == "--set" {
			where = "--set " + s.Name + "=" + s.Value
		}
		field, err := fieldOf(s.Name)
		if err != nil {
			return nil, &InputError{Where: where, Err: err}
		}
		switch field {
		case nameProtocol:
			return nil, inputErrorf(where, "give the protocols with --protocol (or vary them: --vary protocol=http1.0,http2)")
		case nameIdeal:
			return nil, inputErrorf(where, "give the textbook's assumptions with --ideal (or vary them: --vary ideal=false,true)")
		}
		if prev, dup := seen[field]; dup {
			return nil, inputErrorf(where, "%s is already set by %s", field, prev)
		}
		seen[field] = where
		st := setting{where: where, field: field, value: strings.TrimSpace(s.Value), page: isPageFlag(s.Name)}
		if takesList(field) && strings.Contains(s.Value, ",") {
			st.value = ""
			for _, item := range strings.Split(s.Value, ",") {
				st.list = append(st.list, strings.TrimSpace(item))
			}
		}
		if st.value == "" && st.list == nil {
			return nil, inputErrorf(where, "no value")
		}
		out = append(out, st)
	}
	return out, nil
}

// takesList reports whether field takes a list of values, comma-separated
// on the command line, as its run flag does (page.object_size, by
// --object-size or by its name).
func takesList(field string) bool {
	for _, f := range scenarios.RunFlags() {
		if f.Field == field && f.List {
			return true
		}
	}
	return false
}

// isPageFlag reports whether name is a run flag that replaces the
// scenario's page with a synthetic one (scenarios.Flag.Page).
func isPageFlag(name string) bool {
	f, ok := scenarios.FlagNamed(name)
	return ok && f.Page
}

// setGrid parses the varied parameters and the protocols.
func (p *Plan) setGrid(spec Spec, fixed []setting, lesson []model.Protocol) error {
	g := &p.Grid
	g.Replicates = spec.Replicates
	g.Protocols = spec.Protocols
	taken := map[string]string{} // field → where
	for _, s := range fixed {
		taken[s.field] = s.where
	}
	if spec.Ideal {
		taken[nameIdeal] = "--ideal"
	}
	if spec.Protocols != nil {
		taken[nameProtocol] = "--protocol"
	}
	columns := map[string]bool{}
	for _, v := range spec.Vary {
		where := "--vary " + v.Name + "=" + v.Values
		if v.Name == "" {
			return inputErrorf("--vary "+v.Values, "give NAME=VALUES, e.g. rtt=10ms,100ms or bandwidth=1Mbps..100Mbps/log:5")
		}
		field, err := fieldOf(v.Name)
		if err != nil {
			return &InputError{Where: where, Err: err}
		}
		if prev, dup := taken[field]; dup {
			return inputErrorf(where, "%s is already set by %s", field, prev)
		}
		taken[field] = where
		vals, err := parseValues(v.Values)
		if err != nil {
			return &InputError{Where: where, Err: err}
		}
		if field == nameProtocol {
			if g.Protocols, err = parseProtocols(vals.list); err != nil {
				return &InputError{Where: where, Err: err}
			}
			continue
		}
		col := columnOf(v.Name)
		if columns[col] {
			return inputErrorf(where, "column %s is already taken by another --vary", col)
		}
		columns[col] = true
		g.Params = append(g.Params, Param{Name: v.Name, Column: col, Values: vals.list, Log: vals.log, field: field})
	}
	if g.Protocols == nil {
		// The scenario's comparison, else the four over TCP.
		g.Protocols = slices.Clone(model.Protocols)
		if len(lesson) > 0 {
			g.Protocols = slices.Clone(lesson)
		}
	}
	runs := 1
	for _, prm := range g.Params {
		runs *= len(prm.Values)
		if runs > maxRuns {
			break
		}
	}
	runs *= len(g.Protocols) * g.Replicates
	if runs > maxRuns || runs < 0 {
		return inputErrorf("--vary", "the grid has more than %d runs; split it into several sweeps", maxRuns)
	}
	return nil
}

// setCells writes each parameter's values as its column holds them, in
// one unit whatever the units typed. It runs after every value has
// passed the scenario parser, whose messages are the clearer. Two values
// that would share a cell (1% and 0.01) are refused: their rows could
// not be told apart.
func (p *Plan) setCells() error {
	for k := range p.Grid.Params {
		prm := &p.Grid.Params[k]
		f, _ := lookupField(prm.Name)
		seen := map[string]string{}
		prm.Cells = make([]string, len(prm.Values))
		for i, v := range prm.Values {
			c, err := f.cell(v)
			if err != nil {
				return inputErrorf("--vary "+prm.Name+"="+v, "column %s holds %s: %v", prm.Column, unitTable[f.unit].name, err)
			}
			if prev, dup := seen[c]; dup && c == "" {
				return inputErrorf("--vary "+prm.Name+"="+prm.Values[0], "%s and %s would both be an empty cell in column %s, which is numeric "+
					"and writes the field's words (%s) as empty; vary them in separate sweeps", prev, v, prm.Column, strings.Join(f.words, ", "))
			} else if dup {
				return inputErrorf("--vary "+prm.Name+"="+prm.Values[0], "%s and %s are both %q in column %s; list each value once", prev, v, c, prm.Column)
			}
			seen[c] = v
			prm.Cells[i] = c
		}
	}
	return nil
}

// parseProtocols reads --vary protocol=LIST.
func parseProtocols(list []string) ([]model.Protocol, error) {
	if len(list) == 1 && strings.EqualFold(list[0], "all") {
		return slices.Clone(model.Protocols), nil
	}
	var ps []model.Protocol
	for _, name := range list {
		pr, err := model.ParseProtocol(name)
		if err != nil {
			return nil, fmt.Errorf("unknown protocol %q; allowed: http1.0, http1.1, http1.1-pipelined, http2, or all", name)
		}
		if slices.Contains(ps, pr) {
			return nil, fmt.Errorf("%s is listed twice", pr)
		}
		ps = append(ps, pr)
	}
	return ps, nil
}

// buildConfigs makes the configuration of every grid point and checks
// it with every protocol, on all CPUs. The error reported is that of the
// first bad point in grid order, whatever the timing.
func (p *Plan) buildConfigs(b *builder, fixed []setting) error {
	g := &p.Grid
	p.digests = make([][sha256.Size]byte, g.Points())
	var (
		next    atomic.Int64
		mu      sync.Mutex
		bad     = len(p.digests) // index of the first bad point found
		firstEr error
		wg      sync.WaitGroup
	)
	for range min(runtime.NumCPU(), len(p.digests)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				point := int(next.Add(1) - 1)
				mu.Lock()
				stop := point >= bad
				mu.Unlock()
				if stop {
					return
				}
				if err := p.buildPoint(b, fixed, point); err != nil {
					mu.Lock()
					if point < bad {
						bad, firstEr = point, err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if firstEr != nil {
		return p.atPoint(b, fixed, bad, firstEr)
	}
	return nil
}

// pointSettings are the settings of one grid point: the fixed ones, then
// the point's values.
func (p *Plan) pointSettings(fixed []setting, point int) []setting {
	g := &p.Grid
	settings := append(make([]setting, 0, len(fixed)+len(g.Params)), fixed...)
	for k, i := range g.values(point) {
		prm := &g.Params[k]
		settings = append(settings, setting{
			where: "--vary " + prm.Name + "=" + prm.Values[i], field: prm.field,
			value: prm.Values[i], page: isPageFlag(prm.Name),
		})
	}
	return settings
}

// buildPoint makes and checks the configuration of one grid point, and
// keeps its digest.
func (p *Plan) buildPoint(b *builder, fixed []setting, point int) error {
	g := &p.Grid
	settings := p.pointSettings(fixed, point)
	cfg, err := b.config(settings)
	if err == nil {
		for _, pr := range g.Protocols {
			c := cfg
			c.ForProtocol(pr)
			if err = c.Validate(); err != nil {
				err = inputError(scenarios.SettingErrorFor(err, scenarioSettings(settings)))
				break
			}
		}
	}
	if err != nil {
		return err
	}
	h := sha256.New()
	if err := json.NewEncoder(h).Encode(cfg); err != nil {
		return err
	}
	h.Sum(p.digests[point][:0])
	return nil
}

// pointConfig is the configuration of grid point point, as planned.
func (p *Plan) pointConfig(point int) model.Config {
	c := &p.recent
	c.mu.Lock()
	cfg, ok := c.cfgs[point]
	c.mu.Unlock()
	if ok {
		return cfg
	}
	cfg, err := p.builder.config(p.pointSettings(p.fixed, point))
	if err != nil { // it was built once from the same settings: a bug
		panic(fmt.Sprintf("sweep: grid point %d, planned, does not build again: %v", point, err))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cfgs == nil {
		c.cfgs = map[int]model.Config{}
	}
	if _, ok := c.cfgs[point]; !ok {
		c.cfgs[point] = cfg
		c.order = append(c.order, point)
		if len(c.order) > recentPoints {
			delete(c.cfgs, c.order[0])
			c.order = c.order[1:]
		}
	}
	return cfg
}

// atPoint adds grid point bad's values to err when a fixed setting
// meets it only there: "--tls-resume: … (at tls=none)" when tls=1.3 is
// fine. A value wrong at every point (--loss 1.5) is left as it is. It
// tries at most 1000 other points, on the error path only.
func (p *Plan) atPoint(b *builder, fixed []setting, bad int, err error) error {
	var ie *InputError
	if !errors.As(err, &ie) || strings.HasPrefix(ie.Where, "--vary ") || len(p.Grid.Params) == 0 {
		return err
	}
	fine := false
	for pt := 0; pt < min(p.Grid.Points(), 1001) && !fine; pt++ {
		fine = pt != bad && p.buildPoint(b, fixed, pt) == nil
	}
	if !fine {
		return err
	}
	var at []string
	for k, i := range p.Grid.values(bad) {
		at = append(at, p.Grid.Params[k].Name+"="+p.Grid.Params[k].Values[i])
	}
	return &InputError{Where: ie.Where, Err: fmt.Errorf("%w (at %s)", ie.Err, strings.Join(at, ", "))}
}

// Runs is the number of rows of this plan's output: the sweep's runs,
// or its shard's share.
func (p *Plan) Runs() int { return p.Shard.count(p.Grid.Runs()) }

// config returns the configuration of canonical run i.
func (p *Plan) config(i int) (cfg model.Config, point, replicate int) {
	point, proto, replicate := p.Grid.split(i)
	cfg = p.pointConfig(point)
	cfg.ForProtocol(p.Grid.Protocols[proto])
	cfg.Seed = p.Seed + uint64(replicate)
	return cfg, point, replicate
}

// fixedColumns are the columns a sweep adds around the parameters.
var fixedColumns = []string{"run", "runs_total", "replicate", "sweep"}

// Header is the tidy CSV's header: run (the canonical index, from 0),
// runs_total, one column per varied parameter, replicate (from 0), sweep
// (the sweep's id), then report.Columns, the columns of "keepalive run
// --format csv".
func (p *Plan) Header() []string { return append(p.runHeader(), report.Columns...) }

// runHeader names the columns that say which run a row is: run,
// runs_total, the parameters, replicate, sweep. Rows and pages both
// begin with them, so a page row joins its run's row.
func (p *Plan) runHeader() []string {
	h := []string{"run", "runs_total"}
	for _, prm := range p.Grid.Params {
		h = append(h, prm.Column)
	}
	return append(h, "replicate", "sweep")
}

// runCells are canonical run i's cells of runHeader.
func (p *Plan) runCells(i, point, replicate int) []string {
	cells := make([]string, 0, len(fixedColumns)+len(p.Grid.Params)+len(report.Columns))
	cells = append(cells, strconv.Itoa(i), strconv.Itoa(p.Grid.Runs()))
	for k, vi := range p.Grid.values(point) {
		cells = append(cells, p.Grid.Params[k].Cells[vi])
	}
	return append(cells, strconv.Itoa(replicate), p.ID)
}

// row is canonical run i's row.
func (p *Plan) row(i int, cfg model.Config, point, replicate int, res model.Result) []string {
	return append(p.runCells(i, point, replicate), report.Row(p.Scenario, cfg, res)...)
}

// Total is the number of runs of the whole sweep (its rows' runs_total),
// whatever the shard.
func (p *Plan) Total() int { return p.Grid.Runs() }

// Config is the configuration of canonical run i, 0 ≤ i < Total (a row's
// run column): what the sweep runs for that row, so that running it
// again makes the same run (sweep --pcap-run).
func (p *Plan) Config(i int) model.Config {
	cfg, _, _ := p.config(i)
	return cfg
}

// Describe names run i's parameters, for messages: "rtt=100ms,
// protocol=http2, replicate=3".
func (p *Plan) Describe(i int) string { return p.describe(i) }
