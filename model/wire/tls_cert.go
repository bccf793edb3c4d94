package wire

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/binary"
	"fmt"
	"math/big"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// The certificate chain of TLS 1.2's server flight, which shows it in
// the clear: two ECDSA P-256 certificates, as the model assumes, both
// real DER X.509 (RFC 5280) with valid signatures, built by crypto/x509
// the same way every time:
//
//   - a CA named "keepalive CA" (a short name: the leaf repeats it as
//     its issuer, and every byte of the chain is one less for the
//     ServerName), self-signed, valid 2025 to 2035;
//   - a leaf for the ServerName (a subjectAltName, critical since its
//     subject is empty, RFC 5280 §4.2.1.6), for serverAuth, signed by the
//     CA, valid from 1 December 2025 to 1 March 2026, around the
//     capture's epoch (model/trace/pcap.Epoch, 1 January 2026); and a
//     Netscape comment extension (2.16.840.1.113730.1.13, non-critical)
//     whose text is as long as it takes to make the flight the model's
//     size.
//
// Their private keys are fixed, SHA-256 of labels in this source, and
// so public; ECDSA with no random source signs deterministically
// (RFC 6979, crypto/ecdsa since Go 1.24), so the same name and size give
// the same bytes. The leaf's key also signs the ServerKeyExchange.
type tlsCA struct {
	cert    *x509.Certificate
	key     *ecdsa.PrivateKey // the CA's
	leafKey *ecdsa.PrivateKey // every leaf's
}

// oidNetscapeComment is the Netscape certificate comment extension, an
// IA5String Wireshark reads as ns_cert_exts.Comment.
var oidNetscapeComment = asn1.ObjectIdentifier{2, 16, 840, 1, 113730, 1, 13}

// commentText begins the leaf's comment; dots make up the rest.
const commentText = "keepalive: a simulated certificate, as long as the model charges "

// caName is the CA's common name.
const caName = "keepalive CA"

// placeholderName is the leaf's name for a flight with no ServerName
// (RFC 2606 §2 reserves .invalid).
const placeholderName = "server.invalid"

var simulatedCA = sync.OnceValues(func() (*tlsCA, error) {
	key, err := fixedKey("keepalive simulated CA key")
	if err != nil {
		return nil, err
	}
	leafKey, err := fixedKey("keepalive simulated leaf key")
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: caName},
		NotBefore:    time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC),
		IsCA:         true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, &key.PublicKey, key) // nil: RFC 6979
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tlsCA{cert: cert, key: key, leafKey: leafKey}, nil
})

// fixedKey returns the P-256 key whose scalar is SHA-256 of label.
func fixedKey(label string) (*ecdsa.PrivateKey, error) {
	d := sha256.Sum256([]byte(label))
	return ecdsa.ParseRawPrivateKey(elliptic.P256(), d[:])
}

// leaves keeps the leaves built, by name and length: a capture asks for
// the same few again and again, and each costs a few signatures.
var leaves = struct {
	sync.Mutex
	m map[leafKey][]byte
}{m: map[leafKey][]byte{}}

type leafKey struct {
	name string
	size int
}

// maxLeaves bounds the leaves kept.
const maxLeaves = 1024

// leafCert returns the leaf certificate for name of exactly size bytes
// of DER. The comment's length sets the size but for the signature's,
// which varies by a byte or two with what is signed (an integer's DER
// encoding has no leading zeros), and for DER's lengths, which grow a
// byte past 127 and 255: a few tries, each a signature, find it, and if
// none does another serial number signs differently.
func (ca *tlsCA) leafCert(name string, size int) ([]byte, error) {
	k := leafKey{name, size}
	leaves.Lock()
	der, ok := leaves.m[k]
	leaves.Unlock()
	if ok {
		return der, nil
	}
	h := sha256.Sum256([]byte(name))
	serial := binary.BigEndian.Uint64(h[:]) >> 2 // positive, 8 bytes of DER at most (RFC 5280 §4.1.2.2)
	smallest := 0
	for try := range uint64(8) {
		c := 0
		for i := 0; i < 8; i++ {
			der, err := ca.leaf(name, serial+try, c)
			if err != nil {
				return nil, err
			}
			if c == 0 && (smallest == 0 || len(der) < smallest) {
				smallest = len(der)
			}
			d := size - len(der)
			if d == 0 {
				leaves.Lock()
				if len(leaves.m) < maxLeaves {
					leaves.m[k] = der
				}
				leaves.Unlock()
				return der, nil
			}
			if c+d < 0 {
				break
			}
			c += d
		}
	}
	return nil, fmt.Errorf("no leaf certificate for %q of %d bytes (the smallest has %d)", name, size, smallest)
}

// leaf builds the leaf for name with a serial number and a comment of
// n characters.
func (ca *tlsCA) leaf(name string, serial uint64, n int) ([]byte, error) {
	text := commentText + strings.Repeat(".", max(0, n-len(commentText)))
	comment, err := asn1.MarshalWithParams(text[:n], "ia5")
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:    new(big.Int).SetUint64(serial),
		NotBefore:       time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:        time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		KeyUsage:        x509.KeyUsageDigitalSignature,
		ExtKeyUsage:     []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		ExtraExtensions: []pkix.Extension{{Id: oidNetscapeComment, Value: comment}},
	}
	if ip, err := netip.ParseAddr(name); err == nil {
		tmpl.IPAddresses = []net.IP{ip.AsSlice()}
	} else {
		tmpl.DNSNames = []string{name}
	}
	der, err := x509.CreateCertificate(nil, tmpl, ca.cert, &ca.leafKey.PublicKey, ca.key) // nil: RFC 6979
	if err != nil {
		return nil, fmt.Errorf("a certificate for %q: %w", name, err)
	}
	return der, nil
}
