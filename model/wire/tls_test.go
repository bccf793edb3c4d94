package wire_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/model/wire"
)

// handshake is one of the model's TLS handshakes: its flights' sizes,
// copied from model/tls.go (tlsScript and its constants), which this
// package may not import, who sends each, and the handshake messages
// each shows in the clear.
type handshake struct {
	name           string
	v              trace.State
	resumed, early bool
	sizes          []int
	fromClient     []bool
	clear          [][]int // handshake types in the clear, by flight
	ready          int     // after which flight the client sends data (tlsScript's clientReady)
}

var handshakes = []handshake{
	{"1.3 full", trace.TLS13, false, false, []int{1504, 2409, 64}, []bool{true, false, true}, [][]int{{1}, {2}, nil}, 2},
	{"1.3 resumed", trace.TLS13, true, false, []int{1656, 1472, 64}, []bool{true, false, true}, [][]int{{1}, {2}, nil}, 2},
	{"1.3 0-RTT", trace.TLS13, true, true, []int{1656, 1472, 64}, []bool{true, false, true}, [][]int{{1}, {2}, nil}, 0},
	{"1.2 full", trace.TLS12, false, false, []int{250, 1033, 93, 189}, []bool{true, false, true, false}, [][]int{{1}, {2, 11, 12, 14}, {16}, {4}}, 3},
	{"1.2 resumed", trace.TLS12, true, false, []int{373, 304, 51}, []bool{true, false, true}, [][]int{{1}, {2, 4}, nil}, 2},
}

func (h handshake) flight(step int, name string, alpn []string, seed uint64) wire.TLSFlight {
	return wire.TLSFlight{Version: h.v, Resumed: h.resumed, EarlyData: h.early, Step: step, Size: h.sizes[step],
		ServerName: name, ALPN: alpn, Seed: seed}
}

// record is a TLS record as read back.
type record struct {
	typ     uint8
	version uint16
	body    []byte
}

// records reads b as a sequence of whole records.
func records(t *testing.T, b []byte) []record {
	t.Helper()
	var rs []record
	for len(b) > 0 {
		if len(b) < 5 {
			t.Fatalf("%d bytes after the last record", len(b))
		}
		n := int(binary.BigEndian.Uint16(b[3:]))
		if len(b) < 5+n {
			t.Fatalf("a record of %d bytes with %d left", n, len(b)-5)
		}
		rs = append(rs, record{b[0], binary.BigEndian.Uint16(b[1:]), b[5 : 5+n]})
		b = b[5+n:]
	}
	return rs
}

// message is a handshake message as read back.
type message struct {
	typ  int
	body []byte
}

// clearMessages reads the handshake messages of a flight's records in
// the clear (those before its ChangeCipherSpec), checking that every
// record is of a known type and version and that each handshake record
// holds whole messages.
func clearMessages(t *testing.T, rs []record, hello bool) []message {
	t.Helper()
	var ms []message
	encrypted := false
	for i, r := range rs {
		want := uint16(0x0303)
		if hello && i == 0 {
			want = 0x0301 // an initial ClientHello's legacy_record_version
		}
		if r.version != want {
			t.Errorf("record %d: version %#04x, want %#04x", i, r.version, want)
		}
		switch {
		case r.typ == 20:
			if !bytes.Equal(r.body, []byte{1}) {
				t.Errorf("record %d: ChangeCipherSpec %x", i, r.body)
			}
			encrypted = true
		case r.typ == 22 && !encrypted:
			for b := r.body; len(b) > 0; {
				if len(b) < 4 {
					t.Fatalf("record %d: %d bytes after the last message", i, len(b))
				}
				n := int(b[1])<<16 | int(b[2])<<8 | int(b[3])
				if len(b) < 4+n {
					t.Fatalf("record %d: a message of %d bytes with %d left", i, n, len(b)-4)
				}
				ms = append(ms, message{int(b[0]), b[4 : 4+n]})
				b = b[4+n:]
			}
		case r.typ == 22 || r.typ == 23:
			if len(r.body) < 17 {
				t.Errorf("record %d: an encrypted record of %d bytes", i, len(r.body))
			}
		default:
			t.Errorf("record %d: content type %d", i, r.typ)
		}
	}
	return ms
}

func types(ms []message) []int {
	var ts []int
	for _, m := range ms {
		ts = append(ts, m.typ)
	}
	return ts
}

