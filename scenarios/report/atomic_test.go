//go:build unix

package report_test

import (
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios/report"
)

func writeHello(w io.Writer) error {
	_, err := io.WriteString(w, "hello\n")
	return err
}

// TestWriteAtomicKeepsWhatIsNotARegularFile: an output through a symlink
// lands in the link's target and the link stays; a FIFO (like a device,
// which root could otherwise replace) is written through, never replaced
// by a regular file; a regular file is replaced whole.
func TestWriteAtomicKeepsWhatIsNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.csv")
	if err := os.WriteFile(real, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("real.csv", link); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteAtomic(link, writeHello); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(real); string(b) != "hello\n" {
		t.Errorf("the link's target holds %q", b)
	}

	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	if err := report.WriteAtomic(fifo, writeHello); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "hello\n" {
		t.Errorf("the pipe's reader got %q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 3 {
		t.Errorf("%d entries left in the directory, want the file, the link and the FIFO", len(entries))
	}
}

// TestStream: a streamed output replaces a regular file only on Commit,
// Abort leaves the old file and no temporary one, and a FIFO is written
// through.
func TestStream(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "pages.csv")
	if err := os.WriteFile(path, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, commit := range []bool{false, true} {
		s, err := report.CreateStream(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := writeHello(s); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); string(b) != "old\n" {
			t.Errorf("commit %v: before Commit the file holds %q", commit, b)
		}
		want := "old\n"
		if commit {
			if err := s.Commit(); err != nil {
				t.Fatal(err)
			}
			want = "hello\n"
		}
		s.Abort() // after Commit, nothing
		if b, _ := os.ReadFile(path); string(b) != want {
			t.Errorf("commit %v: the file holds %q, want %q", commit, b, want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 1 {
			t.Errorf("commit %v: %d entries in the directory, want only the file", commit, len(entries))
		}
	}

	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	got := make(chan string)
	go func() {
		b, _ := os.ReadFile(fifo)
		got <- string(b)
	}()
	s, err := report.CreateStream(fifo)
	if err != nil {
		t.Fatal(err)
	}
	writeHello(s)
	if err := s.Commit(); err != nil {
		t.Fatal(err)
	}
	if g := <-got; g != "hello\n" {
		t.Errorf("the pipe's reader got %q", g)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", fi.Mode(), err)
	}
}
