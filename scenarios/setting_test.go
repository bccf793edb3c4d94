package scenarios_test

import (
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/sim"
)

func mustParse(t *testing.T, yml string) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Parse("mine.yaml", []byte(yml))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func flagSetting(t *testing.T, name, value string) scenarios.Setting {
	t.Helper()
	f, ok := scenarios.FlagNamed(name)
	if !ok {
		t.Fatalf("no flag %q", name)
	}
	return f.Setting("--"+name, value)
}

// TestWithRules: a setting means what it says written alone, whatever
// else the scenario's file gives (Scenario.With's rules).
func TestWithRules(t *testing.T) {
	const file = `
description: mine
link: {up: 1Mbps, down: 5Mbps}
tls: {version: "1.3", resume: true, early_data: true}
page: {resources: [{path: /index.html, size: 5KB}, {path: /a.png, size: 1KB}]}
`
	ms := sim.Millisecond
	for _, tc := range []struct {
		name     string
		settings []scenarios.Setting
		check    func(c model.Config) bool
	}{
		{"bandwidth sets both directions", []scenarios.Setting{flagSetting(t, "bandwidth", "2Mbps")},
			func(c model.Config) bool { return c.Link.Up == 2_000_000 && c.Link.Down == 2_000_000 }},
		{"up beside bandwidth wins", []scenarios.Setting{flagSetting(t, "bandwidth", "2Mbps"), {Where: "--set", Field: "link.up", Value: "1Mbps"}},
			func(c model.Config) bool { return c.Link.Up == 1_000_000 && c.Link.Down == 2_000_000 }},
		{"a page flag alone takes run's page", []scenarios.Setting{flagSetting(t, "objects", "5")},
			func(c model.Config) bool {
				r := c.Page.Resources
				return len(r) == 6 && r[0].Size == 20_000 && r[5].Size == 10_000
			}},
		{"a list flag", []scenarios.Setting{flagSetting(t, "object-size", "1MB, 2KB"), flagSetting(t, "objects", "3")},
			func(c model.Config) bool {
				r := c.Page.Resources
				return len(r) == 4 && r[1].Size == 1_000_000 && r[2].Size == 2_000 && r[3].Size == 1_000_000
			}},
		{"tls 1.2 turns off 0-RTT, keeps resume", []scenarios.Setting{flagSetting(t, "tls", "1.2")},
			func(c model.Config) bool { return c.TLS.Version == model.TLS12 && c.TLS.Resume && !c.TLS.EarlyData }},
		{"tls none turns off resume", []scenarios.Setting{flagSetting(t, "tls", "none")},
			func(c model.Config) bool { return c.TLS.Version == model.NoTLS && !c.TLS.Resume && !c.TLS.EarlyData }},
		{"no resumption, no 0-RTT", []scenarios.Setting{flagSetting(t, "tls-resume", "false")},
			func(c model.Config) bool { return c.TLS.Version == model.TLS13 && !c.TLS.Resume && !c.TLS.EarlyData }},
		{"seed at the top level", []scenarios.Setting{flagSetting(t, "seed", "18446744073709551615")},
			func(c model.Config) bool { return c.Seed == 1<<64-1 }},
		{"the last setting of a field wins", []scenarios.Setting{flagSetting(t, "rtt", "10ms"), flagSetting(t, "rtt", "20ms")},
			func(c model.Config) bool { return c.Link.Delay == 10*ms }},
		{"a nested section", []scenarios.Setting{{Where: "--set", Field: "proxy.enabled", Value: "true"}, {Where: "--set", Field: "proxy.link.rtt", Value: "40ms"}},
			func(c model.Config) bool { return c.Proxy.Link.Delay == 20*ms }},
		{"none", nil, func(c model.Config) bool { return c.Link.Up == 1_000_000 && c.TLS.EarlyData }},
	} {
		sc := mustParse(t, file)
		before := *sc
		got, err := sc.With(tc.settings...)
		switch {
		case err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.check(got.Config):
			t.Errorf("%s: got link %+v, tls %+v, %d resources", tc.name, got.Config.Link, got.Config.TLS, len(got.Config.Page.Resources))
		case got.Name != "mine" || got.Description != "mine":
			t.Errorf("%s: name %q, description %q", tc.name, got.Name, got.Description)
		case !reflect.DeepEqual(*sc, before):
			t.Errorf("%s: With changed the scenario it was called on", tc.name)
		}
	}
}

