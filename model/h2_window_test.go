package model_test

import (
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestWindowUpdateLabels: every WINDOW_UPDATE the browser sends names its
// stream (or the connection) and its increment (RFC 9113 §6.9), so an
// inspector can show them; the browser credits a window once half of it
// has been consumed, and no more than was consumed.
func TestWindowUpdateLabels(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.HTTP.Protocol = model.HTTP2
	cfg.HTTP.StreamWindow, cfg.HTTP.ConnWindow = 65535, 200_000
	cfg.Page = model.SyntheticPage(1000, 2, []int{300_000})
	log := &trace.Log{}
	if _, err := model.Run(cfg, log); err != nil {
		t.Fatal(err)
	}
	streams, conns := 0, 0
	for _, r := range log.Records {
		if r.Kind != trace.PacketSent || !strings.Contains(r.Label, trace.WindowUpdateLabel) {
			continue
		}
		// A packet may carry other frames too; find the WINDOW_UPDATEs.
		for _, part := range strings.Split(r.Label, ", ") {
			if !strings.HasPrefix(part, trace.WindowUpdateLabel) {
				continue
			}
			stream, inc, ok := trace.ParseWindowUpdate(part)
			if !ok {
				t.Fatalf("label %q names no increment", part)
			}
			window := 65535
			if stream == 0 {
				window, conns = 200_000, conns+1
			} else {
				streams++
			}
			if inc < window/2 || inc > window {
				t.Errorf("%q: increment %d, want between half the window (%d) and the window", part, inc, window/2)
			}
		}
	}
	if streams == 0 || conns == 0 {
		t.Errorf("%d stream and %d connection updates, want some of each", streams, conns)
	}
}
