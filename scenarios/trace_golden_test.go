package scenarios_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// TestBuiltinTraces keeps the whole trace of every built-in scenario under
// every protocol in testdata/traces: any change to what happens, or in
// what order, shows up as a diff. Rewrite them after an intended model
// change with: go test ./scenarios -run TestBuiltinTraces -update
func TestBuiltinTraces(t *testing.T) {
	for _, info := range scenarios.Builtins() {
		sc, err := scenarios.Builtin(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range model.Protocols {
			t.Run(info.Name+"/"+p.String(), func(t *testing.T) {
				cfg := sc.Config
				cfg.HTTP.Protocol = p
				log := &trace.Log{}
				res, err := model.Run(cfg, log)
				if err != nil {
					t.Fatal(err)
				}
				if !res.Complete {
					t.Errorf("page did not complete")
				}
				var got bytes.Buffer
				if err := trace.WriteCSV(&got, log.Records); err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", "traces", info.Name+"."+p.String()+".csv")
				if *update {
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (create it with -update)", err)
				}
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("trace differs from %s; if the change is intended, rerun with -update and review the diff", path)
				}
			})
		}
	}
}
