package trace

import (
	"fmt"
	"strings"
)

// Protocol is how a run's browser fetched its page, as a saved trace's
// run header names it and the UI explains it. The model has its own
// Protocol and names it with this one, so that the two cannot disagree.
type Protocol uint8

// The protocols. NoProtocol is a trace that does not say (bare records,
// without a run header).
const (
	NoProtocol      Protocol = iota
	HTTP10                   // a connection per request (RFC 1945)
	HTTP11                   // persistent connections, one request at a time (RFC 9112 §9.3)
	HTTP11Pipelined          // several requests in flight on a connection (RFC 9112 §9.3.2)
	HTTP2                    // every request a stream of one connection (RFC 9113)
	HTTP3                    // every request a stream of one QUIC connection (RFC 9114)
)

var protocolNames = [...]string{
	HTTP10: "http1.0", HTTP11: "http1.1", HTTP11Pipelined: "http1.1-pipelined", HTTP2: "http2", HTTP3: "http3",
}

// String is the protocol's name on the command line and in traces:
// "http1.0", "http1.1", "http1.1-pipelined", "http2", "http3"; "" for
// NoProtocol.
func (p Protocol) String() string {
	if int(p) < len(protocolNames) {
		return protocolNames[p]
	}
	return fmt.Sprintf("protocol(%d)", uint8(p))
}

// ParseProtocol reads a name as String writes it; "" is NoProtocol.
func ParseProtocol(s string) (Protocol, error) {
	for p, n := range protocolNames {
		if n == s {
			return Protocol(p), nil
		}
	}
	return NoProtocol, fmt.Errorf("unknown protocol %q (allowed: %s)", s, strings.Join(protocolNames[1:], ", "))
}

// MarshalText writes the name, so a run header says "http2".
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a name, refusing one it does not know.
func (p *Protocol) UnmarshalText(b []byte) error {
	v, err := ParseProtocol(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
