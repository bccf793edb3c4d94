package model_test

import (
	"math"
	"slices"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// The tests in this file check the Linux profile (model.LinuxTCP, the
// default) against what the kernel does: the source it follows is named
// in each test, and the numbers were checked against captures of real
// Linux 6.18 in the testbed (scenarios/testbed).

// sentBy returns the packets sent on conn 1 in direction dir.
func sentBy(recs []trace.Record, dir trace.Dir) []trace.Record {
	var out []trace.Record
	for _, r := range recs {
		if r.Kind == trace.PacketSent && r.Conn == 1 && r.Dir == dir {
			out = append(out, r)
		}
	}
	return out
}

// keepOpen is fetch with a keep-alive server: it answers and does not
// close, so no FIN follows the response (a FIN SACKed beyond a lost tail
// would tell RACK of the loss before any probe).
func keepOpen(t *testing.T, link model.LinkConfig, cfg model.TCPConfig, resp int) fetchResult {
	t.Helper()
	s := sim.New(1, 0)
	s.SetLimits(sim.Limits{MaxEvents: 10_000_000, MaxTime: 100 * sim.Second})
	log := &trace.Log{}
	n, _ := model.NewNetwork(s, link, log)
	c, _ := n.NewConn(cfg)
	res := fetchResult{log: log, conn: c, sim: s}
	c.Client.OnEstablished = func() { c.Client.Write(300, "GET /") }
	asked := 0
	c.Server.OnData = func(k int) {
		if asked += k; asked == 300 {
			c.Server.Write(resp, "200 OK")
		}
	}
	c.Client.OnData = func(k int) {
		if res.received += k; res.received == resp {
			res.done = s.Now()
		}
	}
	c.Client.Open()
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, log.Records)
	if res.received != resp {
		t.Errorf("client received %d bytes, server sent %d", res.received, resp)
	}
	return res
}

// TestLinuxSlowStartCountsPackets: tcp_slow_start adds every segment an
// ACK covers, so slow start doubles the window each round trip however
// the receiver groups its ACKs: 10, 20, 40 segments.
func TestLinuxSlowStartCountsPackets(t *testing.T) {
	rtt := 100 * sim.Millisecond
	cfg := model.LinuxTCP()
	res := fetch(t, 1, realistic(rtt, model.Gbps), cfg, 300, 2_000_000)
	mss := cfg.MSS
	// The response leaves at about 1.5 RTT; each round's ACKs are back a
	// round trip later.
	for k, want := range []int{20, 40} {
		at := 2*rtt + rtt*3/4 + sim.Time(k)*rtt
		if got := cwndAt(res.log.Records, 1, trace.Down, at); got != want*mss {
			t.Errorf("after round %d: cwnd %d segments, want %d", k+1, got/mss, want)
		}
	}
}

// TestLinuxWindowCountsPackets: a short segment takes a whole slot of the
// window (tcp_cwnd_test counts packets_out): with Go's 4 KiB first write
// a response leaves as 1448 + 1448 + 1200 bytes and seven full segments,
// ten packets, 14,232 bytes in the first flight instead of 14,480.
func TestLinuxWindowCountsPackets(t *testing.T) {
	s := sim.New(1, 0)
	log := &trace.Log{}
	n, _ := model.NewNetwork(s, realistic(100*sim.Millisecond, 10*model.Mbps), log)
	c, _ := n.NewConn(model.LinuxTCP())
	c.Server.OnEstablished = func() {
		c.Server.Write(4096, "200 OK")
		c.Server.Write(100_000, "")
	}
	c.Client.Open()
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	var first []int
	for _, r := range sentBy(log.Records, trace.Down) {
		if r.Len > 0 && r.At < 200*sim.Millisecond {
			first = append(first, r.Len)
		}
	}
	total := 0
	for _, l := range first {
		total += l
	}
	if len(first) != 10 || first[2] != 1200 || total != 14232 {
		t.Errorf("first flight %v (%d bytes), want 10 packets, the third 1200 bytes, 14232 bytes", first, total)
	}
}

