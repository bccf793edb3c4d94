package cpucost

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"runtime"
	"slices"
	"time"
)

// Key is the kind of key a server's certificate holds: the server signs
// with it in every full handshake (RFC 8446 §4.4.3 CertificateVerify;
// RFC 5246 §7.4.3 ServerKeyExchange), the cost that dominates one.
type Key int

// The keys measured.
const (
	ECDSAP256 Key = iota // ECDSA on P-256 (FIPS 186-5), what the testbed's certificates use
	RSA2048              // RSA with a 2048-bit modulus, RSA-PSS signatures in TLS 1.3
)

func (k Key) String() string {
	if k == RSA2048 {
		return "rsa-2048"
	}
	return "ecdsa-p256"
}

// Keys lists the keys in order.
var Keys = []Key{ECDSAP256, RSA2048}

// Versions lists the TLS versions measured, as crypto/tls numbers them.
var Versions = []uint16{tls.VersionTLS12, tls.VersionTLS13}

// Figures are one machine's measured costs, each the median over Reps
// repetitions of the server's processor time.
type Figures struct {
	// Accept is one accept(2) of a connection already in the listen
	// queue, with Go's netFD set-up (net.Listener.Accept).
	Accept time.Duration
	// Full is a full handshake by key and version: Full[key][0] is TLS
	// 1.2, Full[key][1] TLS 1.3.
	Full [2][2]time.Duration
	// Resumed is an abbreviated handshake from a session ticket by
	// version (RFC 5077; RFC 8446 §2.2, psk_dhe_ke in Go, so TLS 1.3's
	// still makes a key exchange): no certificate, no signature.
	Resumed [2]time.Duration
	// EncryptPerKiB is AES-128-GCM sealing of 16 KiB records (TLS's
	// largest, RFC 8446 §5.1), per KiB.
	EncryptPerKiB time.Duration
	Reps          int
	// Go, OS, Arch and CPUs say where they were measured; Clock what was
	// read.
	Go, OS, Arch string
	CPUs         int
	Clock        string
}

// VersionIndex is a TLS version's index in Figures.Full and Resumed.
func VersionIndex(v uint16) int {
	if v == tls.VersionTLS13 {
		return 1
	}
	return 0
}

// Measure measures every figure reps times (at least 1) and keeps the
// medians.
func Measure(reps int) (Figures, error) {
	reps = max(reps, 1)
	f := Figures{Reps: reps, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH, CPUs: runtime.NumCPU(), Clock: threadClock}
	var err error
	if f.Accept, err = measureAccept(reps); err != nil {
		return f, fmt.Errorf("cpucost: accept: %w", err)
	}
	for _, k := range Keys {
		cert, err := Certificate(k)
		if err != nil {
			return f, fmt.Errorf("cpucost: %s certificate: %w", k, err)
		}
		for _, v := range Versions {
			if f.Full[k][VersionIndex(v)], err = measureHandshake(cert, v, false, reps); err != nil {
				return f, fmt.Errorf("cpucost: %s %s full handshake: %w", k, tls.VersionName(v), err)
			}
			if k == ECDSAP256 { // a resumed handshake uses no certificate
				if f.Resumed[VersionIndex(v)], err = measureHandshake(cert, v, true, reps); err != nil {
					return f, fmt.Errorf("cpucost: %s resumed handshake: %w", tls.VersionName(v), err)
				}
			}
		}
	}
	f.EncryptPerKiB = measureAESGCM(reps)
	return f, nil
}

// One is the figures one server needs: its accept and encryption, and
// the full and resumed handshakes of its key and version (zero when it
// runs no TLS).
type One struct {
	Accept, Full, Resumed, EncryptPerKiB time.Duration
}

// MeasureOne measures, reps times each, only what a server with key k
// under TLS version v needs (v 0: no TLS, no handshakes): what a run
// that measures its machine at start-up asks for, at a fraction of
// Measure's time.
func MeasureOne(k Key, v uint16, reps int) (One, error) {
	reps = max(reps, 1)
	var o One
	var err error
	if o.Accept, err = measureAccept(reps); err != nil {
		return o, fmt.Errorf("cpucost: accept: %w", err)
	}
	o.EncryptPerKiB = measureAESGCM(reps)
	if v == 0 {
		return o, nil
	}
	cert, err := Certificate(k)
	if err != nil {
		return o, fmt.Errorf("cpucost: %s certificate: %w", k, err)
	}
	if o.Full, err = measureHandshake(cert, v, false, reps); err != nil {
		return o, fmt.Errorf("cpucost: %s %s full handshake: %w", k, tls.VersionName(v), err)
	}
	if o.Resumed, err = measureHandshake(cert, v, true, reps); err != nil {
		return o, fmt.Errorf("cpucost: %s resumed handshake: %w", tls.VersionName(v), err)
	}
	return o, nil
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
}

