package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives the real binary in a real terminal: tmux on a private
// socket, so the test never touches the user's own tmux.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func (s *tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-L", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %v: %v: %s", args, err, out)
	}
	return string(out)
}

func (s *tmuxSession) screen() string { return s.tmux("capture-pane", "-p", "-t", "ka") }

func (s *tmuxSession) keys(keys ...string) {
	s.tmux(append([]string{"send-keys", "-t", "ka"}, keys...)...)
}

// waitFor polls the screen until ok accepts it, for at most 15 s.
func (s *tmuxSession) waitFor(what string, ok func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screen := s.screen()
		if ok(screen) {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("timed out waiting for %s; the screen shows:\n%s", what, screen)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startTmux builds keepalive and starts it in tmux at 100×30 with args,
// on a socket of its own named by tag; exitFile gets its exit status.
func startTmux(t *testing.T, tag string, args ...string) (s *tmuxSession, exitFile string) {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tmux is missing; .ci/run should have installed it")
		}
		t.Skip("tmux is not installed")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "keepalive")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exitFile = filepath.Join(dir, "exit")
	s = &tmuxSession{t: t, socket: fmt.Sprintf("keepalive-test-%d-%s", os.Getpid(), tag)}
	script := fmt.Sprintf("%s %s; echo EXIT=$? > %s; sleep 60", bin, strings.Join(args, " "), exitFile)
	s.tmux("new-session", "-d", "-s", "ka", "-x", "100", "-y", "30", "env", "TERM=xterm-256color", "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s, exitFile
}

var clock = regexp.MustCompile(`(playing|paused)\s+([0-9.]+(ns|µs|ms|s))`)

// clockOf reads the playhead from the header.
func clockOf(screen string) string {
	m := clock.FindStringSubmatch(screen)
	if m == nil {
		return ""
	}
	return m[2]
}

// TestTUIInTmux starts "keepalive" in tmux at 100×30 as a user would and
// checks the handshake on the ladder, play/pause, Tab, help and a clean
// quit. .ci/run installs tmux, so in CI this runs rather than skips.
func TestTUIInTmux(t *testing.T) {
	s, exitFile := startTmux(t, "t")

	// The ladder opens on HTTP/1.0 with the client's SYN.
	s.waitFor("the ladder with a SYN", func(sc string) bool {
		return strings.Contains(sc, "Ladder") && strings.Contains(sc, "SYN") && strings.Contains(sc, "http1.0")
	})
	// Pause, then step event by event until the SYN-ACK is on screen.
	s.keys("Space")
	s.waitFor("paused", func(sc string) bool { return strings.Contains(sc, "paused") })
	for i := 0; i < 20 && !strings.Contains(s.screen(), "SYN-ACK"); i++ {
		s.keys("Right")
		time.Sleep(50 * time.Millisecond)
	}
	sc := s.waitFor("the SYN-ACK", func(sc string) bool { return strings.Contains(sc, "SYN-ACK") })
	before := clockOf(sc)
	if before == "" {
		t.Fatalf("no clock in the header:\n%s", sc)
	}
	// Space plays: the clock moves.
	s.keys("Space")
	s.waitFor("the clock to advance from "+before, func(sc string) bool {
		c := clockOf(sc)
		return strings.Contains(sc, "playing") && c != "" && c != before
	})
	// Tab: the waterfall.
	s.keys("Tab")
	s.waitFor("the waterfall view", func(sc string) bool {
		return strings.Contains(sc, "/index.html") && !strings.Contains(sc, "time  client")
	})
	// ?: the key bindings.
	s.keys("?")
	s.waitFor("the help", func(sc string) bool {
		return strings.Contains(sc, "play / pause") && strings.Contains(sc, "quit")
	})
	s.keys("Escape")
	s.waitFor("the help to close", func(sc string) bool { return !strings.Contains(sc, "play / pause") })
	// q: exit status 0 and the terminal given back (no UI left on screen).
	s.keys("q")
	deadline := time.Now().Add(15 * time.Second)
	var status []byte
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(exitFile); err == nil && len(b) > 0 {
			status = b
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if strings.TrimSpace(string(status)) != "EXIT=0" {
		t.Fatalf("exit status %q, want EXIT=0; screen:\n%s", status, s.screen())
	}
	if sc := s.screen(); strings.Contains(sc, "Ladder") || strings.Contains(sc, "Waterfall") {
		t.Errorf("the UI is still on screen after quitting (terminal not restored):\n%s", sc)
	}
}

// TestProxyLanesInTmux opens proxy-hop as a teacher would and reads three
// lanes on the ladder, browser, proxy and origin, with the browser's
// first connection between the first two and the proxy's first to the
// origin between the last two; w then shows the whole run, its idle
// minute collapsed into a row.
func TestProxyLanesInTmux(t *testing.T) {
	s, _ := startTmux(t, "proxy", "tui", "--scenario", "proxy-hop", "--protocol", "http1.1")
	s.waitFor("three lanes", func(sc string) bool {
		return regexp.MustCompile(`browser .*c1━.* proxy .*c2━.* origin`).MatchString(sc)
	})
	s.keys("w")
	s.waitFor("the whole run with an idle row", func(sc string) bool {
		return regexp.MustCompile(`┈ [0-9.]+ s idle ┈`).MatchString(sc) && strings.Contains(sc, "no packet, collapsed")
	})
	s.keys("q")
}