// TestWithReachesOrigins: an origin that takes the file's tls or server
// section takes a setting of it too (--tls is TLS on every connection);
// one with its own keeps it.
func TestWithReachesOrigins(t *testing.T) {
	sc := mustParse(t, `
tls: {version: "1.3", resume: true}
server: {max_requests: 100}
origins:
  - {host: cdn.example.com}
  - {host: own.example.com, tls: {version: "1.2"}, server: {max_requests: 7}}
page: {resources: [{path: /index.html, size: 5KB}, {path: "https://cdn.example.com/a.js", size: 1KB}, {path: "https://own.example.com/b.js", size: 1KB}]}
`)
	got, err := sc.With(flagSetting(t, "tls", "none"), scenarios.Setting{Where: "--set", Field: "server.max_requests", Value: "3"})
	if err != nil {
		t.Fatal(err)
	}
	c := got.Config
	if o := c.Origins[0]; o.TLS.Version != model.NoTLS || o.TLS.Resume || o.Server.MaxRequests != 3 {
		t.Errorf("cdn: tls %+v, max_requests %d; want the file's new none and 3", o.TLS, o.Server.MaxRequests)
	}
	if o := c.Origins[1]; o.TLS.Version != model.TLS12 || o.Server.MaxRequests != 7 {
		t.Errorf("own: tls %+v, max_requests %d; want its own 1.2 and 7", o.TLS, o.Server.MaxRequests)
	}
}

