package wire

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// connSeed is connection conn's seed for its TLS bytes: every flight of
// one connection must draw from the same one (TLSFlight.Seed), and
// connections differ.
func connSeed(seed uint64, conn int) uint64 { return seed ^ uint64(conn)*0x9e3779b97f4a7c15 }

// tlsFlight is a handshake flight's bytes (TLSFlight), offering the
// streams' ALPN.
func (ss *Streams) tlsFlight(m *trace.Message) ([]byte, error) {
	return TLSFlight{Version: m.TLS, Resumed: m.Resumed, EarlyData: m.Early, Step: m.Flight, Size: m.Size,
		ServerName: m.Host, ALPN: ss.ALPN, Seed: connSeed(ss.seed, m.Conn)}.Bytes()
}

// applicationData is a message's bytes under TLS: application_data
// records of opaque bytes, m.Size in all. A message's own write is the
// records ApplicationData makes of its plaintext; the second of two
// writes (server.first_write) is the model's rest of the whole
// message's records, which may not be a whole number of them: it is
// then as many records of nearly equal length.
func (ss *Streams) applicationData(m *trace.Message) ([]byte, error) {
	per := recordHeader + innerType + gcmTag
	if m.TLS == trace.TLS12 {
		per = recordHeader + explicitNonce + gcmTag
	}
	seed := connSeed(ss.seed, m.Conn) ^ uint64(m.Seq)<<1 ^ uint64(m.Dir)
	records := (m.Size + maxPlaintext + per - 1) / (maxPlaintext + per)
	if plain := m.Size - records*per; plain > (records-1)*maxPlaintext {
		return ApplicationData(m.TLS, plain, seed), nil
	}
	if m.Size < records*(per+1) {
		return nil, fmt.Errorf("%d bytes cannot be %d TLS records", m.Size, records)
	}
	s := stream(seed, streamAppData)
	var b builder
	for i := range records {
		n := m.Size / records
		if i < m.Size%records {
			n++
		}
		b.u8(contentApplicationData)
		b.u16(versionTLS12)
		b.u16(uint16(n - recordHeader))
		b.raw(draw(s, n-recordHeader))
	}
	return b.b, nil
}
