package quic

import (
	"testing"

	"github.com/keepalive-sim/keepalive/sim"
)

// TestVarintLen: RFC 9000 A.1's examples (0x25, 0x7bbd, 0x9d7f3e7d,
// 0xc2197c5eff14e88c) and §16's boundaries.
func TestVarintLen(t *testing.T) {
	for _, tc := range []struct {
		v   uint64
		len int
	}{
		{37, 1}, {15293, 2}, {494878333, 4}, {151288809941952652, 8},
		{63, 1}, {64, 2}, {16383, 2}, {16384, 4}, {1<<30 - 1, 4}, {1 << 30, 8}, {MaxVarint, 8},
	} {
		if got := VarintLen(tc.v); got != tc.len {
			t.Errorf("VarintLen(%d) = %d, want %d", tc.v, got, tc.len)
		}
	}
}

// TestPacketNumberLen: RFC 9000 §17.1's example (acknowledged 0xabe8b3,
// sending 0xac5c02: 29,519 outstanding, 16 bits) and A.2's rule at its
// edges: 128 unacknowledged fit one byte (log2 128 + 1 = 8 bits), 129
// do not.
func TestPacketNumberLen(t *testing.T) {
	for _, tc := range []struct {
		pn, largest uint64
		acked       bool
		want        int
	}{
		{0xac5c02, 0xabe8b3, true, 2},
		{0, 0, false, 1},
		{127, 0, false, 1}, // 128 unacknowledged
		{128, 0, false, 2}, // 129
		{1000, 872, true, 1},
		{1000, 871, true, 2},
		{1 << 30, 0, true, 4},
		{1 << 40, 0, true, 4}, // never more than 4
	} {
		if got := PacketNumberLen(tc.pn, tc.largest, tc.acked); got != tc.want {
			t.Errorf("PacketNumberLen(%#x, %#x, %v) = %d, want %d", tc.pn, tc.largest, tc.acked, got, tc.want)
		}
	}
}

// TestPacketSizes: a client's first Initial (8-byte connection IDs, no
// token, packet number 0 in one byte, a 280-byte ClientHello in a
// CRYPTO frame) and a 1-RTT packet's short header, counted field by
// field from RFC 9000 §17.2.2 and §17.3.1.
func TestPacketSizes(t *testing.T) {
	crypto := CryptoFrame(0, 280) // type, offset 0, length 280 (2 bytes), data
	if crypto != 1+1+2+280 {
		t.Fatalf("CRYPTO frame %d", crypto)
	}
	// First byte, version, DCID length and 8, SCID length and 8, token
	// length 0, Length (1 + 284 + 16 = 301: 2 bytes).
	h := LongHeader(true, 8, 8, 0, 1, crypto)
	if h != 1+4+1+8+1+8+1+2 {
		t.Errorf("Initial header %d, want 26", h)
	}
	if got := PacketSize(h, 1, crypto); got != 26+1+284+16 {
		t.Errorf("Initial packet %d, want 327", got)
	}
	// Padded to 1,200 bytes, as every client Initial datagram (§14.1).
	if PaddedInitial(PacketSize(h, 1, crypto)) != 1200 {
		t.Error("the Initial is not padded to 1200")
	}
	if LongHeader(false, 8, 8, 0, 2, 50) != 1+4+1+8+1+8+2 { // Length 2+50+16 = 68: 2 bytes
		t.Errorf("a Handshake header has no token: %d", LongHeader(false, 8, 8, 0, 2, 50))
	}
	if got := PacketSize(ShortHeader(8), 1, 1); got != 1+8+4+16 {
		t.Errorf("a 1-RTT packet of one PING: %d, want 29 (padded to the 4 bytes header protection samples after)", got)
	}
}

// TestFrameSizes: RFC 9000 §19's frames field by field.
func TestFrameSizes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want int
	}{
		// Largest 100, delay 25 ms (3125 after the exponent: 2 bytes),
		// no other range, first range 0..100.
		{"ACK of 0-100", AckFrame([]AckRange{{100, 0}}, AckDelayField(25*sim.Millisecond, DefaultAckDelayExponent)), 1 + 2 + 2 + 1 + 2},
		// 90-100 and 50-80: gap 80+2 → 90 is 90-80-2 = 8.
		{"ACK of two ranges", AckFrame([]AckRange{{100, 90}, {80, 50}}, 0), 1 + 2 + 1 + 1 + 1 + 1 + 1},
		{"ACK of nothing", AckFrame(nil, 0), 0},
		{"STREAM 0 from 0, last", StreamFrame(0, 0, 1000, true), 1 + 1 + 1000},
		{"STREAM 4 at 5000, with length", StreamFrame(4, 5000, 1000, false), 1 + 1 + 2 + 2 + 1000},
		{"MAX_DATA 1 MiB", MaxDataFrame(1 << 20), 1 + 4},
		{"MAX_STREAM_DATA", MaxStreamDataFrame(8, 1<<20), 1 + 1 + 4},
		{"MAX_STREAMS 100", MaxStreamsFrame(100), 1 + 2},
		{"CONNECTION_CLOSE, no error, transport", ConnectionCloseFrame(true, 0, 0, 0), 1 + 1 + 1 + 1},
		{"CONNECTION_CLOSE, application, 10-byte reason", ConnectionCloseFrame(false, 0x100, 0, 10), 1 + 2 + 1 + 10},
		{"PING", PingFrame, 1}, {"HANDSHAKE_DONE", HandshakeDoneFrame, 1}, {"PADDING 30", PaddingFrames(30), 30},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %d bytes, want %d", tc.name, tc.got, tc.want)
		}
	}
	if AckDelayField(25*sim.Millisecond, 3) != 3125 {
		t.Errorf("25ms as an ACK Delay: %d, want 25000µs / 8 = 3125", AckDelayField(25*sim.Millisecond, 3))
	}
}
