package wire

import (
	"crypto/ecdh"
	"crypto/mlkem"
	"errors"
	"fmt"
	"math/rand/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TLSFlight is one flight of a TLS handshake as the model charges it
// (model/tls.go, tlsScript): ECDHE with an ECDSA P-256 chain of two
// certificates, as Go 1.26's crypto/tls client and server send it. By
// (Version, Resumed), the flights in order of Step are:
//
//   - TLS 1.3 full: 0 the client's ClientHello; 1 the server's
//     ServerHello, ChangeCipherSpec, then encrypted EncryptedExtensions,
//     Certificate, CertificateVerify, Finished and NewSessionTicket; 2 the
//     client's ChangeCipherSpec and encrypted Finished.
//   - TLS 1.3 resumed: 0 ClientHello with pre_shared_key (and early_data
//     if EarlyData); 1 ServerHello with pre_shared_key, ChangeCipherSpec,
//     encrypted EncryptedExtensions, Finished, NewSessionTicket; 2 as in
//     the full handshake.
//   - TLS 1.2 full: 0 ClientHello; 1 ServerHello, Certificate,
//     ServerKeyExchange, ServerHelloDone, all in the clear; 2 the client's
//     ClientKeyExchange, ChangeCipherSpec, encrypted Finished; 3 the
//     server's NewSessionTicket, ChangeCipherSpec, encrypted Finished.
//   - TLS 1.2 resumed with a ticket (RFC 5077): 0 ClientHello with the
//     ticket; 1 ServerHello, NewSessionTicket, ChangeCipherSpec,
//     encrypted Finished; 2 the client's ChangeCipherSpec and encrypted
//     Finished.
//
// What is real and what is made up: every record header, every message
// in the clear and every extension is laid out as the RFCs define and
// Go sends it, and a dissector reads it as such. The key shares are real
// X25519 and ML-KEM-768 public keys of private keys drawn from Seed (the
// server's ML-KEM ciphertext is drawn bytes, which ML-KEM takes as it
// takes any ciphertext of its length). TLS 1.2's certificates are real
// DER X.509 with valid signatures, made by fixed keys (tlsCA), and the
// ServerKeyExchange's signature is valid too. Nothing is encrypted: what
// an encrypted record holds, the PSK binder and the tickets are bytes
// drawn from Seed, so no key schedule would accept the handshake, and no
// shared secret is computed; a resumed ClientHello's ticket is not the
// one an earlier connection was given. The private keys are in this
// source: nothing here is secret.
type TLSFlight struct {
	Version   trace.State // trace.TLS12 or trace.TLS13
	Resumed   bool        // an abbreviated handshake: a PSK (1.3) or a session ticket (1.2)
	EarlyData bool        // 0-RTT: the resumed 1.3 ClientHello offers early_data, the server accepts it; ignored otherwise, as by the model
	Step      int         // which flight of the handshake, from 0 (the ClientHello)
	Size      int         // its bytes in the TCP stream, record headers included: the model's
	// ServerName is the host: the ClientHello's server_name (RFC 6066
	// §3) unless it is empty or an IP address, and the name of the TLS
	// 1.2 leaf certificate.
	ServerName string
	// ALPN is what the client offers (RFC 7301), in order: e.g. {"h2",
	// "http/1.1"}. The server picks the first. Empty: no ALPN.
	ALPN []string
	// Seed is where randoms, session ids, keys and opaque bytes come
	// from: the same flight of the same Seed has the same bytes. Give
	// every flight of a connection the connection's Seed: the server's
	// flight then echoes the client's session id and signs its random.
	Seed uint64
}

// Record content types (RFC 8446 §5.1, RFC 5246 §6.2.1).
const (
	contentChangeCipherSpec = 20
	contentHandshake        = 22
	contentApplicationData  = 23
)

// Protocol versions.
const (
	// versionTLS10 is the legacy_record_version of an initial ClientHello,
	// which RFC 8446 §5.1 allows and Go writes, for middleboxes that
	// refuse anything newer.
	versionTLS10 = 0x0301
	// versionTLS12 is TLS 1.2 (RFC 5246 §6.2.1), and TLS 1.3's
	// legacy_record_version after the ClientHello and legacy_version in
	// the hellos (RFC 8446 §4.1.2, §5.1).
	versionTLS12 = 0x0303
	// versionTLS13 is TLS 1.3, only in supported_versions (RFC 8446 §4.2.1).
	versionTLS13 = 0x0304
)

// Handshake message types (RFC 8446 §4, RFC 5246 §7.4).
const (
	typeClientHello         = 1
	typeServerHello         = 2
	typeNewSessionTicket    = 4 // RFC 8446 §4.6.1; RFC 5077 §3.3 in TLS 1.2
	typeEncryptedExtensions = 8
	typeCertificate         = 11
	typeServerKeyExchange   = 12
	typeCertificateVerify   = 15
	typeServerHelloDone     = 14
	typeClientKeyExchange   = 16
	typeFinished            = 20
)

// Record sizes.
const (
	recordHeader = 5 // type, legacy version, length (RFC 8446 §5.1)
	// maxPlaintext is the most a record carries before protection
	// (RFC 8446 §5.1, RFC 5246 §6.2.1).
	maxPlaintext = 1 << 14
	// gcmTag is the authentication tag of AES-128-GCM (RFC 5116 §5.1),
	// which both versions' records carry.
	gcmTag = 16
	// innerType is TLS 1.3's TLSInnerPlaintext content type, encrypted
	// with the record (RFC 8446 §5.2).
	innerType = 1
	// explicitNonce is the nonce TLS 1.2's AES-GCM records carry in the
	// clear before the ciphertext (RFC 5288 §3).
	explicitNonce = 8
)

// Cipher suites chosen by the server.
const (
	suiteAES128GCMSHA256        = 0x1301 // TLS_AES_128_GCM_SHA256 (RFC 8446 §B.4)
	suiteECDHEECDSAAES128GCM256 = 0xc02b // TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (RFC 5289 §3.2)
)

// Sizes of fields as Go 1.26 sends them, which RFCs bound but do not fix.
const (
	sessionIDLen = 32 // the client's legacy_session_id, random, in both versions: the most RFC 8446 §4.1.2 allows
	// ticketLen12 is the ticket of Go's TLS 1.2 server (RFC 5077 §4's
	// recommended layout is about as long), which the resumed ClientHello
	// offers back.
	ticketLen12 = 123
	// ticketLen13 is the ticket of Go's TLS 1.3 server, the identity of
	// the resumed ClientHello's pre_shared_key.
	ticketLen13 = 105
	// finishedLen12 is TLS 1.2's verify_data (RFC 5246 §7.4.9).
	finishedLen12 = 12
	// finishedLen13 is TLS 1.3's verify_data: the size of SHA-256, the
	// hash of TLS_AES_128_GCM_SHA256 (RFC 8446 §4.4.4).
	finishedLen13 = 32
	// ecdsaSigLen is an ECDSA P-256 signature's DER length as it most
	// often is (70 to 72 bytes), in encrypted CertificateVerify messages.
	ecdsaSigLen = 71
	x25519Len   = 32 // an X25519 public key (RFC 7748 §6.1)
)

// Bytes returns the flight's Size bytes: records whose headers sum to
// Size, with its handshake messages. The exact size comes from what may
// legitimately vary: in a ClientHello the padding extension (RFC 7685)
// and, if the name or protocols leave too little room, which optional
// extensions it sends; in an encrypted record its length; in a ticket
// its length; in TLS 1.2's certificates a comment extension of the
// leaf. A Size too small for the flight's messages, or one that would
// need a record past the limits of RFC 8446 §5, is an error.
func (f TLSFlight) Bytes() ([]byte, error) {
	var b []byte
	var err error
	switch {
	case f.Version != trace.TLS12 && f.Version != trace.TLS13:
		err = fmt.Errorf("version %v is neither TLS 1.2 nor 1.3", f.Version)
	case f.Size < 0:
		err = errors.New("a negative size")
	case f.Step == 0:
		b, err = f.clientHello()
	case f.Version == trace.TLS13 && f.Step == 1:
		b, err = f.serverFlight13()
	case f.Version == trace.TLS13 && f.Step == 2:
		b, err = f.clientFinished()
	case f.Version == trace.TLS12 && !f.Resumed && f.Step == 1:
		b, err = f.serverFlight12()
	case f.Version == trace.TLS12 && !f.Resumed && f.Step == 2:
		b, err = f.clientKeyExchange12()
	case f.Version == trace.TLS12 && f.Step == 1, f.Version == trace.TLS12 && f.Step == 3:
		b, err = f.serverTicket12()
	case f.Version == trace.TLS12 && f.Step == 2:
		b, err = f.clientFinished()
	default:
		err = fmt.Errorf("no such flight in the handshake")
	}
	if err == nil && len(b) != f.Size {
		err = fmt.Errorf("built %d bytes (a bug in package wire)", len(b))
	}
	if err != nil {
		kind := "full"
		if f.Resumed {
			kind = "resumed"
		}
		return nil, fmt.Errorf("wire: TLS %v %s handshake, flight %d of %d bytes: %w", f.Version, kind, f.Step, f.Size, err)
	}
	return b, nil
}

// ApplicationData returns the records of an application message of
// plaintext bytes after the handshake of TLS version v (trace.TLS12 or
// trace.TLS13): one application_data record per 16,384 bytes (RFC 8446
// §5.1), each with its 5-byte header, then for TLS 1.3 the chunk, its
// inner content type and AES-GCM's tag (§5.2), for TLS 1.2 the explicit
// nonce, the chunk and the tag (RFC 5288 §3): plaintext + the model's
// tlsOverhead bytes in all, none for no plaintext. All but the headers
// are bytes drawn from seed. It panics for another version or a negative
// plaintext, which no message of the model has.
func ApplicationData(v trace.State, plaintext int, seed uint64) []byte {
	per := 0
	switch v {
	case trace.TLS13:
		per = innerType + gcmTag
	case trace.TLS12:
		per = explicitNonce + gcmTag
	default:
		panic(fmt.Sprintf("wire: ApplicationData of TLS version %v", v))
	}
	if plaintext < 0 {
		panic(fmt.Sprintf("wire: ApplicationData of %d bytes", plaintext))
	}
	n := (plaintext + maxPlaintext - 1) / maxPlaintext
	out := make([]byte, 0, plaintext+n*(recordHeader+per))
	s := stream(seed, streamAppData)
	for left := plaintext; left > 0; left -= maxPlaintext {
		l := min(left, maxPlaintext) + per
		out = append(out, contentApplicationData, versionTLS12>>8, versionTLS12&0xff, byte(l>>8), byte(l))
		at := len(out)
		out = out[:at+l]
		_, _ = s.Read(out[at:])
	}
	return out
}

// record appends a record of type typ and version v holding what body
// appends, at most max bytes.
func (b *builder) record(typ uint8, v uint16, max int, body func()) {
	b.u8(typ)
	b.u16(v)
	b.vec(2, max, body)
}

// handshake appends a handshake message of type typ (RFC 8446 §4).
func (b *builder) handshake(typ uint8, body func()) {
	b.u8(typ)
	b.vec(3, 1<<24-1, body)
}

// changeCipherSpec appends a ChangeCipherSpec record (RFC 5246 §7.1; in
// TLS 1.3 the compatibility one of RFC 8446 §D.4): 6 bytes.
func (b *builder) changeCipherSpec() {
	b.record(contentChangeCipherSpec, versionTLS12, 1, func() { b.u8(1) })
}

// sealed appends a protected record of n bytes, header included, of
// outer type typ, its body drawn from s: in TLS 1.3 (RFC 8446 §5.2) the
// ciphertext of the plaintext and its inner type, then the tag; in TLS
// 1.2 (RFC 5246 §6.2.3.3) the explicit nonce, which is nonce if not nil
// (Go sends the record's sequence number), then the ciphertext and the
// tag. It fails for a record too short for minPlain bytes of plaintext,
// or whose plaintext would pass 2^14 bytes.
func (b *builder) sealed(v trace.State, typ uint8, n, minPlain int, nonce []byte, s *rand.ChaCha8) error {
	per := innerType + gcmTag
	if v == trace.TLS12 {
		per = explicitNonce + gcmTag
	}
	plain := n - recordHeader - per
	if plain < minPlain {
		return fmt.Errorf("an encrypted record of %d bytes cannot hold the %d bytes of its message", n, minPlain)
	}
	if plain > maxPlaintext {
		return fmt.Errorf("an encrypted record of %d bytes would hold more than 2^14 bytes (RFC 8446 §5.2)", n)
	}
	b.record(typ, versionTLS12, maxPlaintext+per, func() {
		if v == trace.TLS12 {
			if nonce == nil {
				nonce = draw(s, explicitNonce)
			}
			b.raw(nonce)
			b.raw(draw(s, plain+gcmTag))
		} else {
			b.raw(draw(s, plain+innerType+gcmTag))
		}
	})
	return nil
}

// sealedLen is the length of a protected record of plain bytes.
func sealedLen(v trace.State, plain int) int {
	if v == trace.TLS12 {
		return recordHeader + explicitNonce + plain + gcmTag
	}
	return recordHeader + plain + innerType + gcmTag
}

// firstNonce is the explicit nonce of the first record under new keys
// in TLS 1.2: Go uses the record's sequence number, 0.
var firstNonce = make([]byte, explicitNonce)

// chosenALPN is the protocol the server picks: the client's first.
func (f TLSFlight) chosenALPN() string {
	if len(f.ALPN) == 0 {
		return ""
	}
	return f.ALPN[0]
}

// clientFinished is the client's last flight but TLS 1.2's full one:
// ChangeCipherSpec and the encrypted Finished, whose record takes what
// Size leaves. (With 0-RTT, TLS 1.3's client would also send an
// encrypted EndOfEarlyData, RFC 8446 §4.5, which the model does not
// charge; the record is opaque, so nothing shows its absence.)
func (f TLSFlight) clientFinished() ([]byte, error) {
	var b builder
	b.changeCipherSpec()
	typ, fin, nonce := uint8(contentApplicationData), 4+finishedLen13, []byte(nil) // TLS 1.3 hides the type
	if f.Version == trace.TLS12 {
		typ, fin, nonce = contentHandshake, 4+finishedLen12, firstNonce
	}
	if err := b.sealed(f.Version, typ, f.Size-len(b.b), fin, nonce, stream(f.Seed, streamFlight+uint64(f.Step))); err != nil {
		return nil, err
	}
	return b.b, b.err
}

// clientKeyExchange12 is TLS 1.2's second client flight: the client's
// X25519 share in ClientKeyExchange (RFC 8422 §5.7), ChangeCipherSpec,
// and the encrypted Finished, whose record takes what Size leaves.
func (f TLSFlight) clientKeyExchange12() ([]byte, error) {
	key, _, err := clientKeys(f.Seed)
	if err != nil {
		return nil, err
	}
	var b builder
	b.record(contentHandshake, versionTLS12, maxPlaintext, func() {
		b.handshake(typeClientKeyExchange, func() { b.opaque(1, 255, key.PublicKey().Bytes()) })
	})
	b.changeCipherSpec()
	if err := b.sealed(trace.TLS12, contentHandshake, f.Size-len(b.b), 4+finishedLen12, firstNonce, stream(f.Seed, streamFlight+uint64(f.Step))); err != nil {
		return nil, err
	}
	return b.b, b.err
}

// serverFlight13 is TLS 1.3's server flight: ServerHello in the clear
// (RFC 8446 §4.1.3), the compatibility ChangeCipherSpec (§D.4), then one
// encrypted record per message as Go writes them: EncryptedExtensions,
// Certificate (full handshake), CertificateVerify (full), Finished,
// NewSessionTicket. The full handshake's Certificate record takes what
// Size leaves (it is a chain of about the model's size), the resumed
// one's NewSessionTicket (a ticket of that length).
func (f TLSFlight) serverFlight13() ([]byte, error) {
	var b builder
	if err := f.serverHello13(&b); err != nil {
		return nil, err
	}
	b.changeCipherSpec()
	ee := 4 + 2 // the message's header and its extensions' length
	if p := f.chosenALPN(); p != "" {
		ee += 4 + 2 + 1 + len(p) // application_layer_protocol_negotiation (RFC 7301 §3.1)
	}
	if f.Resumed && f.EarlyData {
		ee += 4 // early_data: the server accepts it (RFC 8446 §4.2.10)
	}
	const (
		cv     = 4 + 2 + 2 + ecdsaSigLen                 // CertificateVerify (RFC 8446 §4.4.3)
		fin    = 4 + finishedLen13                       // Finished (§4.4.4)
		nst    = 4 + 4 + 4 + 1 + 0 + 2 + ticketLen13 + 2 // NewSessionTicket (§4.6.1): lifetime, age_add, an empty nonce, the ticket, no extensions
		cer    = 4 + 1 + 3 + 3 + 1 + 2                   // the smallest Certificate: one entry of one byte
		nstMin = 4 + 4 + 4 + 1 + 0 + 2 + 1 + 2           // the smallest NewSessionTicket: a ticket of one byte
	)
	plains := []int{ee, -1, cv, fin, nst}
	mins := []int{ee, cer, cv, fin, nst}
	if f.Resumed {
		plains, mins = []int{ee, fin, -1}, []int{ee, fin, nstMin}
	}
	rest := f.Size - len(b.b)
	for _, p := range plains {
		if p >= 0 {
			rest -= sealedLen(trace.TLS13, p)
		}
	}
	s := stream(f.Seed, streamFlight+uint64(f.Step))
	for i, p := range plains {
		n := rest
		if p >= 0 {
			n = sealedLen(trace.TLS13, p)
		}
		if err := b.sealed(trace.TLS13, contentApplicationData, n, mins[i], nil, s); err != nil {
			return nil, err
		}
	}
	return b.b, b.err
}

// serverHello13 appends TLS 1.3's ServerHello (RFC 8446 §4.1.3): the
// client's session id echoed, TLS_AES_128_GCM_SHA256, supported_versions,
// the X25519MLKEM768 key share, and in a resumption pre_shared_key
// choosing the client's only identity.
func (f TLSFlight) serverHello13(b *builder) error {
	s := stream(f.Seed, streamServerKeys)
	sk, err := ecdh.X25519().NewPrivateKey(draw(s, x25519Len))
	if err != nil {
		return err
	}
	// The server's share: the ML-KEM-768 ciphertext, then its X25519
	// share (draft-ietf-tls-ecdhe-mlkem-02 §4.1, as Go cites it).
	share := append(draw(s, mlkem.CiphertextSize768), sk.PublicKey().Bytes()...)
	b.record(contentHandshake, versionTLS12, maxPlaintext, func() {
		b.handshake(typeServerHello, func() {
			b.u16(versionTLS12) // legacy_version
			b.raw(draw(stream(f.Seed, streamServerRandom), 32))
			b.opaque(1, 32, draw(stream(f.Seed, streamClientSession), sessionIDLen)) // legacy_session_id_echo
			b.u16(suiteAES128GCMSHA256)
			b.u8(0) // legacy_compression_method: null
			b.vec(2, 1<<16-1, func() {
				b.u16(extSupportedVersions)
				b.vec(2, 1<<16-1, func() { b.u16(versionTLS13) })
				b.u16(extKeyShare)
				b.vec(2, 1<<16-1, func() {
					b.u16(groupX25519MLKEM768)
					b.opaque(2, 1<<16-1, share)
				})
				if f.Resumed {
					b.u16(extPreSharedKey)
					b.vec(2, 1<<16-1, func() { b.u16(0) }) // selected_identity
				}
			})
		})
	})
	return b.err
}
