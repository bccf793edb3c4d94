package wire

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Streams builds each connection's bytes in each direction from the
// messages written to it, in the order written (it is a
// trace.MessageRecorder's Message), and gives a capture the bytes of a
// segment (Bytes). A message whose bytes cannot be built to its size
// makes its connection's streams filler, and Err says which.
type Streams struct {
	// ALPN is what each TLS ClientHello offers (RFC 7301), e.g. h2 and
	// http/1.1.
	ALPN []string
	seed uint64
	s    map[streamKey]*connStream
	err  error
}

type streamKey struct {
	conn int
	dir  trace.Dir
}

type connStream struct {
	b   []byte
	bad bool
	// rest is a message's bytes beyond its first write, for the
	// Continued message that carries them.
	rest []byte
	// body is, by HTTP/2 stream, its response body still to be sent in
	// DATA frames.
	body map[int][]byte
}

// NewStreams returns an empty set of streams whose opaque bytes (TLS
// randoms and ciphertext) come from seed.
func NewStreams(seed uint64) *Streams {
	return &Streams{seed: seed, s: map[streamKey]*connStream{}}
}

// Err is the first message whose bytes could not be built, nil if none.
func (ss *Streams) Err() error { return ss.err }

// Message appends m's bytes to its stream.
func (ss *Streams) Message(m trace.Message) {
	k := streamKey{m.Conn, m.Dir}
	st := ss.s[k]
	if st == nil {
		st = &connStream{}
		ss.s[k] = st
	}
	if st.bad {
		return
	}
	if want := int64(len(st.b)) + 1; m.Seq != want {
		ss.fail(st, fmt.Errorf("wire: conn %d %s: %q at sequence number %d, the stream is at %d", m.Conn, m.Dir, m.Label, m.Seq, want))
		return
	}
	b, err := ss.bytes(st, &m)
	if err == nil && len(b) != m.Size {
		err = fmt.Errorf("%d bytes built for its %d", len(b), m.Size)
	}
	if err != nil {
		ss.fail(st, fmt.Errorf("wire: conn %d %s: %q: %w", m.Conn, m.Dir, m.Label, err))
		return
	}
	st.b = append(st.b, b...)
}

func (ss *Streams) fail(st *connStream, err error) {
	st.bad, st.b = true, nil
	if ss.err == nil {
		ss.err = err
	}
}

// Bytes are n bytes of connection conn's stream in direction dir from
// relative sequence number seq (1 is the first data byte), or nil when
// they were not built (filler, then).
func (ss *Streams) Bytes(conn int, dir trace.Dir, seq int64, n int) []byte {
	st := ss.s[streamKey{conn, dir}]
	if st == nil || st.bad || seq < 1 || seq-1+int64(n) > int64(len(st.b)) {
		return nil
	}
	return st.b[seq-1 : seq-1+int64(n)]
}

// bytes are message m's bytes.
func (ss *Streams) bytes(st *connStream, m *trace.Message) ([]byte, error) {
	switch {
	case m.Negligible:
		// Ideal mode's placeholder: the message has no bytes of its own.
		return []byte{0}, nil
	case m.What == trace.MsgTLSFlight:
		return ss.tlsFlight(m)
	case m.TLS != 0:
		// Under TLS the peer sees records of opaque bytes (nothing is
		// really encrypted): what a capture without the keys shows.
		return ss.applicationData(m)
	case m.Continued:
		if len(st.rest) != m.Size {
			return nil, fmt.Errorf("a second write of %d bytes, %d left of the first", m.Size, len(st.rest))
		}
		b := st.rest
		st.rest = nil
		return b, nil
	}
	plain, err := st.plaintext(m)
	if err != nil {
		return nil, err
	}
	if len(plain) > m.Size {
		// The first of two writes (server.first_write): the rest follows.
		st.rest = plain[m.Size:]
		plain = plain[:m.Size]
	}
	return plain, nil
}

// plaintext is what m carries before TLS: HTTP/1.x text or HTTP/2
// frames.
func (st *connStream) plaintext(m *trace.Message) ([]byte, error) {
	switch m.What {
	case trace.MsgRequest, trace.MsgTimeout:
		return m.Head, nil
	case trace.MsgResponse:
		return append(m.Head, Body(m.ContentType, m.ContentLength)...), nil
	}
	return st.h2(m)
}
