package main

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/sim"
	"github.com/keepalive-sim/keepalive/tui"
)

// lessonsDoc is the teachers' page whose facts TestLessonsDoc writes.
const lessonsDoc = "../../docs/lessons.md"

// lessonTry is one of a lesson's "Try …" edits: a run flag (which the
// terminal UI takes too), or fields of the scenario file, or close-race's
// think time, which is in its visits list.
type lessonTry struct {
	flag  string              // "--rtt 300ms"; "--tls-resume" for a switch
	set   []scenarios.Setting // else the file's fields, Field and Value
	think sim.Time            // else the first visit's think time
}

// label is how the page names the edit: as a user types it.
func (tr lessonTry) label() string {
	switch {
	case tr.flag != "":
		return "`" + tr.flag + "`"
	case tr.think != 0:
		return "`think: " + time.Duration(tr.think).String() + "`"
	}
	var out []string
	for _, st := range tr.set {
		out = append(out, "`"+st.Field+": "+st.Value+"`")
	}
	return strings.Join(out, " + ")
}

// settings are the edit as settings of the scenario: a flag's are read
// from scenarios.RunFlags, so a flag the page names must exist and set
// the field it is said to.
func (tr lessonTry) settings(t *testing.T) []scenarios.Setting {
	t.Helper()
	if tr.flag == "" {
		return tr.set
	}
	words := strings.Fields(tr.flag)
	name := strings.TrimPrefix(words[0], "--")
	for _, f := range scenarios.RunFlags() {
		if f.Name != name {
			continue
		}
		value := "true"
		if len(words) > 1 {
			value = words[1]
		} else if !f.Bool {
			t.Fatalf("%s: the flag takes a value", tr.flag)
		}
		return []scenarios.Setting{{Where: words[0], Field: f.Field, Value: value}}
	}
	t.Fatalf("%s: no such run flag", tr.flag)
	return nil
}

// lessonRun is one protocol's run of a lesson, as designed or under a try.
type lessonRun struct {
	p    model.Protocol
	cfg  model.Config
	res  model.Result
	recs []trace.Record
	hits []trace.Hit // the lesson's moments in it, in record order
}

// resource is the first client's timing of the resource at path.
func (r *lessonRun) resource(t *testing.T, path string) trace.ResourceTiming {
	t.Helper()
	for _, rt := range r.res.Resources {
		if rt.Path == path {
			return rt
		}
	}
	t.Fatalf("%s: no resource %s", r.p, path)
	return trace.ResourceTiming{}
}

// count is how many of the run's records ok holds for.
func (r *lessonRun) count(ok func(*trace.Record) bool) int {
	n := 0
	for i := range r.recs {
		if ok(&r.recs[i]) {
			n++
		}
	}
	return n
}

// lessonFacts are a lesson's runs: every protocol as designed (try -1)
// and under each of its tries.
type lessonFacts struct {
	sc   *scenarios.Scenario
	runs map[[2]int]*lessonRun // [try+1, protocol index]
	// protocols are the lesson's comparison: its protocols field, else
	// the four over TCP.
	protocols []model.Protocol
}

// run is protocol p's run under try (-1: as designed).
func (f *lessonFacts) run(try int, p model.Protocol) *lessonRun {
	return f.runs[[2]int{try + 1, slices.Index(f.protocols, p)}]
}

// designed is protocol p's run as designed.
func (f *lessonFacts) designed(p model.Protocol) *lessonRun { return f.run(-1, p) }

// lessonCol is a column of a lesson's facts table.
type lessonCol struct {
	head string
	cell func(t *testing.T, r *lessonRun) string
}

// lessonSpec is what docs/lessons.md computes for one lesson.
type lessonSpec struct {
	name string
	cols []lessonCol // the facts, one row per protocol as designed
	// tries are the lesson's "Try …" edits; the try table has a row per
	// protocol of tryProtos (nil: all four) and a column as designed
	// and one per try, each cell tryCell of that run.
	tries     []lessonTry
	tryCell   func(t *testing.T, r *lessonRun) string
	tryProtos []model.Protocol
	// check asserts what the page's prose says of the numbers: an
	// ordering, an equality, a moment that happens.
	check func(t *testing.T, f *lessonFacts)
}

