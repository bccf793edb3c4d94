// Package http3 holds the sizes of HTTP/3's bytes on QUIC streams (RFC
// 9114) and of its QPACK-encoded field sections (RFC 9204): the frames
// (DATA, HEADERS, SETTINGS, GOAWAY) with their type and length, the
// unidirectional streams' type bytes, and a request's or response's
// field section as quic-go's QPACK encoder (github.com/quic-go/qpack)
// writes it: the static table and Huffman-coded literals, no dynamic
// table, which is what quic-go, the testbed's real HTTP/3, sends.
//
// It is part of the HTTP/3 model (issue 16), which will charge these
// sizes the way model charges HPACK's for HTTP/2.
package http3
