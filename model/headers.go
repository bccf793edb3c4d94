package model

import (
	"bytes"
	"strconv"

	"golang.org/x/net/http2/hpack"
)

// The header fields a current desktop Chrome sends for a subresource and a
// typical nginx answer. Their byte counts are what "realistic header
// sizes" means here: an HTTP/1.1 request head of about 450 bytes and a
// response head of about 300, which HPACK shrinks on a reused HTTP/2
// connection (RFC 7541) because most fields repeat.
const (
	userAgent      = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	acceptEncoding = "gzip, deflate, br, zstd"
	acceptLanguage = "en-US,en;q=0.9"
	serverName     = "nginx/1.27.3"
	dateValue      = "Wed, 25 Nov 2026 17:00:00 GMT"
	lastModified   = "Mon, 02 Nov 2026 10:00:00 GMT"
)

func accept(t ResourceType) string {
	switch t {
	case HTML:
		return "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"
	case CSS:
		return "text/css,*/*;q=0.1"
	case Image:
		return "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"
	}
	return "*/*"
}

func contentType(t ResourceType) string {
	switch t {
	case HTML:
		return "text/html; charset=utf-8"
	case CSS:
		return "text/css"
	case JS:
		return "application/javascript"
	case Image:
		return "image/jpeg"
	case Font:
		return "font/woff2"
	case JSON:
		return "application/json"
	}
	return "application/octet-stream"
}

type field struct{ name, value string }

// requestFields appends a request's header fields to dst; callers pass a
// stack array's slice so that measuring a header allocates nothing.
func requestFields(dst []field, host string, r *Resource) []field {
	dst = append(dst,
		field{"host", host},
		field{"user-agent", userAgent},
		field{"accept", accept(r.Type)},
	)
	if r.Parent >= 0 {
		dst = append(dst, field{"referer", "https://" + host + "/"})
	}
	return append(dst, field{"accept-encoding", acceptEncoding}, field{"accept-language", acceptLanguage})
}

// responseFields appends a response's header fields to dst.
func responseFields(dst []field, r *Resource) []field {
	return append(dst,
		field{"date", dateValue},
		field{"server", serverName},
		field{"content-type", contentType(r.Type)},
		field{"content-length", strconv.Itoa(r.Size)},
		field{"last-modified", lastModified},
		field{"etag", `"` + strconv.FormatInt(int64(r.Size), 16) + `-65f1a2b0"`},
		field{"cache-control", "max-age=3600"},
		field{"accept-ranges", "bytes"},
	)
}

// maxFields bounds the header fields of one message here.
const maxFields = 12

// h1RequestBytes is the size of an HTTP/1.x request head (RFC 9112 §3):
// request line, fields, and the empty line.
func h1RequestBytes(host string, r *Resource, version string, keepAlive bool) int {
	n := len("GET ") + len(r.Path) + len(" HTTP/") + len(version) + 2
	var buf [maxFields]field
	for _, f := range requestFields(buf[:0], host, r) {
		n += len(f.name) + 2 + len(f.value) + 2
	}
	if keepAlive {
		n += len("connection: keep-alive\r\n")
	} else if version == "1.1" {
		n += len("connection: close\r\n")
	}
	return n + 2
}

// h1ResponseBytes is the size of an HTTP/1.x response head (RFC 9112 §4).
func h1ResponseBytes(r *Resource, version string, keepAlive bool) int {
	n := len("HTTP/") + len(version) + len(" 200 OK\r\n")
	var buf [maxFields]field
	for _, f := range responseFields(buf[:0], r) {
		n += len(f.name) + 2 + len(f.value) + 2
	}
	if keepAlive {
		n += len("connection: keep-alive\r\n")
	} else {
		n += len("connection: close\r\n")
	}
	return n + 2
}

// h1TimeoutBytes is the size of the "408 Request Timeout" a server may
// send before closing an idle connection (RFC 9110 §15.5.9).
func h1TimeoutBytes() int {
	return len("HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\ndate: ") + len(dateValue) + len("\r\nserver: ") + len(serverName) + 4
}

// hpackCoder measures HPACK header blocks (RFC 7541) with one encoder
// per direction of a connection, so its dynamic table remembers fields
// sent before and repeated ones cost a byte or two.
type hpackCoder struct {
	buf bytes.Buffer
	enc *hpack.Encoder
	// altSvc adds an Alt-Svc field to responses (RFC 7838 §3), as a
	// server that speaks HTTP/3 announces it over HTTP/2.
	altSvc bool
}

// AltSvcValue announces HTTP/3 on the same port for a day, as servers
// commonly do (RFC 7838 §3: ma is in seconds).
const AltSvcValue = `h3=":443"; ma=86400`

func newHPACK() *hpackCoder {
	c := &hpackCoder{}
	c.enc = hpack.NewEncoder(&c.buf)
	return c
}

func (c *hpackCoder) size(fields []field) int {
	c.buf.Reset()
	for _, f := range fields {
		// The encoder only errors on a nil writer's failure; bytes.Buffer never fails.
		_ = c.enc.WriteField(hpack.HeaderField{Name: f.name, Value: f.value})
	}
	return c.buf.Len()
}

func (c *hpackCoder) request(host string, r *Resource) int {
	var buf [maxFields + 4]field
	f := append(buf[:0], field{":method", "GET"}, field{":authority", host}, field{":scheme", "https"}, field{":path", r.Path})
	f = requestFields(f, host, r)
	f = append(f[:4], f[5:]...) // :authority replaces host (RFC 9113 §8.3.1)
	return c.size(f)
}

func (c *hpackCoder) response(r *Resource) int {
	var buf [maxFields + 2]field
	f := responseFields(append(buf[:0], field{":status", "200"}), r)
	if c.altSvc {
		f = append(f, field{"alt-svc", AltSvcValue})
	}
	return c.size(f)
}
