package model

import "testing"

// TestSizes checks each message's weight in both modes: ideal mode makes
// every head, request and handshake negligible and a body its bytes
// alone, with no first-write split; realistic sizes add heads and TLS
// record overhead (RFC 8446 §5.2: 5 header + 1 type + 16 tag bytes per
// record of up to 16,384 bytes), but not to handshake flights, which
// count their records already.
func TestSizes(t *testing.T) {
	res := &Resource{Path: "/a.js", Type: JS, Size: 20_000, Parent: 0}
	empty := &Resource{Path: "/e", Type: Other, Size: 0, Parent: 0}
	const tls13 = 5 + 1 + 16
	h1Head := h1ResponseBytes(res, "1.1", true)
	h1Req := h1RequestBytes("h", res, "1.1", true)
	withRecords := func(n int) int { return n + (n+16383)/16384*tls13 }
	type want struct {
		size, head, body, split int
		neg                     bool
	}
	for _, tc := range []struct {
		name  string
		write func(z sizes, m *message)
		ideal want
		real  want // with TLS 1.3
	}{
		{"TLS flight", func(z sizes, m *message) { z.tlsFlight(m, 1504) },
			want{size: 1504, neg: true}, want{size: 1504}},
		{"HTTP/1.1 request", func(z sizes, m *message) { z.h1Request(m, "h", res, "1.1", true) },
			want{neg: true}, want{size: withRecords(h1Req)}},
		{"HTTP/1.1 response, first write 4 KiB", func(z sizes, m *message) { z.h1Response(m, res, "1.1", true, 4096) },
			want{size: 20_000, body: 20_000},
			want{size: withRecords(h1Head + 20_000), head: h1Head, body: 20_000, split: withRecords(4096)}},
		{"HTTP/1.1 empty response", func(z sizes, m *message) { z.h1Response(m, empty, "1.1", true, 0) },
			want{neg: true}, want{size: withRecords(h1ResponseBytes(empty, "1.1", true)), head: h1ResponseBytes(empty, "1.1", true)}},
		{"408", func(z sizes, m *message) { z.h1Timeout(m) },
			want{neg: true}, want{size: withRecords(h1TimeoutBytes())}},
		{"HTTP/2 SETTINGS", func(z sizes, m *message) { z.h2Control(m, 21) },
			want{size: 21, neg: true}, want{size: withRecords(21)}},
		{"HTTP/2 DATA", func(z sizes, m *message) { z.h2Data(m, 16384) },
			want{size: 16384, body: 16384},
			want{size: withRecords(frameHeader + 16384), head: frameHeader, body: 16384}},
		{"HTTP/2 request HEADERS", func(z sizes, m *message) { z.h2Request(m, newHPACK(), "h", res) },
			want{neg: true}, want{size: withRecords(frameHeader + newHPACK().request("h", res))}},
	} {
		for _, mode := range []struct {
			z    sizes
			want want
		}{{sizes{ideal: true, tls: TLS13}, tc.ideal}, {sizes{tls: TLS13}, tc.real}} {
			m := &message{}
			tc.write(mode.z, m)
			got := want{m.size, m.head, m.body, m.split, m.neg}
			if got != mode.want {
				t.Errorf("%s, ideal %v: got %+v, want %+v", tc.name, mode.z.ideal, got, mode.want)
			}
		}
	}
}
