// Command keepalive simulates loading a web page over HTTP/1.0,
// HTTP/1.1 keep-alive, HTTP/1.1 pipelining and HTTP/2, and reports how
// long each took and what it cost on the wire.
//
// Run "keepalive --help" for the commands and their flags.
package main

import (
	"os"

	"github.com/keepalive-sim/keepalive/cmd/keepalive/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr))
}
