package sweep

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/keepalive-sim/keepalive/scenarios/report"
)

// runFlags are the names of "keepalive run" flags that a sweep may set
// or vary, and the scenario field each sets (docs/scenarios.md).
var runFlags = []struct{ name, field string }{
	{"rtt", "link.rtt"},
	{"bandwidth", "link.bandwidth"},
	{"loss", "link.loss"},
	{"mss", "tcp.mss"},
	{"iw", "tcp.initial_window"},
	{"parallel", "http.parallel"},
	{"tls", "tls.version"},
	{"tls-resume", "tls.resume"},
	{"objects", "page.objects"},
	{"object-size", "page.object_size"},
	{"html-size", "page.html_size"},
}

// Names a sweep treats specially.
const (
	nameIdeal    = "ideal"    // applied before every other setting, as --ideal
	nameProtocol = "protocol" // the protocols loop, inside the grid
)

// pageFlags are the run flags that replace the scenario's page with a
// synthetic one, and their defaults when only some are given (as in
// "keepalive run").
var pageFlags = []struct{ name, field, def string }{
	{"html-size", "page.html_size", "20KB"},
	{"objects", "page.objects", "10"},
	{"object-size", "page.object_size", "10KB"},
}

// dotted matches a scenario field name: section.key, or
// section.subsection.key for nested sections (proxy.link.rtt).
var dotted = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// allowedNames is the list of names for error messages.
func allowedNames() string {
	var names []string
	for _, f := range runFlags {
		names = append(names, f.name)
	}
	names = append(names, nameIdeal, nameProtocol)
	return strings.Join(names, ", ") + ", or a scenario field section.key such as link.queue, " +
		"tcp.initial_window, tcp.min_rto, http.parallel (see docs/scenarios.md)"
}

// fieldOf returns the scenario field that name sets: the field of a run
// flag, or name itself if it is a dotted scenario field. "ideal" and
// "protocol" (also "http.protocol") are returned as they are.
func fieldOf(name string) (string, error) {
	switch name {
	case nameIdeal, nameProtocol:
		return name, nil
	case "http.protocol":
		return nameProtocol, nil
	case "seed":
		return "", fmt.Errorf("the seed is not varied: give the first seed with --seed and the number of runs with --replicates")
	}
	for _, f := range runFlags {
		if f.name == name {
			return f.field, nil
		}
	}
	switch {
	case dotted.MatchString(name) && name != "page.resources":
		return name, nil
	case name == "page.resources":
		return "", fmt.Errorf("page.resources is a list and cannot be set here; vary objects, object-size or html-size, or write scenario files")
	case strings.ContainsAny(name, "[]"):
		return "", fmt.Errorf("unknown parameter %q: list items cannot be set; allowed: %s", name, allowedNames())
	}
	return "", fmt.Errorf("unknown parameter %q; allowed: %s", name, allowedNames())
}

// columnOf is the CSV column of a varied parameter: its name as given,
// unless that is already a column of "keepalive run" (objects, loss,
// tls, iw, parallel, mss, ideal); then "vary." + name.
func columnOf(name string) string {
	if slices.Contains(report.Columns, name) || slices.Contains(fixedColumns, name) {
		return "vary." + name
	}
	return name
}
