package model_test

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestPacketTimesAddUp: every packet's time from sent to arrived is the
// queue wait and the serialization its arrival records, plus the link's
// propagation delay; a lone packet waits for nothing and serializes in
// wire·8/R; a burst waits behind itself under FIFO; a packet lost on the
// wire records both, one lost at a full queue neither.
func TestPacketTimesAddUp(t *testing.T) {
	const delay = 20 * sim.Millisecond
	for _, tc := range []struct {
		name string
		link model.LinkConfig
	}{
		{"fifo", model.LinkConfig{Delay: delay, Up: 10 * model.Mbps, Down: 10 * model.Mbps}},
		{"fair", model.LinkConfig{Delay: delay, Up: 10 * model.Mbps, Down: 10 * model.Mbps, Queue: model.Fair}},
		{"unlimited", model.LinkConfig{Delay: delay, Up: model.UnlimitedRate, Down: model.UnlimitedRate}},
		{"tail drops", model.LinkConfig{Delay: delay, Up: 1 * model.Mbps, Down: 1 * model.Mbps, Buffer: 5}},
		{"random loss", model.LinkConfig{Delay: delay, Up: 10 * model.Mbps, Down: 10 * model.Mbps, Loss: 0.05}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := fetch(t, 3, tc.link, model.DefaultTCP(), 300, 50_000)
			sent := map[uint64]time.Duration{}
			waited, wireDrops := 0, 0
			for _, r := range res.log.Records {
				switch r.Kind {
				case trace.PacketSent:
					sent[r.Packet] = r.At
				case trace.PacketArrived:
					if got := r.At - sent[r.Packet]; got != r.Queued+r.Serialized+delay {
						t.Fatalf("packet %d: %v from sent to arrived, recorded queue %v + serialization %v + delay %v",
							r.Packet, got, r.Queued, r.Serialized, delay)
					}
					if r.Queued > 0 {
						waited++
					}
					if tc.name == "unlimited" && r.Queued+r.Serialized != 0 {
						t.Fatalf("packet %d on an unlimited link: queue %v, serialization %v", r.Packet, r.Queued, r.Serialized)
					}
				case trace.PacketDropped:
					switch {
					case r.Note == "queue full" && r.Queued+r.Serialized != 0:
						t.Fatalf("packet %d dropped at a full queue records queue %v, serialization %v", r.Packet, r.Queued, r.Serialized)
					case r.Note != "queue full":
						wireDrops++
						if r.At-sent[r.Packet] != r.Queued+r.Serialized || r.Serialized <= 0 {
							t.Fatalf("packet %d lost on the wire at %v, sent %v: queue %v, serialization %v",
								r.Packet, r.At, sent[r.Packet], r.Queued, r.Serialized)
						}
					}
				}
			}
			if tc.name == "fifo" && waited == 0 {
				t.Error("no packet of a 50,000-byte response waited in the queue")
			}
			if tc.name == "random loss" && wireDrops == 0 {
				t.Error("no packet was lost on the wire: the test shows nothing")
			}
		})
	}
	// The first SYN is alone on the link: 52 bytes at 10 Mbit/s.
	res := fetch(t, 1, model.LinkConfig{Delay: delay, Up: 10 * model.Mbps, Down: 10 * model.Mbps}, model.DefaultTCP(), 300, 1000)
	for _, r := range res.log.Records {
		if r.Kind == trace.PacketArrived && r.Packet == 1 {
			if want := time.Duration(r.Wire) * 8 * time.Second / 10_000_000; r.Queued != 0 || r.Serialized != want {
				t.Errorf("the SYN (%d bytes): queue %v, serialization %v, want 0 and %v", r.Wire, r.Queued, r.Serialized, want)
			}
		}
	}
}
