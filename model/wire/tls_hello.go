package wire

import (
	"crypto/ecdh"
	"crypto/mlkem"
	"fmt"
	"net/netip"
	"slices"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Extension types (RFC 8446 §4.2 and the RFCs that define them).
const (
	extServerName              = 0      // RFC 6066 §3
	extStatusRequest           = 5      // RFC 6066 §8
	extSupportedGroups         = 10     // RFC 8422 §5.1.1, RFC 8446 §4.2.7
	extECPointFormats          = 11     // RFC 8422 §5.1.2
	extSignatureAlgorithms     = 13     // RFC 8446 §4.2.3, RFC 5246 §7.4.1.4.1
	extALPN                    = 16     // RFC 7301 §3.1
	extSCT                     = 18     // signed_certificate_timestamp, RFC 6962 §3.3.1
	extPadding                 = 21     // RFC 7685 §3
	extExtendedMasterSecret    = 23     // RFC 7627 §5.1
	extSessionTicket           = 35     // RFC 5077 §3.2
	extPreSharedKey            = 41     // RFC 8446 §4.2.11
	extEarlyData               = 42     // RFC 8446 §4.2.10
	extSupportedVersions       = 43     // RFC 8446 §4.2.1
	extPSKKeyExchangeModes     = 45     // RFC 8446 §4.2.9
	extSignatureAlgorithmsCert = 50     // RFC 8446 §4.2.3
	extKeyShare                = 51     // RFC 8446 §4.2.8
	extRenegotiationInfo       = 0xff01 // RFC 5746 §3.2
)

// Named groups (RFC 8446 §4.2.7, RFC 8422 §5.1.1).
const (
	groupSecp256r1 = 0x0017
	groupSecp384r1 = 0x0018
	groupSecp521r1 = 0x0019
	groupX25519    = 0x001d
	// The hybrid groups of draft-ietf-tls-ecdhe-mlkem (its IANA
	// section): X25519MLKEM768, whose share Go's client sends, then
	// SecP256r1MLKEM768 and SecP384r1MLKEM1024, which it also offers.
	groupSecP256r1MLKEM768  = 0x11eb
	groupX25519MLKEM768     = 0x11ec
	groupSecP384r1MLKEM1024 = 0x11ed
)

// Signature schemes (RFC 8446 §4.2.3; in TLS 1.2 the same code points
// read as SignatureAndHashAlgorithm, RFC 5246 §7.4.1.4.1).
const (
	sigRSAPKCS1SHA1     = 0x0201
	sigECDSASHA1        = 0x0203
	sigRSAPKCS1SHA256   = 0x0401
	sigECDSAP256SHA256  = 0x0403
	sigRSAPKCS1SHA384   = 0x0501
	sigECDSAP384SHA384  = 0x0503
	sigRSAPKCS1SHA512   = 0x0601
	sigECDSAP521SHA512  = 0x0603
	sigRSAPSSRSAESHA256 = 0x0804
	sigRSAPSSRSAESHA384 = 0x0805
	sigRSAPSSRSAESHA512 = 0x0806
	sigEd25519          = 0x0807
)

// What Go 1.26's client offers (crypto/tls defaults.go), in its order.
var (
	// suites13 are the TLS 1.3 suites (RFC 8446 §B.4).
	suites13 = []uint16{0x1301, 0x1302, 0x1303}
	// suites12 are the TLS 1.2 ECDHE suites: AES-GCM (RFC 5289 §3.2),
	// ChaCha20-Poly1305 (RFC 7905 §2), AES-CBC (RFC 8422 §6).
	suites12 = []uint16{0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014}
	groups13 = []uint16{groupX25519MLKEM768, groupSecP256r1MLKEM768, groupSecP384r1MLKEM1024,
		groupX25519, groupSecp256r1, groupSecp384r1, groupSecp521r1}
	groups12 = []uint16{groupX25519, groupSecp256r1, groupSecp384r1, groupSecp521r1}
	// sigs13 leaves out PKCS #1 v1.5 and SHA-1, which TLS 1.3 forbids
	// in handshake signatures (RFC 8446 §4.2.3).
	sigs13 = []uint16{sigRSAPSSRSAESHA256, sigECDSAP256SHA256, sigEd25519, sigRSAPSSRSAESHA384,
		sigRSAPSSRSAESHA512, sigECDSAP384SHA384, sigECDSAP521SHA512}
	sigs12 = []uint16{sigRSAPSSRSAESHA256, sigECDSAP256SHA256, sigEd25519, sigRSAPSSRSAESHA384,
		sigRSAPSSRSAESHA512, sigRSAPKCS1SHA256, sigRSAPKCS1SHA384, sigRSAPKCS1SHA512,
		sigECDSAP384SHA384, sigECDSAP521SHA512}
	sigsCert = append(slices.Clone(sigs12), sigRSAPKCS1SHA1, sigECDSASHA1)
)

const (
	// pskDHEKE is the PSK mode with (EC)DHE, Go's only one (RFC 8446
	// §4.2.9).
	pskDHEKE = 1
	// pointUncompressed is the only EC point format (RFC 8422 §5.1.2).
	pointUncompressed = 0
	// hostName is server_name's NameType for a DNS name (RFC 6066 §3).
	hostName = 0
	// statusOCSP is status_request's CertificateStatusType (RFC 6066 §8).
	statusOCSP = 1
	// binderLen is a PSK binder's length: an HMAC of SHA-256 (RFC 8446
	// §4.2.11.2).
	binderLen = 32
)

// optional lists the extensions a ClientHello leaves out, first to
// last, when the name and protocols leave too little room for them in
// the model's size, or a padding extension (4 bytes at least) cannot
// make up what is missing: extensions Go sends that a server may do
// without.
var optional = []uint16{extSignatureAlgorithmsCert, extStatusRequest, extSCT}

type extension struct {
	typ  uint16
	data []byte
}

// extBody returns an extension's body built by body.
func extBody(body func(b *builder)) ([]byte, error) {
	var b builder
	body(&b)
	return b.b, b.err
}

// u16s appends a vector of 16-bit values behind an n-byte length.
func (b *builder) u16s(n int, vs []uint16) {
	b.vec(n, 1<<(8*n)-1, func() {
		for _, v := range vs {
			b.u16(v)
		}
	})
}

// clientKeys returns the client's X25519 key and its ML-KEM-768 seed,
// drawn from seed: the same in every flight of the connection.
func clientKeys(seed uint64) (*ecdh.PrivateKey, []byte, error) {
	s := stream(seed, streamClientKeys)
	k, err := ecdh.X25519().NewPrivateKey(draw(s, x25519Len))
	return k, draw(s, mlkem.SeedSize), err
}

// sni returns the name the ClientHello's server_name carries: none for
// an IP address, which RFC 6066 §3 forbids there, or for no name.
func (f TLSFlight) sni() string {
	if _, err := netip.ParseAddr(f.ServerName); err == nil {
		return ""
	}
	return f.ServerName
}

// clientHello is a ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2) as
// Go 1.26 sends it, with the extensions of its version, padded to Size
// by the padding extension (RFC 7685). When the name or the protocols
// leave no room, or 1 to 3 bytes are missing, which a padding extension
// (4 bytes at least) cannot make up, the extensions of optional are left
// out, in order, as needed, then the last signature algorithms.
func (f TLSFlight) clientHello() ([]byte, error) {
	exts, err := f.helloExtensions()
	if err != nil {
		return nil, err
	}
	var psk []byte
	if f.Version == trace.TLS13 && f.Resumed {
		// pre_shared_key, last (RFC 8446 §4.2.11): the ticket a former
		// connection got as identity, its obfuscated age, its binder.
		s := stream(f.Seed, streamOldTicket)
		psk, err = extBody(func(b *builder) {
			b.vec(2, 1<<16-1, func() {
				b.opaque(2, 1<<16-1, draw(s, ticketLen13))
				b.raw(draw(s, 4)) // obfuscated_ticket_age
			})
			b.vec(2, 1<<16-1, func() { b.opaque(1, 255, draw(s, binderLen)) })
		})
		if err != nil {
			return nil, err
		}
	}
	suites := suites12
	if f.Version == trace.TLS13 {
		suites = suites13
	}
	size := func(exts []extension) int {
		n := recordHeader + 4 + 2 + 32 + 1 + sessionIDLen + 2 + 2*len(suites) + 2 + 2
		for _, e := range exts {
			n += 4 + len(e.data)
		}
		if psk != nil {
			n += 4 + len(psk)
		}
		return n
	}
	sigs := sigs12
	if f.Version == trace.TLS13 {
		sigs = sigs13
	}
	dropOptional := func() bool {
		for _, t := range optional {
			if i := slices.IndexFunc(exts, func(e extension) bool { return e.typ == t }); i >= 0 {
				exts = slices.Delete(exts, i, i+1)
				return true
			}
		}
		return false
	}
	need := size(exts)
	for {
		pad := f.Size - size(exts)
		if pad == 0 || pad >= 4 {
			if pad > 0 {
				exts = append(exts, extension{extPadding, make([]byte, pad-4)}) // zeros (RFC 7685 §4)
			}
			break
		}
		if dropOptional() {
			continue
		}
		// Then the last signature algorithms, down to the two first,
		// which include ECDSA with P-256, the server's.
		i := slices.IndexFunc(exts, func(e extension) bool { return e.typ == extSignatureAlgorithms })
		if n := (len(exts[i].data) - 2) / 2; n > 2 {
			exts[i].data, _ = extBody(func(b *builder) { b.u16s(2, sigs[:n-1]) })
			continue
		}
		if pad < 0 {
			return nil, &HelloTooSmallError{Host: f.ServerName, ALPN: f.ALPN, Size: f.Size, Need: size(exts), Full: need}
		}
		return nil, fmt.Errorf("a ClientHello of %d bytes for %q offering %q cannot be padded by %d bytes", size(exts), f.ServerName, f.ALPN, pad)
	}
	if psk != nil {
		exts = append(exts, extension{extPreSharedKey, psk})
	}
	var b builder
	b.record(contentHandshake, versionTLS10, maxPlaintext, func() {
		b.handshake(typeClientHello, func() {
			b.u16(versionTLS12) // legacy_version (RFC 8446 §4.1.2)
			b.raw(draw(stream(f.Seed, streamClientRandom), 32))
			// legacy_session_id: random, which TLS 1.3's middlebox
			// compatibility mode asks for (RFC 8446 §D.4) and RFC 5077
			// §3.4 lets a TLS 1.2 client send with a ticket.
			b.opaque(1, 32, draw(stream(f.Seed, streamClientSession), sessionIDLen))
			b.u16s(2, suites)
			b.opaque(1, 255, []byte{0}) // legacy_compression_methods: null
			b.vec(2, 1<<16-1, func() {
				for _, e := range exts {
					b.u16(e.typ)
					b.opaque(2, 1<<16-1, e.data)
				}
			})
		})
	})
	if b.err != nil {
		return nil, fmt.Errorf("a ClientHello of %d bytes: %w", f.Size, b.err)
	}
	return b.b, nil
}

// helloExtensions returns a ClientHello's extensions but the padding
// and pre_shared_key, in the order Go 1.26 sent them to the testbed.
func (f TLSFlight) helloExtensions() ([]extension, error) {
	var exts []extension
	var err error
	add := func(t uint16, body func(b *builder)) {
		d, e := extBody(body)
		if err == nil {
			err = e
		}
		exts = append(exts, extension{t, d})
	}
	if name := f.sni(); name != "" {
		add(extServerName, func(b *builder) {
			b.vec(2, 1<<16-1, func() {
				b.u8(hostName)
				b.opaque(2, 1<<16-1, []byte(name))
			})
		})
	}
	add(extECPointFormats, func(b *builder) { b.opaque(1, 255, []byte{pointUncompressed}) })
	add(extSessionTicket, func(b *builder) {
		if f.Version == trace.TLS12 && f.Resumed {
			b.raw(draw(stream(f.Seed, streamOldTicket), ticketLen12)) // the ticket of an earlier connection
		}
	})
	add(extRenegotiationInfo, func(b *builder) { b.u8(0) }) // an empty renegotiated_connection: a first handshake
	add(extExtendedMasterSecret, func(*builder) {})
	add(extSCT, func(*builder) {})
	add(extStatusRequest, func(b *builder) {
		b.u8(statusOCSP)
		b.u16(0) // no responder_id_list
		b.u16(0) // no request_extensions
	})
	groups, sigs := groups12, sigs12
	if f.Version == trace.TLS13 {
		groups, sigs = groups13, sigs13
	}
	add(extSupportedGroups, func(b *builder) { b.u16s(2, groups) })
	add(extSignatureAlgorithms, func(b *builder) { b.u16s(2, sigs) })
	add(extSignatureAlgorithmsCert, func(b *builder) { b.u16s(2, sigsCert) })
	if len(f.ALPN) > 0 {
		for _, p := range f.ALPN {
			if len(p) == 0 || len(p) > 255 {
				return nil, fmt.Errorf("an ALPN protocol of %d bytes (RFC 7301 §3.1: 1 to 255)", len(p))
			}
		}
		add(extALPN, func(b *builder) {
			b.vec(2, 1<<16-1, func() {
				for _, p := range f.ALPN {
					b.opaque(1, 255, []byte(p))
				}
			})
		})
	}
	add(extSupportedVersions, func(b *builder) {
		b.vec(1, 254, func() {
			if f.Version == trace.TLS13 {
				b.u16(versionTLS13)
			} else {
				b.u16(versionTLS12) // Go names its only version here too
			}
		})
	})
	if f.Version == trace.TLS13 {
		key, seed, err := clientKeys(f.Seed)
		if err != nil {
			return nil, err
		}
		dk, err := mlkem.NewDecapsulationKey768(seed)
		if err != nil {
			return nil, err
		}
		x := key.PublicKey().Bytes()
		add(extKeyShare, func(b *builder) {
			b.vec(2, 1<<16-1, func() {
				// The hybrid share: the ML-KEM-768 encapsulation key,
				// then the X25519 share (draft-ietf-tls-ecdhe-mlkem-02
				// §4.1, as Go cites it); then, as Go, the same X25519
				// share alone, for a server without the hybrid.
				b.u16(groupX25519MLKEM768)
				b.opaque(2, 1<<16-1, append(dk.EncapsulationKey().Bytes(), x...))
				b.u16(groupX25519)
				b.opaque(2, 1<<16-1, x)
			})
		})
		if f.Resumed && f.EarlyData {
			add(extEarlyData, func(*builder) {})
		}
		add(extPSKKeyExchangeModes, func(b *builder) { b.opaque(1, 255, []byte{pskDHEKE}) })
	}
	return exts, err
}

// HelloTooSmallError is a ClientHello the model sized too small for its
// host name and protocols, even with only the extensions it must send:
// a host name longer than the model's ClientHello allows for (about 60
// bytes), which a caller can report as the setting it is.
type HelloTooSmallError struct {
	Host       string
	ALPN       []string
	Size       int // the model's size of the ClientHello
	Need, Full int // its bytes with the needed extensions, and with all
}

func (e *HelloTooSmallError) Error() string {
	return fmt.Sprintf("a ClientHello for %q offering %q needs %d bytes (%d with every extension)", e.Host, e.ALPN, e.Need, e.Full)
}
