package model

import "bytes"

// sizes is what each message weighs in a connection's TCP stream, and the
// one place where ideal mode and realistic sizes part. Realistic messages
// carry the heads of headers.go, HTTP/2's 9-byte frame headers, the TLS
// handshake flights of tls.go and TLS record overhead. Ideal mode is the
// textbook's: every head, request, handshake and control message is
// negligible (one weightless placeholder byte, see
// Endpoint.WriteNegligible) and a body is its bytes alone.
//
// Each method fills in the size fields of a message (size, head, body,
// neg, split) that its caller has labelled.
type sizes struct {
	ideal bool
	tls   TLSVersion // whose records carry what is sent after the handshake
	// bytes: a capture is taken, and each HTTP head is kept as sized
	// (message.wire), where the run would only count it.
	bytes bool
}

func sizesOf(cfg *Config) sizes { return sizes{ideal: cfg.Ideal, tls: cfg.TLS.Version} }

// wire is what n plaintext bytes take in the TCP stream.
func (z sizes) wire(n int) int {
	if z.ideal {
		return n
	}
	return n + tlsOverhead(z.tls, n)
}

// tlsFlight is a handshake flight of the given bytes, record headers
// included.
func (z sizes) tlsFlight(m *message, bytes int) {
	m.size, m.neg = bytes, z.ideal
}

// h1Request is an HTTP/1.x request head (a GET has no body).
func (z sizes) h1Request(m *message, host string, r *Resource, version string, keepAlive bool) {
	if z.ideal {
		m.neg = true
		return
	}
	m.headBytes = h1RequestBytes(host, r, version, keepAlive)
	m.size = z.wire(m.headBytes)
	if z.bytes {
		m.wire = &messageWire{head: []byte(H1RequestHead(host, r, version, keepAlive))}
	}
}

// h1Response is an HTTP/1.x response: its head, then r's body. The
// server's first write to TCP is firstWrite bytes (0: the whole response
// at once, as the textbook's server does).
func (z sizes) h1Response(m *message, r *Resource, version string, keepAlive bool, firstWrite int) {
	if !z.ideal {
		m.head = h1ResponseBytes(r, version, keepAlive)
		if z.bytes {
			m.wire = &messageWire{head: []byte(H1ResponseHead(r, version, keepAlive))}
		}
	}
	m.headBytes = m.head
	m.body = r.Size
	m.size = z.wire(m.head + r.Size)
	m.neg = m.size == 0
	if firstWrite > 0 && !z.ideal {
		m.split = z.wire(firstWrite)
	}
}

// h1Timeout is a "408 Request Timeout" response.
func (z sizes) h1Timeout(m *message) {
	if z.ideal {
		m.neg = true
		return
	}
	m.size = z.wire(h1TimeoutBytes())
	if z.bytes {
		m.wire = &messageWire{head: []byte(H1TimeoutText())}
	}
}

// h2Control is a group of HTTP/2 control frames of n bytes.
func (z sizes) h2Control(m *message, n int) {
	m.size, m.neg = z.wire(n), z.ideal
}

// h2Request is a request's HEADERS frame, its block encoded by c: in
// ideal mode nothing is encoded, since nothing is sent.
func (z sizes) h2Request(m *message, c *hpackCoder, host string, r *Resource) {
	if z.ideal {
		m.neg = true
		return
	}
	m.headBytes = frameHeader + c.request(host, r)
	m.size = z.wire(m.headBytes)
	z.keepBlock(m, c)
}

// h2Response is a response's HEADERS frame, its block encoded by c.
func (z sizes) h2Response(m *message, c *hpackCoder, r *Resource) {
	if z.ideal {
		m.neg = true
		return
	}
	m.headBytes = frameHeader + c.response(r)
	m.size = z.wire(m.headBytes)
	z.keepBlock(m, c)
}

// keepBlock keeps the HPACK block c just encoded for m, when a capture
// is taken.
func (z sizes) keepBlock(m *message, c *hpackCoder) {
	if z.bytes {
		m.wire = &messageWire{head: bytes.Clone(c.buf.Bytes())}
	}
}

// h2Data is a DATA frame carrying n body bytes.
func (z sizes) h2Data(m *message, n int) {
	if !z.ideal {
		m.head = frameHeader
	}
	m.body = n
	m.size = z.wire(m.head + n)
}

// tlsOverhead returns the record bytes TLS adds to n bytes of application
// data: one record per 16,384 bytes (RFC 8446 §5.1), each with a 5-byte
// header and, for AES-128-GCM, a 16-byte tag, plus the inner content type
// in TLS 1.3 (§5.2) or an 8-byte explicit nonce in TLS 1.2 (RFC 5288 §3).
func tlsOverhead(v TLSVersion, n int) int {
	per := 0
	switch v {
	case TLS13:
		per = 5 + 1 + 16
	case TLS12:
		per = 5 + 8 + 16
	default:
		return 0
	}
	return (n + 16383) / 16384 * per
}
