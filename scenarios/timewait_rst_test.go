package scenarios_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// TestResetEndsTimeWait: an RST that reaches a socket in TIME-WAIT at the
// sequence number it expects next closes it at once, as RFC 9293
// §3.10.7.4 says and Linux does with net.ipv4.tcp_rfc1337 at its default
// (tcp_timewait_state_process); any other RST leaves TIME-WAIT running.
// real-page's HTTP/1.0 run has one: a client's tail-loss probe of its FIN
// draws a second ACK after the client has closed, and the client's RST
// answers it.
func TestResetEndsTimeWait(t *testing.T) {
	sc, err := scenarios.Builtin("real-page")
	if err != nil {
		t.Fatal(err)
	}
	cfg := sc.Config
	cfg.HTTP.Protocol = model.HTTP10
	log := &trace.Log{}
	if _, err := model.Run(cfg, log); err != nil {
		t.Fatal(err)
	}
	recs := log.Records
	state := map[[2]int]trace.State{} // (conn, side) → state
	expect := map[[2]int]int64{}      // (conn, side) → the Ack of its last packet
	assassinated := 0
	for i, r := range recs {
		key := [2]int{r.Conn, int(r.Dir)}
		switch r.Kind {
		case trace.StateChanged:
			state[key] = r.State
		case trace.PacketSent:
			if r.Flags&trace.ACK != 0 {
				expect[key] = r.Ack
			}
		case trace.PacketArrived:
			to := [2]int{r.Conn, int(3 - r.Dir)} // the receiving side
			if r.Flags&trace.RST == 0 || state[to] != trace.TimeWait {
				continue
			}
			closed := false
			for _, q := range recs[i+1:] {
				if q.At != r.At {
					break
				}
				if q.Kind == trace.StateChanged && q.Conn == r.Conn && int(q.Dir) == to[1] && q.State == trace.Closed {
					closed = true
				}
			}
			if want := r.Seq == expect[to]; closed != want {
				t.Errorf("conn %d: an RST (seq %d, expected %d) in TIME-WAIT at %v: closed %v, want %v", r.Conn, r.Seq, expect[to], r.At, closed, want)
			}
			if closed {
				assassinated++
			}
		}
	}
	if assassinated == 0 {
		t.Error("no RST ended a TIME-WAIT: the run no longer shows the case")
	}
}
