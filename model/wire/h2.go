package wire

import (
	"encoding/binary"
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// HTTP/2 framing (RFC 9113).
const (
	// preface is the client's connection preface (§3.4).
	preface     = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
	frameHeader = 9 // §4.1

	// Frame types (§6) and flags.
	frameData         = 0x0
	frameHeaders      = 0x1
	frameSettings     = 0x4
	frameGoAway       = 0x7
	frameWindowUpdate = 0x8
	flagEndStream     = 0x1 // DATA, HEADERS (§6.1, §6.2)
	flagAck           = 0x1 // SETTINGS (§6.5)
	flagEndHeaders    = 0x4 // HEADERS (§6.2)
	noError           = 0x0 // GOAWAY's error code (§7)
)

// appendFrame appends a frame: its 9-byte header, then payload.
func appendFrame(b []byte, typ, flags byte, stream int, payload ...[]byte) []byte {
	n := 0
	for _, p := range payload {
		n += len(p)
	}
	b = append(b, byte(n>>16), byte(n>>8), byte(n), typ, flags)
	b = binary.BigEndian.AppendUint32(b, uint32(stream)&0x7fffffff)
	for _, p := range payload {
		b = append(b, p...)
	}
	return b
}

func settingsPayload(s []trace.Setting) []byte {
	var p []byte
	for _, x := range s {
		p = binary.BigEndian.AppendUint16(p, x.ID)
		p = binary.BigEndian.AppendUint32(p, x.Value)
	}
	return p
}

func u32(v int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(v)) }

// h2 is an HTTP/2 message's frames. A response body is the filler of
// its Content-Type (Body), cut into the DATA frames the model wrote.
func (st *connStream) h2(m *trace.Message) ([]byte, error) {
	switch m.What {
	case trace.MsgH2Preface:
		b := appendFrame([]byte(preface), frameSettings, 0, 0, settingsPayload(m.Settings))
		if m.Increment > 0 {
			b = appendFrame(b, frameWindowUpdate, 0, 0, u32(m.Increment))
		}
		return b, nil
	case trace.MsgH2Settings:
		// The server's SETTINGS, and its ACK of the client's.
		return appendFrame(appendFrame(nil, frameSettings, 0, 0, settingsPayload(m.Settings)), frameSettings, flagAck, 0), nil
	case trace.MsgH2SettingsAck:
		return appendFrame(nil, frameSettings, flagAck, 0), nil
	case trace.MsgH2WindowUpdate:
		return appendFrame(nil, frameWindowUpdate, 0, m.Stream, u32(m.Increment)), nil
	case trace.MsgH2GoAway:
		return appendFrame(nil, frameGoAway, 0, 0, u32(m.Stream), u32(noError)), nil
	case trace.MsgH2Headers:
		flags := byte(flagEndHeaders)
		if m.Dir == trace.Up || m.Last {
			flags |= flagEndStream // a GET has no body; nor has an empty response
		}
		if m.Dir == trace.Down && !m.Last {
			if st.body == nil {
				st.body = map[int][]byte{}
			}
			st.body[m.Stream] = Body(m.ContentType, m.ContentLength)
		}
		return appendFrame(nil, frameHeaders, flags, m.Stream, m.Head), nil
	case trace.MsgH2Data:
		if m.Size == m.Body {
			// Ideal mode charges no frame header, and its HEADERS was a
			// placeholder: the body's bytes alone, of no frame.
			return make([]byte, m.Size), nil
		}
		body := st.body[m.Stream]
		if m.Body > len(body) {
			return nil, fmt.Errorf("DATA of %d bytes on stream %d, %d left of its body", m.Body, m.Stream, len(body))
		}
		var flags byte
		if m.Last {
			flags = flagEndStream
			delete(st.body, m.Stream)
		} else {
			st.body[m.Stream] = body[m.Body:]
		}
		return appendFrame(nil, frameData, flags, m.Stream, body[:m.Body]), nil
	}
	return nil, fmt.Errorf("a message of kind %d", m.What)
}
