package model_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

func realistic(rtt sim.Time, r model.Rate) model.LinkConfig {
	return model.LinkConfig{Delay: rtt / 2, Up: r, Down: r}
}

// The tests in this file check the RFC profile (model.RFCTCP), whose
// every rule is an RFC's; linux_test.go checks the Linux profile, the
// default, against the kernel's behaviour.

// TestDelayedAckSlowsSlowStart: RFC 5681 §3.1 grows cwnd by min(N, SMSS)
// per ACK. Ten segments acknowledged one by one add ten segments; the same
// ten acknowledged two at a time by a delayed-ACK receiver (§4.2) add five.
func TestDelayedAckSlowsSlowStart(t *testing.T) {
	rtt := 100 * sim.Millisecond
	for _, tc := range []struct {
		delack bool
		want   int // segments after the first round of ACKs
	}{
		{false, 20},
		{true, 15},
	} {
		cfg := model.RFCTCP()
		cfg.DelayedAck = tc.delack
		res := fetch(t, 1, realistic(rtt, 1*model.Gbps), cfg, 300, 1_000_000)
		// The response leaves at about 1.5 RTT; its ACKs are back by 2.5 RTT.
		if got := cwndAt(res.log.Records, 1, trace.Down, 2*rtt+rtt*3/4); got != tc.want*cfg.MSS {
			t.Errorf("delayed ACK %v: cwnd after one round = %d segments, want %d", tc.delack, got/cfg.MSS, tc.want)
		}
	}
}

// TestDelayedAckTimer: a lone small segment that the application does not
// answer is acknowledged when the delayed-ACK timer fires, 40 ms later
// (RFC 5681 §4.2; Linux's minimum delayed-ACK time).
func TestDelayedAckTimer(t *testing.T) {
	s := sim.New(1, 0)
	log := &trace.Log{}
	n, _ := model.NewNetwork(s, realistic(100*sim.Millisecond, 1*model.Gbps), log)
	c, _ := n.NewConn(model.RFCTCP())
	c.Server.OnEstablished = func() { c.Server.Write(500, "hello") }
	c.Client.Open()
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	var dataAt, ackAt sim.Time = -1, -1
	for _, r := range log.Records {
		if r.Kind == trace.PacketArrived && r.Dir == trace.Down && r.Len == 500 {
			dataAt = r.At
		}
		if dataAt >= 0 && ackAt < 0 && r.Kind == trace.PacketSent && r.Dir == trace.Up {
			ackAt = r.At
		}
	}
	if dataAt < 0 || ackAt-dataAt != 40*sim.Millisecond {
		t.Errorf("data arrived %v, ACK sent %v; want the ACK 40ms later", dataAt, ackAt)
	}
}

// TestFastRetransmitRepairsOneLoss: one data segment lost in the middle of
// a window is resent after three duplicate ACKs, well before any RTO.
func TestFastRetransmitRepairsOneLoss(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	// Server packet 1 is the SYN-ACK; packet 5 is the 4th data segment.
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 5}}
	res := fetch(t, 1, link, model.RFCTCP(), 300, 200_000)
	var fast, timeout, dropped int
	for _, r := range res.log.Records {
		switch {
		case r.Kind == trace.Retransmit && r.Note == trace.RetxFastRetransmit:
			fast++
		case r.Kind == trace.Retransmit && strings.Contains(r.Note, "timeout"):
			timeout++
		case r.Kind == trace.PacketDropped:
			dropped++
		}
	}
	if dropped != 1 || fast != 1 || timeout != 0 {
		t.Errorf("dropped %d, fast retransmits %d, timeouts %d; want 1, 1, 0", dropped, fast, timeout)
	}
	if res.done == 0 || res.done > 2*sim.Second {
		t.Errorf("transfer finished at %v; an RTO would push it past 1 s of extra delay", res.done)
	}
}

// TestRTORecoversTailLoss: losing the last segment gives no duplicate
// ACKs; the retransmission timer (RFC 6298, initial 1 s) repairs it.
func TestRTORecoversTailLoss(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	// 3 000 bytes is 3 segments: server packets 2, 3, 4; lose packet 4.
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 4}}
	res := fetch(t, 1, link, model.RFCTCP(), 300, 3000)
	timeouts := 0
	for _, r := range res.log.Records {
		if r.Kind == trace.Retransmit && r.Note == trace.RetxTimeout {
			timeouts++
		}
	}
	if timeouts != 1 || res.done < sim.Second {
		t.Errorf("timeouts %d, done at %v; want 1 timeout and completion after ≥ 1 s", timeouts, res.done)
	}
}

