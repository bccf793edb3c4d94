package sweep

import (
	"errors"
	"fmt"
)

// InputError reports bad input: a flag and its value, a file or a row
// of one, and what is wrong with it. The command exits with status 2.
type InputError struct {
	Where string // "--vary rtt=10ms..5ms/step:1ms", "--shard 4/3", "shard-2.csv line 7", or ""
	Err   error
}

// Error returns "where: what is wrong", or what is wrong when it is about
// the command as a whole (Where is empty).
func (e *InputError) Error() string {
	if e.Where == "" {
		return e.Err.Error()
	}
	return e.Where + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *InputError) Unwrap() error { return e.Err }

func inputErrorf(where, format string, a ...any) error {
	return &InputError{Where: where, Err: fmt.Errorf(format, a...)}
}

// ErrInterrupted is wrapped by the error [Run] returns when its context
// is cancelled (Ctrl-C): the rows written so far are complete and in
// order, and the sweep can be continued with Options.Resume.
var ErrInterrupted = errors.New("interrupted")

// Interrupted says how far an interrupted sweep got. It wraps
// [ErrInterrupted] and the context's error.
type Interrupted struct {
	Written int // complete rows in the output, resumed ones included
	Total   int // rows of the whole sweep (of its shard, with --shard)
	Cause   error
}

func (e *Interrupted) Error() string {
	return fmt.Sprintf("interrupted after %d of %d rows", e.Written, e.Total)
}

// Unwrap returns ErrInterrupted and the context's error.
func (e *Interrupted) Unwrap() []error { return []error{ErrInterrupted, e.Cause} }
