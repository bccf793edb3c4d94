//go:build linux

package testbed

import (
	"bytes"
	"fmt"
	"io"
	"net"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/keepalive-sim/keepalive/model"
)

// h2conn is the HTTP/2 connection: prior knowledge over cleartext, or
// ALPN h2 over TLS. It sends what the simulated browser sends (the
// connection preface, three SETTINGS and a connection WINDOW_UPDATE, one
// HEADERS frame per request) and returns flow-control credit once half a
// window has been consumed, as the simulator does.
type h2conn struct {
	b        *browser
	conn     net.Conn
	fr       *http2.Framer
	enc      *hpack.Encoder
	hbuf     bytes.Buffer
	ready    bool
	failed   bool
	next     uint32
	open     int              // streams requested and not complete
	streams  map[uint32]int   // stream id → resource
	consumed map[uint32]int64 // DATA bytes since the last stream WINDOW_UPDATE
	connUsed int64
	setup
}

func (b *browser) dispatchH2() {
	if len(b.queue) == 0 {
		return
	}
	if b.h2 == nil {
		b.openH2()
		return
	}
	h := b.h2
	if !h.ready {
		return
	}
	n := 0
	for _, i := range b.queue {
		if b.spec.MaxStreams > 0 && h.open >= b.spec.MaxStreams {
			break
		}
		h.request(i)
		n++
	}
	b.queue = append(b.queue[:0], b.queue[n:]...)
}

func (b *browser) openH2() {
	b.nconns++
	h := &h2conn{b: b, next: 1, streams: map[uint32]int{}, consumed: map[uint32]int64{}}
	b.h2 = h
	raw, connect, err := b.startConnect()
	if err != nil {
		b.failure = fmt.Errorf("connection 1: %w", err)
		return
	}
	go func() {
		d, err := b.finish(raw, connect, "h2")
		if err != nil {
			b.events <- event{kind: evFailed, err: fmt.Errorf("connection 1: %w", err)}
			return
		}
		conn := d.conn
		h.conn, h.setup = conn, d.setup
		h.fr = http2.NewFramer(conn, conn)
		h.fr.ReadMetaHeaders = hpack.NewDecoder(65536, nil)
		h.fr.MaxHeaderListSize = 262144
		h.enc = hpack.NewEncoder(&h.hbuf)
		// The preface, then SETTINGS and the connection window, before any
		// request (RFC 9113 §3.4).
		if _, err := io.WriteString(conn, http2.ClientPreface); err != nil {
			b.events <- event{kind: evFailed, err: err}
			return
		}
		settings := []http2.Setting{{ID: http2.SettingEnablePush, Val: 0}, {ID: http2.SettingMaxHeaderListSize, Val: 262144}}
		if w := b.spec.StreamWindow; w > 0 {
			settings = append(settings, http2.Setting{ID: http2.SettingInitialWindowSize, Val: uint32(w)})
		}
		if err := h.fr.WriteSettings(settings...); err != nil {
			b.events <- event{kind: evFailed, err: err}
			return
		}
		if w := b.spec.ConnWindow; w > 65535 {
			if err := h.fr.WriteWindowUpdate(0, uint32(w-65535)); err != nil {
				b.events <- event{kind: evFailed, err: err}
				return
			}
		}
		b.events <- event{kind: evH2Write, frames: func() { h.ready = true; b.dispatch() }}
		h.read()
	}()
}

