package http3

import (
	"bytes"

	"github.com/quic-go/qpack"

	"github.com/keepalive-sim/keepalive/model/quic"
)

// Frame types (RFC 9114 §7.2, §11.2.1).
const (
	FrameData     = 0x00
	FrameHeaders  = 0x01
	FrameSettings = 0x04
	FrameGoAway   = 0x07
)

// Unidirectional stream types, the first byte of each such stream (RFC
// 9114 §6.2; RFC 9204 §4.2 for QPACK's).
const (
	StreamControl      = 0x00
	StreamPush         = 0x01
	StreamQPACKEncoder = 0x02
	StreamQPACKDecoder = 0x03
)

// Settings' identifiers (RFC 9204 §5, RFC 9114 §7.2.4.1).
const (
	SettingQPACKMaxTableCapacity = 0x01
	SettingMaxFieldSectionSize   = 0x06
	SettingQPACKBlockedStreams   = 0x07
	// SettingEnableConnectProtocol is SETTINGS_ENABLE_CONNECT_PROTOCOL,
	// extended CONNECT (RFC 9220 §3, RFC 8441 §3).
	SettingEnableConnectProtocol = 0x08
)

// Frame is a frame's bytes for a payload of n: its type and its length,
// both variable-length integers (RFC 9114 §7.1), and the payload.
func Frame(frameType uint64, n int) int {
	return quic.VarintLen(frameType) + quic.VarintLen(uint64(n)) + n
}

// DataFrame carries n bytes of a body (§7.2.1).
func DataFrame(n int) int { return Frame(FrameData, n) }

// HeadersFrame carries a field section of n bytes (§7.2.2).
func HeadersFrame(n int) int { return Frame(FrameHeaders, n) }

// Setting is one SETTINGS parameter.
type Setting struct{ ID, Value uint64 }

// SettingsFrame is a SETTINGS frame: each parameter's identifier and
// value (§7.2.4).
func SettingsFrame(settings []Setting) int {
	n := 0
	for _, s := range settings {
		n += quic.VarintLen(s.ID) + quic.VarintLen(s.Value)
	}
	return Frame(FrameSettings, n)
}

// GoAwayFrame names the last stream or push ID the sender will accept
// (§7.2.6).
func GoAwayFrame(id uint64) int { return Frame(FrameGoAway, quic.VarintLen(id)) }

// ControlStream is the bytes that open an endpoint's control stream: its
// stream type, then its SETTINGS, which must be its first frame
// (§6.2.1).
func ControlStream(settings []Setting) int {
	return quic.VarintLen(StreamControl) + SettingsFrame(settings)
}

// FieldSection is the QPACK-encoded field section of fields, as quic-go
// encodes it: the prefix (Required Insert Count and Base, 0: no dynamic
// table) and a field line each, indexed where the static table has the
// field, else a literal with the static table's name, else a literal
// name and value, Huffman coded (RFC 9204 §4.5).
func FieldSection(fields []qpack.HeaderField) []byte {
	var b bytes.Buffer
	e := qpack.NewEncoder(&b)
	for _, f := range fields {
		e.WriteField(f) // a bytes.Buffer takes every write
	}
	e.Close()
	return b.Bytes()
}
