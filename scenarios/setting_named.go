package scenarios

import (
	"fmt"
	"slices"
	"strings"
)

// SettingNamed is the setting of name to value as a person types it in
// the terminal UI's edit form: name is a run flag's name without its
// dashes ("rtt", "loss") or a settable scenario field's dotted path
// ("server.idle_close", "browser.retry"); where names it in messages. A
// name that is neither is an error naming the closest ones.
func SettingNamed(where, name, value string) (Setting, error) {
	name = strings.TrimPrefix(strings.TrimSpace(name), "--")
	value = strings.TrimSpace(value)
	if value == "" {
		return Setting{}, &SettingError{Where: where, Field: name, Err: fmt.Errorf("no value")}
	}
	if f, ok := FlagNamed(name); ok {
		return f.Setting(where, value), nil
	}
	paths := settablePaths()
	if slices.Contains(paths, name) {
		return Setting{Where: where, Field: name, Value: value}, nil
	}
	return Setting{}, &SettingError{Where: where, Field: name, Err: fmt.Errorf("%q is no run flag or scenario field%s (docs/scenarios.md lists them)", name, closest(name, append(flagNames(), paths...)))}
}

// SettingNames are every name SettingNamed takes, flags first, then the
// settable fields in the docs' order: what the edit form offers as the
// user types.
func SettingNames() []string { return append(flagNames(), settablePaths()...) }

func flagNames() []string {
	var out []string
	for _, f := range runFlags {
		out = append(out, f.Name)
	}
	return out
}

func settablePaths() []string {
	var out []string
	for _, f := range Settable() {
		out = append(out, f.Path)
	}
	return out
}

// closest is ": did you mean a or b?" for the names a typo could have
// made name of (nearest, at most three), or "".
func closest(name string, names []string) string {
	near := nearest(name, names)
	if len(near) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(near[:min(len(near), 3)], " or ") + "?"
}
