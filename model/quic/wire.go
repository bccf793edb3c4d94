package quic

import "github.com/keepalive-sim/keepalive/sim"

// The sizes of QUIC's packets and frames on the wire (RFC 9000 §12-§19,
// RFC 9001 §5), which the model charges: QUIC sends no byte it does not
// size this way.

const (
	// UDPIPv4Header is a datagram's IPv4 (20) and UDP (8) headers.
	UDPIPv4Header = 28
	// AEADTag is the authentication tag each protected packet carries:
	// 16 bytes for AEAD_AES_128_GCM, the cipher suite every QUIC
	// endpoint supports (RFC 9001 §5.3, RFC 8446 §9.1).
	AEADTag = 16
	// MinSampled is the fewest bytes of packet number and payload a
	// packet may have before its tag: the header protection sample is
	// taken 4 bytes after the packet number starts (RFC 9001 §5.4.2),
	// so a shorter packet is padded.
	MinSampled = 4
	// DefaultAckDelayExponent scales the ACK Delay field: the delay in
	// microseconds is divided by 2^3 (RFC 9000 §18.2).
	DefaultAckDelayExponent = 3
	// MaxVarint is the largest variable-length integer, 2^62 − 1
	// (RFC 9000 §16).
	MaxVarint = 1<<62 - 1
)

// VarintLen is the length of v as a variable-length integer: 1, 2, 4 or
// 8 bytes for values below 2^6, 2^14, 2^30 and 2^62 (RFC 9000 §16).
func VarintLen(v uint64) int {
	switch {
	case v < 1<<6:
		return 1
	case v < 1<<14:
		return 2
	case v < 1<<30:
		return 4
	}
	return 8
}

// PacketNumberLen is how many bytes a packet numbered pn is sent with,
// its peer having acknowledged up to largestAcked (acked false: none
// yet): at least log2(unacknowledged) + 1 bits, the packets not yet
// acknowledged counting this one, so that twice their range fits (RFC
// 9000 §17.1, A.2); that is the fewest bytes b with unacknowledged ≤
// 2^(8b−1), from 1 to 4.
func PacketNumberLen(pn, largestAcked uint64, acked bool) int {
	unacked := pn + 1
	if acked {
		unacked = pn - largestAcked
	}
	b := 1
	for b < 4 && unacked > 1<<(8*b-1) {
		b++
	}
	return b
}

// Space is a packet number space (RFC 9000 §12.3), and the packet type
// whose header a packet of it has.
type Space uint8

const (
	Initial         Space = iota // Initial packets: long header with a token
	Handshake                    // Handshake packets: long header
	ApplicationData              // 1-RTT packets (short header); 0-RTT share the space, with long headers
)

// LongHeader is the header of an Initial, 0-RTT or Handshake packet
// before its packet number: the first byte, the version, both
// connection IDs with their lengths, an Initial's token with its length,
// and the Length field, which counts the packet number and the
// protected payload, tag included (RFC 9000 §17.2, §17.2.2).
func LongHeader(initial bool, dcid, scid, token, pnLen, payload int) int {
	n := 1 + 4 + 1 + dcid + 1 + scid
	if initial {
		n += VarintLen(uint64(token)) + token
	}
	return n + VarintLen(uint64(pnLen+payload+AEADTag))
}

// ShortHeader is a 1-RTT packet's header before its packet number: the
// first byte and the destination connection ID (RFC 9000 §17.3.1).
func ShortHeader(dcid int) int { return 1 + dcid }

// PacketSize is the bytes of a protected packet: its header, packet
// number, payload (frames, padded to MinSampled with the packet number)
// and tag. header is LongHeader's or ShortHeader's.
func PacketSize(header, pnLen, payload int) int {
	return header + max(pnLen+payload, MinSampled) + AEADTag
}

// The frames' sizes (RFC 9000 §19). Each starts with its type, a
// variable-length integer of one byte for every type here.

// PaddingFrames is n PADDING frames: n bytes (§19.1).
func PaddingFrames(n int) int { return n }

// PingFrame and HandshakeDoneFrame are their type byte alone (§19.2,
// §19.20).
const PingFrame, HandshakeDoneFrame = 1, 1

// AckRange is a run of acknowledged packet numbers, Smallest to Largest.
type AckRange struct{ Largest, Smallest uint64 }

// AckFrame is an ACK frame acknowledging ranges (in descending order,
// the first holding the largest acknowledged packet) with ackDelay, the
// ACK Delay field's value (AckDelayField), without ECN counts (§19.3):
// the first range as its length less one, then each other as the gap
// before it and its length, both less one.
func AckFrame(ranges []AckRange, ackDelay uint64) int {
	if len(ranges) == 0 {
		return 0
	}
	first := ranges[0]
	n := 1 + VarintLen(first.Largest) + VarintLen(ackDelay) + VarintLen(uint64(len(ranges)-1)) + VarintLen(first.Largest-first.Smallest)
	prev := first.Smallest
	for _, r := range ranges[1:] {
		gap := prev - r.Largest - 2 // §19.3.1: unacknowledged packets, less one
		n += VarintLen(gap) + VarintLen(r.Largest-r.Smallest)
		prev = r.Smallest
	}
	return n
}

// AckDelayField is the ACK Delay field for a delay: microseconds, divided
// by 2^exponent (§19.3, §18.2's ack_delay_exponent).
func AckDelayField(delay sim.Time, exponent int) uint64 {
	return uint64(delay/sim.Microsecond) >> exponent
}

// CryptoFrame carries n bytes of the TLS handshake at offset (§19.6).
func CryptoFrame(offset uint64, n int) int {
	return 1 + VarintLen(offset) + VarintLen(uint64(n)) + n
}

// StreamFrame carries n bytes of stream id at offset, with its Offset
// field unless offset is 0 and its Length field unless it is the
// packet's last frame, which runs to the packet's end (§19.8).
func StreamFrame(id, offset uint64, n int, last bool) int {
	size := 1 + VarintLen(id) + n
	if offset > 0 {
		size += VarintLen(offset)
	}
	if !last {
		size += VarintLen(uint64(n))
	}
	return size
}

// MaxDataFrame, MaxStreamDataFrame and MaxStreamsFrame raise the peer's
// connection, stream and stream-count limits (§19.9, §19.10, §19.11).
func MaxDataFrame(max uint64) int           { return 1 + VarintLen(max) }
func MaxStreamDataFrame(id, max uint64) int { return 1 + VarintLen(id) + VarintLen(max) }
func MaxStreamsFrame(max uint64) int        { return 1 + VarintLen(max) }

// ConnectionCloseFrame closes the connection with a reason of n bytes:
// the transport's kind (0x1c) names the frame type that caused it, the
// application's (0x1d) does not (§19.19).
func ConnectionCloseFrame(transport bool, code, frameType uint64, reason int) int {
	n := 1 + VarintLen(code) + VarintLen(uint64(reason)) + reason
	if transport {
		n += VarintLen(frameType)
	}
	return n
}
