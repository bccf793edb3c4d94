package scenarios

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

//go:embed builtin/*.yaml
var builtinFiles embed.FS

// builtinNames returns the names of the built-in scenarios, sorted.
func builtinNames() []string {
	entries, err := fs.ReadDir(builtinFiles, "builtin")
	if err != nil {
		panic("scenarios: reading the embedded built-ins: " + err.Error())
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	// fs.ReadDir sorts by file name, which puts "tls-cpu.yaml" before
	// "tls.yaml" ('-' < '.'): sort the names themselves.
	slices.Sort(names)
	return names
}

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []Info {
	names := builtinNames()
	infos := make([]Info, len(names))
	for i, n := range names {
		s, err := Builtin(n)
		if err != nil {
			panic("scenarios: built-in scenario does not load: " + err.Error())
		}
		infos[i] = Info{Name: s.Name, Description: s.Description}
	}
	return infos
}

// Builtin returns a fresh copy of the built-in scenario name ("webpage",
// "textbook", ...). For any other name it returns an error wrapping
// [ErrUnknownScenario] that lists the built-in names.
func Builtin(name string) (*Scenario, error) { return builtin(name, false) }

func builtin(name string, ideal bool) (*Scenario, error) {
	names := builtinNames()
	if !contains(names, name) {
		return nil, fmt.Errorf("%w %q (built-in: %s)", ErrUnknownScenario, name, strings.Join(names, ", "))
	}
	file := path.Join("builtin", name+".yaml")
	data, err := builtinFiles.ReadFile(file)
	if err != nil {
		return nil, err
	}
	s, err := parseScenario(file, data, ideal)
	if err != nil {
		return nil, err
	}
	s.Name = name
	return s, nil
}
