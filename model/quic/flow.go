package quic

import "github.com/keepalive-sim/keepalive/sim"

// ReceiveWindow is a receiver's flow-control window for a stream or the
// connection (RFC 9000 §4.1): the highest offset it allows the peer,
// raised by MAX_STREAM_DATA or MAX_DATA as the application reads, with
// the auto-tuning quic-go v0.65.0 does (flow_controller_base.go): once a
// quarter of the window has been read it advertises a window's worth
// beyond what was read, and if the reads since the last adjustment took
// more than half a window and less than 4 · (their share of the window)
// round trips, it doubles the window, up to a maximum: a window that
// limits the transfer grows within a few round trips.
//
// The threshold, a quarter of the window, quic-go computes in floating
// point too; Size·3/4 in integers is the same number for every window
// below 2^53 bytes.
type ReceiveWindow struct {
	Read    uint64 // bytes the application has read
	Limit   uint64 // the highest offset allowed: the last MAX_*_DATA sent
	Size    uint64 // the window advertised beyond Read
	MaxSize uint64 // what auto-tuning may grow Size to

	epochStart  sim.Time
	epochOffset uint64
}

// NewReceiveWindow is a window of size bytes (the transport parameter's
// initial_max_stream_data or initial_max_data), growing to at most max,
// its tuning epoch starting at now.
func NewReceiveWindow(size, max uint64, now sim.Time) *ReceiveWindow {
	return &ReceiveWindow{Limit: size, Size: size, MaxSize: max, epochStart: now}
}

// OnRead counts n bytes the application read.
func (w *ReceiveWindow) OnRead(n uint64) { w.Read += n }

// Update returns the new limit to advertise at now (ok: send a
// MAX_STREAM_DATA or MAX_DATA frame), with smoothedRTT for auto-tuning;
// allow, if not nil, says whether the window may grow by the given bytes
// (the connection's window allowing a stream's).
func (w *ReceiveWindow) Update(now, smoothedRTT sim.Time, allow func(uint64) bool) (limit uint64, ok bool) {
	if w.Limit-w.Read > w.Size*3/4 { // less than a quarter read: WindowUpdateThreshold 0.25
		return 0, false
	}
	w.tune(now, smoothedRTT, allow)
	w.Limit = w.Read + w.Size
	return w.Limit, true
}

// tune is quic-go's maybeAdjustWindowSize.
func (w *ReceiveWindow) tune(now, rtt sim.Time, allow func(uint64) bool) {
	inEpoch := w.Read - w.epochOffset
	if inEpoch <= w.Size/2 || rtt == 0 {
		return // the epoch goes on
	}
	// As quic-go computes it, in floating point (two products, which no
	// platform fuses): the same durations bit for bit, and no overflow.
	fraction := float64(inEpoch) / float64(w.Size)
	if now-w.epochStart < sim.Time(4*fraction*float64(rtt)) {
		if grown := min(2*w.Size, w.MaxSize); grown > w.Size && (allow == nil || allow(grown-w.Size)) {
			w.Size = grown
		}
	}
	w.epochStart, w.epochOffset = now, w.Read
}

// SendWindow is a sender's view of its peer's limit for a stream or the
// connection (RFC 9000 §4.1): it sends no byte past Limit.
type SendWindow struct {
	Sent, Limit uint64
}

// Available is how many more bytes may be sent.
func (w *SendWindow) Available() uint64 {
	if w.Sent >= w.Limit {
		return 0
	}
	return w.Limit - w.Sent
}

// OnMax takes a MAX_STREAM_DATA or MAX_DATA frame: a limit never goes
// down (RFC 9000 §4.1: a frame that does not raise it is ignored).
func (w *SendWindow) OnMax(limit uint64) { w.Limit = max(w.Limit, limit) }