// TestLinuxGrowsOnlyWhenUsed: tcp_is_cwnd_limited lets slow start grow
// the window only while it is below twice the packets the sender had
// out; a connection answering 5-segment responses keeps cwnd at 10.
func TestLinuxGrowsOnlyWhenUsed(t *testing.T) {
	s := sim.New(1, 0)
	log := &trace.Log{}
	n, _ := model.NewNetwork(s, realistic(50*sim.Millisecond, 100*model.Mbps), log)
	c, _ := n.NewConn(model.LinuxTCP())
	left := 20
	c.Client.OnEstablished = func() { c.Client.Write(300, "GET") }
	c.Server.OnData = func(int) { c.Server.Write(5*1448, "200 OK") }
	got := 0
	c.Client.OnData = func(k int) {
		got += k
		if got%(5*1448) == 0 {
			if left--; left > 0 {
				c.Client.Write(300, "GET")
			}
		}
	}
	c.Client.Open()
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	most := 0
	for _, r := range log.Records {
		if r.Kind == trace.CwndChanged && r.Dir == trace.Down {
			most = max(most, r.Cwnd)
		}
	}
	if most != 10*1448 {
		t.Errorf("cwnd reached %d segments answering 20 responses of 5 segments, want it kept at 10", most/1448)
	}
}

// TestLinuxQuickAcks: Linux's receiver acknowledges every segment at the
// start of a connection (tcp_incr_quickack: min(16, window/2·rcv_mss)
// quick ACKs) and while its window opens (tcp_grow_window), as the
// testbed's captures show; an interactive connection (it answered within
// the delayed-ACK time, pingpong) acknowledges every second segment.
func TestLinuxQuickAcks(t *testing.T) {
	s := sim.New(1, 0)
	log := &trace.Log{}
	n, _ := model.NewNetwork(s, realistic(100*sim.Millisecond, 10*model.Mbps), log)
	c, _ := n.NewConn(model.LinuxTCP())
	const resp = 60 * 1448
	c.Client.OnEstablished = func() { c.Client.Write(300, "GET /1") }
	req := 0
	c.Server.OnData = func(k int) {
		req += k
		if req%300 == 0 {
			c.Server.Write(resp, "200 OK")
		}
	}
	got := 0
	c.Client.OnData = func(k int) {
		got += k
		if got == resp {
			c.Client.Write(300, "GET /2") // at once: the connection is interactive now
		}
	}
	c.Client.Open()
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	var acks []int64 // acknowledgement numbers of the client's pure ACKs
	for _, r := range sentBy(log.Records, trace.Up) {
		if r.Len == 0 && r.Ack > 1 {
			acks = append(acks, r.Ack)
		}
	}
	covered := func(i int) int64 {
		prev := int64(1)
		if i > 0 {
			prev = acks[i-1]
		}
		return (acks[i] - prev) / 1448
	}
	for i := 0; i < 16; i++ {
		if covered(i) != 1 {
			t.Fatalf("ACK %d covers %d segments; want each of the first 16 acknowledged alone (acks %v)", i+1, covered(i), acks[:16])
		}
	}
	// The second response: two segments per ACK.
	second := 0
	for i := range acks {
		if acks[i] > resp+1 && acks[i] < 2*resp {
			second++
			if covered(i) != 2 {
				t.Errorf("second response: ACK to %d covers %d segments, want 2", acks[i], covered(i))
			}
		}
	}
	if second < 20 {
		t.Errorf("only %d ACKs for the second response", second)
	}
}