// TestLessonsDoc runs every built-in lesson, as designed and under each
// of its "Try …" edits, under every protocol, and checks that
// docs/lessons.md shows for each its key moments in the order n reaches
// them in the run the terminal UI opens on (checked on the UI's own
// screen), its facts and how to make each edit (checked by making it in
// the saved scenario file); -update rewrites them. It also checks what
// the page's prose says of those numbers, so that a plan a teacher
// follows cannot teach a number or an ordering the program no longer
// gives.
func TestLessonsDoc(t *testing.T) {
	specs := lessonSpecs()
	var names []string
	for _, s := range specs {
		names = append(names, s.name)
	}
	for _, in := range scenarios.Builtins() {
		if !slices.Contains(names, in.Name) {
			t.Errorf("built-in lesson %s has no plan in docs/lessons.md (lessonSpecs)", in.Name)
		}
	}
	var regions []docRegion
	for _, spec := range specs {
		f := runLesson(t, spec)
		begin, end := lessonMarkers(spec.name, "moments")
		regions = append(regions, docRegion{begin, end, begin + generatedBy + "\n\n" + lessonMoments(t, spec, f) + "\n" + end})
		begin, end = lessonMarkers(spec.name, "facts")
		regions = append(regions, docRegion{begin, end, begin + generatedBy + "\n\n" + lessonTables(t, spec, f) + "\n" + end})
		if spec.check != nil {
			spec.check(t, f)
		}
	}
	checkRegions(t, lessonsDoc, regions, "TestLessonsDoc")
}

const generatedBy = ": generated by `go test ./cmd/keepalive -run TestLessonsDoc -update` -->"

// lessonMarkers are the begin (without its end of comment) and end
// markers of one of a lesson's generated regions.
func lessonMarkers(lesson, what string) (string, string) {
	return "<!-- " + lesson + "-" + what + ":begin", "<!-- " + lesson + "-" + what + ":end -->"
}

// runLesson runs the lesson under every protocol, as designed and under
// each try, with its trace, and finds its moments in each run.
func runLesson(t *testing.T, spec lessonSpec) *lessonFacts {
	t.Helper()
	sc, err := scenarios.Builtin(spec.name)
	if err != nil {
		t.Fatal(err)
	}
	f := &lessonFacts{sc: sc, runs: map[[2]int]*lessonRun{}, protocols: sc.Compared()}
	for k := -1; k < len(spec.tries); k++ {
		s := sc
		var think sim.Time
		if k >= 0 {
			tr := spec.tries[k]
			if s, err = sc.With(tr.settings(t)...); err != nil {
				t.Fatalf("%s, %s: %v", spec.name, tr.label(), err)
			}
			think = tr.think
		}
		for i, p := range f.protocols {
			cfg := s.Config
			cfg.ForProtocol(p)
			if think != 0 {
				cfg.Visits = slices.Clone(cfg.Visits)
				cfg.Visits[0].Think = think
			}
			log := &trace.Log{}
			res, err := model.Run(cfg, log)
			if err != nil {
				t.Fatalf("%s %s: %v", spec.name, p, err)
			}
			f.runs[[2]int{k + 1, i}] = &lessonRun{p: p, cfg: cfg, res: res, recs: log.Records,
				hits: trace.Find(trace.List(log.Records), p.Traced(), s.Moments)}
		}
	}
	return f
}

// opening is the run the terminal UI opens a lesson on: the one in which
// most of the lesson's own moments happen, the first of those that tie
// (tui's storyRun; lessonMoments checks it on the UI's screen).
func opening(f *lessonFacts) *lessonRun { return openingOf(f, -1) }

// openingOf is the run the UI opens on under try k (-1: as designed).
func openingOf(f *lessonFacts, k int) *lessonRun {
	var best *lessonRun
	for _, p := range f.protocols {
		if r := f.run(k, p); best == nil || len(r.hits) > len(best.hits) {
			best = r
		}
	}
	return best
}

// uiLesson is the lesson as the terminal UI gets it, with the runs of
// protocols ps as designed.
func uiLesson(f *lessonFacts, ps ...model.Protocol) tui.Lesson {
	l := tui.Lesson{Scenario: f.sc.Name, Moments: f.sc.Moments,
		Params: tui.Params{RTT: time.Duration(2 * f.sc.Config.Link.Delay)}}
	for _, p := range ps {
		r := f.designed(p)
		l.Runs = append(l.Runs, tui.Run{Protocol: p.Traced(), Records: r.recs, Summary: trace.Summarize(r.recs)})
	}
	return l
}

