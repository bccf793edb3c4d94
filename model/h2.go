package model

import "github.com/keepalive-sim/keepalive/model/trace"

// HTTP/2 framing (RFC 9113): every frame has a 9-byte header (§4.1).
const (
	frameHeader  = 9
	prefaceBytes = 24 // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" (§3.4)
	settingBytes = 6  // one SETTINGS parameter (§6.5.1)
	windowUpdate = frameHeader + 4
	// defaultWindow is the initial flow-control window of a stream and of
	// the connection before SETTINGS or WINDOW_UPDATE (§6.9.2).
	defaultWindow = 65535
)

// h2Control is the kind of an HTTP/2 control message.
type h2Control uint8

const (
	ctlPreface      h2Control = iota + 1 // client preface + SETTINGS (+ WINDOW_UPDATE)
	ctlSettings                          // server SETTINGS + ACK of the client's
	ctlSettingsAck                       // client's ACK of the server's SETTINGS
	ctlWindowUpdate                      // WINDOW_UPDATE
	ctlGoAway                            // GOAWAY: no new streams (§6.8)
)

// goAwayBytes is a GOAWAY frame: the last stream id and an error code
// (RFC 9113 §6.8), no debug data.
const goAwayBytes = frameHeader + 8

// h2state is the HTTP/2 layer of a session: stream ids and HPACK state at
// the client, the active streams, flow-control windows and the frame
// scheduler at the server.
type h2state struct {
	s          *session
	nextStream uint32
	reqHPACK   *hpackCoder
	respHPACK  *hpackCoder
	// server
	active     []*exchange // streams with something left to send
	rr         int         // round-robin position in active
	pumping    bool        // pump is running: a nested call returns
	connWindow int64       // what the server may still send on the connection
	streamInit int64       // initial stream window granted by the client
	// client
	open         []*exchange // streams requested and not yet complete
	consumedConn int64
	consumed     map[uint32]int64
}

var _ framing = (*h2state)(nil)

// newH2Framing is HTTP/2 on s. Its server writes frames as TCP drains
// (pump).
func newH2Framing(s *session) framing {
	h := &h2state{s: s, nextStream: 1, reqHPACK: newHPACK(), respHPACK: newHPACK(),
		connWindow: defaultWindow, streamInit: defaultWindow, consumed: map[uint32]int64{}}
	return h
}

// takes: a stream more, up to the server's SETTINGS_MAX_CONCURRENT_STREAMS
// (RFC 9113 §5.1.2).
func (h *h2state) takes() bool {
	max := h.s.cfg.HTTP.MaxStreams
	return max == Unlimited || len(h.open) < max
}

// pipelines: streams are never queued behind one another on the
// connection; requests beyond the stream limit wait in the pool.
func (h *h2state) pipelines() bool { return false }

func (h *h2state) inFlight() []*exchange { return h.open }

func (h *h2state) takeInFlight() []*exchange {
	lost := h.open
	h.open = nil
	return lost
}

// closeIdle says goodbye with GOAWAY before closing (RFC 9113 §6.8).
func (h *h2state) closeIdle() {
	var w *messageWire
	if h.s.sizes.bytes {
		// Every stream the client opened was answered: the connection is idle.
		w = &messageWire{lastStream: max(0, int(h.nextStream)-2)}
	}
	h.control(false, ctlGoAway, goAwayBytes, "GOAWAY", nil, 0, w)
}

// control writes a control frame group in direction up (client) or down.
// w is what a capture needs besides (sizes.bytes), nil otherwise.
func (h *h2state) control(up bool, ctl h2Control, size int, label string, ex *exchange, inc int, w *messageWire) {
	m := &message{kind: msgH2Control, ctl: ctl, label: label, ex: ex, inc: inc, wire: w}
	h.s.sizes.h2Control(m, size)
	if up {
		h.s.up.write(m)
	} else {
		h.s.down.write(m)
	}
}

