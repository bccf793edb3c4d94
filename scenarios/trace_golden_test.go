package scenarios_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// TestBuiltinTraces keeps the whole trace of every built-in scenario under
// every protocol in testdata/traces: any change to what happens, or in
// what order, shows up as a difference. The CSV files are gzipped (the
// many-client scenarios record hundreds of thousands of events); compare
// two versions with zdiff, or zcat one. Rewrite them after an intended
// model change with: go test ./scenarios -run TestBuiltinTraces -update
func TestBuiltinTraces(t *testing.T) {
	for _, info := range scenarios.Builtins() {
		sc, err := scenarios.Builtin(info.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range sc.Compared() {
			t.Run(info.Name+"/"+p.String(), func(t *testing.T) {
				cfg := sc.Config
				cfg.ForProtocol(p)
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
				path := filepath.Join("testdata", "traces", info.Name+"."+p.String()+".csv.gz")
				if *update {
					writeGzip(t, path, got.Bytes())
				}
				want := readGzip(t, path)
				if !bytes.Equal(got.Bytes(), want) {
					t.Errorf("trace differs from %s; if the change is intended, rerun with -update and review the diff", path)
				}
			})
		}
	}
}

func writeGzip(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readGzip(t *testing.T, path string) []byte {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (create it with -update)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	data, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return data
}
