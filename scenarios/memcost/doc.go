// Package memcost measures, on the machine it runs on, how much memory
// Go's net/http server holds per connection: an idle HTTP/1.1
// connection over TCP, one over TLS 1.3, an idle HTTP/2 connection, and
// each HTTP/2 stream whose handler is running. The simulator's server
// memory sizes (model.ServerMemory) take the Go side from such figures,
// recorded with the machine and Go version in docs/lifecycle.md ("What
// connections cost the server"); "go test ./scenarios/memcost -run
// TestPrintMemory -v" measures them again. The kernel's side (the
// socket, its file and epoll entry, TIME-WAIT) is the kernel's slab
// object sizes, which this package does not measure.
//
// The clients run in a child process (the test binary run again), so
// that what the server's process holds is the server's alone: the heap
// in use and the goroutine stacks after a collection, before and after
// the connections open, divided by their number.
package memcost
