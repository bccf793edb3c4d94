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

// field is one header field. A value the model builds from the request
// (the referer, content-length, the etag) is spelled out only when the
// field's text is wanted (HPACK, QPACK, a capture): HTTP/1.x counts a
// head's bytes, which need its length alone, so that sizing an HTTP/1.x
// head allocates nothing. Then value is empty and n is its length.
type field struct {
	name, value string
	n           int
}

// valueLen is the length of f's value.
func (f field) valueLen() int {
	if f.value == "" {
		return f.n
	}
	return len(f.value)
}

// spell chooses whether requestFields and responseFields write out the
// values they build, or only their lengths (see field).
type spell bool

const (
	spelled  spell = true
	measured spell = false
)

// requestFields appends a request's header fields to dst; callers pass a
// stack array's slice so that measuring a header allocates nothing. A
// spelled referer is referer if not empty (a caller that keeps it spelled
// once), else refererOf(host).
func requestFields(dst []field, host, referer string, r *Resource, how spell) []field {
	dst = append(dst,
		field{name: "host", value: host},
		field{name: "user-agent", value: userAgent},
		field{name: "accept", value: accept(r.Type)},
	)
	if r.Parent >= 0 {
		f := field{name: "referer", n: len("https://") + len(host) + len("/")}
		if how == spelled {
			f.value = referer
			if f.value == "" {
				f.value = refererOf(host)
			}
		}
		dst = append(dst, f)
	}
	return append(dst, field{name: "accept-encoding", value: acceptEncoding}, field{name: "accept-language", value: acceptLanguage})
}

// refererOf is the referer of a subresource of the page at host's root.
func refererOf(host string) string { return "https://" + host + "/" }

// etagSuffix follows the size in hex in the server's etag, as nginx
// writes one: the file's size and its modification time, both in hex.
const etagSuffix = `-65f1a2b0"`

// responseFields appends a response's header fields to dst.
func responseFields(dst []field, r *Resource, how spell) []field {
	length := field{name: "content-length", n: digits(uint64(r.Size), 10)}
	etag := field{name: "etag", n: len(`"`) + digits(uint64(r.Size), 16) + len(etagSuffix)}
	if how == spelled {
		length.value, etag.value = sizeValues(r.Size)
	}
	return append(dst,
		field{name: "date", value: dateValue},
		field{name: "server", value: serverName},
		field{name: "content-type", value: contentType(r.Type)},
		length,
		field{name: "last-modified", value: lastModified},
		etag,
		field{name: "cache-control", value: "max-age=3600"},
		field{name: "accept-ranges", value: "bytes"},
	)
}

// sizeValues spells a response's content-length and etag, the two values
// its size gives, in one string: one allocation, not three.
func sizeValues(size int) (length, etag string) {
	var b [64]byte
	t := strconv.AppendInt(b[:0], int64(size), 10)
	n := len(t)
	t = append(t, '"')
	t = strconv.AppendInt(t, int64(size), 16)
	t = append(t, etagSuffix...)
	both := string(t)
	return both[:n], both[n:]
}

// digits is how many digits v takes in base.
func digits(v uint64, base uint64) int {
	n := 1
	for v >= base {
		v /= base
		n++
	}
	return n
}

// maxFields bounds the header fields of one message here.
const maxFields = 12

// h1RequestBytes is the size of an HTTP/1.x request head (RFC 9112 §3):
// request line, fields, and the empty line.
func h1RequestBytes(host string, r *Resource, version string, keepAlive bool) int {
	n := len("GET ") + len(r.Path) + len(" HTTP/") + len(version) + 2
	var buf [maxFields]field
	for _, f := range requestFields(buf[:0], host, "", r, measured) {
		n += len(f.name) + 2 + f.valueLen() + 2
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
	for _, f := range responseFields(buf[:0], r, measured) {
		n += len(f.name) + 2 + f.valueLen() + 2
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
	// referer is the last request's referer and refHost its host: every
	// request of a connection has the same one, spelled once.
	referer, refHost string
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
	f := append(buf[:0], field{name: ":method", value: "GET"}, field{name: ":authority", value: host}, field{name: ":scheme", value: "https"}, field{name: ":path", value: r.Path})
	if c.refHost != host || c.referer == "" {
		c.referer, c.refHost = refererOf(host), host
	}
	f = requestFields(f, host, c.referer, r, spelled)
	f = append(f[:4], f[5:]...) // :authority replaces host (RFC 9113 §8.3.1)
	return c.size(f)
}

func (c *hpackCoder) response(r *Resource) int {
	var buf [maxFields + 2]field
	f := responseFields(append(buf[:0], field{name: ":status", value: "200"}), r, spelled)
	if c.altSvc {
		f = append(f, field{name: "alt-svc", value: AltSvcValue})
	}
	return c.size(f)
}
