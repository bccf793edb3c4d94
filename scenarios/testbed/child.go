//go:build linux

package testbed

import (
	"fmt"
	"os"
)

// ChildMain runs the testbed's hidden commands, which the bed starts as
// processes of the same binary (the keepalive command, or a test binary):
// it reports whether args named one, and the exit status.
func ChildMain(args []string) (handled bool, status int) {
	if len(args) == 0 {
		return false, 0
	}
	var err error
	switch args[0] {
	case LinkCommand:
		if len(args) != 2 {
			err = fmt.Errorf("testbed: %s takes one argument", LinkCommand)
			break
		}
		err = LinkMain(args[1], os.Stdin, os.Stdout)
	case ProbeCommand:
		err = ProbeMain(args[1:], os.Stdout)
	case IdleCommand:
		err = IdleMain()
	case ServerCommand, ClientCommand:
		if len(args) != 2 {
			err = fmt.Errorf("testbed: %s takes one argument", args[0])
			break
		}
		if args[0] == ServerCommand {
			err = ServerMain(args[1], os.Stdout)
		} else {
			err = ClientMain(args[1], os.Stdout)
		}
	default:
		return false, 0
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return true, 1
	}
	return true, 0
}
