package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/quic"
	"github.com/keepalive-sim/keepalive/sim"
)

// QUICConfig is the QUIC transport of HTTP/3 (RFC 9000, 9001, 9002):
// which implementation's choices it makes, its datagram size, the
// server's certificate chain, its idle timeout and flow-control limits.
type QUICConfig struct {
	// Profile is whose departures from RFC 9002 it takes: "quic-go" (the
	// default: quic-go v0.65.0, the testbed's real QUIC) or "rfc9002".
	Profile string
	// MaxDatagram is the UDP payload of a full-sized datagram, 1,200 to
	// 1,472 bytes (RFC 9000 §14: at least 1,200; 1,472 fills a 1,500-byte
	// Ethernet MTU under IPv4 and UDP); quic-go sends 1,280 before path
	// MTU discovery (its protocol.InitialPacketSize).
	MaxDatagram int
	// CertificateBytes is the DER size of the server's certificate chain,
	// which its Handshake flight carries: a large one can exceed the
	// anti-amplification limit (RFC 9000 §8.1) and cost a round trip.
	CertificateBytes int
	// IdleTimeout is max_idle_timeout (RFC 9000 §10.1), both ends': a
	// connection with nothing sent or received for so long is closed
	// silently. quic-go's default is 30 s.
	IdleTimeout sim.Time
	// StreamWindow and ConnWindow are the receive windows each end
	// starts with (initial_max_stream_data_bidi_*, initial_max_data,
	// RFC 9000 §18.2), in bytes or Unlimited; auto-tuning may grow them
	// to MaxStreamWindow and MaxConnWindow.
	StreamWindow, ConnWindow       int
	MaxStreamWindow, MaxConnWindow int
	// InitialWindow is the initial congestion window in full-sized
	// packets; 0 takes the profile's (RFC 9002 §7.2's, or quic-go's 32),
	// and in ideal mode an unlimited one, as ideal TCP's.
	InitialWindow int
	// Congestion is the controller: "newreno" (RFC 9002 §7, quic-go's
	// default) or "cubic" (quic-go's CUBIC, RFC 9438).
	Congestion string
	// Discovery is how the browser learns the origin speaks HTTP/3:
	// DiscoverDirect, it knows already (an HTTPS DNS record, RFC 9460, or
	// an Alt-Svc it remembers); DiscoverAltSvc, its first connection is
	// HTTP/2 over TCP and TLS, whose responses announce HTTP/3 in Alt-Svc
	// (RFC 7838), and later connections are HTTP/3, as Chrome and
	// Firefox do on a first visit.
	Discovery string
	// MaxStreams is initial_max_streams_bidi: how many requests the
	// browser may have open at once (RFC 9000 §4.6).
	MaxStreams int
}

// The values of QUICConfig.Discovery.
const (
	DiscoverDirect = "direct"
	DiscoverAltSvc = "alt-svc"
)

// DefaultQUIC is quic-go v0.65.0's configuration (its config.go and
// internal/protocol/params.go): 512 KiB stream and 768 KiB connection
// windows auto-tuned up to 6 MiB and 15 MiB, 100 bidirectional streams,
// a 30 s idle timeout; and a certificate chain of the size the TCP
// model's TLS flights carry (tls.go): an ECDSA P-256 leaf and its CA.
func DefaultQUIC() QUICConfig {
	return QUICConfig{
		Profile:          "quic-go",
		Congestion:       "newreno",
		Discovery:        DiscoverDirect,
		MaxDatagram:      1280,
		CertificateBytes: quicDefaultChain,
		IdleTimeout:      30 * sim.Second,
		StreamWindow:     512 << 10, ConnWindow: 768 << 10,
		MaxStreamWindow: 6 << 20, MaxConnWindow: 15 << 20,
		MaxStreams: 100,
	}
}

// profile is the named profile, with MaxDatagram applied.
func (c *QUICConfig) profile() quic.Profile {
	p := quic.QuicGo()
	if c.Profile == "rfc9002" {
		p = quic.RFC9002()
	}
	p.MaxDatagramSize = c.MaxDatagram
	if c.InitialWindow > 0 {
		p.InitialWindowPackets = c.InitialWindow
	}
	return p
}

// InitialPackets is the initial congestion window in full-sized
// packets, rounded down (RFC 9002 §7.2's is in bytes); Unlimited in
// ideal mode unless InitialWindow is set.
func (c *QUICConfig) InitialPackets(ideal bool) int {
	if ideal && c.InitialWindow == 0 {
		return Unlimited
	}
	p := c.profile()
	return p.InitialWindow() / p.MaxDatagramSize
}

// Validate reports the first field out of range.
func (c *QUICConfig) Validate() error {
	window := func(field string, v int) error {
		if v == Unlimited || v > 0 && v <= maxWindowBytes {
			return nil
		}
		return &ConfigError{Field: field, Value: fmt.Sprint(v), Allowed: "1 to 1024GiB, or unlimited"}
	}
	switch {
	case c.Profile != "quic-go" && c.Profile != "rfc9002":
		return &ConfigError{Field: "quic.profile", Value: fmt.Sprintf("%q", c.Profile), Allowed: "quic-go or rfc9002"}
	case c.Congestion != "newreno" && c.Congestion != "cubic":
		return &ConfigError{Field: "quic.congestion", Value: fmt.Sprintf("%q", c.Congestion), Allowed: "newreno or cubic"}
	case c.Discovery != DiscoverDirect && c.Discovery != DiscoverAltSvc:
		return &ConfigError{Field: "quic.discovery", Value: fmt.Sprintf("%q", c.Discovery), Allowed: "direct or alt-svc"}
	case c.MaxDatagram < quic.MinInitialDatagram || c.MaxDatagram > 1472:
		return &ConfigError{Field: "quic.max_datagram", Value: fmt.Sprint(c.MaxDatagram), Allowed: "1200 to 1472 bytes"}
	case c.CertificateBytes < 0 || c.CertificateBytes > 1<<20:
		return &ConfigError{Field: "quic.certificate", Value: fmt.Sprint(c.CertificateBytes), Allowed: "0 to 1MiB"}
	case c.IdleTimeout < 0:
		return &ConfigError{Field: "quic.idle_timeout", Value: c.IdleTimeout.String(), Allowed: "0 (none) or a positive duration"}
	case c.InitialWindow < 0 || c.InitialWindow > MaxWindowSegments:
		return &ConfigError{Field: "quic.initial_window", Value: fmt.Sprint(c.InitialWindow), Allowed: fmt.Sprintf("0 (the profile's) to %d packets", MaxWindowSegments)}
	case c.MaxStreams != Unlimited && (c.MaxStreams < 1 || c.MaxStreams > 1<<31-1):
		return &ConfigError{Field: "quic.max_streams", Value: fmt.Sprint(c.MaxStreams), Allowed: "1 to 2147483647 streams, or unlimited"}
	}
	for _, w := range []struct {
		field string
		v     int
	}{{"quic.stream_window", c.StreamWindow}, {"quic.conn_window", c.ConnWindow}, {"quic.max_stream_window", c.MaxStreamWindow}, {"quic.max_conn_window", c.MaxConnWindow}} {
		if err := window(w.field, w.v); err != nil {
			return err
		}
	}
	return nil
}
