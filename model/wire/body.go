package wire

import (
	"bytes"
	"strings"
)

// Body is a response body of n bytes that its Content-Type's dissector
// in Wireshark reads without calling it malformed: a JPEG, its JFIF
// header and comment segments between its start and end markers (ITU
// T.81 §B.2), a JSON object of spaces (RFC 8259), dots for the text
// types. The model has no bodies, only their sizes.
func Body(contentType string, n int) []byte {
	switch {
	case contentType == "image/jpeg" && n >= 22 && (n-22 == 0 || n-22 >= 4):
		b := append(make([]byte, 0, n), 0xff, 0xd8) // SOI
		// APP0, the JFIF header (JFIF 1.02 §2): "JFIF", version 1.01,
		// no units, a 1:1 density, no thumbnail.
		b = append(b, 0xff, 0xe0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0)
		for rest := n - 22; rest > 0; {
			// A COM segment: FF FE, then a length that counts itself.
			seg := min(rest, 2+65535)
			if r := rest - seg; r > 0 && r < 4 {
				seg -= 4 - r // leave room for a last segment of 4 or more
			}
			l := seg - 2
			b = append(b, 0xff, 0xfe, byte(l>>8), byte(l))
			b = append(b, bytes.Repeat([]byte{' '}, l-2)...)
			rest -= seg
		}
		return append(b, 0xff, 0xd9) // EOI
	case contentType == "application/json" && n >= 2:
		return []byte("{" + strings.Repeat(" ", n-2) + "}")
	case contentType == "application/json" && n == 1:
		return []byte("0")
	}
	return bytes.Repeat([]byte{'.'}, n)
}
