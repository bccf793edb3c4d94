package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestTracedNames: the model names its TCP states and protocols as the
// trace does, each one distinct, so that what it records reads back as
// the same word (a state missing from the model's table would record as
// no state at all).
func TestTracedNames(t *testing.T) {
	seen := map[string]bool{}
	for s := model.Closed; s <= model.TimeWait; s++ {
		back, err := trace.ParseState(trace.StateChanged, s.String())
		if err != nil || back.String() != s.String() || seen[s.String()] {
			t.Errorf("model state %d (%q): trace reads %v, %v", s, s, back, err)
		}
		seen[s.String()] = true
	}
	for _, p := range model.Protocols {
		if p.Traced() == trace.NoProtocol || p.Traced().String() != p.String() {
			t.Errorf("protocol %v is traced as %q", p, p.Traced())
		}
		back, err := model.ParseProtocol(p.Traced().String())
		if err != nil || back != p {
			t.Errorf("ParseProtocol(%q) = %v, %v", p.Traced(), back, err)
		}
	}
}