// TestTotalLossGivesUp: with every packet lost the client retransmits its
// SYN 6 times (Linux tcp_syn_retries) with exponential backoff 1, 2, 4, …,
// 64 s (RFC 6298 §5.5) and then reports failure at 127 s, not a hang.
func TestTotalLossGivesUp(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Loss = 1
	res := fetch(t, 1, link, model.RFCTCP(), 300, 1000)
	want := "connection failed after 6 SYN retransmissions"
	if res.failed != want {
		t.Fatalf("failure %q, want %q", res.failed, want)
	}
	var failedAt sim.Time
	for _, r := range res.log.Records {
		if r.Kind == trace.ConnFailed {
			failedAt = r.At
		}
	}
	if failedAt != 127*sim.Second {
		t.Errorf("gave up at %v, want 127s", failedAt)
	}
}

// exchange2 sends two request/response pairs on one connection, the
// second after idle; it returns the trace.
func exchange2(t *testing.T, cfg model.TCPConfig, idle sim.Time) *trace.Log {
	t.Helper()
	s := sim.New(1, 0)
	log := &trace.Log{}
	n, err := model.NewNetwork(s, realistic(100*sim.Millisecond, 100*model.Mbps), log)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := n.NewConn(cfg)
	const resp = 500_000
	got, req := 0, 0
	c.Client.OnEstablished = func() { c.Client.Write(300, "GET /1") }
	c.Server.OnData = func(k int) {
		req += k
		if req%300 == 0 {
			c.Server.Write(resp, "200 OK")
		}
	}
	c.Client.OnData = func(k int) {
		got += k
		if got == resp {
			s.After(idle, func() { c.Client.Write(300, "GET /2") })
		}
		if got == 2*resp {
			c.Client.Close()
			c.Server.Close()
		}
	}
	c.Client.Open()
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, log.Records)
	return log
}

// TestSlowStartRestart: after idling longer than the RTO, RFC 5681 §4.1
// restarts from the initial window; with restart off the window stays.
func TestSlowStartRestart(t *testing.T) {
	for _, tc := range []struct {
		restart model.Restart
		idle    sim.Time
		wantIW  bool
	}{
		{model.RestartRFC5681, 3 * sim.Second, true},
		{model.RestartRFC5681, 100 * sim.Millisecond, false}, // idle < RTO
		{model.RestartOff, 3 * sim.Second, false},
		{model.RestartHalving, 30 * sim.Second, true}, // many RTOs: halved down to IW
	} {
		cfg := model.RFCTCP()
		cfg.Restart = tc.restart
		log := exchange2(t, cfg, tc.idle)
		// cwnd in force when the second response starts.
		var second sim.Time
		for _, r := range log.Records {
			if r.Kind == trace.PacketArrived && r.Label == "GET /2" {
				second = r.At
			}
		}
		var before, at int
		for _, r := range log.Records {
			if r.Kind == trace.CwndChanged && r.Dir == trace.Down {
				if r.At < second {
					before = r.Cwnd
				}
				if r.At == second {
					at = r.Cwnd
				}
			}
		}
		iw := 10 * cfg.MSS
		if before <= iw {
			t.Fatalf("%v: window before idle %d is not above IW", tc.restart, before)
		}
		if tc.wantIW && at != iw {
			t.Errorf("restart %v after %v idle: cwnd %d, want IW %d", tc.restart, tc.idle, at, iw)
		}
		if !tc.wantIW && at != 0 {
			t.Errorf("restart %v after %v idle: cwnd changed to %d, want it kept at %d", tc.restart, tc.idle, at, before)
		}
	}
}

// TestDeterminism: a run is a pure function of its seed.
func TestDeterminism(t *testing.T) {
	link := realistic(50*sim.Millisecond, 10*model.Mbps)
	link.Loss = 0.02
	encode := func(seed uint64) []byte {
		var b bytes.Buffer
		res := fetch(t, seed, link, model.DefaultTCP(), 300, 300_000)
		if err := trace.WriteCSV(&b, res.log.Records); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	if !bytes.Equal(encode(7), encode(7)) {
		t.Error("same seed, different traces")
	}
	if bytes.Equal(encode(7), encode(8)) {
		t.Error("different seeds with 2% loss gave identical traces")
	}
}

// TestLossyTransfersComplete drives many seeds through heavy loss: every
// byte arrives, every invariant holds, nothing hangs.
func TestLossyTransfersComplete(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		for _, q := range []model.QueueDiscipline{model.FIFO, model.Fair} {
			link := realistic(40*sim.Millisecond, 5*model.Mbps)
			link.Loss, link.Buffer, link.Queue = 0.05, 20, q
			res := fetch(t, seed, link, model.DefaultTCP(), 300, 150_000)
			if res.failed != "" || res.done == 0 {
				t.Fatalf("seed %d %v: failed=%q done=%v", seed, q, res.failed, res.done)
			}
		}
	}
}

