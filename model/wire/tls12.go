package wire

import (
	"crypto"
	"crypto/ecdh"
	"crypto/sha256"
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
)

const (
	// namedCurve is ECParameters' ECCurveType for a named group (RFC
	// 8422 §5.4).
	namedCurve = 3
	// ticketLifetime12 is the NewSessionTicket's lifetime hint: 0, no
	// advice (RFC 5077 §3.3), as Go's server sends.
	ticketLifetime12 = 0
)

// serverHello12 appends TLS 1.2's ServerHello (RFC 5246 §7.4.1.3):
// TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 and, as Go's server, the
// session_ticket extension empty (a ticket will follow, RFC 5077 §3.2),
// renegotiation_info, extended_master_secret, the chosen protocol and
// the point format. A resuming server echoes the client's session id
// (RFC 5077 §3.4); a new session's is empty, as Go's with tickets.
func (f TLSFlight) serverHello12(b *builder) {
	b.record(contentHandshake, versionTLS12, maxPlaintext, func() {
		b.handshake(typeServerHello, func() {
			b.u16(versionTLS12)
			b.raw(draw(stream(f.Seed, streamServerRandom), 32))
			var sid []byte
			if f.Resumed {
				sid = draw(stream(f.Seed, streamClientSession), sessionIDLen)
			}
			b.opaque(1, 32, sid)
			b.u16(suiteECDHEECDSAAES128GCM256)
			b.u8(0) // compression_method: null
			b.vec(2, 1<<16-1, func() {
				b.u16(extSessionTicket)
				b.u16(0)
				b.u16(extRenegotiationInfo)
				b.opaque(2, 1<<16-1, []byte{0}) // renegotiated_connection: empty (RFC 5746 §3.6)
				b.u16(extExtendedMasterSecret)
				b.u16(0)
				if p := f.chosenALPN(); p != "" {
					b.u16(extALPN)
					b.vec(2, 1<<16-1, func() {
						b.vec(2, 1<<16-1, func() { b.opaque(1, 255, []byte(p)) }) // one protocol (RFC 7301 §3.1)
					})
				}
				b.u16(extECPointFormats)
				b.vec(2, 1<<16-1, func() { b.opaque(1, 255, []byte{pointUncompressed}) })
			})
		})
	})
}

// serverFlight12 is TLS 1.2's full server flight, all in the clear,
// each message in its record as Go writes them: ServerHello, the
// Certificate chain (RFC 5246 §7.4.2) of tlsCA, whose leaf takes what
// Size leaves, ServerKeyExchange (RFC 8422 §5.4: the server's X25519
// share, signed with the leaf's key over both randoms, RFC 5246
// §7.4.3) and ServerHelloDone (§7.4.5).
func (f TLSFlight) serverFlight12() ([]byte, error) {
	ca, err := simulatedCA()
	if err != nil {
		return nil, err
	}
	var hello, kx, done builder
	f.serverHello12(&hello)

	sk, err := ecdh.X25519().NewPrivateKey(draw(stream(f.Seed, streamServerKeys), x25519Len))
	if err != nil {
		return nil, err
	}
	params := append([]byte{namedCurve, groupX25519 >> 8, groupX25519 & 0xff, x25519Len}, sk.PublicKey().Bytes()...)
	h := sha256.New()
	h.Write(draw(stream(f.Seed, streamClientRandom), 32))
	h.Write(draw(stream(f.Seed, streamServerRandom), 32))
	h.Write(params)
	sig, err := ca.leafKey.Sign(nil, h.Sum(nil), crypto.SHA256) // nil: RFC 6979
	if err != nil {
		return nil, err
	}
	kx.record(contentHandshake, versionTLS12, maxPlaintext, func() {
		kx.handshake(typeServerKeyExchange, func() {
			kx.raw(params)
			kx.u16(sigECDSAP256SHA256)
			kx.opaque(2, 1<<16-1, sig)
		})
	})
	done.record(contentHandshake, versionTLS12, maxPlaintext, func() { done.handshake(typeServerHelloDone, func() {}) })

	if f.Size-len(hello.b)-len(kx.b)-len(done.b)-recordHeader > maxPlaintext {
		return nil, fmt.Errorf("a Certificate record would hold more than 2^14 bytes (RFC 5246 §6.2.1)")
	}
	caDER := ca.cert.Raw
	leafLen := f.Size - len(hello.b) - len(kx.b) - len(done.b) - recordHeader - 4 - 3 - (3 + len(caDER)) - 3
	if leafLen <= 0 {
		return nil, fmt.Errorf("no room for a certificate chain")
	}
	name := f.ServerName
	if name == "" {
		name = placeholderName
	}
	leaf, err := ca.leafCert(name, leafLen)
	if err != nil {
		return nil, err
	}
	b := builder{b: hello.b, err: hello.err}
	b.record(contentHandshake, versionTLS12, maxPlaintext, func() {
		b.handshake(typeCertificate, func() {
			b.vec(3, 1<<24-1, func() {
				b.opaque(3, 1<<24-1, leaf)
				b.opaque(3, 1<<24-1, caDER)
			})
		})
	})
	b.raw(kx.b)
	b.raw(done.b)
	if b.err != nil {
		return nil, fmt.Errorf("a certificate record: %w", b.err)
	}
	return b.b, kx.err
}

// serverTicket12 is the server's flight that gives the client a ticket:
// the full handshake's last (NewSessionTicket, ChangeCipherSpec,
// encrypted Finished) and, after a ServerHello, the resumed one's. The
// ticket (RFC 5077 §3.3) takes what Size leaves: opaque bytes, which
// the server alone would read.
func (f TLSFlight) serverTicket12() ([]byte, error) {
	var b builder
	if f.Resumed {
		f.serverHello12(&b)
	}
	ticket := f.Size - len(b.b) - (recordHeader + 4 + 4 + 2) - 6 - sealedLen(trace.TLS12, 4+finishedLen12)
	if ticket < 0 {
		return nil, fmt.Errorf("no room for a NewSessionTicket")
	}
	s := stream(f.Seed, streamFlight+uint64(f.Step))
	b.record(contentHandshake, versionTLS12, maxPlaintext, func() {
		b.handshake(typeNewSessionTicket, func() {
			b.u32(ticketLifetime12)
			b.opaque(2, 1<<16-1, draw(s, ticket))
		})
	})
	b.changeCipherSpec()
	if err := b.sealed(trace.TLS12, contentHandshake, sealedLen(trace.TLS12, 4+finishedLen12), 4+finishedLen12, firstNonce, s); err != nil {
		return nil, err
	}
	if b.err != nil {
		return nil, fmt.Errorf("a NewSessionTicket record: %w", b.err)
	}
	return b.b, nil
}
