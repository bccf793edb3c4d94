//go:build linux

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestSweepFullDisk: when the disk fills mid-sweep, the message counts
// the complete rows the file holds, not the rows handed to its buffer,
// and --resume after making room finishes the sweep. It needs root, to
// mount a 100 KB tmpfs; elsewhere it skips.
func TestSweepFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("skipping: mounting a small tmpfs to fill needs root")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=100k"); err != nil {
		t.Skipf("skipping: cannot mount a tmpfs: %v", err)
	}
	defer syscall.Unmount(dir, 0)
	out := filepath.Join(dir, "r.csv")
	args := []string{"sweep", "--vary", "rtt=10ms..3s/step:10ms", "--objects", "1", "--out", out}
	code, _, errOut := keepalive(t, args...)
	var held, total int
	if _, err := fmt.Sscanf(errOut[strings.Index(errOut, "holds the first"):], "holds the first %d of %d rows", &held, &total); err != nil || code != 1 {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	data, _ := os.ReadFile(out)
	if rows := strings.Count(string(data), "\n") - 1; rows != held {
		t.Errorf("the message says %d rows, the file holds %d complete ones", held, rows)
	}
	// Room again: a bigger tmpfs over the same files, then --resume.
	if err := syscall.Mount("tmpfs", dir, "tmpfs", syscall.MS_REMOUNT, "size=4m"); err != nil {
		t.Fatalf("remount: %v", err)
	}
	mustRun(t, append(args, "--resume")...)
	data, _ = os.ReadFile(out)
	if rows := strings.Count(string(data), "\n") - 1; rows != total {
		t.Errorf("after --resume: %d rows, want %d", rows, total)
	}
}
