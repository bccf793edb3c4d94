package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/keepalive-sim/keepalive/cmd/keepalive/internal/cli"
)

// TestDocCharts renders the charts the docs show, with the command the
// docs give beside each, and compares them with docs/img (-update
// rewrites them): a sweep is a pure function of its flags, so the SVG is
// byte for byte the same.
func TestDocCharts(t *testing.T) {
	for _, c := range []struct {
		file string
		args []string
	}{
		{"tls-cpu-load.svg", []string{"sweep", "--scenario", "tls-cpu", "--vary", "clients.rate=10,20,30,40,50", "--y", "page_load_ms", "--by", "protocol"}},
		{"hol-under-loss.svg", []string{"sweep", "--scenario", "hol-under-loss", "--vary", "loss=0,0.01,0.02", "--replicates", "20", "--y", "page_load_ms", "--by", "protocol"}},
		{"tls-cpu-util.svg", []string{"sweep", "--scenario", "tls-cpu", "--vary", "clients.rate=10,20,30,40,50", "--y", "server_cpu_util", "--by", "protocol"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, c.file)
			var stdout, stderr bytes.Buffer
			args := append(c.args, "--out", filepath.Join(dir, "runs.csv"), "--plot", out)
			if code := cli.Main(args, &stdout, &stderr); code != 0 {
				t.Fatalf("keepalive %v: exit %d: %s", args, code, stderr.String())
			}
			got, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			doc := filepath.Join("..", "..", "docs", "img", c.file)
			if *update {
				if err := os.MkdirAll(filepath.Dir(doc), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(doc, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(doc)
			if err != nil {
				t.Fatalf("%v (go test ./cmd/keepalive -run TestDocCharts -update makes it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what the sweep draws now; rerun with -update and look at it", doc)
			}
		})
	}
}
