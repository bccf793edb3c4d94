package model

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"testing"
	"time"
)

// quicTestChain is an ECDSA P-256 leaf for one name and its CA, as the
// testbed makes them, and its DER size.
func quicTestChain(t *testing.T) (tls.Certificate, *x509.CertPool, int) {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	ca := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "keepalive testbed CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	caCert, _ := x509.ParseCertificate(caDER)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	leaf := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "example.test"}, DNSNames: []string{"example.test"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour)}
	leafDER, err := x509.CreateCertificate(rand.Reader, leaf, caCert, &key.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(caCert)
	return tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: key}, pool, len(leafDER) + len(caDER)
}

// TestQUICHandshakeBytes runs TLS 1.3 handshakes through Go's crypto/tls
// QUIC API (the one quic-go drives), a full one then a resumed one, with
// empty transport parameters, and checks the model's CRYPTO bytes at
// each encryption level (quic_tls.go) against what it writes.
func TestQUICHandshakeBytes(t *testing.T) {
	cert, pool, der := quicTestChain(t)
	scfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13, NextProtos: []string{"h3"}}
	ccfg := &tls.Config{RootCAs: pool, ServerName: "example.test", MinVersion: tls.VersionTLS13, NextProtos: []string{"h3"},
		ClientSessionCache: tls.NewLRUClientSessionCache(4)}
	type level struct {
		server bool
		level  tls.QUICEncryptionLevel
	}
	for round, resumed := range []bool{false, true} {
		cli := tls.QUICClient(&tls.QUICConfig{TLSConfig: ccfg})
		srv := tls.QUICServer(&tls.QUICConfig{TLSConfig: scfg})
		cli.SetTransportParameters(nil)
		srv.SetTransportParameters(nil)
		ctx := context.Background()
		if err := cli.Start(ctx); err != nil {
			t.Fatal(err)
		}
		if err := srv.Start(ctx); err != nil {
			t.Fatal(err)
		}
		got := map[level]int{}
		for progress := true; progress; {
			progress = false
			for _, end := range []struct {
				server  bool
				c, peer *tls.QUICConn
			}{{false, cli, srv}, {true, srv, cli}} {
				for e := end.c.NextEvent(); e.Kind != tls.QUICNoEvent; e = end.c.NextEvent() {
					progress = true
					switch e.Kind {
					case tls.QUICWriteData:
						got[level{end.server, e.Level}] += len(e.Data)
						if err := end.peer.HandleData(e.Level, e.Data); err != nil {
							t.Fatal(err)
						}
					case tls.QUICTransportParametersRequired:
						end.c.SetTransportParameters(nil)
					case tls.QUICHandshakeDone:
						if end.server {
							if err := end.c.SendSessionTicket(tls.QUICSessionTicketOptions{}); err != nil {
								t.Fatal(err)
							}
						}
					}
				}
			}
		}
		hello, shello, shs := quicClientHello, quicServerHello, quicServerHandshake+der
		if resumed {
			hello, shello, shs = quicClientHelloPSK, quicServerHelloPSK, quicServerHandshakePSK
		}
		for _, c := range []struct {
			what string
			l    level
			want int
			tol  int
		}{
			{"ClientHello", level{false, tls.QUICEncryptionLevelInitial}, hello, 0},
			{"ServerHello", level{true, tls.QUICEncryptionLevelInitial}, shello, 0},
			// CertificateVerify's ECDSA signature is 70 to 72 bytes in DER.
			{"server Handshake flight", level{true, tls.QUICEncryptionLevelHandshake}, shs, 2},
			{"client Finished", level{false, tls.QUICEncryptionLevelHandshake}, quicClientFinished, 0},
			{"NewSessionTicket", level{true, tls.QUICEncryptionLevelApplication}, quicSessionTicket, 0},
		} {
			if d := got[c.l] - c.want; d < -c.tol || d > c.tol {
				t.Errorf("handshake %d (resumed %v): %s is %d bytes in crypto/tls, the model says %d", round, resumed, c.what, got[c.l], c.want)
			}
		}
	}
	if der < quicDefaultChain-4 || der > quicDefaultChain+4 {
		t.Errorf("the test's chain is %d bytes DER; quic.certificate's default says %d", der, quicDefaultChain)
	}
}
