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
	rwnd                   int64 // the peer's receive window
	lastSend               sim.Time
	queued                 int64 // payload bytes handed to the link and still in its transmit queue
	marks                  []mark
	free                   []span // negligible bytes: sequence space, no wire time

	cc  congestion   // congestion window (tcp_cc.go, tcp_cubic.go)
	sb  scoreboard   // segments in flight (tcp_scoreboard.go)
	nr  newReno      // RFC 5681/6582 loss recovery (tcp_newreno.go)
	rec rackRecovery // Linux's SACK, RACK-TLP and PRR recovery (tcp_rack.go)
	rtt rttEstimator // RTT and RTO (tcp_rtt.go)

	// Retransmission timer (RFC 6298), and Linux's other transmit timer:
	// RACK's reordering timer or the tail loss probe (tcp_rack.go).
	noDataRTO  bool // ideal mode on a lossless path: no retransmission timer once synchronized
	retries    int  // consecutive timeouts
	synRetx    int  // SYN or SYN-ACK retransmissions
	rtoTimer   sim.Timer
	probeTimer sim.Timer

	// Receiver.
	rcvNxt      int64
	ooo         []span   // out-of-order data beyond rcvNxt, sorted
	oooLast     span     // the out-of-order block that grew last: SACK's first block (RFC 2018 §4)
	dsack       span     // a duplicate to report in the next ACK (RFC 2883), if end > start
	sackScratch []span   // addSACK's blocks with an out-of-order FIN, reused
	peerFin     int64    // sequence number of the peer's FIN once seen, else -1
	tsRecent    sim.Time // the peer's timestamp to echo (RFC 7323 §4.3)
	ack         ackState
	rwin        recvWindow
	twTimer     sim.Timer  // TIME-WAIT's 2·MSL, held here to save an allocation per connection
	kaTimer     *sim.Timer // TCP keep-alive, when enabled
	kaProbes    int        // probes sent and unanswered

	// mem reports a server socket's memory (server_memory.go).
	mem endpointMemory

	lastCwnd, lastSsthresh int64 // last values recorded

	// app is told of the connection's events (tcp_app.go): a session's
	// half, or else the On... fields below.
	app application

	// The On... fields are for an endpoint used on its own (tests and
	// one-off uses): an endpoint of a page load's connection reports to
	// its session instead and never calls them.

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
	e := &Endpoint{conn: c, side: side, cfg: &c.cfg, peerFin: -1}
	e.app = (*endpointFuncs)(e)
	e.cc.iw = windowBytes(c.cfg.InitialWindow, c.cfg.MSS)
	e.cc.cwnd = e.cc.iw
	e.cc.ssthresh = limitBytes(c.cfg.InitialSsthresh)
	e.rwnd = unlimitedBytes // until the peer advertises
	e.rtt.init(&c.cfg)
	if c.cfg.RTOFromPath {
		// RFC 6298 §2.2, as if the first measurement R had been made.
		e.rtt.fromPath(c.pathRTT())
		// The textbook's TCP never times out: on a path that cannot lose
		// a packet there is nothing for a data retransmission timer to do
		// but fire spuriously behind a queue.
		e.noDataRTO = c.link.lossless()
	}
	// The SYN carries the MSS option: the payload of a full segment plus
	// what the timestamps option takes from it (RFC 7323 §3).
	synMSS := int64(c.cfg.MSS)
	if side == trace.Up {
		synMSS = e.advmss()
	}
	e.rwin.init(&c.cfg, synMSS)
	if n := len(c.net.sbFree); n > 0 {
		e.sb.q, c.net.sbFree = c.net.sbFree[n-1], c.net.sbFree[:n-1]
	} else {
		e.sb.q = make([]txSeg, 0, 16)
	}
	e.ack.rcvMSS = ackMSSDefault
	t := (*endpointTimers)(e)
	e.rtoTimer.InitOwned(c.net.sim, t, timerRTO)
	e.probeTimer.InitOwned(c.net.sim, t, timerProbe)
	e.twTimer.InitOwned(c.net.sim, t, timerTimeWait)
	if c.cfg.DelayedAck {
		e.ack.timer.InitOwned(c.net.sim, t, timerDelayedAck)
	}
	if c.cfg.Avoidance == Cubic {
		e.cubicReset()
	}
	return e
}

// endpointTimers is an endpoint as the owner of its timers: one pointer
// each timer holds, where a callback bound to each (e.onRTO) would be an
// allocation per timer, five per connection.
type endpointTimers Endpoint