// TestWithErrors: a value the file's parser refuses is named as the user
// gave it, with the field's own message and no file or line.
func TestWithErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		settings []scenarios.Setting
		field    string
		want     string
	}{
		{"range", []scenarios.Setting{flagSetting(t, "loss", "2")}, "link.loss",
			"--loss: 2 is out of range; allowed: a probability in [0, 1)"},
		{"grammar", []scenarios.Setting{flagSetting(t, "rtt", "100")}, "link.rtt",
			`--rtt: "100": missing unit; write e.g. "100ms" or "100s" (allowed: ns, us, ms, s, m, h)`},
		{"text, not YAML", []scenarios.Setting{flagSetting(t, "rtt", "null")}, "link.rtt",
			`--rtt: "null": not a number followed by a unit`},
		{"a list item", []scenarios.Setting{flagSetting(t, "object-size", "1KB,x")}, "page.object_size[1]",
			`--object-size, item 2: "x": not a number followed by a unit`},
		{"resume without TLS", []scenarios.Setting{flagSetting(t, "tls-resume", "true"), flagSetting(t, "tls", "none")}, "tls.resume",
			"--tls-resume: true is out of range; allowed: only with tls 1.2 or 1.3"},
		{"a conflict with two set fields names the second", []scenarios.Setting{{Where: "--set tcp.min_rto=10s", Field: "tcp.min_rto", Value: "10s"}, {Where: "--set tcp.max_rto=5s", Field: "tcp.max_rto", Value: "5s"}},
			"tcp.max_rto", "--set tcp.max_rto=5s: 5s is out of range; allowed: a duration ≥ min_rto (10s)"},
		{"a conflict with the file names every setting", []scenarios.Setting{{Where: "--set tcp.min_rto=130s", Field: "tcp.min_rto", Value: "130s"}, flagSetting(t, "rtt", "1ms")},
			"tcp.max_rto", "with --set tcp.min_rto=130s, --rtt: tcp.max_rto: "},
		{"0-RTT asked for without resumption", []scenarios.Setting{{Where: "--set tls.early_data=true", Field: "tls.early_data", Value: "true"}, {Where: "--set tls.resume=false", Field: "tls.resume", Value: "false"}},
			"tls.early_data", "--set tls.early_data=true: true is out of range; allowed: only with tls 1.3 and resume"},
		{"unknown section", []scenarios.Setting{{Where: "--set links.rtt=1ms", Field: "links.rtt", Value: "1ms"}}, "links.rtt",
			`--set links.rtt=1ms: unknown section "links"; allowed sections: browser, clients,`},
		{"unknown field", []scenarios.Setting{{Where: "--set link.rttt=1ms", Field: "link.rttt", Value: "1ms"}}, "link.rttt",
			`--set link.rttt=1ms: unknown field "rttt" (allowed: `},
		{"a proxy speaks HTTP/1.x", []scenarios.Setting{{Where: "--set proxy.enabled=true", Field: "proxy.enabled", Value: "true"}, {Where: "--set proxy.protocol=http2", Field: "proxy.protocol", Value: "http2"}}, "proxy.protocol",
			`--set proxy.protocol=http2: "http2": unknown value (allowed: http1.0, http1.1)`},
		{"a proxy's field without a proxy", []scenarios.Setting{{Where: "--vary proxy.link.rtt=5ms", Field: "proxy.link.rtt", Value: "5ms"}}, "proxy.link.rtt",
			"--vary proxy.link.rtt=5ms: the scenario has no proxy (proxy.enabled is false), so this changes nothing"},
		{"not settable", []scenarios.Setting{{Where: "--set name=x", Field: "name", Value: "x"}}, "name",
			`--set name=x: "name" is not a field a setting may give; allowed: seed,`},
	} {
		_, err := mustParse(t, `tls: {version: "1.3", resume: true, early_data: true}`).With(tc.settings...)
		var se *scenarios.SettingError
		switch {
		case !errors.As(err, &se):
			t.Errorf("%s: error %v, want a *SettingError", tc.name, err)
		case !strings.HasPrefix(err.Error(), tc.want):
			t.Errorf("%s: error\n%s\nwant one starting\n%s", tc.name, err, tc.want)
		case tc.field != "" && se.Field != tc.field:
			t.Errorf("%s: field %q, want %q", tc.name, se.Field, tc.field)
		case strings.Contains(err.Error(), "mine.yaml"):
			t.Errorf("%s: %q names the file", tc.name, err)
		}
	}
}

