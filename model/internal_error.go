package model

import (
	"fmt"
	"runtime/debug"
)

// InternalError is a bug in keepalive, not in its input: a run that
// panicked. [Run] turns the panic into this error so that a sweep can
// report which run failed, and the command can give it an exit status of
// its own rather than the Go runtime's 2, which means bad input here.
type InternalError struct {
	Panic any    // the value the run panicked with
	Stack []byte // the goroutine's stack at the panic
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error, a bug in keepalive (please report it with the command line): %v", e.Panic)
}

// recoverRun, deferred in Run, turns a panic into an *InternalError.
func recoverRun(err *error) {
	if p := recover(); p != nil {
		*err = &InternalError{Panic: p, Stack: debug.Stack()}
	}
}