// TestTLSFlights: every flight of every handshake of the model, for
// several names and protocol lists, is exactly the model's size, made
// of whole records whose messages in the clear are the flight's, the
// same bytes for the same seed and others for another.
func TestTLSFlights(t *testing.T) {
	names := []string{"www.example.com", "a.io", "assets.static.cdn.example-shop.com", "192.0.2.1", ""}
	alpns := [][]string{{"h2", "http/1.1"}, {"http/1.1"}, nil}
	for _, h := range handshakes {
		for step := range h.sizes {
			for _, name := range names {
				for _, alpn := range alpns {
					f := h.flight(step, name, alpn, 7)
					b, err := f.Bytes()
					if err != nil {
						t.Errorf("%s flight %d for %q %q: %v", h.name, step, name, alpn, err)
						continue
					}
					if len(b) != f.Size {
						t.Errorf("%s flight %d: %d bytes, want %d", h.name, step, len(b), f.Size)
					}
					rs := records(t, b)
					if got := types(clearMessages(t, rs, step == 0)); !slices.Equal(got, h.clear[step]) {
						t.Errorf("%s flight %d: messages in the clear %v, want %v", h.name, step, got, h.clear[step])
					}
					if again, _ := f.Bytes(); !bytes.Equal(again, b) {
						t.Errorf("%s flight %d: two calls differ", h.name, step)
					}
					f.Seed++
					if other, _ := f.Bytes(); bytes.Equal(other, b) {
						t.Errorf("%s flight %d: seeds 7 and 8 give the same bytes", h.name, step)
					}
				}
			}
		}
	}
}

// extensions reads a ClientHello's or ServerHello's extensions, in order.
func extensions(t *testing.T, m message) (exts []uint16, data map[uint16][]byte) {
	t.Helper()
	b := m.body[2+32:]  // legacy_version, random
	b = b[1+int(b[0]):] // session id
	if m.typ == 1 {
		b = b[2+int(binary.BigEndian.Uint16(b)):] // cipher suites
		b = b[1+int(b[0]):]                       // compression methods
	} else {
		b = b[3:] // cipher suite, compression method
	}
	n := int(binary.BigEndian.Uint16(b))
	if n != len(b)-2 {
		t.Fatalf("extensions of %d bytes in %d", n, len(b)-2)
	}
	data = map[uint16][]byte{}
	for b = b[2:]; len(b) > 0; {
		typ, l := binary.BigEndian.Uint16(b), int(binary.BigEndian.Uint16(b[2:]))
		exts = append(exts, typ)
		data[typ] = b[4 : 4+l]
		b = b[4+l:]
	}
	return exts, data
}

// TestClientHellos: a ClientHello carries the name (not an IP address)
// and the protocols, its version's extensions, with pre_shared_key last
// when it resumes TLS 1.3, early_data for 0-RTT, a ticket when it
// resumes TLS 1.2, the hybrid key share and X25519's in TLS 1.3; and for
// every length of name it has room for, its padding makes it the
// model's size.
func TestClientHellos(t *testing.T) {
	for _, h := range handshakes {
		for l := 1; l <= 51; l++ {
			name := strings.Repeat("x", l)
			b, err := h.flight(0, name, []string{"h2", "http/1.1"}, 3).Bytes()
			if err != nil {
				t.Fatalf("%s, a name of %d bytes: %v", h.name, l, err)
			}
			if len(b) != h.sizes[0] {
				t.Fatalf("%s, a name of %d bytes: %d bytes", h.name, l, len(b))
			}
		}
		b, err := h.flight(0, "www.example.com", []string{"h2", "http/1.1"}, 3).Bytes()
		if err != nil {
			t.Fatal(err)
		}
		ms := clearMessages(t, records(t, b), true)
		exts, data := extensions(t, ms[0])
		if got := string(data[0][5:]); got != "www.example.com" {
			t.Errorf("%s: server_name %q", h.name, got)
		}
		if got := data[16]; !bytes.Equal(got, []byte("\x00\x0c\x02h2\x08http/1.1")) {
			t.Errorf("%s: ALPN %q", h.name, got)
		}
		for _, want := range []uint16{10, 11, 13, 23, 43, 0xff01} {
			if !slices.Contains(exts, want) {
				t.Errorf("%s: no extension %d in %v", h.name, want, exts)
			}
		}
		if h.v == trace.TLS13 {
			ks := data[51]
			if len(ks) != 2+4+1216+4+32 || binary.BigEndian.Uint16(ks[2:]) != 0x11ec || binary.BigEndian.Uint16(ks[2+4+1216:]) != 0x001d {
				t.Errorf("%s: key_share of %d bytes", h.name, len(ks))
			}
			if !bytes.Equal(data[43], []byte{2, 3, 4}) {
				t.Errorf("%s: supported_versions %x", h.name, data[43])
			}
		}
		if psk := h.v == trace.TLS13 && h.resumed; psk != (exts[len(exts)-1] == 41) || slices.Contains(exts, 45) != (h.v == trace.TLS13) {
			t.Errorf("%s: extensions %v", h.name, exts)
		}
		if slices.Contains(exts, 42) != h.early {
			t.Errorf("%s: early_data %v, want %v", h.name, slices.Contains(exts, 42), h.early)
		}
		if ticket := len(data[35]) > 0; ticket != (h.v == trace.TLS12 && h.resumed) {
			t.Errorf("%s: a session ticket of %d bytes", h.name, len(data[35]))
		}
		if pad, ok := data[21]; ok && bytes.ContainsFunc(pad, func(r rune) bool { return r != 0 }) {
			t.Errorf("%s: padding of other bytes than zeros", h.name)
		}
	}
	// An IP address is no server_name (RFC 6066 §3); no ALPN, no extension.
	b, err := handshakes[0].flight(0, "192.0.2.1", nil, 3).Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if exts, _ := extensions(t, clearMessages(t, records(t, b), true)[0]); slices.Contains(exts, 0) || slices.Contains(exts, 16) {
		t.Errorf("extensions %v for an IP address and no ALPN", exts)
	}
}

