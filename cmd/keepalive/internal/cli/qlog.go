package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/model/trace/qlog"
)

// writeQlogs writes --qlog's files: each http3 run made again (the same
// settings and seed give the same run) with its trace kept, then every
// QUIC connection at both ends. Each file is written whole or not at all
// (a temporary file renamed into place).
func writeQlogs(plan *runPlan) error {
	sc, cfg, err := plan.config()
	if err != nil {
		return err
	}
	name := sc.Name
	if name == "" {
		name = plan.scenario
	}
	name = filepath.Base(name)
	if err := os.MkdirAll(plan.qlog, 0o755); err != nil {
		return fmt.Errorf("--qlog %s: %w", plan.qlog, err)
	}
	cfg.ForProtocol(model.HTTP3)
	log := &trace.Log{}
	if _, err := model.Run(cfg, log); err != nil {
		return fmt.Errorf("--qlog: %w", err)
	}
	for _, conn := range qlog.Connections(log.Records) {
		for _, end := range []struct {
			dir  trace.Dir
			name string
		}{{trace.Up, "client"}, {trace.Down, "server"}} {
			var buf bytes.Buffer
			if err := qlog.Write(&buf, log.Records, conn, end.dir); err != nil {
				return fmt.Errorf("--qlog: %w", err)
			}
			path := filepath.Join(plan.qlog, fmt.Sprintf("%s.conn%d.%s.sqlog", name, conn, end.name))
			if err := writeWhole(path, buf.Bytes()); err != nil {
				return fmt.Errorf("--qlog %s: %w", plan.qlog, err)
			}
		}
	}
	return nil
}

// writeWhole writes b to path through a temporary file in its directory.
func writeWhole(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".qlog-*")
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		os.Remove(f.Name())
		return err
	}
	return os.Rename(f.Name(), path)
}
