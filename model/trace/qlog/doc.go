// Package qlog writes a run's QUIC connections as qlog files (the IETF
// qlog main schema, draft-ietf-quic-qlog-main-schema, with its QUIC and
// HTTP/3 events), in the JSON-SEQ serialization (RFC 7464) that quic-go
// writes and qvis (qvis.quictools.info) opens: one file per connection
// and vantage point, read from the run's trace records alone.
//
// The records name each datagram's packets and their frames' types
// ("Initial 0: CRYPTO PADDING + Handshake 0: CRYPTO"), not the frames'
// fields: a packet_sent event lists frame types, packet numbers and the
// datagram's size, not an ACK's ranges or a STREAM frame's offset.
package qlog
