package scenarios_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// TestUnitsAreTheModels: package units, a leaf, writes the model's rate
// constants again; they must stay equal.
func TestUnitsAreTheModels(t *testing.T) {
	for _, tc := range []struct {
		name  string
		units int64
		model model.Rate
	}{
		{"Kbps", units.Kbps, model.Kbps}, {"Mbps", units.Mbps, model.Mbps}, {"Gbps", units.Gbps, model.Gbps},
		{"Unlimited", units.Unlimited, model.UnlimitedRate},
	} {
		if tc.units != int64(tc.model) {
			t.Errorf("units.%s = %d, the model's %d", tc.name, tc.units, tc.model)
		}
	}
}
