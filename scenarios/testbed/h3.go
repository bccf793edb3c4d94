//go:build linux

package testbed

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"

	"github.com/quic-go/quic-go"
	"github.com/quic-go/quic-go/http3"

	"github.com/keepalive-sim/keepalive/model"
)

// HTTP/3 in the bed: quic-go's http3.Server and its client connection,
// over UDP on the server's TLS port. Both ends run quic-go's defaults but
// for what the scenario's quic section sets, and two departures that make
// the comparison like for like: path MTU discovery is off, so datagrams
// stay at the scenario's max_datagram (1,280 bytes, quic-go's size
// before discovery), which the model keeps for the whole connection; and
// GSO is off (QUIC_GO_DISABLE_GSO), so that the kernel's Udp counters
// count datagrams, not batches.

// quicConfig is both ends' quic.Config.
func quicConfig(q QUICSpec) *quic.Config {
	return &quic.Config{
		InitialPacketSize:              uint16(q.MaxDatagram),
		DisablePathMTUDiscovery:        true,
		InitialStreamReceiveWindow:     uint64(q.StreamWindow),
		MaxStreamReceiveWindow:         uint64(q.MaxStreamWindow),
		InitialConnectionReceiveWindow: uint64(q.ConnWindow),
		MaxConnectionReceiveWindow:     uint64(q.MaxConnWindow),
		MaxIncomingStreams:             int64(q.MaxStreams),
		MaxIdleTimeout:                 q.IdleTimeout,
	}
}

// disableGSO keeps quic-go from batching datagrams (sys_conn_helper_linux.go).
func disableGSO() { os.Setenv("QUIC_GO_DISABLE_GSO", "true") }

// serveH3 serves handler over HTTP/3 until the process is killed: quic-go's
// early listener, as http3.Server.ListenAndServe makes it, so that the
// server's SETTINGS leave as 0.5-RTT data.
func serveH3(spec LoadSpec, handler http.Handler, tlsConf *tls.Config, stdout io.Writer) error {
	disableGSO()
	pc, err := net.ListenUDP("udp4", &net.UDPAddr{IP: ServerAddr.AsSlice(), Port: tlsPort})
	if err != nil {
		return fmt.Errorf("testbed: server: %w", err)
	}
	tr := &quic.Transport{Conn: pc}
	ln, err := tr.ListenEarly(http3.ConfigureTLSConfig(tlsConf), quicConfig(spec.QUIC))
	if err != nil {
		return fmt.Errorf("testbed: server: %w", err)
	}
	fmt.Fprintln(stdout, "ready")
	srv := &http3.Server{Handler: handler}
	return srv.ServeListener(ln)
}

// h3conn is the browser's one HTTP/3 connection.
type h3conn struct {
	b     *browser
	cc    *http3.ClientConn
	ready bool
	// QUIC's handshake is TLS's: connect and TLS start together, and
	// there is no TCP handshake to end.
	setup
}

func (b *browser) dispatchH3() {
	if len(b.queue) == 0 {
		return
	}
	if b.h3 == nil {
		b.openH3()
		return
	}
	if !b.h3.ready {
		return
	}
	// Every request at once, as the model's browser: quic-go's stream
	// limit (MAX_STREAMS) holds back what it must.
	for _, i := range b.queue {
		b.h3.request(i)
	}
	b.queue = b.queue[:0]
}

// openH3 dials the server: the ClientHello leaves now; the connection is
// ready when the handshake completes at the client (quic.Transport.Dial
// returns then), as the model's client sends its requests with its 1-RTT
// keys.
func (b *browser) openH3() {
	disableGSO()
	b.nconns++
	now := b.now()
	h := &h3conn{b: b, setup: setup{connect: now, connectEnd: -1, tlsStart: now, tlsEnd: -1}}
	b.h3 = h
	pc, err := net.ListenUDP("udp4", nil)
	if err != nil {
		b.failure = fmt.Errorf("connection 1: %w", err)
		return
	}
	tr := &quic.Transport{Conn: pc}
	go func() {
		conn, err := tr.Dial(context.Background(), &net.UDPAddr{IP: ServerAddr.AsSlice(), Port: tlsPort},
			clientTLS(b.spec, http3.NextProtoH3), quicConfig(b.spec.QUIC))
		if err != nil {
			b.events <- event{kind: evFailed, err: fmt.Errorf("connection 1: QUIC: %w", err)}
			return
		}
		h.cc = (&http3.Transport{DisableCompression: true}).NewClientConn(conn)
		b.events <- event{kind: evH2Write, frames: func() {
			h.ready, h.tlsEnd = true, b.now()
			b.dispatch()
		}}
	}()
}

// request sends the request for resource i on a stream of its own and
// reads its response in the background.
func (h *h3conn) request(i int) {
	b := h.b
	r := &b.res[i]
	r.conn = 1
	h.charge(r)
	res := &b.spec.Resources[i]
	u, err := url.Parse("https://" + b.spec.Host + res.Path)
	if err != nil {
		b.failure = fmt.Errorf("HTTP/3: %s: %w", res.Path, err)
		return
	}
	// The header fields the model's browser sends (model/headers.go),
	// Host as :authority; DisableCompression keeps quic-go's client from
	// adding its own Accept-Encoding.
	req := &http.Request{Method: http.MethodGet, URL: u, Host: b.spec.Host, Header: http.Header{}}
	for _, f := range model.RequestFields(b.spec.Host, res)[1:] {
		req.Header[f.Name] = append(req.Header[f.Name], f.Value)
	}
	r.sent = b.now()
	go func() {
		resp, err := h.cc.RoundTrip(req)
		if err != nil {
			b.events <- event{kind: evFailed, err: fmt.Errorf("HTTP/3: %s: %w", res.Path, err)}
			return
		}
		defer resp.Body.Close()
		b.events <- event{kind: evFirstByte, res: i, at: b.now()}
		buf := make([]byte, 64<<10)
		for got := 0; ; {
			n, err := resp.Body.Read(buf)
			if n > 0 {
				got += n
				b.events <- event{kind: evProgress, res: i, bytes: got}
			}
			if err == io.EOF {
				break
			}
			if err != nil {
				b.events <- event{kind: evFailed, err: fmt.Errorf("HTTP/3: the body of %s: %w", res.Path, err)}
				return
			}
		}
		b.events <- event{kind: evDone, res: i, at: b.now()}
	}()
}
