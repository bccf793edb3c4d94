//go:build linux

package testbed

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/net/http2"

	"github.com/keepalive-sim/keepalive/model"
)

// ServerCommand is the hidden command of the real web server (ServerMain).
const ServerCommand = "__testbed-server"

// The server's ports.
const (
	plainPort = 8080
	tlsPort   = 8443
)

// filler is the body bytes of every response (their content does not
// matter, only their number).
var filler = make([]byte, 64<<10)

// ServerMain serves spec's resources with Go's net/http (HTTP/1.0 and
// HTTP/1.1, pipelined requests answered in order) or golang.org/x/net/http2
// (cleartext with prior knowledge, or over TLS with ALPN h2), after each
// resource's think time and with the header fields the simulator counts.
// It says "ready" once listening and serves until killed.
func ServerMain(arg string, stdout io.Writer) error {
	var spec LoadSpec
	if err := json.Unmarshal([]byte(arg), &spec); err != nil {
		return fmt.Errorf("testbed: server arguments: %w", err)
	}
	byPath := map[string]*model.Resource{}
	for i := range spec.Resources {
		byPath[spec.Resources[i].Path] = &spec.Resources[i]
	}
	handler := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r, ok := byPath[req.URL.Path]
		if !ok {
			http.NotFound(w, req)
			return
		}
		if r.Think > 0 {
			time.Sleep(r.Think)
		}
		h := w.Header()
		for _, f := range model.ResponseFields(r) {
			h[http.CanonicalHeaderKey(f.Name)] = []string{f.Value}
		}
		if req.ProtoMajor == 1 {
			if req.ProtoMinor == 0 || req.Close {
				h.Set("Connection", "close")
			} else {
				h.Set("Connection", "keep-alive")
			}
		}
		w.WriteHeader(http.StatusOK)
		for left := r.Size; left > 0; {
			n := min(left, len(filler))
			if _, err := w.Write(filler[:n]); err != nil {
				return
			}
			left -= n
		}
	})
	h2 := &http2.Server{MaxReadFrameSize: 16384}
	if spec.MaxStreams > 0 {
		h2.MaxConcurrentStreams = uint32(spec.MaxStreams)
	}
	if spec.Protocol == model.HTTP3.String() {
		tlsConf, err := serverTLS(spec)
		if err != nil {
			return err
		}
		return serveH3(spec, handler, tlsConf, stdout)
	}
	port := plainPort
	var tlsConf *tls.Config
	if spec.TLS != "none" {
		var err error
		if tlsConf, err = serverTLS(spec); err != nil {
			return err
		}
		port = tlsPort
	}
	l, err := net.Listen("tcp4", net.JoinHostPort(ServerAddr.String(), strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("testbed: server: %w", err)
	}
	fmt.Fprintln(stdout, "ready")
	if spec.Protocol == model.HTTP2.String() {
		for {
			c, err := l.Accept()
			if err != nil {
				return err
			}
			go func() {
				if tlsConf != nil {
					tc := tls.Server(c, tlsConf)
					if err := tc.Handshake(); err != nil {
						c.Close()
						return
					}
					c = tc
				}
				h2.ServeConn(c, &http2.ServeConnOpts{Handler: handler})
			}()
		}
	}
	srv := &http.Server{Handler: handler, TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){}}
	if tlsConf != nil {
		l = tls.NewListener(l, tlsConf)
	}
	err = srv.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// serverTLS is the server's TLS configuration: the version the spec asks
// for, ALPN for its protocol, and a fresh two-certificate ECDSA P-256
// chain (a CA and the host's certificate), as the simulator assumes.
func serverTLS(spec LoadSpec) (*tls.Config, error) {
	ca, caKey, err := newCert(nil, nil, "keepalive testbed CA", true)
	if err != nil {
		return nil, err
	}
	leaf, leafKey, err := newCert(ca, caKey, spec.Host, false)
	if err != nil {
		return nil, err
	}
	v := uint16(tls.VersionTLS13)
	if spec.TLS == "1.2" {
		v = tls.VersionTLS12
	}
	proto := "http/1.1"
	switch spec.Protocol {
	case model.HTTP2.String():
		proto = "h2"
	case model.HTTP3.String():
		proto = "h3"
	}
	// Records of 16 KB, as nginx writes them (ssl_buffer_size) and the
	// simulator assumes (model.tlsOverhead): Go's default starts with
	// records that fit one segment, which would make the real page's TLS
	// overhead and packets another server's.
	return &tls.Config{
		DynamicRecordSizingDisabled: true,
		MinVersion:                  v, MaxVersion: v, NextProtos: []string{proto},
		Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.Raw, ca.Raw}, PrivateKey: leafKey, Leaf: leaf}},
	}, nil
}

func newCert(parent *x509.Certificate, parentKey *ecdsa.PrivateKey, name string, isCA bool) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: isCA, BasicConstraintsValid: true,
	}
	if isCA {
		tmpl.KeyUsage = x509.KeyUsageCertSign
		parent, parentKey = tmpl, key
	} else {
		tmpl.DNSNames = []string{name}
		tmpl.KeyUsage = x509.KeyUsageDigitalSignature
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	return cert, key, err
}