// lessonMoments is the lesson's moments region: the run it opens on,
// the moments n goes to in it, in order, as the explanation line says
// them, and where the others happen (another run, or only under a try).
func lessonMoments(t *testing.T, spec lessonSpec, f *lessonFacts) string {
	t.Helper()
	open := opening(f)
	if len(open.hits) == 0 {
		t.Fatalf("%s: no key moment happens in any run", spec.name)
	}
	var b strings.Builder
	var counts []string
	for _, p := range f.protocols {
		counts = append(counts, fmt.Sprintf("`%s` %d", p, len(f.designed(p).hits)))
	}
	fmt.Fprintf(&b, "Opens on `%s`, paused on moment 1 of %d (moments per run: %s).\n\n", open.p, len(open.hits), strings.Join(counts, ", "))
	b.WriteString("| `n` | at | the explanation line says |\n|---|---|---|\n")
	ms := f.sc.Moments
	shown := map[int]bool{}
	for k, h := range open.hits {
		r := &open.recs[h.Record]
		say := ms[h.Moment].Sentence(r)
		fmt.Fprintf(&b, "| %d | %s | %s |\n", k+1, uiTime(r.At), say)
		shown[h.Moment] = true
	}
	checkOnScreen(t, spec.name, f, open)

	// The others: in another run as designed, else under a try.
	var others []string
	for m := range ms {
		if shown[m] {
			continue
		}
		where, say := "", ""
		for k := -1; k < len(spec.tries) && where == ""; k++ {
			var in []string
			for _, p := range f.protocols {
				r := f.run(k, p)
				for _, h := range r.hits {
					if h.Moment == m {
						if say == "" {
							say = ms[m].Sentence(&r.recs[h.Record])
						}
						in = append(in, "`"+p.String()+"`")
						break
					}
				}
			}
			if len(in) > 0 {
				where = "in " + strings.Join(in, ", ")
				if k >= 0 {
					where = "only with " + spec.tries[k].label() + ", " + where
				}
			}
		}
		if where == "" {
			t.Errorf("%s: moment %q happens in no run, as designed or under a try", spec.name, ms[m].Name)
			continue
		}
		others = append(others, fmt.Sprintf("- %s: %s\n", where, say))
	}
	if len(others) > 0 {
		fmt.Fprintf(&b, "\nNot in `%s`'s run (`p` shows the next run):\n\n", open.p)
		b.WriteString(strings.Join(others, ""))
	}
	return b.String()
}

// checkOnScreen checks on the terminal UI's screen what the moments
// region says: that the lesson opens on run open, paused on its first
// moment, and that at each moment's time (where no earlier moment shares
// it) the explanation line says that moment's sentence, numbered as n
// counts it.
func checkOnScreen(t *testing.T, name string, f *lessonFacts, open *lessonRun) {
	t.Helper()
	const width, height = 300, 30
	first := &open.recs[open.hits[0].Record]
	screen, err := tui.Snapshot(uiLesson(f, f.protocols...), tui.Shot{View: "ladder", At: first.At, Width: width, Height: height})
	if err != nil {
		t.Fatal(err)
	}
	if want := name + " ▸ " + open.p.String() + " "; !strings.Contains(screen, want) {
		t.Errorf("%s: the UI does not open on %s (no %q):\n%s", name, open.p, want, screen)
	}
	alone := uiLesson(f, open.p)
	for k, h := range open.hits {
		r := &open.recs[h.Record]
		if k > 0 && open.recs[open.hits[k-1].Record].At == r.At {
			continue // the screen tells the first of the moments at one time
		}
		if k > 0 {
			if screen, err = tui.Snapshot(alone, tui.Shot{View: "ladder", At: r.At, Width: width, Height: height}); err != nil {
				t.Fatal(err)
			}
		}
		want := fmt.Sprintf("◆ %d/%d %s", k+1, len(open.hits), f.sc.Moments[h.Moment].Sentence(r))
		if !strings.Contains(screen, want) {
			t.Errorf("%s %s at %v: the screen does not say %q:\n%s", name, open.p, r.At, want, screen)
		}
	}
}

