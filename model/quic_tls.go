package model

import "github.com/keepalive-sim/keepalive/model/quic"

// The TLS 1.3 handshake inside QUIC's CRYPTO frames (RFC 9001 §4): the
// handshake messages alone, without TLS records or ChangeCipherSpec
// (§8.4), each at its encryption level. Measured from Go 1.26's
// crypto/tls QUIC API, which quic-go drives (TestQUICHandshakeBytes
// runs a handshake through it and checks every number here): ECDHE with
// an X25519MLKEM768 key share, as in the TCP model's flights (tls.go).
const (
	// quicClientHello and quicClientHelloPSK are the ClientHello, full
	// and resuming, without the transport parameters extension's body
	// (quicTransportParams adds it). With the hybrid key share it does not
	// fit one 1,200-byte Initial packet: the client sends two.
	quicClientHello    = 1462
	quicClientHelloPSK = 1614
	// quicServerHello and quicServerHelloPSK are the ServerHello
	// (Initial level).
	quicServerHello    = 1178
	quicServerHelloPSK = 1184
	// quicServerHandshake is the server's Handshake level besides the
	// certificate chain: EncryptedExtensions (ALPN "h3"), the Certificate
	// message's framing, CertificateVerify (an ECDSA P-256 signature,
	// 70 to 72 bytes in DER) and Finished; quicServerHandshakePSK is a
	// resumed one's EncryptedExtensions and Finished.
	quicServerHandshake    = 156
	quicServerHandshakePSK = 55
	// quicClientFinished is the client's Finished (Handshake level).
	quicClientFinished = 36
	// quicSessionTicket is the server's NewSessionTicket, sent at the
	// 1-RTT level once the handshake completes (Go's server sends one).
	quicSessionTicket = 122
	// quicDefaultChain is the DER size of the chain TestQUICHandshakeBytes
	// makes, an ECDSA P-256 leaf for one name and its CA: the default
	// quic.certificate.
	quicDefaultChain = 728
)

// quicTransportParams is the transport parameters extension's body an
// endpoint sends (RFC 9000 §18): each parameter as an identifier, a
// length and a value, for those quic-go sends (its
// wire.TransportParameters.Marshal) — the flow-control windows and
// stream limits, max_idle_timeout, max_udp_payload_size,
// initial_source_connection_id, and at the server
// original_destination_connection_id and stateless_reset_token. quic-go
// also adds a reserved parameter of 0 to 15 random bytes (§18.1), which
// the model leaves out.
func quicTransportParams(server bool, cfg *QUICConfig, p quicProfileFacts) int {
	varint := func(id, v uint64) int {
		return quic.VarintLen(id) + quic.VarintLen(uint64(quic.VarintLen(v))) + quic.VarintLen(v)
	}
	bytesParam := func(id uint64, n int) int { return quic.VarintLen(id) + quic.VarintLen(uint64(n)) + n }
	win := func(w int) uint64 { return uint64(windowOf(w)) & quic.MaxVarint }
	streams := uint64(windowOf(cfg.MaxStreams)) & (1<<60 - 1)
	n := varint(0x05, win(cfg.StreamWindow)) + varint(0x06, win(cfg.StreamWindow)) + varint(0x07, win(cfg.StreamWindow)) +
		varint(0x04, win(cfg.ConnWindow)) + varint(0x08, streams) + varint(0x09, 100) +
		varint(0x01, uint64(cfg.IdleTimeout/1e6)) + varint(0x03, uint64(p.maxUDP)) +
		bytesParam(0x0f, p.cid)
	if server {
		// The client's first Destination Connection ID, at least 8 bytes
		// (RFC 9000 §7.2).
		n += bytesParam(0x00, max(8, p.cid)) + bytesParam(0x02, 16)
	}
	return n
}

// quicProfileFacts are what the transport parameters depend on.
type quicProfileFacts struct{ maxUDP, cid int }