// The endpoint's timers, as endpointTimers knows them.
const (
	timerRTO        = iota // retransmission (RFC 6298)
	timerProbe             // RACK's reordering timer or the tail loss probe (tcp_rack.go)
	timerDelayedAck        // tcp_ack.go
	timerTimeWait          // TIME-WAIT's end
	timerKeepAlive         // TCP keep-alive (tcp_keepalive.go)
)

func (t *endpointTimers) Expired(which int) {
	e := (*Endpoint)(t)
	switch which {
	case timerRTO:
		e.onRTO()
	case timerProbe:
		e.onProbeTimer()
	case timerDelayedAck:
		e.onDelayedAck()
	case timerTimeWait:
		e.onTimeWait()
	case timerKeepAlive:
		e.onKeepAlive()
	default:
		panic("model: unknown endpoint timer")
	}
}

// advmss is the MSS this side announces: a full segment's payload plus
// the option bytes every segment carries (12 with timestamps).
func (e *Endpoint) advmss() int64 {
	return int64(e.cfg.MSS) + max(0, int64(e.cfg.HeaderBytes)-40)
}

// rack reports whether losses are handled Linux's way (SACK, RACK-TLP).
func (e *Endpoint) rack() bool { return e.cfg.Recovery == RecoveryRACK }

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
	n.rec.Record(trace.Record{At: n.sim.Now(), Kind: trace.StateChanged, Conn: e.conn.ID, Dir: e.side, State: s.traced()})
	e.noteState(s)
}

// teardown stops every timer and moves to s (Closed or TimeWait).
func (e *Endpoint) teardown(s State) {
	e.rtoTimer.Stop()
	e.probeTimer.Stop()
	if e.kaTimer != nil {
		e.kaTimer.Stop()
	}
	if e.cfg.DelayedAck {
		e.ack.timer.Stop()
	}
	e.setState(s)
	if e.sb.q != nil { // nothing is in flight any more: lend the buffer on
		e.sb.reset()
		e.conn.net.sbFree = append(e.conn.net.sbFree, e.sb.q)
		e.sb.q = nil
	}
	if s == TimeWait {
		e.twTimer.Reset(e.cfg.TimeWait)
	}
}

func (e *Endpoint) onTimeWait() {
	e.setState(Closed)
	e.app.onClosed()
}

// dataEnd is the sequence number just past the last written byte.
func (e *Endpoint) dataEnd() int64 { return 1 + e.written }

// output sends what the windows allow: with Linux's recovery, segments
// marked lost first (tcp_xmit_retransmit_queue); then new data, or a
// go-back-N retransmission after a NewReno timeout (from sndNxt); and
// the FIN once the data is out.
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
	sent := 0
	if e.rack() {
		e.retransmitLost()
	}
	for {
		end := e.dataEnd()
		if e.sndNxt < end {
			n := min(mss, end-e.sndNxt)
			if !e.windowAllows(n) {
				break
			}
			e.sendData(e.sndNxt, n, e.sndNxt < e.sndMax)
			sent++
			continue
		}
		if e.finQueued && e.sndNxt == end {
			// A FIN alone always goes (Linux tcp_cwnd_test).
			e.xmit(trace.FIN|trace.ACK, e.sndNxt, 0, e.sndNxt < e.sndMax, "")
			sent++
			continue
		}
		break
	}
	if sent > 0 {
		if e.inReduction() {
			e.rec.prrOut += sent
		}
		if e.rack() {
			e.scheduleProbe(false)
		}
	}
	e.validate(sent)
}

// windowAllows reports whether n more bytes of new data fit the receive
// window (bytes beyond snd_una, RFC 9293 §3.8.6.2.1) and the congestion
// window (bytes in flight, RFC 5681 §3.1, or packets, Linux), with what
// limited transmit allows beyond it (RFC 3042).
func (e *Endpoint) windowAllows(n int64) bool {
	if e.sndNxt+n-e.sndUna > e.rwnd {
		return false
	}
	if e.flight()+e.cost(n) > e.cc.cwnd+e.nr.limited {
		return false
	}
	if !e.packets() && e.flight()+n > e.cc.cwnd && e.sndNxt >= e.sndMax {
		e.nr.ltSent += n // sent only thanks to limited transmit
	}
	return true
}

// segmentSize is the most payload one segment may carry: the MSS, or a
// receive window smaller than it (RFC 9293 §3.8.6.2.1).
func (e *Endpoint) segmentSize() int64 { return min(int64(e.cfg.MSS), e.rwnd) }