// onThread runs fn on a goroutine locked to its thread and returns the
// thread's processor time fn took.
func onThread(fn func() error) (time.Duration, error) {
	type result struct {
		d   time.Duration
		err error
	}
	done := make(chan result)
	go func() {
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		t0 := threadCPU()
		err := fn()
		done <- result{threadCPU() - t0, err}
	}()
	r := <-done
	return r.d, r.err
}

// measureAccept dials reps connections to a loopback listener, waits for
// the kernel to queue them all, then times each Accept.
func measureAccept(reps int) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	var clients []net.Conn
	defer func() {
		for _, c := range clients {
			c.Close()
		}
	}()
	var times []time.Duration
	for len(times) < reps {
		n := min(reps-len(times), 64) // well inside the listen backlog
		for range n {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				return 0, err
			}
			clients = append(clients, c)
		}
		for range n {
			var c net.Conn
			d, err := onThread(func() (err error) { c, err = ln.Accept(); return err })
			if err != nil {
				return 0, err
			}
			c.Close()
			times = append(times, d)
		}
	}
	return median(times), nil
}

// measureHandshake times the server side of reps handshakes over
// loopback TCP, resuming the client's last session when resumed.
func measureHandshake(cert tls.Certificate, v uint16, resumed bool, reps int) (time.Duration, error) {
	srv := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: v, MaxVersion: v}
	cli := &tls.Config{InsecureSkipVerify: true, MinVersion: v, MaxVersion: v, ServerName: "www.example.com"} //nolint:gosec // the client only measures the server
	if resumed {
		cli.ClientSessionCache = tls.NewLRUClientSessionCache(1)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	var times []time.Duration
	for i := -1; i < reps; i++ { // the first, unmeasured, gives the client a ticket
		d, did, err := handshakeOnce(ln, srv, cli)
		if err != nil {
			return 0, err
		}
		if i >= 0 {
			if did != resumed {
				return 0, fmt.Errorf("handshake %d resumed: %v, want %v", i, did, resumed)
			}
			times = append(times, d)
		}
	}
	return median(times), nil
}

// handshakeOnce connects a client to ln and returns the processor time
// of the server's Handshake and whether it resumed a session. The
// server then writes one byte, which the client reads after any session
// ticket, so that the next handshake can resume.
func handshakeOnce(ln net.Listener, srv, cli *tls.Config) (time.Duration, bool, error) {
	cerr := make(chan error, 1)
	go func() {
		c, err := tls.Dial("tcp", ln.Addr().String(), cli)
		if err != nil {
			cerr <- err
			return
		}
		defer c.Close()
		_, err = io.ReadFull(c, make([]byte, 1))
		cerr <- err
	}()
	raw, err := ln.Accept()
	if err != nil {
		return 0, false, err
	}
	defer raw.Close()
	s := tls.Server(raw, srv)
	d, err := onThread(s.Handshake)
	if err != nil {
		return 0, false, errors.Join(err, <-cerr)
	}
	if _, err := s.Write([]byte{1}); err != nil {
		return 0, false, err
	}
	if err := <-cerr; err != nil {
		return 0, false, err
	}
	return d, s.ConnectionState().DidResume, nil
}

// measureAESGCM times sealing 64 records of 16 KiB with AES-128-GCM,
// reps times, and returns the median per KiB.
func measureAESGCM(reps int) time.Duration {
	const record, records = 16 << 10, 64
	block, _ := aes.NewCipher(make([]byte, 16))
	aead, _ := cipher.NewGCM(block)
	nonce := make([]byte, aead.NonceSize())
	plain := make([]byte, record)
	out := make([]byte, 0, record+aead.Overhead())
	ad := make([]byte, 5) // a TLS 1.3 record header (RFC 8446 §5.2)
	var times []time.Duration
	for range reps {
		d, _ := onThread(func() error {
			for i := range records {
				nonce[0] = byte(i)
				out = aead.Seal(out[:0], nonce, plain, ad)
			}
			return nil
		})
		times = append(times, d/(records*record>>10))
	}
	return median(times)
}

// Certificate makes a self-signed certificate for www.example.com with a
// key of kind k: the server side of a measurement (scenarios/memcost uses
// it too).
func Certificate(k Key) (tls.Certificate, error) {
	var pub, priv any
	switch k {
	case RSA2048:
		key, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			return tls.Certificate{}, err
		}
		pub, priv = &key.PublicKey, key
	default:
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return tls.Certificate{}, err
		}
		pub, priv = &key.PublicKey, key
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "www.example.com"},
		DNSNames:  []string{"www.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, pub, priv)
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: priv}, nil
}
