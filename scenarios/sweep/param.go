package sweep

import (
	"fmt"
	"regexp"
	"strings"
)

// Names a sweep treats specially.
const (
	nameIdeal    = "ideal"    // applied before every other setting, as --ideal
	nameProtocol = "protocol" // the protocols loop, inside the grid
)

// dotted matches a scenario field name: section.key, or
// section.subsection.key for nested sections (proxy.link.rtt).
var dotted = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)

// allowedNames is the list of names for error messages.
func allowedNames() string {
	var names []string
	for _, f := range fields {
		if f.flag != "" && f.flag != nameIdeal {
			names = append(names, f.flag)
		}
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
	for _, f := range fields {
		if f.flag != "" && f.flag == name {
			return f.path, nil
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

// columnOf is the CSV column of a varied parameter (see [field.column]).
func columnOf(name string) string {
	f, _ := lookupField(name)
	return f.column()
}
