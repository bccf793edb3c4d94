package model

import (
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// ServerKey is the kind of key the server's certificate holds: a full
// TLS handshake signs with it (RFC 8446 §4.4.3 CertificateVerify; RFC
// 5246 §7.4.3 ServerKeyExchange), the largest part of its cost.
type ServerKey uint8

// The keys the model knows the cost of.
const (
	ECDSAP256 ServerKey = iota // ECDSA on P-256: the testbed's certificates, most sites'
	RSA2048                    // RSA with a 2048-bit modulus
)

func (k ServerKey) String() string {
	if k == RSA2048 {
		return "rsa-2048"
	}
	return "ecdsa-p256"
}

// AutoCost, as a cost of [CPUCosts], is the figure measured on Go's
// crypto/tls and net (measured*; for a handshake, by the server's key and
// the TLS version), except in ideal mode, where it is zero: the
// textbook's server costs nothing unless a cost is set.
const AutoCost sim.Time = -1

// CPUCosts is the processor time a server spends on each kind of work,
// each a duration or AutoCost. The request's own is
// ServerConfig.Processing.
type CPUCosts struct {
	// Accept is one accept(2) of an established connection.
	Accept sim.Time
	// FullHandshake and ResumedHandshake are a TLS handshake's server
	// side.
	FullHandshake, ResumedHandshake sim.Time
	// EncryptPerKiB is the encryption of a response's TLS records, per
	// KiB of the response body.
	EncryptPerKiB sim.Time
}

// The figures measured by scenarios/cpucost (TestPrintCosts) with
// go1.26.8 on linux/amd64, an AMD EPYC virtual machine of 2 shared CPUs:
// the server goroutine's thread CPU time of Go's crypto/tls server over
// loopback TCP, the median of four runs' medians (one of 51
// repetitions, three of 201), rounded. docs/lifecycle.md ("What
// connections cost the server") records the four runs and says how to
// measure them again.
const (
	measuredAccept        = 18 * sim.Microsecond
	measuredEncryptPerKiB = 368 * sim.Nanosecond
)

// measuredFull is a full handshake's server CPU time.
func measuredFull(k ServerKey, v TLSVersion) sim.Time {
	switch {
	case k == RSA2048 && v == TLS12:
		return 2221 * sim.Microsecond
	case k == RSA2048:
		return 2357 * sim.Microsecond
	case v == TLS12:
		return 402 * sim.Microsecond
	}
	return 571 * sim.Microsecond
}

// measuredResumed is a resumed handshake's: TLS 1.3's keeps a key
// exchange (Go resumes with psk_dhe_ke, RFC 8446 §4.2.9), TLS 1.2's has
// none (RFC 5077 §3.1).
func measuredResumed(v TLSVersion) sim.Time {
	if v == TLS12 {
		return 121 * sim.Microsecond
	}
	return 473 * sim.Microsecond
}

// DefaultCPUCosts are the measured figures: every cost AutoCost.
func DefaultCPUCosts() CPUCosts {
	return CPUCosts{Accept: AutoCost, FullHandshake: AutoCost, ResumedHandshake: AutoCost, EncryptPerKiB: AutoCost}
}

// MeasuredCosts returns what AutoCost stands for outside ideal mode on
// a server with key k under TLS version v: the figures docs/lifecycle.md
// tabulates (TestLifecycleDocFacts checks the table against them).
func MeasuredCosts(k ServerKey, v TLSVersion) CPUCosts {
	return CPUCosts{Accept: measuredAccept, FullHandshake: measuredFull(k, v), ResumedHandshake: measuredResumed(v), EncryptPerKiB: measuredEncryptPerKiB}
}

// costs are a server's CPUCosts with AutoCost resolved for its mode.
type costs struct {
	CPUCosts
	key   ServerKey
	ideal bool
}

// pick is c, or measured when c is AutoCost (0 in ideal mode).
func (z costs) pick(c, measured sim.Time) sim.Time {
	switch {
	case c != AutoCost:
		return c
	case z.ideal:
		return 0
	}
	return measured
}

func (z costs) accept() sim.Time { return z.pick(z.Accept, measuredAccept) }

func (z costs) full(v TLSVersion) sim.Time {
	return z.pick(z.FullHandshake, measuredFull(z.key, v))
}

func (z costs) resumed(v TLSVersion) sim.Time {
	return z.pick(z.ResumedHandshake, measuredResumed(v))
}

// encrypt is the cost of encrypting n bytes, rounded up to the
// nanosecond.
func (z costs) encrypt(n int64) sim.Time {
	per := z.pick(z.EncryptPerKiB, measuredEncryptPerKiB)
	if per == 0 || n <= 0 {
		return 0
	}
	return sim.Time((int64(per)*n + 1023) / 1024)
}

// MaxCPUs bounds server.cpus.
const MaxCPUs = 1024

func (c CPUCosts) validate(field string) error {
	for _, f := range []struct {
		name string
		v    sim.Time
	}{{"accept_cpu", c.Accept}, {"handshake_cpu", c.FullHandshake}, {"resumed_cpu", c.ResumedHandshake}, {"encrypt_cpu", c.EncryptPerKiB}} {
		if f.v < 0 && f.v != AutoCost {
			return &ConfigError{Field: field + "." + f.name, Value: f.v.String(), Allowed: "a duration ≥ 0 or auto"}
		}
	}
	return nil
}

// cpu is a server's processor: cores that take work items first come,
// first served. An item holds a core for its cost, then its callback
// runs; one that costs nothing runs at once and is not recorded, so that
// a server whose costs are all zero (ideal mode) behaves exactly as one
// without a processor.
type cpu struct {
	sim   *sim.Simulator
	cores int
	busy  int
	queue fifo[work]
	// free are the finished items' slots, for the next ones: a slot's
	// callback is bound once, so a core taking an item allocates nothing
	// (issue 17: single-digit allocations per request).
	free []*running
}

// work is one item for a core: what it is (a trace CPU word), whose
// records it is stamped with, its cost and what follows it: then, or a
// step of s's (next), or, for a request's work (answer), the source
// preparing ex, then s's framing answering it.
type work struct {
	what    string
	s       *session
	res     int // the resource a request's work answers (its trace id), else 0
	cost    sim.Time
	then    func()
	next    sessionStep
	prepare responder
	ex      *exchange
}

// sessionStep is a step of a session's server half that follows a core's
// work, named rather than bound as a closure: one allocation less for
// every connection accepted and every TLS handshake.
type sessionStep uint8

const (
	stepThen     sessionStep = iota // call work.then
	stepAccepted                    // the worker's accept(2) is done (server.accept)
	stepTLS                         // the server's handshake work is done: it sends its flight
)

// running is the item a core is working on.
type running struct {
	c    *cpu
	w    work
	done func() // finish, bound once
}

// doWork runs w after its cost of a core's time, waiting first for a
// core if every one is busy. A request's work names its resource
// (w.res), so that the waterfall can show the request's wait for a core.
func (c *cpu) doWork(w work) {
	if w.cost <= 0 {
		w.run()
		return
	}
	w.s.record(trace.Record{Kind: trace.CPUQueued, Resource: w.res, Label: w.what})
	if c.cores == 0 || c.busy < c.cores {
		c.start(w)
		return
	}
	c.queue.push(w)
}

func (c *cpu) start(w work) {
	c.busy++
	w.s.record(trace.Record{Kind: trace.CPUStarted, Resource: w.res, Label: w.what})
	var r *running
	if n := len(c.free); n > 0 {
		r, c.free = c.free[n-1], c.free[:n-1]
	} else {
		r = &running{c: c}
		r.done = r.finish
	}
	r.w = w
	c.sim.After(w.cost, r.done)
}

// finish ends r's item: its core takes the next one waiting, then what
// follows the item runs.
func (r *running) finish() {
	c, w := r.c, r.w
	r.w = work{}
	c.free = append(c.free, r)
	w.s.record(trace.Record{Kind: trace.CPUDone, Resource: w.res, Label: w.what})
	c.busy--
	if c.queue.len() > 0 {
		c.start(c.queue.pop())
	}
	w.run()
}

// run is what follows w once a core has done it.
func (w *work) run() {
	switch {
	case w.prepare != nil:
		w.prepare.prepare(w.ex, w.s)
	case w.next == stepAccepted:
		w.s.acceptDone()
	case w.next == stepTLS:
		w.s.serverHandshaken()
	default:
		w.then()
	}
}
