package quic

import "testing"

// TestProfiles: the two profiles' numbers, each from its source (RFC
// 9002 and RFC 9000; quic-go v0.65.0's constants, profile.go).
func TestProfiles(t *testing.T) {
	rfc, qg := RFC9002(), QuicGo()
	for _, tc := range []struct {
		name      string
		got, want int64
	}{
		{"rfc9002 initial window", int64(rfc.InitialWindow()), 12000}, // min(10·1200, max(14720, 2400))
		{"quic-go initial window", int64(qg.InitialWindow()), 40960},  // 32 · 1280
		{"rfc9002 first PTO", int64(rfc.FirstPTO()), int64(999 * ms)}, // 333 + 4 · 166.5
		{"quic-go first PTO", int64(qg.FirstPTO()), int64(200 * ms)},  // 2 · 100 ms
		{"rfc9002 packet number of 5", int64(rfc.PacketNumberLen(5, 0, false)), 1},
		{"quic-go packet number of 5", int64(qg.PacketNumberLen(5, 0, false)), 2},
		{"quic-go packet number past 2^15 unacknowledged", int64(qg.PacketNumberLen(1<<15+1, 0, true)), 3},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %d, want %d", tc.name, tc.got, tc.want)
		}
	}
}