// TestLinuxReceiveWindow: the windows Linux 6.18 advertises, as the
// testbed captured them: 64,240 bytes in the SYN and 65,160 in the
// SYN-ACK (64 KiB of a 128 KiB buffer, rounded to the MSS), 63 KiB after
// the handshake, then 3 KiB more per segment received (two MSS,
// tcp_grow_window) up to 79 KiB, the clamp of the buffer once the first
// segment showed the real memory cost per byte.
func TestLinuxReceiveWindow(t *testing.T) {
	res := fetch(t, 1, realistic(100*sim.Millisecond, 10*model.Mbps), model.LinuxTCP(), 300, 30_000)
	up, down := sentBy(res.log.Records, trace.Up), sentBy(res.log.Records, trace.Down)
	if up[0].Wnd != 64240 || down[0].Wnd != 65160 {
		t.Errorf("SYN window %d, SYN-ACK window %d; want 64240 and 65160", up[0].Wnd, down[0].Wnd)
	}
	var wins []int
	for _, r := range up[1:] {
		if len(wins) == 0 || wins[len(wins)-1] != r.Wnd/1024 {
			wins = append(wins, r.Wnd/1024)
		}
	}
	want := []int{63, 66, 69, 72, 75, 78, 79}
	if len(wins) < len(want) || !equalInts(wins[:len(want)], want) {
		t.Errorf("client windows %v KiB, want %v first", wins, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestLinuxRTOFloor: Linux keeps RTTVAR at least TCP_RTO_MIN, so the
// timeout is SRTT + max(RTTVAR, 200 ms); from one sample m it is
// m + max(2m, 200 ms) (tcp_rtt_estimator). A one-segment response that
// is lost is probed again at min(2·SRTT + 200 ms, RTO) (RFC 8985 §7.2,
// tcp_schedule_loss_probe): at the RTO, 300.2 ms after it left.
func TestLinuxRTOFloor(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 3}} // SYN-ACK, ACK of the request, the response
	res := keepOpen(t, link, model.LinuxTCP(), 1000)
	var synAck, ack, lost, again sim.Time = -1, -1, -1, -1
	for _, r := range res.log.Records {
		switch {
		case r.Kind == trace.PacketSent && r.Dir == trace.Down && r.Flags&trace.SYN != 0:
			synAck = r.At
		case r.Kind == trace.PacketArrived && r.Dir == trace.Up && ack < 0 && r.Flags == trace.ACK:
			ack = r.At
		case r.Kind == trace.PacketDropped:
			lost = r.At
		case r.Kind == trace.Retransmit && again < 0:
			again = r.At
			if r.Note != trace.RetxTailLossProbe {
				t.Errorf("retransmission %q, want the tail loss probe", r.Note)
			}
		}
	}
	m := ack - synAck
	want := m + max(2*m, 200*sim.Millisecond)
	// The drop is recorded when the packet would have left.
	sent := lost
	for _, r := range sentBy(res.log.Records, trace.Down) {
		if r.Len == 1000 {
			sent = r.At
			break
		}
	}
	if again-sent != want {
		t.Errorf("lost response resent %v after it left; want RTO = m + max(2m, 200ms) = %v (m = %v)", again-sent, want, m)
	}
}

// TestLinuxTailLossProbe: the last segment of a 10-segment response is
// lost, and no duplicate ACK can tell. RFC 6298's sender waits for its
// RTO (1 s at least) and restarts from one segment; Linux probes with
// the last segment again (RFC 8985 §7.3). With that one segment left
// unacknowledged the probe waits 2·SRTT + 200 ms for a delayed ACK, no
// longer than the RTO (SRTT + 200 ms here), and it is a probe, not a
// timeout: the window is not cut to one segment.
func TestLinuxTailLossProbe(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 12}} // SYN-ACK, request ACK, 10 segments
	res := keepOpen(t, link, model.LinuxTCP(), 10*1448)
	retx := 0
	for _, r := range res.log.Records {
		if r.Kind == trace.Retransmit {
			retx++
			if r.Note != trace.RetxTailLossProbe {
				t.Errorf("retransmission %q at %v, want a tail loss probe", r.Note, r.At)
			}
		}
		if r.Kind == trace.CwndChanged && r.State == trace.CwndTimeout {
			t.Errorf("a timeout at %v", r.At)
		}
	}
	// The RFC profile's server sends no ACK of its own for the request.
	link.Drops[0].Nth = 11
	rfc := keepOpen(t, link, model.RFCTCP(), 10*1460)
	if retx != 1 || res.done == 0 || res.done > 700*sim.Millisecond || rfc.done < 1100*sim.Millisecond {
		t.Errorf("%d retransmissions, response complete at %v (RFC profile: %v); want 1, within 700 ms, and the RFC one after 1.1 s", retx, res.done, rfc.done)
	}
}

// TestLinuxRACKRecovery: one segment lost in the middle of a window is
// marked lost by RACK once later segments are SACKed (RFC 8985 §6.2,
// with a reordering window of 0 from three SACKed segments on), resent
// at once, and PRR brings cwnd down to ssthresh = 0.7·cwnd (CUBIC's β,
// RFC 9438 §4.6) over the recovery; no timeout.
func TestLinuxRACKRecovery(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 25}}
	res := fetch(t, 1, link, model.LinuxTCP(), 300, 300_000)
	var lostRetx, other int
	var before, cut, after trace.Record
	for _, r := range res.log.Records {
		switch {
		case r.Kind == trace.Retransmit && r.Note == "lost":
			lostRetx++
		case r.Kind == trace.Retransmit:
			other++
		case r.Kind == trace.CwndChanged && r.Dir == trace.Down:
			switch {
			case r.State == trace.CwndLoss && cut.Kind == 0:
				cut = r
			case cut.Kind == 0:
				before = r
			case r.State == trace.CwndRecovered && after.Kind == 0:
				after = r
			}
		}
	}
	if lostRetx != 1 || other != 0 {
		t.Errorf("%d RACK retransmissions and %d others, want 1 and 0", lostRetx, other)
	}
	w := before.Cwnd / 1448
	if want := max(w*717/1024, 2) * 1448; cut.Ssthresh != want || after.Cwnd != want {
		t.Errorf("cwnd %d segments at the loss: ssthresh %d and cwnd after recovery %d, want %d (0.7·cwnd)", w, cut.Ssthresh/1448, after.Cwnd/1448, want/1448)
	}
}

