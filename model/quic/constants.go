package quic

import "github.com/keepalive-sim/keepalive/sim"

// The constants of RFC 9002 at their recommended values.
const (
	// PacketThreshold is kPacketThreshold: a packet is lost once a packet
	// sent this many packets after it is acknowledged (RFC 9002 §6.1.1,
	// "based on best practices for TCP loss detection").
	PacketThreshold = 3
	// TimeThresholdNum / TimeThresholdDen is kTimeThreshold, 9/8: a
	// packet is lost once a later one is acknowledged and it was sent
	// 9/8 of a round trip ago (RFC 9002 §6.1.2; TCP's RACK uses 5/4).
	TimeThresholdNum, TimeThresholdDen = 9, 8
	// Granularity is kGranularity, the timer granularity: no loss delay
	// or probe timeout is shorter (RFC 9002 §6.1.2).
	Granularity = 1 * sim.Millisecond
	// InitialRTT is kInitialRtt, the RTT assumed before the first sample
	// (RFC 9002 §6.2.2: "This results in handshakes starting with a PTO
	// of 1 second", as TCP's initial RTO, RFC 6298 §2).
	InitialRTT = 333 * sim.Millisecond
	// PersistentCongestionThreshold is kPersistentCongestionThreshold:
	// losses spanning this many PTO periods are persistent congestion
	// (RFC 9002 §7.6.1, "approximately equivalent to a TCP sender
	// declaring an RTO after two TLPs").
	PersistentCongestionThreshold = 3
	// LossReductionNum / LossReductionDen is kLossReductionFactor, 1/2:
	// a congestion event halves the window (RFC 9002 §7.3.2, B.1).
	LossReductionNum, LossReductionDen = 1, 2
)

// The transport's limits (RFC 9000).
const (
	// DefaultMaxAckDelay is the max_ack_delay transport parameter's
	// default: a receiver delays an acknowledgment at most 25 ms
	// (RFC 9000 §18.2).
	DefaultMaxAckDelay = 25 * sim.Millisecond
	// MinInitialDatagram is the size a client pads every datagram that
	// carries an Initial packet to, at least (RFC 9000 §14.1), and the
	// smallest max_datagram_size (RFC 9002 B.2).
	MinInitialDatagram = 1200
	// AmplificationFactor bounds what a server sends before it has
	// validated the client's address: three times what it received
	// (RFC 9000 §8.1).
	AmplificationFactor = 3
	// AckElicitingThreshold is how many ack-eliciting packets a receiver
	// takes before it acknowledges at once: every second one (RFC 9000
	// §13.2.2).
	AckElicitingThreshold = 2
)

// InitialWindow is the congestion window a connection starts with: ten
// datagrams, limited to the larger of 14,720 bytes and two datagrams
// (RFC 9002 §7.2, RFC 6928's analysis with UDP's smaller overhead).
func InitialWindow(maxDatagramSize int) int {
	return min(10*maxDatagramSize, max(14720, 2*maxDatagramSize))
}

// MinimumWindow is kMinimumWindow, the smallest window loss or
// persistent congestion reduces it to: two datagrams (RFC 9002 §7.2).
func MinimumWindow(maxDatagramSize int) int { return 2 * maxDatagramSize }

// AmplificationBudget is how many more bytes a server that has not
// validated the client's address may send, having received received
// bytes and sent sent (RFC 9000 §8.1); 0 when it is at the limit.
func AmplificationBudget(received, sent int) int {
	return max(AmplificationFactor*received-sent, 0)
}

// PaddedInitial is the size of a client's datagram carrying an Initial
// packet of n bytes: padded to MinInitialDatagram (RFC 9000 §14.1).
func PaddedInitial(n int) int { return max(n, MinInitialDatagram) }
