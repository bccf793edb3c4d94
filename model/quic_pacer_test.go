package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
)

// TestQUICPacerBurstWithLargeDatagrams: quic-go v0.65.0's pacer keeps
// maxDatagramSize = protocol.InitialPacketSize (1280, pacer.go newPacer)
// unless path MTU discovery raises it (connection.go:2236, the only
// SetMaxDatagramSize caller besides a 1200 fallback); the testbed turns
// discovery off. Its burst is therefore max(2 ms of rate, 10·1280 =
// 12,800 bytes): at most 8 datagrams of 1,452 bytes at one instant, as
// the model's pacer (quic.PacerDatagramSize).
func TestQUICPacerBurstWithLargeDatagrams(t *testing.T) {
	cfg := quicHandshakeCase()
	cfg.QUIC.MaxDatagram = 1452
	cfg.Page = model.SyntheticPage(20_000, 10, []int{15_000})
	most, at := serverBurst(h3Run(t, cfg), 1400)
	if most > 12_800/1452 {
		t.Fatalf("the server sent %d datagrams of 1,452 bytes at %v; quic-go's pacer bursts at most %d", most, at, 12_800/1452)
	}
}
