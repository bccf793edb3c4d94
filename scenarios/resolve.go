package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
)

// Resolve returns the built-in scenario nameOrPath if there is one, else
// loads the file at that path. A built-in name wins over a file of the
// same name in the current directory; write "./webpage" for the file.
//
// If it is neither, the error wraps [ErrUnknownScenario] and the file
// system's error (errors.Is(err, fs.ErrNotExist)), and lists the
// built-in names.
func Resolve(nameOrPath string) (*Scenario, error) { return resolve(nameOrPath, false) }

// ResolveIdeal is [Resolve] as if the scenario began with "ideal: true":
// the textbook's assumptions first, then every field the scenario gives,
// which wins over them (a file's tcp.recv_window stays). This is what
// --ideal on the command line means, so that it says the same as the
// field does in a file.
func ResolveIdeal(nameOrPath string) (*Scenario, error) { return resolve(nameOrPath, true) }

func resolve(nameOrPath string, ideal bool) (*Scenario, error) {
	names := builtinNames()
	if contains(names, nameOrPath) {
		return builtin(nameOrPath, ideal)
	}
	s, err := load(nameOrPath, ideal)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w %q: not a built-in scenario (%s) nor a scenario file: %w",
			ErrUnknownScenario, nameOrPath, strings.Join(names, ", "), err)
	}
	return s, err
}
