package model

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model/quic"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestQUICAckDelayPerSpace: an ACK's ACK Delay is the time since its
// largest packet arrived in the application data space (RFC 9000
// §13.2.5) and 0 in Initial and Handshake ACKs, which a sender ignores
// (RFC 9002 §5.3) and quic-go leaves at 0 (receivedPacketTracker).
func TestQUICAckDelayPerSpace(t *testing.T) {
	cfg := DefaultConfig()
	cfg.ForProtocol(HTTP3)
	s := sim.New(1, 0)
	n, err := NewNetwork(s, cfg.Link, &trace.Log{})
	if err != nil {
		t.Fatal(err)
	}
	q := n.newQUICConn(0, &cfg.QUIC, false, false, false)
	e := q.client
	e.keys[quic.Handshake], e.keys[quic.ApplicationData], e.oneRTT = true, true, true
	for sp := quic.Initial; sp <= quic.ApplicationData; sp++ {
		e.recv[sp].Received(0, true, 0)
		e.recv[sp].LargestAt = -7 * sim.Millisecond // it arrived 7 ms ago
		e.ackDue[sp] = true
		p := e.packet(sp, 1200, 1200)
		if p == nil || len(p.frames) == 0 || p.frames[0].kind != qfAck {
			t.Fatalf("space %v: no ACK built (%+v)", sp, p)
		}
		want := sim.Time(0)
		if sp == quic.ApplicationData {
			want = 7 * sim.Millisecond
		}
		if got := p.frames[0].delay; got != want {
			t.Errorf("space %v: ACK Delay %v, want %v", sp, got, want)
		}
	}
}