// lessonTables is the lesson's facts region: its facts table and, if it
// has tries, the try table.
func lessonTables(t *testing.T, spec lessonSpec, f *lessonFacts) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("| protocol |")
	for _, c := range spec.cols {
		b.WriteString(" " + c.head + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(spec.cols)) + "\n")
	for _, p := range f.protocols {
		fmt.Fprintf(&b, "| %s |", protocolName(p))
		for _, c := range spec.cols {
			b.WriteString(" " + c.cell(t, f.designed(p)) + " |")
		}
		b.WriteString("\n")
	}
	if len(spec.tries) == 0 {
		return b.String()
	}
	b.WriteString("\nTo make each edit:\n\n")
	for k, tr := range spec.tries {
		note := ""
		if open := openingOf(f, k); open.p != opening(f).p {
			note = fmt.Sprintf(" (it then opens on `%s`)", open.p)
		}
		fmt.Fprintf(&b, "- %s: %s\n", tr.label(), howTo(t, spec.name, tr, f.run(k, f.protocols[0]).cfg, note))
	}
	ps := spec.tryProtos
	if ps == nil {
		ps = f.protocols
	}
	b.WriteString("\n| protocol | as designed |")
	for _, tr := range spec.tries {
		b.WriteString(" " + tr.label() + " |")
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---|", len(spec.tries)) + "\n")
	for _, p := range ps {
		fmt.Fprintf(&b, "| %s |", protocolName(p))
		for k := -1; k < len(spec.tries); k++ {
			b.WriteString(" " + spec.tryCell(t, f.run(k, p)) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// howTo says how a teacher makes the edit tr to lesson name: a flag on
// the command line (and the edit form's field, if it has one), or a line
// of the saved scenario file changed. It checks that the file so edited
// gives the configuration the edit's numbers come from (want, HTTP/1.1's
// run under it). note follows the command that opens the UI.
func howTo(t *testing.T, name string, tr lessonTry, want model.Config, note string) string {
	t.Helper()
	open := "`go run ./cmd/keepalive tui --scenario " + name
	if tr.flag != "" {
		text := open + " " + tr.flag + "`" + note
		st := tr.settings(t)[0]
		for _, fl := range scenarios.RunFlags() {
			if fl.Field == st.Field && fl.Label != "" {
				text += fmt.Sprintf(", or in the UI press `e`, set %s to `%s` and press Enter", fl.Label, st.Value)
			}
		}
		return text
	}
	file := mustRun(t, "scenarios", name)
	lines := strings.Split(file, "\n")
	var changes []string
	edit := func(section, key, value string) {
		in := false
		for i, line := range lines {
			switch {
			case line == section+":":
				in = true
				continue
			case line != "" && line[0] != ' ' && line[0] != '#':
				in = false
			}
			item := strings.TrimPrefix(strings.TrimPrefix(line, "  "), "- ")
			if !in || !strings.HasPrefix(line, "  ") || line[2] == ' ' || !strings.HasPrefix(item, key+": ") {
				continue
			}
			old, comment, _ := strings.Cut(item, " #")
			lead := line[:len(line)-len(item)]
			repl := key + ": " + value
			if comment != "" {
				repl += " #" + comment
			}
			lines[i] = lead + repl
			change := fmt.Sprintf("`%s` to `%s`", strings.TrimSpace(lead+old), strings.TrimSpace(lead+key+": "+value))
			if n := len(changes); n > 0 && strings.HasPrefix(changes[n-1], "under `"+section+":`") {
				changes[n-1] += " and " + change
			} else {
				changes = append(changes, "under `"+section+":` change "+change)
			}
			return
		}
		t.Fatalf("%s: `keepalive scenarios %s` has no line %s under %s:", name, name, key, section)
	}
	if tr.think != 0 {
		edit("visits", "think", time.Duration(tr.think).String())
	}
	for _, st := range tr.set {
		section, key, _ := strings.Cut(st.Field, ".")
		edit(section, key, st.Value)
	}
	got, err := scenarios.Parse("lesson.yaml", []byte(strings.Join(lines, "\n")))
	if err != nil {
		t.Fatalf("%s, %s: the edited file does not load: %v", name, tr.label(), err)
	}
	cfg := got.Config
	cfg.HTTP.Protocol = want.HTTP.Protocol
	if !reflect.DeepEqual(cfg, want) {
		t.Errorf("%s, %s: the file edited as the page says is not the configuration its numbers come from", name, tr.label())
	}
	howFile := "save the lesson with `go run ./cmd/keepalive scenarios " + name + " > lesson.yaml`; in `lesson.yaml`, " +
		strings.Join(changes, ", and ") + "; then `go run ./cmd/keepalive tui --scenario lesson.yaml`" + note
	if tr.think != 0 {
		return howFile
	}
	// Fields by name, as the edit form's last field takes them.
	var typed []string
	var named []scenarios.Setting
	for _, st := range tr.set {
		set, err := scenarios.SettingNamed(st.Field, st.Field, st.Value)
		if err != nil {
			t.Fatalf("%s, %s: the edit form does not take %s: %v", name, tr.label(), st.Field, err)
		}
		named = append(named, set)
		typed = append(typed, st.Field+": "+st.Value)
	}
	// The form applies them in the order of their names, as the
	// terminal UI's source does: the same configuration either way.
	slices.SortFunc(named, func(a, b scenarios.Setting) int { return strings.Compare(a.Field, b.Field) })
	base, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := base.With(named...)
	if err != nil {
		t.Fatalf("%s, %s: the edit form's settings do not apply: %v", name, tr.label(), err)
	}
	formCfg := edited.Config
	formCfg.HTTP.Protocol = want.HTTP.Protocol
	if !reflect.DeepEqual(formCfg, want) {
		t.Errorf("%s, %s: the settings typed in the edit form are not the configuration the page's numbers come from", name, tr.label())
	}
	return "in the UI press `e`, type `" + strings.Join(typed, "; ") + "` in its last field (other setting) and press Enter; or " + howFile
}

// uiTime writes a time as the terminal UI's clock does: "1.234s",
// "120.5ms".
func uiTime(d time.Duration) string {
	switch {
	case d == 0:
		return "0ms"
	case d >= time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
	case d >= time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	return strconv.FormatInt(int64(d/time.Microsecond), 10) + "µs"
}