// TestLimitedTransmit: with a 3-segment window and the first segment
// lost, only two duplicate ACKs come back; limited transmit (RFC 3042)
// sends a new segment on each, which brings the third duplicate ACK and a
// fast retransmit instead of waiting a whole RTO.
func TestLimitedTransmit(t *testing.T) {
	link := realistic(100*sim.Millisecond, 10*model.Mbps)
	link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 2}} // the first data segment
	cfg := model.RFCTCP()
	cfg.InitialWindow, cfg.DelayedAck = 3, false
	res := fetch(t, 1, link, cfg, 300, 5*1460)
	var fast, timeout int
	for _, r := range res.log.Records {
		if r.Kind == trace.Retransmit {
			if r.Note == trace.RetxFastRetransmit {
				fast++
			} else {
				timeout++
			}
		}
	}
	if fast != 1 || timeout != 0 {
		t.Errorf("fast retransmits %d, timeouts %d; want 1 and 0", fast, timeout)
	}
}

// TestInitialWindowAfterLostSYN: when the SYN was lost and retransmitted,
// the sender starts with one segment, not ten (RFC 6928 §2).
func TestInitialWindowAfterLostSYN(t *testing.T) {
	for _, tc := range []struct {
		drops []model.Drop
		side  trace.Dir
		want  int
	}{
		{nil, trace.Down, 10 * 1460},
		{[]model.Drop{{Conn: 1, Dir: uint8(trace.Up), Nth: 1}}, trace.Up, 1460},     // the SYN: the client knows
		{[]model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 1}}, trace.Down, 1460}, // the SYN-ACK: the server knows
	} {
		link := realistic(100*sim.Millisecond, 10*model.Mbps)
		link.Drops = tc.drops
		res := fetch(t, 1, link, model.RFCTCP(), 300, 50_000)
		var established sim.Time
		for _, r := range res.log.Records {
			if r.Kind == trace.StateChanged && r.Dir == tc.side && r.State == trace.Established {
				established = r.At
			}
		}
		if got := cwndAt(res.log.Records, 1, tc.side, established); got != tc.want {
			t.Errorf("drops %v: %v's window when established %d, want %d", tc.drops, tc.side, got, tc.want)
		}
	}
}

// TestSlowStartGrowthRules: with delayed ACKs (one ACK per two segments),
// ten segments acknowledged in five ACKs add five segments under RFC 5681
// (min(N, SMSS) per ACK) and ten under RFC 3465's byte counting with
// L = 2·SMSS or Linux's per-segment counting.
func TestSlowStartGrowthRules(t *testing.T) {
	rtt := 100 * sim.Millisecond
	for _, tc := range []struct {
		growth model.SlowStart
		want   int // segments after the first round of ACKs
	}{
		{model.SlowStartRFC5681, 15},
		{model.SlowStartABC, 20},
		{model.SlowStartLinux, 20},
	} {
		cfg := model.RFCTCP()
		cfg.Growth = tc.growth
		res := fetch(t, 1, realistic(rtt, 1*model.Gbps), cfg, 300, 1_000_000)
		if got := cwndAt(res.log.Records, 1, trace.Down, 2*rtt+rtt*3/4); got != tc.want*cfg.MSS {
			t.Errorf("growth %v: cwnd after one round = %d segments, want %d", tc.growth, got/cfg.MSS, tc.want)
		}
	}
}

// TestHeaderTextMatchesSizes: the header text a real client or server
// sends (model.H1RequestHead, model.H1ResponseHead) has exactly the bytes
// the model charges, so the testbed measures the same traffic. The model
// counts an HTTP/1.x head without writing out its referer, content-length
// and etag, so the resources include sizes on each side of a change in
// their decimal and hex digits, and documents with and without a parent.
func TestHeaderTextMatchesSizes(t *testing.T) {
	if got, want := len(model.H1TimeoutText()), model.H1TimeoutBytes(); got != want {
		t.Errorf("the 408 is %d bytes of text, the model charges %d:\n%s", got, want, model.H1TimeoutText())
	}
	resources := newsPage().Resources
	for i, size := range []int{0, 1, 9, 10, 15, 16, 99, 100, 255, 256, 999, 1000, 4095, 4096, 65535, 65536, 999_999, 1_000_000, 1<<31 - 1, 1 << 40} {
		resources = append(resources, model.Resource{Path: "/r" + strconv.Itoa(i), Type: model.ResourceTypes[i%len(model.ResourceTypes)], Size: size, Parent: i%2 - 1})
	}
	for _, r := range resources {
		for _, tc := range []struct {
			version string
			keep    bool
		}{{"1.0", false}, {"1.1", true}, {"1.1", false}} {
			head := model.H1RequestHead("www.example.com", &r, tc.version, tc.keep)
			if got, want := len(head), model.H1RequestBytes("www.example.com", &r, tc.version, tc.keep); got != want {
				t.Errorf("%s HTTP/%s keep-alive %v: %d bytes of text, the model charges %d:\n%s", r.Path, tc.version, tc.keep, got, want, head)
			}
			resp := model.H1ResponseHead(&r, tc.version, tc.keep)
			if got, want := len(resp), model.H1ResponseBytes(&r, tc.version, tc.keep); got != want {
				t.Errorf("%s HTTP/%s keep-alive %v: a response head of %d bytes of text, the model charges %d:\n%s", r.Path, tc.version, tc.keep, got, want, resp)
			}
		}
	}
}
