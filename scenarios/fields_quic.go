package scenarios

import (
	"strconv"

	"github.com/keepalive-sim/keepalive/model"
)

// quicProfiles are quic.profile's words.
var quicProfiles = []option[string]{{"quic-go", "quic-go"}, {"rfc9002", "rfc9002"}}

// quicDiscoveries are quic.discovery's words.
var quicDiscoveries = []option[string]{{model.DiscoverDirect, model.DiscoverDirect}, {model.DiscoverAltSvc, model.DiscoverAltSvc}}

// quicCongestions are quic.congestion's words.
var quicCongestions = []option[string]{{"newreno", "newreno"}, {"cubic", "cubic"}}

// The rows of HTTP/3's transport, QUIC: see [Field].
func quicFields() []Field {
	window := func(path, doc string) Field {
		return Field{Path: path, Kind: KindSize, Also: []string{"unlimited"}, Unit: "bytes", Range: "[1, 1024GiB]", Note: " or `unlimited`", Doc: doc}
	}
	return []Field{
		{Path: "quic.profile", Kind: KindChoice, Words: words(quicProfiles),
			Doc: "whose choices QUIC makes where RFC 9002 leaves them: `quic-go` (v0.65.0, the testbed's real QUIC: a first RTT estimate of 100 ms and a first probe timeout of 200 ms, an initial window of 32 packets, a loss keeping 0.7 of the window, pacing, hybrid slow start, no response to persistent congestion, packet numbers of at least 2 bytes, 4-byte connection IDs) or `rfc9002` (333 ms, 10 packets up to 14,720 bytes, half the window, no pacing or hybrid slow start, the window back to two datagrams on persistent congestion, 8-byte connection IDs)"},
		{Path: "quic.congestion", Kind: KindChoice, Words: words(quicCongestions),
			Doc: "the congestion controller: `newreno` (RFC 9002 §7, quic-go's default: a loss keeps 0.7 of the window with the `quic-go` profile, half with `rfc9002`) or `cubic` (quic-go's CUBIC, RFC 9438: β = 0.7 and the cubic curve back towards the window of the last loss)"},
		{Path: "quic.discovery", Kind: KindChoice, Words: words(quicDiscoveries),
			Doc: "how the browser learns that the origin speaks HTTP/3: `direct`, it knows already (an HTTPS DNS record, RFC 9460, or an Alt-Svc it remembers); `alt-svc`, its first connection is HTTP/2 over TCP and TLS 1.3, whose responses carry `Alt-Svc: h3=\":443\"` (RFC 7838), and connections it opens after the first response are HTTP/3, as Chrome and Firefox do on a first visit"},
		{Path: "quic.max_datagram", Kind: KindSize, Unit: "bytes", Range: "[1200, 1472]",
			Doc: "UDP payload of a full-sized datagram (RFC 9000 §14: at least 1,200; 1,472 fills a 1,500-byte MTU). quic-go sends 1,280 before path MTU discovery. `ideal` makes it `tcp.mss`, the textbook's S"},
		{Path: "quic.certificate", Kind: KindSize, Unit: "bytes", Range: "[0, 1MiB]",
			Doc: "DER size of the server's certificate chain, carried in its Handshake flight. The server sends at most 3× what it received before the client's address is validated (RFC 9000 §8.1): a chain much above 5 KB costs a round trip. The default is an ECDSA P-256 leaf and its CA"},
		{Path: "quic.idle_timeout", Kind: KindDuration, Unit: "duration", Range: "[0, )", Note: "; `0` = never",
			Doc: "`max_idle_timeout` (RFC 9000 §10.1) of both ends: a connection with nothing received for so long (and at least three probe timeouts) is closed without a packet. quic-go's default: 30 s"},
		window("quic.stream_window", "initial receive window of each stream (`initial_max_stream_data_bidi_*`, RFC 9000 §4.1); quic-go: 512 KiB, grown by auto-tuning"),
		window("quic.conn_window", "initial receive window of the connection (`initial_max_data`); quic-go: 768 KiB"),
		window("quic.max_stream_window", "what auto-tuning may grow a stream's window to (quic-go: 6 MiB): it doubles when a window is read within four round trips"),
		window("quic.max_conn_window", "what auto-tuning may grow the connection's window to (quic-go: 15 MiB)"),
		{Path: "quic.initial_window", Kind: KindCount, Unit: "packets", Range: "[0, " + strconv.Itoa(model.MaxWindowSegments) + "]", Note: "; `0` = the profile's",
			Doc: "initial congestion window in full-sized packets (RFC 9002 §7.2). `ideal` makes the profile's unlimited, as ideal TCP's; `1` gives the textbook's slow start"},
		{Path: "quic.max_streams", Kind: KindCount, Also: []string{"unlimited"}, Unit: "streams", Range: "[1, 2147483647]", Note: " or `unlimited`",
			Doc: "`initial_max_streams_bidi` (RFC 9000 §4.6): requests the browser may have open at once; quic-go: 100. `ideal` makes it unlimited"},
	}
}