// TestServerHellos: TLS 1.3's ServerHello echoes the client's session
// id and accepts the PSK when resuming; TLS 1.2's names the protocol
// chosen, the client's first, and echoes the session id when resuming.
func TestServerHellos(t *testing.T) {
	for _, h := range handshakes {
		ch, _ := h.flight(0, "www.example.com", []string{"h2", "http/1.1"}, 5).Bytes()
		sh, err := h.flight(1, "www.example.com", []string{"h2", "http/1.1"}, 5).Bytes()
		if err != nil {
			t.Fatal(err)
		}
		cm := clearMessages(t, records(t, ch), true)[0]
		sm := clearMessages(t, records(t, sh), false)[0]
		csid, ssid := cm.body[35:35+int(cm.body[34])], sm.body[35:35+int(sm.body[34])]
		if echo := h.v == trace.TLS13 || h.resumed; echo != bytes.Equal(csid, ssid) {
			t.Errorf("%s: session ids %x and %x", h.name, csid, ssid)
		}
		exts, data := extensions(t, sm)
		switch h.v {
		case trace.TLS13:
			if len(data[51]) != 4+1120 || !bytes.Equal(data[43], []byte{3, 4}) || slices.Contains(exts, 41) != h.resumed {
				t.Errorf("%s: ServerHello extensions %v", h.name, exts)
			}
		case trace.TLS12:
			if !bytes.Equal(data[16], []byte("\x00\x03\x02h2")) {
				t.Errorf("%s: ALPN %q", h.name, data[16])
			}
		}
	}
}

