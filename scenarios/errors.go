package scenarios

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/keepalive-sim/keepalive/model"
)

// ErrUnknownScenario is wrapped by the errors of [Builtin] and [Resolve]
// for a name that is no built-in scenario (and, for Resolve, no file).
var ErrUnknownScenario = errors.New("unknown scenario")

// FieldError reports a bad scenario file: the file, the line and the
// dotted field ("link.loss", "page.resources[3].parent"; indices count
// from 0) of the problem. Err says what is wrong; it is often a
// *model.ConfigError (errors.Is(err, model.ErrConfig)) or wraps
// units.ErrSyntax, units.ErrRange or model.ErrUnknownProtocol.
//
// Line is 0 when unknown; Field is "" for errors of the YAML syntax
// itself.
type FieldError struct {
	File  string
	Line  int
	Field string
	Err   error
}

// Error returns "file:line: field: problem", e.g.
//
//	webpage.yaml:12: link.loss: 1.5 is out of range; allowed: a probability in [0, 1)
func (e *FieldError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Field != "" {
		s += ": " + e.Field
	}
	var ce *model.ConfigError
	switch {
	case e.Err == nil:
		return s
	case errors.As(e.Err, &ce):
		// The field is already named, and may differ from ce.Field, which
		// is the model's name for it (link.delay for link.rtt).
		return fmt.Sprintf("%s: %s is out of range; allowed: %s", s, ce.Value, ce.Allowed)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *FieldError) Unwrap() error { return e.Err }
