// Package testbed loads a scenario's page with real software over an
// emulated link on this machine, so that the simulator can be measured
// against the real thing: Linux's TCP, Go's net/http and
// golang.org/x/net/http2 servers, a client that follows the simulated
// browser's rules, and a user-space link emulator with the scenario's
// round-trip time, rate, drop-tail buffer and loss.
//
// # The set-up
//
// Two network namespaces, a client and a server, each hold one TUN device;
// one emulator process reads the IP packets one side sends and writes
// them to the other after a FIFO drop-tail queue, serialization at the
// configured rate and a constant one-way delay of RTT/2 in each
// direction (Bernoulli loss from a seed is optional). Addresses come from
// 198.18.0.0/15 (RFC 2544's benchmarking range) and exist only inside the
// namespaces; there is no route out of them, so nothing else on the
// machine is ever contacted. Namespaces, devices and processes are
// removed when a run ends, fails or is interrupted.
//
// Each load runs a fresh client process in the client namespace after the
// kernel's cached TCP metrics were flushed (tcp_no_metrics_save is set
// too), so that no load inherits the previous one's congestion window.
// Congestion control (CUBIC, on the route between the two ends, since the
// host may default to BBR), the initial window and the other settings
// that decide the result are set per namespace and recorded with it.
//
// The package needs Linux, root (CAP_NET_ADMIN, CAP_SYS_ADMIN) and
// /dev/net/tun; [Check] says what is missing.
package testbed
