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
func Resolve(nameOrPath string) (*Scenario, error) {
	names := builtinNames()
	if contains(names, nameOrPath) {
		return Builtin(nameOrPath)
	}
	s, err := Load(nameOrPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w %q: not a built-in scenario (%s) nor a scenario file: %w",
			ErrUnknownScenario, nameOrPath, strings.Join(names, ", "), err)
	}
	return s, err
}
