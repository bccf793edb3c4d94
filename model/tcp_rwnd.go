package model

import "github.com/keepalive-sim/keepalive/sim"

// Linux's receive buffer, as the testbed's kernel (6.18) sets it up.
const (
	// net.ipv4.tcp_rmem: the initial and the largest receive buffer.
	rmemDefault = 131072
	rmemMax     = 32 << 20
	// TCP_DEFAULT_SCALING_RATIO: until the first full segment shows how
	// much memory a segment really takes, half of the buffer is window.
	defaultScalingRatio = 128
	// The ratio the first full-sized segment sets (len·256/truesize, tcp
	// _measure_rcv_mss): 157 on the testbed's TUN devices, whose 1448-byte
	// segments each take a 2.3 KB buffer. It caps the window at 80 KB
	// until the application has read more than 14 KB in a round trip.
	measuredScalingRatio = 157
	// Window scale 10 (ilog2(rmemMax) − 15, tcp_select_initial_window):
	// windows are advertised in units of 1 KiB.
	rcvWscale = 10
	// The receive-side bookkeeping of tcp_grow_window applies to segments
	// of at least 128 bytes.
	growMinLen = 128
)

// recvWindow is the window a receiver advertises: a fixed size
// (TCPConfig.RecvWindow), or Linux's auto-tuned one (AutoWindow): the
// window opens by two segments per segment received (rcv_ssthresh,
// tcp_grow_window) up to a clamp set by the receive buffer, which grows
// once per round trip to twice what the application read in the last
// one (tcp_rcv_space_adjust), so a sender in slow start is not held back.
type recvWindow struct {
	auto  bool
	fixed int64

	advmss    int64 // the MSS this side announced (payload plus timestamps)
	ratio     int64 // scaling_ratio, /256
	rcvbuf    int64 // sk_rcvbuf
	clamp     int64 // window_clamp
	ssthresh  int64 // rcv_ssthresh
	right     int64 // right edge of the last window advertised (rcv_wup + rcv_wnd)
	wnd       int64 // rcv_wnd: the last window advertised
	measured  bool
	space     int64    // rcvq_space.space: bytes read in the last measured round trip
	spaceSeq  int64    // rcvq_space.seq
	spaceTime sim.Time // rcvq_space.time
	rttEst    sim.Time // rcv_rtt_est, from timestamps
}

func (w *recvWindow) init(c *TCPConfig, synMSS int64) {
	*w = recvWindow{auto: c.RecvWindow == AutoWindow, fixed: limitBytes(c.RecvWindow)}
	if !w.auto {
		w.wnd = w.fixed
		return
	}
	w.advmss = int64(c.MSS) + int64(c.HeaderBytes) - 40
	w.ratio = defaultScalingRatio
	w.rcvbuf = rmemDefault
	// tcp_select_initial_window: the whole buffer's window, rounded down
	// to the MSS of the SYN (1460 for a client, 1448 for a server that
	// saw timestamps): 64240 and 65160 bytes.
	full := w.fromSpace(w.rcvbuf)
	w.wnd = full / synMSS * synMSS
	w.ssthresh = w.wnd
	w.clamp = full
	w.space = min(w.ssthresh, 10*w.advmss)
}

// fromSpace is tcp_win_from_space: the window a buffer of b bytes holds.
func (w *recvWindow) fromSpace(b int64) int64 { return b * w.ratio >> 8 }

// synWindow is the window of the SYN or SYN-ACK: auto-tuned, the
// unscaled 16-bit field (RFC 7323 §2.2); a fixed window is advertised
// whole, as if already scaled.
func (w *recvWindow) synWindow() int64 {
	if !w.auto {
		return min(w.fixed, 1<<31-1)
	}
	return min(w.wnd, 65535)
}

// established starts the round-trip measurements when the handshake
// completes.
func (w *recvWindow) established(rcvNxt int64, now sim.Time) {
	w.right = rcvNxt + w.wnd
	w.spaceSeq, w.spaceTime = rcvNxt, now
}

// advertise returns the window to put in a segment sent now, with
// rcvNxt acknowledged: never shrinking what was offered before (RFC
// 9293 §3.8.6.2.2), in units of the window scale.
func (w *recvWindow) advertise(rcvNxt int64) int64 {
	if !w.auto {
		return min(w.fixed, 1<<31-1)
	}
	free := min(w.ssthresh, w.fromSpace(w.rcvbuf))
	win := align(free, 1<<rcvWscale)
	if cur := w.right - rcvNxt; win < cur {
		win = align(cur, 1<<rcvWscale)
	}
	w.wnd, w.right = win, rcvNxt+win
	return win
}

func align(v, to int64) int64 { return (v + to - 1) / to * to }

// segment applies an in-order (or, with SACK, out-of-order) segment of n
// payload bytes to the window, and reports whether the window grew,
// which puts Linux's receiver in quick-ACK mode for it (tcp_grow_window).
func (w *recvWindow) segment(n int64, full bool) bool {
	if !w.auto {
		return false
	}
	if full && !w.measured {
		// tcp_measure_rcv_mss: the first full-sized segment sets the ratio
		// and the clamp; rcv_ssthresh does not fall.
		w.measured = true
		w.ratio = measuredScalingRatio
		w.clamp = w.fromSpace(w.rcvbuf)
		// tcp_set_window_clamp: rcv_ssthresh rises to the window last
		// advertised (the 64,240 of the SYN, rounded up to 63 KiB).
		w.ssthresh = max(w.ssthresh, min(w.wnd, w.clamp))
	}
	if n < growMinLen {
		return false
	}
	room := min(w.clamp, w.fromSpace(w.rcvbuf)) - w.ssthresh
	if room <= 0 {
		return false
	}
	w.ssthresh += min(room, max(2*w.advmss, 2*n))
	return true
}

// read is tcp_rcv_space_adjust, when the application has read up to
// copied at now: once per receiver round trip, if it read more than in
// the last measured one, the buffer grows to hold twice that plus 16
// segments, more when the rate itself grew.
func (w *recvWindow) read(copied int64, now sim.Time) {
	if !w.auto || w.rttEst == 0 || now-w.spaceTime < w.rttEst {
		return
	}
	n := copied - w.spaceSeq
	if n > w.space {
		win := 2*n + 16*w.advmss
		win += 2 * win * (n - w.space) / w.space
		buf := min(win*256/w.ratio, rmemMax)
		if buf > w.rcvbuf {
			w.rcvbuf = buf
			w.clamp = w.fromSpace(buf)
		}
		w.space = n
	}
	w.spaceSeq, w.spaceTime = copied, now
}

// sampleRTT is tcp_rcv_rtt_measure_ts: the receiver's round trip, from
// the echo of its own timestamp in a full segment (the timestamp clock
// ticks in milliseconds): the first sample as it is, later ones
// smoothed by 1/8, a smaller one taken at once.
func (w *recvWindow) sampleRTT(m sim.Time) {
	if !w.auto {
		return
	}
	m = max(m/sim.Millisecond*sim.Millisecond, sim.Millisecond)
	if w.rttEst == 0 || m < w.rttEst {
		w.rttEst = m
		return
	}
	w.rttEst += (m - w.rttEst) / 8
}
