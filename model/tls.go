package model

// TLS handshake flights, in bytes on the wire including record headers,
// for ECDHE with an ECDSA P-256 certificate chain of two certificates —
// typical sizes measured from real handshakes, not fixed by the RFCs:
const (
	clientHelloBytes   = 517  // Chrome pads its ClientHello to 512 bytes + record header (RFC 7685)
	clientHelloPSK     = 740  // plus a pre_shared_key / session ticket of ~220 bytes
	tls13ServerFlight  = 2400 // ServerHello, ChangeCipherSpec, EncryptedExtensions, Certificate, CertificateVerify, Finished (RFC 8446 §2)
	tls13ServerResumed = 250  // ServerHello, EncryptedExtensions, Finished (RFC 8446 §2.2)
	tls13ClientFin     = 64   // ChangeCipherSpec + Finished
	tls13Ticket        = 250  // NewSessionTicket, after the handshake (RFC 8446 §4.6.1)
	tls12ServerFlight  = 2450 // ServerHello, Certificate, ServerKeyExchange, ServerHelloDone (RFC 5246 §7.3)
	tls12ClientFlight  = 126  // ClientKeyExchange, ChangeCipherSpec, Finished
	tls12ServerFin     = 250  // NewSessionTicket (RFC 5077), ChangeCipherSpec, Finished
	tls12ServerResumed = 151  // ServerHello, ChangeCipherSpec, Finished (RFC 5077 §3.1)
	tls12ClientFin     = 51   // ChangeCipherSpec + Finished
)

// tlsFlight is one handshake message group: who sends it, its size, and
// its label on the ladder diagram.
type tlsFlight struct {
	fromClient bool
	bytes      int
	label      string
}

// tlsScript returns the handshake flights in order, and after which flight
// the client may send application data (its index).
func tlsScript(v TLSVersion, resumed, early bool) (flights []tlsFlight, clientReady int) {
	switch {
	case v == TLS13 && !resumed:
		return []tlsFlight{
			{true, clientHelloBytes, "ClientHello"},
			{false, tls13ServerFlight, "ServerHello…Finished"},
			{true, tls13ClientFin, "Finished"},
			{false, tls13Ticket, "NewSessionTicket"},
		}, 2
	case v == TLS13:
		ready := 2
		if early {
			ready = 0 // 0-RTT: the request follows the ClientHello
		}
		return []tlsFlight{
			{true, clientHelloPSK, "ClientHello+PSK"},
			{false, tls13ServerResumed, "ServerHello…Finished"},
			{true, tls13ClientFin, "Finished"},
		}, ready
	case v == TLS12 && !resumed:
		return []tlsFlight{
			{true, clientHelloBytes, "ClientHello"},
			{false, tls12ServerFlight, "ServerHello…Done"},
			{true, tls12ClientFlight, "ClientKeyExchange…Finished"},
			{false, tls12ServerFin, "Ticket…Finished"},
		}, 3
	default: // TLS 1.2 abbreviated handshake
		return []tlsFlight{
			{true, clientHelloPSK, "ClientHello+ticket"},
			{false, tls12ServerResumed, "ServerHello…Finished"},
			{true, tls12ClientFin, "Finished"},
		}, 2
	}
}
