package scenarios_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios"
)

// TestSettingNamed: the edit form's names are run flags or settable
// fields, applied as the command line and a file apply them; an unknown
// name suggests the nearest.
func TestSettingNamed(t *testing.T) {
	sc, err := scenarios.Builtin("close-race")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, value string
		check       func(s *scenarios.Scenario) bool
		err         string
	}{
		{"server.idle_close", "408", func(s *scenarios.Scenario) bool { return s.Config.Server.IdleClose.String() == "408" }, ""},
		{"browser.retry", "false", func(s *scenarios.Scenario) bool { return !s.Config.Browser.Retry }, ""},
		{"rtt", "300ms", func(s *scenarios.Scenario) bool { return s.Config.Link.Delay == 150_000_000 }, ""},
		{"--loss", "0.5", func(s *scenarios.Scenario) bool { return s.Config.Link.Loss == 0.5 }, ""},
		{"server.idle_clos", "408", nil, `"server.idle_clos" is no run flag or scenario field; did you mean server.idle_close?`},
		{"server.idle_close", " ", nil, "no value"},
		{"server.idle_close", "never", nil, "server.idle_close"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			st, err := scenarios.SettingNamed(tc.name, tc.name, tc.value)
			if err == nil {
				var s *scenarios.Scenario
				s, err = sc.With(st)
				if err == nil && !tc.check(s) {
					t.Errorf("%s=%s did not take", tc.name, tc.value)
				}
			}
			switch {
			case tc.err == "" && err != nil:
				t.Errorf("error %v", err)
			case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
				t.Errorf("error %v, want one saying %q", err, tc.err)
			}
		})
	}
	names := scenarios.SettingNames()
	if !slices.Contains(names, "rtt") || !slices.Contains(names, "server.idle_close") || slices.Index(names, "rtt") > slices.Index(names, "server.idle_close") {
		t.Errorf("names %v: want the flags (rtt) before the fields (server.idle_close)", names)
	}
}
