package tui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestWriteCapture: W writes the capture of the protocol on screen
// (Lesson.Capture's bytes) to the shot directory, named after the
// scenario and the protocol, and says where; a second W writes a new
// file instead of replacing the first; p then W captures the next
// protocol; without Capture (a replayed trace) and when it fails, the
// status line says why and no file is written.
func TestWriteCapture(t *testing.T) {
	dir := t.TempDir()
	r := start(t, Options{ShotDir: dir})
	r.do(func() {
		r.u.s.lesson.Capture = func(p trace.Protocol) ([]byte, error) { return []byte("capture of " + p.String()), nil }
	})
	message := func() (m string) { r.do(func() { m = r.u.s.message }); return m }
	// press types key and waits for the status line to say something
	// new.
	press := func(key rune, says string) {
		t.Helper()
		r.do(func() { r.u.s.message = "" })
		r.key(tcell.KeyRune, key)
		r.eventually(says, func() bool { return strings.Contains(r.u.s.message, says) }) // on the UI's goroutine
	}
	press('W', "wrote")
	base := filepath.Join(dir, "keepalive-fixture-http1.0")
	if want := "wrote the http1.0 run's packets as " + base + ".pcap: open it in Wireshark"; message() != want {
		t.Errorf("message %q, want %q", message(), want)
	}
	if b, err := os.ReadFile(base + ".pcap"); err != nil || string(b) != "capture of http1.0" {
		t.Errorf("%s: %q, %v", base+".pcap", b, err)
	}
	press('W', "-2.pcap")
	if b, err := os.ReadFile(base + "-2.pcap"); err != nil || string(b) != "capture of http1.0" || !strings.Contains(message(), "-2.pcap") {
		t.Errorf("the second W: %q, %v; %q", b, err, message())
	}
	r.key(tcell.KeyRune, 'p')
	press('W', "http1.1")
	if b, err := os.ReadFile(filepath.Join(dir, "keepalive-fixture-http1.1.pcap")); err != nil || string(b) != "capture of http1.1" {
		t.Errorf("after p: %q, %v; %q", b, err, message())
	}
	before, _ := os.ReadDir(dir)
	r.do(func() {
		r.u.s.lesson.Capture = func(trace.Protocol) ([]byte, error) { return nil, errors.New("too big") }
	})
	if press('W', "no capture"); message() != "no capture: too big" {
		t.Errorf("a failing capture: %q", message())
	}
	r.do(func() { r.u.s.lesson.Capture = nil })
	if press('W', "no capture"); !strings.HasPrefix(message(), "no capture of a replayed trace") {
		t.Errorf("no capture: %q", message())
	}
	if after, _ := os.ReadDir(dir); len(after) != len(before) {
		t.Errorf("a W that failed wrote a file: %d files, then %d", len(before), len(after))
	}
}
