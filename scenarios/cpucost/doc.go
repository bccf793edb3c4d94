// Package cpucost measures, on the machine it runs on, what the work a
// web server does per connection costs its processor: a TCP accept, a
// TLS handshake of Go's crypto/tls as the server (full, by certificate
// key, and resumed, for TLS 1.2 and 1.3), and AES-128-GCM encryption per
// KiB. The simulator's default server costs (model.DefaultCPUCosts) are
// such figures, measured once and recorded with the machine and Go
// version in docs/lifecycle.md ("What connections cost the server");
// BenchmarkServerCPU and "go test -run TestPrintCosts -v" re-measure.
//
// What is measured is the server goroutine's own processor time, read
// from its thread's CPU clock (CLOCK_THREAD_CPUTIME_ID, clock_gettime(2))
// with the goroutine locked to the thread: the time its handshake takes
// waiting for the client, which runs in the same process, is not
// counted, and neither is the client's work. The median of several
// repetitions is kept, since the machine may be shared.
package cpucost
