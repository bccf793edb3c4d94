package quic

import "github.com/keepalive-sim/keepalive/sim"

// Profile is the parameters in which a QUIC implementation departs from
// RFC 9002's recommendations. As for TCP, where Linux and an RFC differ,
// the realistic default is to follow the implementation the testbed runs
// (quic-go) and to keep the RFC's behaviour as a named profile.
type Profile struct {
	Name string
	// InitialRTT is the RTT assumed before the first sample.
	InitialRTT sim.Time
	// InitialPTO, if not 0, is the probe timeout before the first sample
	// instead of RFC 9002 §6.2.1's formula on InitialRTT.
	InitialPTO sim.Time
	// MaxDatagramSize is the datagram size before path MTU discovery.
	MaxDatagramSize int
	// InitialWindowPackets, if not 0, is the initial congestion window
	// in datagrams instead of RFC 9002 §7.2's formula.
	InitialWindowPackets int
	// MinPacketNumberLen is the fewest bytes a packet number is sent
	// with (RFC 9000 A.2 allows 1).
	MinPacketNumberLen int
	// ConnectionIDLen is the length of the connection IDs an endpoint
	// chooses (RFC 9000 §5.1 leaves it to the endpoint, up to 20).
	ConnectionIDLen int
	// ReductionNum / ReductionDen is the window kept after a loss; 0:
	// RFC 9002's 1/2.
	ReductionNum, ReductionDen int
	// Pacing: the sender paces its packets with quic-go's token bucket
	// (Pacer); without it, it sends what the window allows at once, as
	// RFC 9002 §7.7 permits though it recommends pacing.
	Pacing bool
	// HyStart: slow start may end before a loss, when the round trip
	// grows (HyStart, quic-go's hybrid slow start).
	HyStart bool
	// NoPersistentCongestion: no collapse of the window on persistent
	// congestion (RFC 9002 §7.6), which quic-go does not implement.
	NoPersistentCongestion bool
}

// RFC9002 is the RFCs' recommendations: kInitialRtt 333 ms (§6.2.2),
// the initial window of §7.2 on the smallest datagram every path carries
// (1,200 bytes, RFC 9000 §14.1), packet numbers as short as A.2 allows,
// and 8-byte connection IDs, the length RFC 9000 §7.2 has a client's
// first Destination Connection ID be at least.
func RFC9002() Profile {
	return Profile{Name: "rfc9002", InitialRTT: InitialRTT, MaxDatagramSize: MinInitialDatagram, MinPacketNumberLen: 1, ConnectionIDLen: 8}
}

// QuicGo is quic-go v0.65.0's choices, from its source: an initial RTT
// of 100 ms and a PTO of twice that before the first sample
// (internal/utils/rtt_stats.go: DefaultInitialRTT, PTO); 1,280-byte
// datagrams before path MTU discovery (internal/protocol/params.go:
// InitialPacketSize); an initial window of 32 datagrams
// (internal/congestion/cubic_sender.go: initialCongestionWindow; NewReno
// by default, sent_packet_handler.go); packet numbers of at least 2
// bytes (internal/protocol/packet_number.go: PacketNumberLengthForHeader
// "never chooses a PacketNumberLen of 1 byte"); 4-byte connection IDs
// (params.go: DefaultConnectionIDLength); a loss keeps 0.7 of the
// window, not half (cubic_sender.go: renoBeta, which its Reno mode
// shares with Chromium's); pacing (pacer.go, sent_packet_handler.go:
// SendPacingLimited); hybrid slow start (hybrid_slow_start.go); no
// response to persistent congestion (its sent_packet_handler.go has
// none, and cubicSender.OnRetransmissionTimeout is never called).
func QuicGo() Profile {
	return Profile{Name: "quic-go", InitialRTT: 100 * sim.Millisecond, InitialPTO: 200 * sim.Millisecond,
		MaxDatagramSize: 1280, InitialWindowPackets: 32, MinPacketNumberLen: 2, ConnectionIDLen: 4,
		ReductionNum: 7, ReductionDen: 10, Pacing: true, HyStart: true, NoPersistentCongestion: true}
}

// InitialWindow is the profile's initial congestion window in bytes.
func (p Profile) InitialWindow() int {
	if p.InitialWindowPackets > 0 {
		return p.InitialWindowPackets * p.MaxDatagramSize
	}
	return InitialWindow(p.MaxDatagramSize)
}

// FirstPTO is the probe timeout before any RTT sample, without backoff
// or ack delay (the Initial and Handshake spaces).
func (p Profile) FirstPTO() sim.Time {
	if p.InitialPTO > 0 {
		return p.InitialPTO
	}
	r := NewRTT(p.InitialRTT)
	return r.PTO(0, false, 0)
}

// PacketNumberLen is PacketNumberLen, no shorter than the profile's
// minimum. (quic-go's bounds are strict, fewer than 2^15 unacknowledged
// packets for 2 bytes, where A.2's allow exactly 2^15: the two differ at
// 2^15 and 2^23 unacknowledged packets, which this does not model.)
func (p Profile) PacketNumberLen(pn, largestAcked uint64, acked bool) int {
	return max(PacketNumberLen(pn, largestAcked, acked), p.MinPacketNumberLen)
}
