package model

import (
	"errors"
	"fmt"
	"strings"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Protocol is how the browser fetches a page.
type Protocol uint8

// The ways to load a page.
const (
	// HTTP10 opens a connection per request; the server closes it after
	// the response (RFC 1945).
	HTTP10 Protocol = iota
	// HTTP11 keeps connections open and reuses idle ones, one request at a
	// time per connection (RFC 9112 §9.3).
	HTTP11
	// HTTP11Pipelined sends several requests on a connection without
	// waiting; responses come back in order (RFC 9112 §9.3.2).
	HTTP11Pipelined
	// HTTP2 multiplexes every request as a stream on one connection
	// (RFC 9113).
	HTTP2
	// HTTP3 multiplexes every request as a stream of one QUIC connection
	// (RFC 9114), each stream delivered on its own (RFC 9000 §2.2).
	HTTP3
)

// Protocols lists the protocols a comparison runs when none is chosen,
// in the order reports use: the four over TCP. HTTP/3 is chosen by name
// (--protocol http3) until the compare view has its fifth panel.
var Protocols = []Protocol{HTTP10, HTTP11, HTTP11Pipelined, HTTP2}

// AllProtocols is every protocol the model has, HTTP/3 last.
var AllProtocols = []Protocol{HTTP10, HTTP11, HTTP11Pipelined, HTTP2, HTTP3}

// traced names each protocol as traces and the UI do.
var traced = [...]trace.Protocol{HTTP10: trace.HTTP10, HTTP11: trace.HTTP11, HTTP11Pipelined: trace.HTTP11Pipelined, HTTP2: trace.HTTP2, HTTP3: trace.HTTP3}

var protocolNames = func() (names [len(traced)]string) {
	for p, t := range traced {
		names[p] = t.String()
	}
	return names
}()

// Traced is p as a saved trace's run header and the UI name it.
func (p Protocol) Traced() trace.Protocol { return traced[p] }

func (p Protocol) String() string { return protocolNames[p] }

// ErrUnknownProtocol is wrapped by ParseProtocol's errors.
var ErrUnknownProtocol = errors.New("unknown protocol")

// ParseProtocol parses a name as written on the command line.
func ParseProtocol(s string) (Protocol, error) {
	for i, n := range protocolNames {
		if strings.EqualFold(s, n) {
			return Protocol(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q (allowed: %s)", ErrUnknownProtocol, s, strings.Join(protocolNames[:], ", "))
}

// TLSVersion is the TLS version run on each connection, if any.
type TLSVersion uint8

// TLS versions.
const (
	NoTLS TLSVersion = iota
	TLS12            // full handshake: 2 round trips (RFC 5246)
	TLS13            // full handshake: 1 round trip (RFC 8446)
)

var tlsNames = [...]string{"none", "1.2", "1.3"}

func (v TLSVersion) String() string { return tlsNames[v] }

// traced is v as TLS records carry it (NoState for NoTLS, which has none).
func (v TLSVersion) traced() trace.State {
	switch v {
	case TLS12:
		return trace.TLS12
	case TLS13:
		return trace.TLS13
	}
	return trace.NoState
}

// ErrUnknownTLSVersion is wrapped by ParseTLS's errors.
var ErrUnknownTLSVersion = errors.New("unknown TLS version")

// ParseTLS parses "none", "1.2" or "1.3".
func ParseTLS(s string) (TLSVersion, error) {
	for i, n := range tlsNames {
		if s == n {
			return TLSVersion(i), nil
		}
	}
	return 0, fmt.Errorf("%w %q (allowed: none, 1.2, 1.3)", ErrUnknownTLSVersion, s)
}
