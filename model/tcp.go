package model

import (
	"fmt"
	"sort"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// Endpoint is one side of a TCP connection: a sender with congestion
// control and retransmission, and a receiver with cumulative and delayed
// ACKs. The application talks to it through Write, Close and Abort, and
// hears from it through the On* callbacks.
//
// Sequence numbers are relative: the SYN is 0, data byte k is k (from 1),
// and the FIN follows the last data byte.
type Endpoint struct {
	conn  *Conn
	side  trace.Dir // Up: the client, which sends up; Down: the server
	cfg   *TCPConfig
	state State

	// Sender (RFC 9293 §3.3.1 names).
	sndUna, sndNxt, sndMax int64
	written                int64 // bytes the application has written
	finQueued              bool
	cwnd, ssthresh, rwnd   int64
	iw                     int64  // initial window, bytes
	bytesAcked             int64  // for ByteCounting
	caFrac                 uint64 // fraction of a byte of cwnd (2⁻²⁴ units) that RenoPerAck carries, while cwnd == caBase
	caBase                 int64
	dupAcks                int
	limited                int64 // RFC 3042 allowance beyond cwnd, bytes
	ltSent                 int64 // bytes limited transmit sent since the last new ACK: not FlightSize (RFC 5681 §3.2 step 2)
	inRecovery             bool
	recover                int64 // RFC 6582 "recover"
	lastSend               sim.Time
	queued                 int64 // payload bytes handed to the link and still in its transmit queue
	marks                  []mark
	free                   []span // negligible bytes: sequence space, no wire time

	// Retransmission timer (RFC 6298).
	rto, srtt, rttvar sim.Time
	haveRTT           bool
	rttSeq            int64 // segment end being timed, -1 if none
	rttStart          sim.Time
	noDataRTO         bool // ideal mode on a lossless path: no retransmission timer once synchronized
	retries           int  // consecutive timeouts
	synRetx           bool
	rtoTimer          sim.Timer

	// Receiver.
	rcvNxt      int64
	ooo         []span    // out-of-order data beyond rcvNxt, sorted
	peerFin     int64     // sequence number of the peer's FIN once seen, else -1
	unacked     int       // full segments received since our last ACK
	lastAck     int64     // acknowledgement number we last sent
	delackTimer sim.Timer // armed only with DelayedAck
	twTimer     *sim.Timer
	kaTimer     *sim.Timer // TCP keep-alive, when enabled
	kaProbes    int        // probes sent and unanswered

	lastCwnd, lastSsthresh int64 // last values recorded

	// OnEstablished is called when the handshake completes on this side.
	OnEstablished func()
	// OnData is called with the number of new in-order bytes delivered.
	OnData func(n int)
	// OnEOF is called when the peer's FIN arrives in order: it will send
	// nothing more.
	OnEOF func()
	// OnClosed is called when the endpoint reaches CLOSED normally.
	OnClosed func()
	// OnReset is called when the connection is reset or gives up; why says
	// which in plain words.
	OnReset func(why string)
	// OnSyn is asked, at a listening endpoint, whether to answer a SYN;
	// returning false drops it, as a full accept backlog does.
	OnSyn func() bool
	// OnAcked is called after new data was acknowledged and the windows
	// let more be sent: a sender that paces its writes (HTTP/2) refills.
	OnAcked func()
	// OnDrained is called when the last of this side's data waiting in the
	// link's transmit queue starts on the wire (see NotSent).
	OnDrained func()
}

type span struct{ start, end int64 }

// mark records that an application message starts at sequence seq, so that
// the segment carrying it can be labelled on the ladder diagram.
type mark struct {
	seq   int64
	label string
}

func newEndpoint(c *Conn, side trace.Dir) *Endpoint {
	e := &Endpoint{conn: c, side: side, cfg: &c.cfg, rttSeq: -1, peerFin: -1}
	e.iw = windowBytes(c.cfg.InitialWindow, c.cfg.MSS)
	e.cwnd = e.iw
	e.ssthresh = limitBytes(c.cfg.InitialSsthresh)
	e.rwnd = unlimitedBytes // until the peer advertises
	e.rto = c.cfg.InitialRTO
	if c.cfg.RTOFromPath {
		// RFC 6298 §2.2, as if the first measurement R had been made.
		r := c.pathRTT()
		e.srtt, e.rttvar, e.haveRTT = r, r/2, true
		e.rto = rtoOf(e.srtt, e.rttvar)
		e.clampRTO()
		// The textbook's TCP never times out: on a path that cannot lose
		// a packet there is nothing for a data retransmission timer to do
		// but fire spuriously behind a queue.
		e.noDataRTO = c.link.lossless()
	}
	e.rtoTimer.Init(c.net.sim, e.onRTO)
	if c.cfg.DelayedAck {
		e.delackTimer.Init(c.net.sim, e.sendAck)
	}
	return e
}

func windowBytes(segments, mss int) int64 {
	if segments == Unlimited {
		return unlimitedBytes
	}
	return int64(segments) * int64(mss)
}

func limitBytes(b int) int64 {
	if b == Unlimited {
		return unlimitedBytes
	}
	return int64(b)
}

// State returns the endpoint's TCP state.
func (e *Endpoint) State() State { return e.state }

// Open starts the 3-way handshake by sending a SYN. It panics unless the
// endpoint is a new client endpoint.
func (e *Endpoint) Open() {
	if e.side != trace.Up || e.state != Closed || e.sndMax != 0 {
		panic("model: (*Endpoint).Open: not a new client endpoint")
	}
	e.setState(SynSent)
	e.recordCwnd(trace.CwndInitial, 0)
	e.sendSyn(false)
}

func (e *Endpoint) listen() { e.state = Listen }

// Write queues n bytes of application data; label names the message for
// the trace ("GET /img3.png"). Data written before the handshake completes
// is sent when it does. It panics if the application has closed its side.
func (e *Endpoint) Write(n int, label string) {
	if n <= 0 {
		panic(fmt.Sprintf("model: (*Endpoint).Write: %d bytes", n))
	}
	if e.finQueued || e.state == Closed && e.sndMax > 0 {
		panic("model: (*Endpoint).Write: after Close")
	}
	if label != "" {
		e.marks = append(e.marks, mark{seq: 1 + e.written, label: label})
	}
	e.written += int64(n)
	if e.state.synchronized() {
		e.output()
	}
}

// Writable reports whether the application may still write: the
// connection is not closed or reset, and this side has not closed it.
func (e *Endpoint) Writable() bool {
	return !e.finQueued && e.state != Closed && e.state != TimeWait
}

// WriteNegligible queues a one-byte placeholder for a message the
// textbook treats as negligible (a request, a TLS or HTTP/2 control
// message in ideal mode): it travels in sequence space, so it is ordered,
// acknowledged and retransmitted like any byte, but costs no time on the
// wire.
func (e *Endpoint) WriteNegligible(label string) {
	start := e.dataEnd()
	e.free = append(e.free, span{start, start + 1}) // before Write sends it
	e.Write(1, label)
}

// weightless counts the negligible bytes in [seq, seq+n).
func (e *Endpoint) weightless(seq int64, n int) int {
	if len(e.free) == 0 {
		return 0
	}
	end := seq + int64(n)
	i := sort.Search(len(e.free), func(i int) bool { return e.free[i].end > seq })
	w := int64(0)
	for ; i < len(e.free) && e.free[i].start < end; i++ {
		w += min(end, e.free[i].end) - max(seq, e.free[i].start)
	}
	return int(w)
}

// Unsent returns how many written bytes have not been sent yet.
func (e *Endpoint) Unsent() int64 { return max(0, e.dataEnd()-max(e.sndNxt, 1)) }

// InFlight returns the bytes sent and not yet acknowledged.
func (e *Endpoint) InFlight() int64 { return e.sndNxt - e.sndUna }

// NotSent returns how many written bytes are not on the wire yet: unsent
// ones, and sent ones still waiting in the link's transmit queue. It is
// what a server that keeps its socket's unsent data small (Linux
// TCP_NOTSENT_LOWAT, TCP small queues) looks at before writing more.
func (e *Endpoint) NotSent() int64 { return e.Unsent() + e.queued }

// Close sends a FIN after all written data (an active close, or the
// passive side's reply to the peer's FIN).
func (e *Endpoint) Close() {
	if e.finQueued {
		return
	}
	switch e.state {
	case Established:
		e.setState(FinWait1)
	case CloseWait:
		e.setState(LastAck)
	case SynSent, Listen:
		e.teardown(Closed)
		return
	case SynReceived:
		e.setState(FinWait1)
	default:
		return
	}
	e.finQueued = true
	e.output()
}

// Abort resets the connection: an RST to the peer, and CLOSED at once.
func (e *Endpoint) Abort() {
	if e.state == Closed || e.state == Listen {
		return
	}
	e.xmit(trace.RST|trace.ACK, e.sndNxt, 0, false, "RST")
	e.teardown(Closed)
}

func (e *Endpoint) setState(s State) {
	if e.state == s {
		return
	}
	e.state = s
	n := e.conn.net
	n.rec.Record(trace.Record{At: n.sim.Now(), Kind: trace.StateChanged, Conn: e.conn.ID, Dir: e.side, State: s.String()})
}

// teardown stops every timer and moves to s (Closed or TimeWait).
func (e *Endpoint) teardown(s State) {
	e.rtoTimer.Stop()
	if e.kaTimer != nil {
		e.kaTimer.Stop()
	}
	if e.cfg.DelayedAck {
		e.delackTimer.Stop()
	}
	e.setState(s)
	if s == TimeWait {
		if e.twTimer == nil {
			e.twTimer = sim.NewTimer(e.conn.net.sim, e.onTimeWait)
		}
		e.twTimer.Reset(e.cfg.TimeWait)
	}
}

func (e *Endpoint) onTimeWait() {
	e.setState(Closed)
	if e.OnClosed != nil {
		e.OnClosed()
	}
}

// dataEnd is the sequence number just past the last written byte.
func (e *Endpoint) dataEnd() int64 { return 1 + e.written }

// output sends what the windows allow: new data, a retransmission after a
// timeout (go-back-N from sndNxt), and the FIN once the data is out.
func (e *Endpoint) output() {
	if !e.state.synchronized() && !(e.state == SynReceived && e.finQueued) {
		return
	}
	e.maybeRestart()
	// A receive window smaller than the MSS caps the segment size instead
	// of stopping the sender for good.
	mss := e.segmentSize()
	if mss <= 0 {
		return
	}
	for {
		end := e.dataEnd()
		win := min(e.cwnd+e.limited, e.rwnd)
		flight := e.sndNxt - e.sndUna
		if e.sndNxt < end {
			n := min(mss, end-e.sndNxt)
			if flight+n > win {
				return
			}
			if flight+n > e.cwnd && e.sndNxt >= e.sndMax {
				e.ltSent += n // sent only thanks to limited transmit
			}
			e.sendData(e.sndNxt, n, e.sndNxt < e.sndMax)
			continue
		}
		if e.finQueued && e.sndNxt == end {
			e.xmit(trace.FIN|trace.ACK, e.sndNxt, 0, e.sndNxt < e.sndMax, "")
			continue
		}
		return
	}
}

// segmentSize is the most payload one segment may carry: the MSS, or a
// receive window smaller than it (RFC 9293 §3.8.6.2.1).
func (e *Endpoint) segmentSize() int64 { return min(int64(e.cfg.MSS), e.rwnd) }

// sendData sends n data bytes from seq: PSH on the segment that empties
// the send buffer, and the FIN with it once the application has closed.
func (e *Endpoint) sendData(seq, n int64, retx bool) {
	flags := trace.ACK
	if seq+n == e.dataEnd() {
		flags |= trace.PSH
		if e.finQueued {
			flags |= trace.FIN
		}
	}
	e.xmit(flags, seq, int(n), retx, "")
}

// maybeRestart applies slow-start restart before sending new data after
// an idle period (RFC 5681 §4.1).
func (e *Endpoint) maybeRestart() {
	if e.cfg.Restart == RestartOff || e.sndUna != e.sndMax || e.sndNxt >= e.dataEnd() || e.lastSend == 0 {
		return
	}
	idle := e.conn.net.sim.Now() - e.lastSend
	if idle <= e.rto {
		return
	}
	restart := min(e.iw, e.cwnd)
	switch e.cfg.Restart {
	case RestartRFC5681:
		e.cwnd = restart
	case RestartHalving:
		for d := idle; d > e.rto && e.cwnd > restart; d -= e.rto {
			e.cwnd >>= 1
		}
		e.cwnd = max(e.cwnd, restart)
	}
	e.recordCwnd(trace.CwndRestart, 0)
}

// xmit builds and sends one segment starting at seq with n payload bytes.
func (e *Endpoint) xmit(flags trace.Flags, seq int64, n int, retx bool, label string) {
	s := e.conn.net.sim
	seg := Segment{
		Conn: e.conn.ID, Dir: e.side, Flags: flags, Seq: seq, Len: n,
		Wnd: int(min(limitBytes(e.cfg.RecvWindow), 1<<31-1)), Wire: n + e.cfg.HeaderBytes - e.weightless(seq, n), Retx: retx,
	}
	if flags&trace.ACK != 0 {
		seg.Ack = e.rcvNxt
		e.lastAck = e.rcvNxt
		e.unacked = 0
		if e.cfg.DelayedAck {
			e.delackTimer.Stop()
		}
	}
	end := seg.end()
	if label == "" {
		label = e.label(seq, n, flags)
	}
	seg.Label = label
	if end > e.sndNxt && flags&trace.RST == 0 {
		e.sndNxt = end
	}
	if e.sndNxt > e.sndMax {
		e.sndMax = e.sndNxt
	}
	if end > seq && flags&trace.RST == 0 { // occupies sequence space: time it and guard it
		if !retx && e.rttSeq < 0 {
			e.rttSeq, e.rttStart = end, s.Now()
		}
		if !e.rtoTimer.Armed() {
			e.armRTO()
		}
		if n > 0 {
			e.lastSend = s.Now()
		}
	}
	e.queued += int64(n)
	e.conn.net.send(seg)
}

// label names a segment for the ladder diagram: the application message
// it starts, else the flags; plain data is left unnamed and described from
// its sequence numbers when shown (trace.Record.Describe), which keeps the
// hot path free of formatting.
func (e *Endpoint) label(seq int64, n int, flags trace.Flags) string {
	if n > 0 {
		i := sort.Search(len(e.marks), func(i int) bool { return e.marks[i].seq >= seq })
		if i < len(e.marks) && e.marks[i].seq < seq+int64(n) {
			return e.marks[i].label
		}
		return ""
	}
	return flags.String()
}

func (e *Endpoint) sendSyn(retx bool) {
	flags := trace.SYN
	if e.side == trace.Down {
		flags |= trace.ACK
	}
	e.xmit(flags, 0, 0, retx, "")
}

// sendAck sends a pure ACK now.
func (e *Endpoint) sendAck() {
	e.xmit(trace.ACK, e.sndNxt, 0, false, "")
}

// recordCwnd records the congestion state if it changed: why (a
// trace.Cwnd* cause) and, for growth, the data bytes acknowledged.
func (e *Endpoint) recordCwnd(why string, acked int64) {
	if e.cwnd == e.lastCwnd && e.ssthresh == e.lastSsthresh {
		return
	}
	e.lastCwnd, e.lastSsthresh = e.cwnd, e.ssthresh
	r := trace.Record{Kind: trace.CwndChanged, Conn: e.conn.ID, Dir: e.side,
		Cwnd: recorded(e.cwnd), Ssthresh: recorded(e.ssthresh), State: why}
	switch why {
	case trace.CwndSlowStart:
		r.Note, r.Len = e.cfg.Growth.String(), int(acked)
	case trace.CwndAvoidance:
		r.Note, r.Len = e.cfg.Avoidance.String(), int(acked)
	}
	n := e.conn.net
	r.At = n.sim.Now()
	n.rec.Record(r)
}

// recorded turns an internal byte count into a trace value: Unlimited for
// the stand-in for infinity.
func recorded(b int64) int {
	if b >= unlimitedBytes/2 {
		return Unlimited
	}
	return int(b)
}
