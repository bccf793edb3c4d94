package units

import (
	"errors"
)

// ErrSyntax is wrapped by errors for text that is not a quantity: a
// malformed number, a missing or unknown unit.
var ErrSyntax = errors.New("invalid syntax")

// ErrRange is wrapped by errors for quantities that parse but are not
// allowed: negative, zero where a positive value is needed, too large, or
// not a whole number of the base unit.
var ErrRange = errors.New("value out of range")

// inputError quotes the input, says what is wrong with it and unwraps to
// ErrSyntax or ErrRange.
type inputError struct {
	input string
	msg   string
	kind  error
}

func (e *inputError) Error() string { return Quote(e.input) + ": " + e.msg }

func (e *inputError) Unwrap() error { return e.kind }

func syntaxError(input, msg string) error { return &inputError{input, msg, ErrSyntax} }

func rangeError(input, msg string) error { return &inputError{input, msg, ErrRange} }
