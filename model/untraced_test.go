package model_test

import (
	"reflect"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestUntracedRunSameResult: a run that keeps no trace builds no labels
// for its messages and packets (Network.traced), and that must be all it
// leaves out. Every protocol, on a lossy link with TLS so that
// retransmissions, QUIC's lost-packet records and TLS flights all
// happen, gives the same Result with a nil recorder as with a trace.Log,
// and the traced run's packets do carry their labels.
func TestUntracedRunSameResult(t *testing.T) {
	for _, p := range model.AllProtocols {
		t.Run(p.String(), func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Page = model.SyntheticPage(20_000, 20, []int{10_000})
			cfg.Link.Loss = 0.03
			cfg.Seed = 7
			cfg.TLS.Version = model.TLS13
			cfg.ForProtocol(p)
			bare, err := model.Run(cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			log := &trace.Log{}
			traced, err := model.Run(cfg, log)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(bare, traced) {
				t.Errorf("untraced result differs from traced:\n%+v\n%+v", bare, traced)
			}
			if bare.Retransmissions == 0 {
				t.Errorf("no retransmission at 3 %% loss: the case does not test loss")
			}
			labelled := 0
			for _, r := range log.Records {
				if r.Kind == trace.PacketSent && r.Label != "" {
					labelled++
				}
			}
			if labelled == 0 {
				t.Errorf("a traced run's packets carry no labels")
			}
		})
	}
}