// TestTLS12Certificates: TLS 1.2's server flight carries a chain of two
// real ECDSA P-256 certificates, the leaf valid for the name at the
// capture's epoch under the CA, and a ServerKeyExchange whose signature
// by the leaf's key covers the client's random of the same seed.
func TestTLS12Certificates(t *testing.T) {
	h := handshakes[3]
	for _, name := range []string{"www.example.com", "a.io", "192.0.2.1"} {
		ch, _ := h.flight(0, name, []string{"h2"}, 9).Bytes()
		b, err := h.flight(1, name, []string{"h2"}, 9).Bytes()
		if err != nil {
			t.Fatal(err)
		}
		ms := clearMessages(t, records(t, b), false)
		cert := ms[1].body[3:]
		var chain []*x509.Certificate
		for len(cert) > 0 {
			n := int(cert[0])<<16 | int(cert[1])<<8 | int(cert[2])
			c, err := x509.ParseCertificate(cert[3 : 3+n])
			if err != nil {
				t.Fatal(err)
			}
			chain = append(chain, c)
			cert = cert[3+n:]
		}
		if len(chain) != 2 {
			t.Fatalf("%d certificates", len(chain))
		}
		roots := x509.NewCertPool()
		roots.AddCert(chain[1])
		if _, err := chain[0].Verify(x509.VerifyOptions{Roots: roots, DNSName: name,
			CurrentTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Errorf("%q: %v", name, err)
		}
		pub, ok := chain[0].PublicKey.(*ecdsa.PublicKey)
		if !ok || pub.Curve.Params().Name != "P-256" {
			t.Fatalf("%q: the leaf's key is %T", name, chain[0].PublicKey)
		}
		ske := ms[2].body
		params := ske[:4+32]
		sig := ske[4+32+4:]
		d := sha256.New()
		d.Write(clearMessages(t, records(t, ch), true)[0].body[2 : 2+32])
		d.Write(ms[0].body[2 : 2+32])
		d.Write(params)
		if !ecdsa.VerifyASN1(pub, d.Sum(nil), sig) || binary.BigEndian.Uint16(ske[36:]) != 0x0403 {
			t.Errorf("%q: the ServerKeyExchange's signature does not verify", name)
		}
	}
}

// TestTLSFlightErrors: a size too small for a flight's messages, a name
// too long for the model's sizes, a step no handshake has or a version
// that is not TLS's is an error, not a panic; so is a record past the
// limits of RFC 8446 §5.
func TestTLSFlightErrors(t *testing.T) {
	for _, h := range handshakes {
		for step, size := range h.sizes {
			small := []int{-1, 0, 5, 40} // less than any flight's messages
			if step <= 1 {
				small = append(small, size/2) // less than a ClientHello's, or a ServerHello and what must follow
			}
			for _, small := range small {
				f := h.flight(step, "www.example.com", []string{"h2"}, 1)
				f.Size = small
				if _, err := f.Bytes(); err == nil {
					t.Errorf("%s flight %d of %d bytes: no error", h.name, step, small)
				}
			}
			f := h.flight(step, "www.example.com", []string{"h2"}, 1)
			f.Size = 20_000
			if b, err := f.Bytes(); err == nil && len(b) != f.Size {
				t.Errorf("%s flight %d of %d bytes: %d", h.name, step, f.Size, len(b))
			}
		}
		f := wire.TLSFlight{Version: h.v, Resumed: h.resumed, Step: len(h.sizes), Size: 100, ServerName: "www.example.com"}
		if _, err := f.Bytes(); err == nil {
			t.Errorf("%s: a flight %d", h.name, len(h.sizes))
		}
	}
	long := strings.Repeat("x", 300)
	for _, f := range []wire.TLSFlight{
		handshakes[0].flight(0, long, nil, 1),
		handshakes[3].flight(1, long, nil, 1),
		handshakes[3].flight(0, "www.example.com", []string{""}, 1),
		{Version: trace.NoState, Size: 100},
		{Version: trace.TLS13, Step: -1, Size: 100},
	} {
		if _, err := f.Bytes(); err == nil {
			t.Errorf("%+v: no error", f)
		} else if !strings.HasPrefix(err.Error(), "wire: TLS") {
			t.Errorf("error %q", err)
		}
	}
}

// TestApplicationData: a message of n bytes is ceil(n/16384)
// application_data records of TLS 1.2's version, each with the chunk and
// its version's overhead: n plus the model's tlsOverhead (model/sizes.go,
// copied: 5+1+16 bytes a record in TLS 1.3, 5+8+16 in 1.2).
func TestApplicationData(t *testing.T) {
	for _, v := range []trace.State{trace.TLS13, trace.TLS12} {
		per := 5 + 1 + 16
		if v == trace.TLS12 {
			per = 5 + 8 + 16
		}
		for _, n := range []int{0, 1, 100, 16384, 16385, 100_000} {
			b := wire.ApplicationData(v, n, 11)
			if want := n + (n+16383)/16384*per; len(b) != want {
				t.Errorf("TLS %v, %d bytes: %d, want %d", v, n, len(b), want)
			}
			rs := records(t, b)
			if len(rs) != (n+16383)/16384 {
				t.Errorf("TLS %v, %d bytes: %d records", v, n, len(rs))
			}
			left := n
			for _, r := range rs {
				if r.typ != 23 || r.version != 0x0303 || len(r.body) != min(left, 16384)+per-5 {
					t.Errorf("TLS %v, %d bytes: a record of type %d, version %#x, %d bytes", v, n, r.typ, r.version, len(r.body))
				}
				left -= 16384
			}
			if !bytes.Equal(wire.ApplicationData(v, n, 11), b) {
				t.Errorf("TLS %v, %d bytes: two calls differ", v, n)
			}
			if n > 0 && bytes.Equal(wire.ApplicationData(v, n, 12), b) {
				t.Errorf("TLS %v, %d bytes: seeds 11 and 12 give the same bytes", v, n)
			}
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for a version that is not TLS's")
		}
	}()
	wire.ApplicationData(trace.NoState, 10, 1)
}

// BenchmarkTLS12ServerFlight is the flight whose certificates cost
// signatures, each time for a new seed (the leaf itself is kept).
func BenchmarkTLS12ServerFlight(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		if _, err := handshakes[3].flight(1, "www.example.com", []string{"h2"}, uint64(i)).Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTLS13ClientHello makes an ML-KEM-768 key each time.
func BenchmarkTLS13ClientHello(b *testing.B) {
	for i := 0; b.Loop(); i++ {
		if _, err := handshakes[0].flight(0, "www.example.com", []string{"h2"}, uint64(i)).Bytes(); err != nil {
			b.Fatal(err)
		}
	}
}
