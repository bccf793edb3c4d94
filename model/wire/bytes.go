package wire

import (
	"encoding/binary"
	"fmt"
	"math/rand/v2"
)

// builder appends the fields of the TLS presentation language (RFC 8446
// §3, RFC 5246 §4): big-endian integers and vectors behind a length
// prefix of one to three bytes. The first vector too long for its prefix
// is kept in err; what follows it is still appended, and ignored.
type builder struct {
	b   []byte
	err error
}

func (b *builder) u8(v uint8)   { b.b = append(b.b, v) }
func (b *builder) u16(v uint16) { b.b = binary.BigEndian.AppendUint16(b.b, v) }
func (b *builder) u32(v uint32) { b.b = binary.BigEndian.AppendUint32(b.b, v) }
func (b *builder) raw(p []byte) { b.b = append(b.b, p...) }

// vec appends what body appends behind its length in n bytes (1 to 3),
// which must be at most max.
func (b *builder) vec(n, max int, body func()) {
	at := len(b.b)
	b.b = append(b.b, make([]byte, n)...)
	body()
	l := len(b.b) - at - n
	if l > max && b.err == nil {
		b.err = fmt.Errorf("a vector of %d bytes, longer than its limit of %d", l, max)
	}
	for i := n - 1; i >= 0; i-- {
		b.b[at+i] = byte(l)
		l >>= 8
	}
}

// opaque appends p behind its length in n bytes.
func (b *builder) opaque(n, max int, p []byte) { b.vec(n, max, func() { b.raw(p) }) }

// Streams of bytes drawn from a Seed, one for each use, so that a field
// is the same in every flight that shows it (the client's random in its
// ClientHello and under the server's signature) and changing one field
// moves no other.
const (
	streamClientRandom uint64 = iota + 1
	streamClientSession
	streamClientKeys
	streamServerRandom
	streamServerKeys
	streamOldTicket // a ticket from an earlier connection, which the client offers
	streamFlight    // + the flight's Step: its opaque bytes
	streamAppData   = streamFlight + 16
)

// stream returns the stream of bytes of seed for one use: ChaCha8
// (math/rand/v2), so that the same seed gives the same bytes on every
// platform and Go release that keeps ChaCha8's definition.
func stream(seed, use uint64) *rand.ChaCha8 {
	var key [32]byte
	copy(key[16:], "keepalive/wire\x00\x00")
	binary.LittleEndian.PutUint64(key[0:], seed)
	binary.LittleEndian.PutUint64(key[8:], use)
	return rand.NewChaCha8(key)
}

// draw returns the next n bytes of s.
func draw(s *rand.ChaCha8, n int) []byte {
	p := make([]byte, n)
	_, _ = s.Read(p) // ChaCha8.Read never fails
	return p
}
