package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// fetch runs one request/response exchange over a fresh connection: the
// client sends a reqBytes request once connected, the server answers with
// respBytes and closes (HTTP/1.0 style). It returns the time the last
// response byte reached the client, the trace, and the connection.
type fetchResult struct {
	done     sim.Time // last response byte delivered to the client (0: never)
	received int
	log      *trace.Log
	conn     *model.Conn
	failed   string
	sim      *sim.Simulator
}

func fetch(t *testing.T, seed uint64, link model.LinkConfig, cfg model.TCPConfig, reqBytes, respBytes int) fetchResult {
	t.Helper()
	s := sim.New(seed, 0)
	s.SetLimits(sim.Limits{MaxEvents: 10_000_000, MaxTime: 1000 * sim.Second})
	log := &trace.Log{}
	n, err := model.NewNetwork(s, link, log)
	if err != nil {
		t.Fatal(err)
	}
	c, err := n.NewConn(cfg)
	if err != nil {
		t.Fatal(err)
	}
	res := fetchResult{log: log, conn: c, sim: s}
	gotReq := 0
	c.Client.OnEstablished = func() { c.Client.Write(reqBytes, "GET /") }
	c.Server.OnData = func(k int) {
		gotReq += k
		if gotReq == reqBytes {
			c.Server.Write(respBytes, "200 OK")
			c.Server.Close()
		}
	}
	c.Client.OnData = func(k int) {
		res.received += k
		if res.received == respBytes {
			res.done = s.Now()
		}
	}
	c.Client.OnEOF = func() { c.Client.Close() }
	c.Client.OnReset = func(why string) { res.failed = why }
	c.Client.Open()
	if err := s.Drain(); err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, log.Records)
	if res.failed == "" && res.received != respBytes {
		t.Errorf("client received %d bytes, server sent %d", res.received, respBytes)
	}
	return res
}

// checkInvariants asserts what must hold of every trace:
//   - records are in time order (no event happened in the past);
//   - every arrived or dropped packet was sent earlier, and arrives or is
//     dropped at most once;
//   - on each connection and direction, new data never goes backwards:
//     a segment that is not a retransmission starts at or after the end of
//     the previous new segment.
func checkInvariants(t *testing.T, recs []trace.Record) {
	t.Helper()
	type key struct {
		conn int
		dir  trace.Dir
	}
	sent := map[uint64]bool{}
	done := map[uint64]bool{}
	next := map[key]int64{}
	quic := map[int]bool{} // QUIC connections: packet numbers, not sequence numbers
	var last sim.Time
	for i, r := range recs {
		if r.At < last {
			t.Fatalf("record %d at %v is before the previous one at %v", i, r.At, last)
		}
		last = r.At
		switch r.Kind {
		case trace.StateChanged:
			if r.State == trace.QUICHandshake {
				quic[r.Conn] = true
			}
		case trace.PacketSent:
			if sent[r.Packet] {
				t.Fatalf("packet %d sent twice", r.Packet)
			}
			sent[r.Packet] = true
			k := key{r.Conn, r.Dir}
			if r.Len > 0 && !r.Retx && !quic[r.Conn] {
				if r.Seq < next[k] {
					t.Fatalf("conn %d %v: new data at seq %d behind %d", r.Conn, r.Dir, r.Seq, next[k])
				}
				next[k] = r.Seq + int64(r.Len)
			}
		case trace.PacketArrived, trace.PacketDropped:
			if !sent[r.Packet] {
				t.Fatalf("packet %d %v but never sent", r.Packet, r.Kind)
			}
			if done[r.Packet] {
				t.Fatalf("packet %d arrived or dropped twice", r.Packet)
			}
			done[r.Packet] = true
		}
	}
	checkPacketNumbers(t, recs, quic)
}

// ideal returns the textbook link: propagation only on the way up, rate R
// on the way down, FIFO, no loss.
func ideal(rtt sim.Time, r model.Rate) model.LinkConfig {
	return model.LinkConfig{Delay: rtt / 2, Up: model.UnlimitedRate, Down: r}
}

// cwndAt returns the server's congestion window in force at time at.
func cwndAt(recs []trace.Record, conn int, dir trace.Dir, at sim.Time) int {
	w := 0
	for _, r := range recs {
		if r.At > at {
			break
		}
		if r.Kind == trace.CwndChanged && r.Conn == conn && r.Dir == dir {
			w = r.Cwnd
		}
	}
	return w
}
