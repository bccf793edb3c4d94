package model

// TLS handshake flights, in bytes of the TCP stream (record headers
// included), for ECDHE with an ECDSA P-256 chain of two certificates, as
// Go 1.26's crypto/tls sends them — the testbed's client and server
// (scenarios/testbed TestTLSFlightsMatchModel measures them): TLS 1.3's
// ClientHello carries an X25519MLKEM768 key share (draft-ietf-tls-ecdhe-
// mlkem, the default of Go 1.24+ and of Chrome 131+, whose ClientHello is
// larger still), and Go's server sends its NewSessionTicket in its first
// flight. The RFCs fix none of these sizes.
const (
	tls13ClientHello   = 1504 // ClientHello with the hybrid key share (RFC 8446 §4.1.2)
	tls13ClientPSK     = 1656 // ClientHello with pre_shared_key (RFC 8446 §4.2.11)
	tls13ServerFlight  = 2409 // ServerHello, ChangeCipherSpec, EncryptedExtensions, Certificate, CertificateVerify, Finished, NewSessionTicket (RFC 8446 §2, §4.6.1)
	tls13ServerResumed = 1472 // ServerHello, ChangeCipherSpec, EncryptedExtensions, Finished, NewSessionTicket (RFC 8446 §2.2)
	tls13ClientFin     = 64   // ChangeCipherSpec + Finished
	tls12ClientHello   = 250  // ClientHello (RFC 5246 §7.4.1.2)
	tls12ClientTicket  = 373  // ClientHello with a session ticket (RFC 5077 §3.1)
	tls12ServerFlight  = 1033 // ServerHello, Certificate, ServerKeyExchange, ServerHelloDone (RFC 5246 §7.3)
	tls12ClientFlight  = 93   // ClientKeyExchange, ChangeCipherSpec, Finished
	tls12ServerFin     = 189  // NewSessionTicket (RFC 5077), ChangeCipherSpec, Finished
	tls12ServerResumed = 304  // ServerHello, NewSessionTicket, ChangeCipherSpec, Finished (RFC 5077 §3.1)
	tls12ClientFin     = 51   // ChangeCipherSpec + Finished
)

// TLSFlightBytes returns the sizes of a handshake's flights in order,
// and which of them the client sends: what a real client and server are
// checked against.
func TLSFlightBytes(v TLSVersion, resumed bool) (bytes []int, fromClient []bool) {
	flights, _ := tlsScript(v, resumed, false)
	for _, f := range flights {
		bytes = append(bytes, f.bytes)
		fromClient = append(fromClient, f.fromClient)
	}
	return bytes, fromClient
}

// tlsFlight is one handshake message group: who sends it, its size, its
// label on the ladder diagram, and whether it brings the client a session
// ticket for later connections.
type tlsFlight struct {
	fromClient bool
	bytes      int
	label      string
	ticket     bool
}

// tlsScript returns the handshake flights in order, and after which flight
// the client may send application data (its index).
func tlsScript(v TLSVersion, resumed, early bool) (flights []tlsFlight, clientReady int) {
	switch {
	case v == TLS13 && !resumed:
		return []tlsFlight{
			{true, tls13ClientHello, "ClientHello", false},
			{false, tls13ServerFlight, "ServerHello…Finished", true},
			{true, tls13ClientFin, "Finished", false},
		}, 2
	case v == TLS13:
		ready := 2
		if early {
			ready = 0 // 0-RTT: the request follows the ClientHello
		}
		return []tlsFlight{
			{true, tls13ClientPSK, "ClientHello+PSK", false},
			{false, tls13ServerResumed, "ServerHello…Finished", true},
			{true, tls13ClientFin, "Finished", false},
		}, ready
	case v == TLS12 && !resumed:
		return []tlsFlight{
			{true, tls12ClientHello, "ClientHello", false},
			{false, tls12ServerFlight, "ServerHello…Done", false},
			{true, tls12ClientFlight, "ClientKeyExchange…Finished", false},
			{false, tls12ServerFin, "Ticket…Finished", true},
		}, 3
	default: // TLS 1.2 abbreviated handshake
		return []tlsFlight{
			{true, tls12ClientTicket, "ClientHello+ticket", false},
			{false, tls12ServerResumed, "ServerHello…Finished", true},
			{true, tls12ClientFin, "Finished", false},
		}, 2
	}
}