// sendData sends n data bytes from seq: PSH on the segment that empties
// the send buffer, and the FIN with it once the application has closed.
func (e *Endpoint) sendData(seq, n int64, retx bool) {
	e.xmit(e.dataFlags(seq, n), seq, int(n), retx, "")
}

func (e *Endpoint) dataFlags(seq, n int64) trace.Flags {
	flags := trace.ACK
	if seq+n == e.dataEnd() {
		flags |= trace.PSH
		if e.finQueued {
			flags |= trace.FIN
		}
	}
	return flags
}

// xmit builds and sends one segment starting at seq with n payload bytes.
func (e *Endpoint) xmit(flags trace.Flags, seq int64, n int, retx bool, label string) {
	s := e.conn.net.sim
	now := s.Now()
	headers := e.cfg.HeaderBytes
	if flags&trace.SYN != 0 {
		headers = e.cfg.SynHeaderBytes
	}
	seg := Segment{
		Conn: e.conn.ID, Dir: e.side, Flags: flags, Seq: seq, Len: n,
		Wire: n + headers - e.weightless(seq, n), Retx: retx,
		TSval: now, TSecr: e.tsRecent,
	}
	if flags&trace.SYN != 0 {
		seg.Wnd = int(e.rwin.synWindow())
	} else {
		seg.Wnd = int(min(e.rwin.advertise(e.rcvNxt), 1<<31-1))
	}
	if flags&trace.ACK != 0 {
		seg.Ack = e.rcvNxt
		if e.rack() && flags&trace.SYN == 0 {
			seg.Wire += e.addSACK(&seg)
		}
		e.ackSent()
	}
	end := seg.end()
	if label == "" && e.conn.net.traced {
		label = e.label(seq, n, flags)
	}
	seg.Label = label
	fresh := end > e.sndNxt && flags&trace.RST == 0
	if fresh {
		e.sndNxt = end
	}
	if e.sndNxt > e.sndMax {
		e.sndMax = e.sndNxt
		e.noteData()
	}
	if end > seq && flags&trace.RST == 0 { // occupies sequence space: time it and guard it
		if flags&trace.SYN == 0 && fresh {
			if e.sb.packetsOut() == 0 && n > 0 {
				e.cubicTxStart()
			}
			e.sb.add(seq, end, now)
			if retx {
				l := e.sb.live()
				l[len(l)-1].retx = true
			}
		}
		if !retx && !e.rtt.linux() {
			e.rtt.timeSegment(end, now)
		}
		if !e.rtoTimer.Armed() && !e.probeTimer.Armed() {
			e.armRTO()
		}
		if n > 0 {
			if e.linuxAcks() {
				e.dataSent()
			}
			e.lastSend = now
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
func (e *Endpoint) recordCwnd(why trace.State, acked int64) {
	if e.cc.cwnd == e.lastCwnd && e.cc.ssthresh == e.lastSsthresh && !(e.rack() && cwndEvent(why)) {
		return
	}
	e.lastCwnd, e.lastSsthresh = e.cc.cwnd, e.cc.ssthresh
	r := trace.Record{Kind: trace.CwndChanged, Conn: e.conn.ID, Dir: e.side,
		Cwnd: recorded(e.cc.cwnd), Ssthresh: recorded(e.cc.ssthresh), State: why}
	switch why {
	case trace.CwndInitial:
		r.Note = e.cfg.Recovery.String() // how this sender repairs losses, for the explanations
	case trace.CwndSlowStart:
		r.Note, r.Len = e.cfg.Growth.String(), int(acked)
	case trace.CwndAvoidance:
		r.Note, r.Len = e.cfg.Avoidance.String(), int(acked)
	}
	n := e.conn.net
	r.At = n.sim.Now()
	n.rec.Record(r)
}

// cwndEvent reports whether a cause is a moment of Linux's recovery worth
// a record even when it leaves both numbers as they were (the end of a
// recovery whose PRR already brought cwnd to ssthresh).
func cwndEvent(why trace.State) bool {
	switch why {
	case trace.CwndLoss, trace.CwndRecovered, trace.CwndProbeLoss, trace.CwndUndo, trace.CwndHyStart:
		return true
	}
	return false
}

// recorded turns an internal byte count into a trace value: Unlimited for
// the stand-in for infinity.
func recorded(b int64) int {
	if b >= unlimitedBytes/2 {
		return Unlimited
	}
	return int(b)
}