// TestLinuxSpuriousTimeoutUndone: the client's ACKs for a while are lost,
// so the server times out although its data arrived. The first ACK after
// the retransmission echoes a timestamp older than it (Eifel, RFC 3522;
// Linux tcp_try_undo_loss), so the window from before comes back.
func TestLinuxSpuriousTimeoutUndone(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	// The client's packets: SYN, ACK, request, then ACKs. Losing the ACKs
	// of the first flight and of the tail loss probe leaves the server
	// without news for an RTO.
	for k := 4; k <= 15; k++ {
		link.Drops = append(link.Drops, model.Drop{Conn: 1, Dir: uint8(trace.Up), Nth: k})
	}
	res := fetch(t, 1, link, model.LinuxTCP(), 300, 200_000)
	var timeout, undo trace.Record
	var prior int
	for _, r := range res.log.Records {
		if r.Kind != trace.CwndChanged || r.Dir != trace.Down {
			continue
		}
		switch {
		case r.State == trace.CwndTimeout && timeout.Kind == 0:
			timeout = r
		case timeout.Kind == 0:
			prior = r.Cwnd
		case r.State == trace.CwndUndo && undo.Kind == 0:
			undo = r
		}
	}
	if timeout.Kind == 0 || undo.Kind == 0 {
		t.Fatalf("timeout %v, undo %v: want a timeout and its undo", timeout.Kind != 0, undo.Kind != 0)
	}
	if undo.Cwnd < prior {
		t.Errorf("undo restored cwnd %d, want at least the %d before the timeout", undo.Cwnd, prior)
	}
}

// TestLinuxHyStart: into a deep queue, slow start ends before any loss
// once the round trip has grown by an eighth (at least 4 ms): HyStart's
// delay test (Linux tcp_cubic, hystart_detect), from 16 segments on,
// with ssthresh set to the window at that moment. Without it slow start
// runs on until the 1000-packet queue overflows.
func TestLinuxHyStart(t *testing.T) {
	for _, on := range []bool{true, false} {
		cfg := model.LinuxTCP()
		cfg.HyStart = on
		link := realistic(100*sim.Millisecond, 10*model.Mbps)
		link.Buffer = 1000
		res := fetch(t, 1, link, cfg, 300, 3_000_000)
		var exit *trace.Record
		drops := 0
		for i, r := range res.log.Records {
			if r.Kind == trace.CwndChanged && r.State == trace.CwndHyStart && exit == nil {
				exit = &res.log.Records[i]
			}
			if r.Kind == trace.PacketDropped && exit == nil {
				drops++
			}
		}
		switch {
		case on && (exit == nil || drops > 0 || exit.Ssthresh != exit.Cwnd || exit.Cwnd < 16*1448):
			t.Errorf("HyStart on: exit %+v after %d drops; want an exit at ≥ 16 segments before any loss", exit, drops)
		case !on && exit != nil:
			t.Errorf("HyStart off: it exited at %v", exit.At)
		}
	}
}

// TestCubicCurve: after a loss at W_max segments, CUBIC's window follows
// W(t) = C·(t − K)³ + W_max with C = 0.4 and K = ∛(W_max·(1 − β)/C),
// β = 0.7 (RFC 9438 §4.2), from the start of the epoch: back at W_max
// after K, and 0.4·K³ above it after 2K.
func TestCubicCurve(t *testing.T) {
	const rtt = 100 * sim.Millisecond
	link := realistic(rtt, model.Gbps)
	// The 208th server packet is in the 5th round of slow start (about
	// 160 segments out); the window at the loss is read from the trace.
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 208}}
	cfg := model.LinuxTCP()
	cfg.HyStart = false
	res := fetch(t, 1, link, cfg, 300, 400_000_000)
	var wmax int
	var epoch sim.Time = -1
	var series []trace.Record
	for _, r := range res.log.Records {
		if r.Kind != trace.CwndChanged || r.Dir != trace.Down {
			continue
		}
		switch {
		case r.State == trace.CwndLoss && wmax == 0:
			wmax = series[len(series)-1].Cwnd / 1448
		case r.State == trace.CwndRecovered && epoch < 0:
			epoch = r.At
		}
		series = append(series, r)
	}
	if wmax == 0 || epoch < 0 {
		t.Fatalf("no loss and recovery in the trace (W_max %d)", wmax)
	}
	k := math.Cbrt(float64(wmax) * (1 - 0.7) / 0.4)
	at := func(d float64) int {
		return cwndAt(series, 1, trace.Down, epoch+sim.Time(d*float64(sim.Second))) / 1448
	}
	for _, tc := range []struct {
		t    float64
		want float64
	}{
		{k, float64(wmax)},
		{2 * k, float64(wmax) + 0.4*k*k*k},
	} {
		got := float64(at(tc.t))
		if math.Abs(got-tc.want) > 0.03*tc.want+2 {
			t.Errorf("W_max %d, K %.2fs: cwnd at %.2fs is %.0f segments, RFC 9438 gives %.1f", wmax, k, tc.t, got, tc.want)
		}
	}
}