// TestRunFlagsTable: every flag of the table sets its field; each flag
// of the edit form shows a configuration's value so that setting it back
// gives the same configuration, for every built-in scenario.
func TestRunFlagsTable(t *testing.T) {
	examples := map[string]string{ // a value for the flags the form does not show
		"seed": "7", "mss": "536", "tls-resume": "true", "html-size": "5KB", "object-size": "2KB",
	}
	for _, f := range scenarios.RunFlags() {
		if f.Group == "" || f.Usage == "" || (f.Label != "") != (f.Show != nil) || f.Page != (f.Default != "") {
			t.Errorf("--%s: incomplete row %+v", f.Name, f)
		}
		if f.Label != "" {
			continue
		}
		value, ok := examples[f.Name]
		if !ok {
			t.Errorf("--%s: no example value in this test", f.Name)
			continue
		}
		base := mustParse(t, `tls: {version: "1.3"}`)
		got, err := base.With(f.Setting("--"+f.Name, value))
		if err != nil {
			t.Errorf("--%s %s: %v", f.Name, value, err)
		} else if reflect.DeepEqual(got.Config, base.Config) {
			t.Errorf("--%s %s changed nothing", f.Name, value)
		}
	}
	for _, in := range scenarios.Builtins() {
		sc, err := scenarios.Builtin(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range scenarios.RunFlags() {
			if f.Show == nil || f.Page && sc.Config.Page.Resources[0].Path != "/index.html" {
				continue
			}
			got, err := sc.With(f.Setting(f.Label, f.Show(&sc.Config)))
			if err != nil {
				t.Errorf("%s: %s %q: %v", in.Name, f.Label, f.Show(&sc.Config), err)
				continue
			}
			if f.Page { // a synthetic page from objects alone: compare what the form shows
				if f.Show(&got.Config) != f.Show(&sc.Config) {
					t.Errorf("%s: %s shows %q, then %q", in.Name, f.Label, f.Show(&sc.Config), f.Show(&got.Config))
				}
				continue
			}
			if !reflect.DeepEqual(got.Config, sc.Config) {
				t.Errorf("%s: %s %q set back changes the configuration", in.Name, f.Label, f.Show(&sc.Config))
			}
		}
	}
}

// TestFlagsDoc: docs/scenarios.md's list of run flags is the table's
// (go test ./scenarios -run TestFlagsDoc -update rewrites it).
func TestFlagsDoc(t *testing.T) {
	const path = "../docs/scenarios.md"
	const begin, end = "<!-- begin flags: scenarios.RunFlags; go test ./scenarios -run TestFlagsDoc -update -->\n", "<!-- end flags -->\n"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s: no section between %q and %q", path, begin, end)
	}
	got := doc[:i+len(begin)] + scenarios.FlagsMarkdown() + doc[j:]
	rewriteDoc(t, path, doc, got, "the list of flags differs from scenarios.RunFlags")
}

// TestSettableWords: every word a quantity also takes (Field.Also) is
// one its docs name and one a setting of it is accepted with.
func TestSettableWords(t *testing.T) {
	n := 0
	for _, f := range scenarios.Settable() {
		for _, w := range f.Also {
			n++
			if !strings.Contains(f.AllowedText()+f.Unit, "`"+w+"`") {
				t.Errorf("%s: the docs (%q, %q) do not name %q", f.Path, f.AllowedText(), f.Unit, w)
			}
			if _, err := mustParse(t, "proxy: {enabled: true}").With(scenarios.Setting{Where: "--set", Field: f.Path, Value: w}); err != nil {
				t.Errorf("%s=%s: %v", f.Path, w, err)
			}
		}
	}
	if n < 15 {
		t.Errorf("only %d words checked", n)
	}
	for _, want := range []string{"ideal", "seed", "link.rtt", "proxy.link.rtt", "proxy.origin.backlog", "limits.max_memory"} {
		if _, ok := slicesIndexPath(scenarios.Settable(), want); !ok {
			t.Errorf("%s is not settable", want)
		}
	}
}

func slicesIndexPath(fs []scenarios.Field, path string) (int, bool) {
	for i, f := range fs {
		if f.Path == path {
			return i, true
		}
	}
	return -1, false
}

// TestIdealIsNoSetting: "ideal" applied after a file's fields would
// change nothing, so a setting may not give it (run has --ideal, a sweep
// its own handling).
func TestIdealIsNoSetting(t *testing.T) {
	_, err := mustParse(t, "description: x").With(scenarios.Setting{Where: "--set ideal=true", Field: "ideal", Value: "true"})
	if err == nil || !strings.Contains(err.Error(), `"ideal" is not a field a setting may give; allowed: seed,`) {
		t.Errorf("got %v", err)
	}
}

// TestLongValueIsCut: a value echoed in a message is cut to a line's
// worth (a 100 KB --rtt made a 100 KB message).
func TestLongValueIsCut(t *testing.T) {
	_, err := mustParse(t, "description: x").With(flagSetting(t, "rtt", strings.Repeat("9", 100_000)))
	if err == nil || len(err.Error()) > 400 || !strings.Contains(err.Error(), "…") {
		t.Errorf("message of %d bytes: %.300v", len(fmt.Sprint(err)), err)
	}
}