// ready sends the connection preface with the browser's SETTINGS and
// connection window (§3.4, §6.5, §6.9); requests may follow at once.
func (h *h2state) ready() {
	cfg := &h.s.cfg.HTTP
	size := prefaceBytes + frameHeader + 3*settingBytes
	inc := 0
	if w := cfg.ConnWindow; w != Unlimited && w > defaultWindow {
		size += windowUpdate
		inc = w - defaultWindow
	}
	var w *messageWire
	if h.s.sizes.bytes {
		// The three parameters sized: no server push, the stream window
		// and the largest frame the browser takes (RFC 9113 §6.5.2; an
		// unlimited window is the largest one, 2^31-1, §6.9.1).
		w = &messageWire{settings: []trace.Setting{
			{ID: trace.SettingEnablePush, Value: 0},
			{ID: trace.SettingInitialWindowSize, Value: uint32(min(windowOf(cfg.StreamWindow), maxWindow))},
			{ID: trace.SettingMaxFrameSize, Value: uint32(cfg.MaxFrame)},
		}}
	}
	h.control(true, ctlPreface, size, "PREFACE+SETTINGS", nil, inc, w)
}

// maxWindow is the largest flow-control window (RFC 9113 §6.9.1).
const maxWindow = 1<<31 - 1

// request opens a stream with a HEADERS frame (§8.1).
func (h *h2state) request(ex *exchange) {
	ex.stream = h.nextStream
	h.nextStream += 2 // client streams are odd (§5.1.1)
	m := ex.req.hold(message{kind: msgH2Headers, ex: ex, label: h.s.label("GET ", ex)})
	h.s.sizes.h2Request(m, h.reqHPACK, h.s.cfg.HTTP.Host, ex.res)
	h.open = append(h.open, ex)
	h.s.up.write(m)
	h.s.record(trace.Record{Kind: trace.RequestSent, Resource: ex.rid, Stream: int(ex.stream), Label: m.label, Len: m.headBytes})
}

func windowOf(w int) int64 {
	if w == Unlimited {
		return unlimitedBytes
	}
	return int64(w)
}

// answered: ex's stream has a response to send, as the connection's
// windows allow.
func (h *h2state) answered(ex *exchange) {
	h.active = append(h.active, ex)
	h.pump()
}

// serverGot handles a whole HTTP/2 message at the server.
func (h *h2state) serverGot(m *message) {
	cfg := &h.s.cfg.HTTP
	switch {
	case m.kind == msgH2Headers:
		h.s.markBusy()
		ex := m.ex
		ex.sendWindow = h.streamInit
		h.s.srv.answer(h.s, ex)
	case m.ctl == ctlPreface:
		h.streamInit = windowOf(cfg.StreamWindow)
		h.connWindow = windowOf(cfg.ConnWindow)
		var w *messageWire
		if h.s.sizes.bytes {
			// The two parameters sized: the stream limit (an unlimited
			// one is the largest a stream id allows, §5.1.1) and the
			// initial window, the protocol's (§6.9.2): the model's server
			// limits no request body.
			w = &messageWire{settings: []trace.Setting{
				{ID: trace.SettingMaxConcurrentStreams, Value: uint32(min(windowOf(cfg.MaxStreams), maxWindow))},
				{ID: trace.SettingInitialWindowSize, Value: defaultWindow},
			}}
		}
		h.control(false, ctlSettings, 2*frameHeader+2*settingBytes, "SETTINGS", nil, 0, w)
	case m.ctl == ctlWindowUpdate:
		if m.ex == nil {
			h.connWindow += int64(m.inc)
		} else {
			m.ex.sendWindow += int64(m.inc)
		}
		h.pump()
	}
}

// pump is the server's frame scheduler. It hands TCP the next frame only
// when nothing the server wrote is still waiting to go on the wire (TCP's
// unsent bytes plus the connection's packets queued at the link, see
// Endpoint.NotSent), taking the active streams in turn, one DATA frame
// each, so that responses interleave frame by frame (RFC 9113 §5; §5.3:
// all streams here have equal priority). This is what real servers get
// from keeping the socket's unsent data small (Linux TCP_NOTSENT_LOWAT
// and TCP small queues): the frame scheduler, not a deep socket buffer,
// decides the order in which bytes leave. The link stays busy: the next
// frame is written the moment the last waiting packet starts on the wire.
func (h *h2state) pump() {
	if h.pumping {
		return // a frame being written drained the queue: the loop below goes on
	}
	h.pumping = true
	defer func() { h.pumping = false }()
	srv := h.s.conn.Server
	for len(h.active) > 0 && srv.NotSent() == 0 && srv.State().canSend() {
		wrote := false
		for tries := 0; tries < len(h.active) && !wrote; tries++ {
			if h.rr >= len(h.active) {
				h.rr = 0
			}
			ex := h.active[h.rr]
			wrote = h.frame(ex)
			if ex.headSent && ex.bodySent == ex.res.Size {
				h.active = append(h.active[:h.rr], h.active[h.rr+1:]...)
			} else {
				h.rr++
			}
		}
		if !wrote {
			return // every stream waits for flow-control credit
		}
	}
}