// TestLinuxLostSYNKeepsWindow: Linux starts with one segment only after
// more than one retransmission of the handshake (tcp_init_transfer:
// total_retrans > 1), where RFC 6928 §2 asks for one after any.
func TestLinuxLostSYNKeepsWindow(t *testing.T) {
	for _, tc := range []struct {
		drops []model.Drop
		want  int
	}{
		{[]model.Drop{{Conn: 1, Dir: uint8(trace.Up), Nth: 1}}, 10 * 1448},
		{[]model.Drop{{Conn: 1, Dir: uint8(trace.Up), Nth: 1}, {Conn: 1, Dir: uint8(trace.Up), Nth: 2}}, 1448},
	} {
		link := realistic(100*sim.Millisecond, 10*model.Mbps)
		link.Drops = tc.drops
		res := fetch(t, 1, link, model.LinuxTCP(), 300, 50_000)
		var established sim.Time
		for _, r := range res.log.Records {
			if r.Kind == trace.StateChanged && r.Dir == trace.Up && r.State == trace.Established {
				established = r.At
			}
		}
		if got := cwndAt(res.log.Records, 1, trace.Up, established); got != tc.want {
			t.Errorf("%d SYNs lost: client's window %d, want %d", len(tc.drops), got, tc.want)
		}
	}
}

// TestLinuxLossyInvariants: under heavy random loss, with SACK, RACK and
// the probes, every byte arrives in order and nothing hangs.
func TestLinuxLossyInvariants(t *testing.T) {
	for seed := uint64(1); seed <= 30; seed++ {
		link := realistic(60*sim.Millisecond, 5*model.Mbps)
		link.Loss, link.Buffer = 0.08, 30
		res := fetch(t, seed, link, model.LinuxTCP(), 300, 250_000)
		if res.failed != "" || res.done == 0 {
			t.Fatalf("seed %d: failed=%q done=%v", seed, res.failed, res.done)
		}
		for _, r := range res.log.Records {
			if r.Kind == trace.Retransmit && !slices.Contains([]string{trace.RetxLost, trace.RetxAfterTimeout, trace.RetxTimeout, trace.RetxTailLossProbe, trace.RetxSynTimeout}, r.Note) {
				t.Fatalf("seed %d: retransmission for %q", seed, r.Note)
			}
		}
	}
}

// TestLinuxSYNTimeouts: Linux keeps the first four SYN timeouts at the
// initial 1 s (tcp_syn_linear_timeouts = 4), then doubles, and gives up
// after tcp_syn_retries + 4 = 10 retransmissions. The testbed's kernel
// sent its SYNs at 0, 1.015, 2.039, 3.063, 4.087, 5.111, 7.127, 11.259,
// 19.447, 35.575 and 68.855 s and failed the connect at 134.4 s (its
// timer wheel fires long timers late; the model's timers are exact).
func TestLinuxSYNTimeouts(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Loss = 1
	res := fetch(t, 1, link, model.LinuxTCP(), 300, 1000)
	var syns []sim.Time
	var failed sim.Time
	for _, r := range res.log.Records {
		if r.Kind == trace.PacketSent && r.Flags == trace.SYN {
			syns = append(syns, r.At)
		}
		if r.Kind == trace.ConnFailed {
			failed = r.At
		}
	}
	want := []sim.Time{0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67}
	if len(syns) != len(want) {
		t.Fatalf("SYNs at %v, want at %v s", syns, want)
	}
	for i := range want {
		if syns[i] != want[i]*sim.Second {
			t.Errorf("SYN %d at %v, want %v", i+1, syns[i], want[i]*sim.Second)
		}
	}
	if failed != 131*sim.Second {
		t.Errorf("gave up at %v, want 131s", failed)
	}
}
