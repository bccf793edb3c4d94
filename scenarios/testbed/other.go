//go:build !linux

package testbed

import (
	"context"
)

// Check says what the machine lacks for a testbed: here, Linux.
func Check() error {
	return &MissingError{What: []string{"Linux (network namespaces and TUN devices)"}}
}

// Run needs Linux.
func Run(context.Context, Options) (*Report, error) { return nil, Check() }

// ChildMain handles no command off Linux.
func ChildMain([]string) (bool, int) { return false, 0 }