// frame writes ex's next turn: its HEADERS frame if not sent yet, then one
// DATA frame if flow control allows (§6.9). It reports whether it wrote
// anything.
func (h *h2state) frame(ex *exchange) bool {
	wrote := false
	if !ex.headSent {
		ex.headSent, wrote = true, true
		m := ex.resp.hold(message{kind: msgH2Headers, ex: ex, last: ex.res.Size == 0, label: h.s.label("HEADERS 200 ", ex)})
		h.s.sizes.h2Response(m, h.respHPACK, ex.res)
		ex.respHead = m.headBytes
		h.s.down.write(m)
		if m.last {
			h.s.markAnswered()
			return true
		}
	}
	want := min(int64(h.s.cfg.HTTP.MaxFrame), int64(ex.res.Size-ex.bodySent), ex.sendWindow, h.connWindow)
	if want <= 0 {
		return wrote
	}
	// A whole frame, as servers write them (Go's x/net/http2 up to
	// SETTINGS_MAX_FRAME_SIZE, nginx 8 KB chunks), not one cut to what the
	// congestion window lets out now: the client parses a DATA frame only
	// once all of it has arrived, so a frame that straddles two flights
	// delivers its first bytes a round trip later, as the testbed shows.
	chunk := want
	ex.bodySent += int(chunk)
	ex.sendWindow -= chunk
	h.connWindow -= chunk
	m := &message{kind: msgH2Data, ex: ex, last: ex.bodySent == ex.res.Size, label: h.s.label("DATA ", ex)}
	h.s.sizes.h2Data(m, int(chunk))
	h.s.down.write(m)
	if m.last {
		h.s.markAnswered()
	}
	return true
}

// clientGot handles a whole HTTP/2 message at the client.
func (h *h2state) clientGot(m *message) {
	switch m.kind {
	case msgH2Control:
		switch m.ctl {
		case ctlSettings:
			h.control(true, ctlSettingsAck, frameHeader, "SETTINGS ACK", nil, 0, nil)
		case ctlGoAway:
			// Streams above the last one the server processed were never
			// answered and may be retried on a new connection (§6.8).
			h.s.retire()
			h.s.dropAll("GOAWAY: the server closed the idle HTTP/2 connection before this stream arrived")
			h.s.pool.dispatch()
		}
		return
	case msgH2Data:
		ex := m.ex
		ex.bodyGot += m.body
		h.s.pool.progress(ex, ex.bodyGot)
		h.credit(ex, int64(m.body))
	}
	if m.last {
		for i, ex := range h.open {
			if ex == m.ex {
				h.open = append(h.open[:i], h.open[i+1:]...)
				break
			}
		}
		h.s.pool.complete(m.ex)
		h.s.maybeIdle()
	}
}

// credit returns flow-control window to the server once half of a window
// has been consumed, as common implementations do (§6.9).
func (h *h2state) credit(ex *exchange, n int64) {
	cfg := &h.s.cfg.HTTP
	if m := creditWindow(cfg.StreamWindow); m > 0 {
		h.consumed[ex.stream] += n
		if h.consumed[ex.stream] >= m/2 && ex.bodyGot < ex.res.Size {
			inc := int(h.consumed[ex.stream])
			h.control(true, ctlWindowUpdate, windowUpdate, trace.WindowUpdate(int(ex.stream), inc), ex, inc, nil)
			h.consumed[ex.stream] = 0
		}
	}
	if m := creditWindow(cfg.ConnWindow); m > 0 {
		h.consumedConn += n
		if h.consumedConn >= m/2 {
			inc := int(h.consumedConn)
			h.control(true, ctlWindowUpdate, windowUpdate, trace.WindowUpdate(0, inc), nil, inc, nil)
			h.consumedConn = 0
		}
	}
}

// creditWindow is a window size, or 0 when unlimited (no updates needed).
func creditWindow(w int) int64 {
	if w == Unlimited {
		return 0
	}
	return int64(w)
}