// request sends resource i as the next stream.
func (h *h2conn) request(i int) {
	b := h.b
	r := &b.res[i]
	r.conn = 1
	h.charge(r)
	res := &b.spec.Resources[i]
	h.hbuf.Reset()
	for _, f := range append([]model.HeaderField{{Name: ":method", Value: "GET"}, {Name: ":authority", Value: b.spec.Host},
		{Name: ":scheme", Value: "https"}, {Name: ":path", Value: res.Path}}, model.RequestFields(b.spec.Host, res)[1:]...) {
		h.enc.WriteField(hpack.HeaderField{Name: f.Name, Value: f.Value})
	}
	id := h.next
	h.next += 2
	h.streams[id] = i
	h.open++
	r.sent = b.now()
	if err := h.fr.WriteHeaders(http2.HeadersFrameParam{StreamID: id, BlockFragment: h.hbuf.Bytes(), EndStream: true, EndHeaders: true}); err != nil {
		b.failure = fmt.Errorf("HTTP/2: sending the request for %s: %w", res.Path, err)
	}
}

// read reads frames until the connection ends; every write it needs goes
// through the browser's loop, which owns the framer's writing side.
func (h *h2conn) read() {
	b := h.b
	got := map[uint32]int{}
	for {
		f, err := h.fr.ReadFrame()
		if err != nil {
			b.events <- event{kind: evFailed, err: fmt.Errorf("HTTP/2: %w", err)}
			return
		}
		switch f := f.(type) {
		case *http2.SettingsFrame:
			if !f.IsAck() {
				b.events <- event{kind: evH2Write, frames: func() { h.fr.WriteSettingsAck() }}
			}
		case *http2.PingFrame:
			if !f.IsAck() {
				data := f.Data
				b.events <- event{kind: evH2Write, frames: func() { h.fr.WritePing(true, data) }}
			}
		case *http2.MetaHeadersFrame:
			i, ok := h.streamRes(f.StreamID)
			if !ok {
				continue
			}
			b.events <- event{kind: evFirstByte, res: i, at: b.now()}
			if f.StreamEnded() {
				h.finish(f.StreamID, i)
			}
		case *http2.DataFrame:
			id := f.StreamID
			i, ok := h.streamRes(id)
			if !ok {
				continue
			}
			n := len(f.Data())
			got[id] += n
			b.events <- event{kind: evProgress, res: i, bytes: got[id]}
			h.credit(id, int64(n), f.StreamEnded())
			if f.StreamEnded() {
				h.finish(id, i)
			}
		case *http2.GoAwayFrame:
			b.events <- event{kind: evFailed, err: fmt.Errorf("HTTP/2: GOAWAY (%v)", f.ErrCode)}
			return
		case *http2.RSTStreamFrame:
			b.events <- event{kind: evFailed, err: fmt.Errorf("HTTP/2: stream %d reset (%v)", f.StreamID, f.ErrCode)}
			return
		}
	}
}

// streamRes is the resource of a stream; the map is only written by the
// loop before the request goes out, so reading it here is ordered after.
func (h *h2conn) streamRes(id uint32) (int, bool) {
	done := make(chan struct{})
	var i int
	var ok bool
	h.b.events <- event{kind: evH2Write, frames: func() { i, ok = h.streams[id]; close(done) }}
	<-done
	return i, ok
}

// credit returns window once half of it was consumed, as the simulator's
// browser does (model/h2.go, credit).
func (h *h2conn) credit(id uint32, n int64, ended bool) {
	b := h.b
	sw, cw := int64(b.spec.StreamWindow), int64(b.spec.ConnWindow)
	b.events <- event{kind: evH2Write, frames: func() {
		if sw > 0 && !ended {
			h.consumed[id] += n
			if h.consumed[id] >= sw/2 {
				h.fr.WriteWindowUpdate(id, uint32(h.consumed[id]))
				h.consumed[id] = 0
			}
		}
		if cw > 0 {
			h.connUsed += n
			if h.connUsed >= cw/2 {
				h.fr.WriteWindowUpdate(0, uint32(h.connUsed))
				h.connUsed = 0
			}
		}
	}}
}

func (h *h2conn) finish(id uint32, i int) {
	b := h.b
	b.events <- event{kind: evH2Write, frames: func() {
		delete(h.streams, id)
		h.open--
	}}
	b.events <- event{kind: evDone, res: i, at: b.now()}
}
