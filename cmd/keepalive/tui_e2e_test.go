package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
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

// waitSettled is waitFor on a paused screen: it also waits until two
// captures 150 ms apart agree, so that a frame tmux caught half drawn
// (the header new, the status line still the last frame's) is not read.
func (s *tmuxSession) waitSettled(what string, ok func(string) bool) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		screen := s.waitFor(what, ok)
		time.Sleep(150 * time.Millisecond)
		if again := s.screen(); again == screen {
			return screen
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never settled while waiting for %s; it shows:\n%s", what, s.screen())
		}
	}
}

var clock = regexp.MustCompile(`(playing|paused)\s+([0-9.]+(ns|µs|ms|s))`)

var momentLine = regexp.MustCompile(`◆ ([0-9]+)/`)

// momentOf reads which key moment the explanation line tells, or "".
func momentOf(screen string) string {
	if m := momentLine.FindStringSubmatch(screen); m != nil {
		return m[1]
	}
	return ""
}

// clockOf reads the playhead from the header.
func clockOf(screen string) string {
	m := clock.FindStringSubmatch(screen)
	if m == nil {
		return ""
	}
	return m[2]
}

// TestTUIInTmux drives the binary in tmux as a user would: the default
// lesson (see tmuxDefault) and the close race (see tmuxRace). .ci/run
// installs tmux, so in CI this runs rather than skips.
func TestTUIInTmux(t *testing.T) {
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
	t.Run("default", func(t *testing.T) { tmuxDefault(t, bin) })
	t.Run("close-race", func(t *testing.T) { tmuxRace(t, bin) })
	t.Run("proxy-hop", func(t *testing.T) { tmuxProxy(t, bin) })
	t.Run("time-wait", func(t *testing.T) { tmuxTimeWait(t, bin) })
}

// tmuxTimeWait opens the time-wait lesson and reads the TIME-WAIT count
// on the status line rise while HTTP/1.0 closes connection after
// connection, and fall to none once the 60 s have passed for all.
func tmuxTimeWait(t *testing.T, bin string) {
	s, exitFile := openTmux(t, bin, "tui", "--scenario", "time-wait", "--protocol", "http1.0")
	s.waitFor("the lesson", func(sc string) bool { return strings.Contains(sc, "time-wait ▸ http1.0") })
	waits := regexp.MustCompile(`TIME-WAIT: ([0-9]+) server side`)
	// count sends keys and reads the count off the "now:" row once the
	// header shows the playhead there.
	count := func(there string, keys ...string) int {
		s.keys(keys...)
		sc := s.waitSettled("the playhead at "+there, func(sc string) bool {
			return strings.Contains(strings.SplitN(sc, "\n", 2)[0], there) && strings.Contains(sc, "now:")
		})
		for _, line := range strings.Split(sc, "\n") {
			if strings.Contains(line, "now:") {
				if m := waits.FindStringSubmatch(line); m != nil {
					n, _ := strconv.Atoi(m[1])
					return n
				}
			}
		}
		return 0
	}
	early := count("paused  1.000s", "g", "1s", "Enter")
	later := count("paused  30.000s", "g", "30s", "Enter")
	gone := count("■ end", "End")
	if !(0 < early && early < later && gone == 0) {
		t.Fatalf("TIME-WAIT sockets at 1s, 30s and the end: %d, %d, %d; want a rise, then none:\n%s", early, later, gone, s.screen())
	}
	quitTmux(t, s, exitFile)
}

// openTmux starts the binary with args in a fresh tmux server at 100×30;
// the returned file gets "EXIT=status" when it exits.
func openTmux(t *testing.T, bin string, args ...string) (*tmuxSession, string) {
	dir := t.TempDir()
	exitFile := filepath.Join(dir, "exit")
	// One server per test, named after it: t.TempDir's base is "001" in
	// every subtest, and a server of that name still shutting down after
	// the last subtest made the next one's fail to start.
	name := strings.NewReplacer("/", "-", " ", "-").Replace(t.Name())
	s := &tmuxSession{t: t, socket: fmt.Sprintf("keepalive-test-%d-%s", os.Getpid(), name)}
	script := fmt.Sprintf("%s %s; echo EXIT=$? > %s; sleep 60", bin, strings.Join(args, " "), exitFile)
	s.tmux("new-session", "-d", "-s", "ka", "-x", "100", "-y", "30", "env", "TERM=xterm-256color", "sh", "-c", script)
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", s.socket, "kill-server").Run() })
	return s, exitFile
}

// quitTmux presses q and checks exit status 0 and the terminal given
// back (no UI left on screen).
func quitTmux(t *testing.T, s *tmuxSession, exitFile string) {
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

// tmuxDefault: "keepalive" opens paused on the ladder's first key moment
// (the client's SYN); → steps to the SYN-ACK, Space plays, Tab, help, a
// clean quit.
func tmuxDefault(t *testing.T, bin string) {
	s, exitFile := openTmux(t, bin)
	// The ladder opens on HTTP/1.0, paused, on its first key moment.
	sc := s.waitFor("the ladder with a SYN, paused on a key moment", func(sc string) bool {
		return strings.Contains(sc, "Ladder") && strings.Contains(sc, "SYN") && strings.Contains(sc, "http1.0") &&
			strings.Contains(sc, "paused") && strings.Contains(sc, "◆ 1/")
	})
	first := clockOf(sc)
	time.Sleep(300 * time.Millisecond)
	if c := clockOf(s.screen()); c != first {
		t.Fatalf("the clock moved from %s to %s before any key: it should open paused", first, c)
	}
	// Step event by event until the SYN-ACK is on screen.
	for i := 0; i < 20 && !strings.Contains(s.screen(), "SYN-ACK"); i++ {
		s.keys("Right")
		time.Sleep(50 * time.Millisecond)
	}
	sc = s.waitFor("the SYN-ACK", func(sc string) bool { return strings.Contains(sc, "SYN-ACK") })
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
	quitTmux(t, s, exitFile)
}

// tmuxRace: a teacher opens close-race and presses n until the race: the
// screen says that the request crossed the server's FIN, paused there,
// at the time the trace puts it; N goes back, and g goes to a typed time.
func tmuxRace(t *testing.T, bin string) {
	s, exitFile := openTmux(t, bin, "tui", "--scenario", "close-race")
	s.waitFor("close-race, paused on HTTP/1.1's first key moment", func(sc string) bool {
		return strings.Contains(sc, "close-race ▸ http1.1") && strings.Contains(sc, "paused") && strings.Contains(sc, "◆ 1/")
	})
	// n, until the race is on screen. A key sent while the terminal is
	// still answering tcell's start-up queries can be lost, so one that
	// changed nothing in 3 s is sent again.
	sc := s.screen()
	for i := 0; i < 20 && !strings.Contains(sc, "crosses the server's FIN"); i++ {
		k := momentOf(sc)
		s.keys("n")
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline) && momentOf(sc) == k; {
			time.Sleep(50 * time.Millisecond)
			sc = s.screen()
		}
	}
	flat := strings.Join(strings.Fields(sc), " ")
	if !strings.Contains(flat, "The request for page 2 leaves on connection 1: it crosses the server's FIN on the link") ||
		!strings.Contains(sc, "paused") || !strings.Contains(sc, "GET /next.html") || clockOf(sc) != "5.157s" {
		t.Fatalf("n did not land on the race (the request for page 2 crossing the server's FIN at 5.157s), paused:\n%s", sc)
	}
	// Enter inspects the request on the ladder: its connection, its
	// flags, and its fate, the server's reset.
	s.keys("Enter")
	s.waitFor("the request's connection, flags and fate", func(sc string) bool {
		return strings.Contains(sc, "connection 1 · client → server") && strings.Contains(sc, "flags PSH, ACK") &&
			strings.Contains(sc, "request GET /next.html") && strings.Contains(sc, "answered at once with a reset")
	})
	s.keys("Escape")
	s.keys("N")
	s.waitFor("the server's FIN, one moment back", func(sc string) bool {
		return strings.Contains(sc, "its FIN leaves") && clockOf(sc) == "5.151s"
	})
	s.keys("g", "1", "0", "s", "Enter")
	s.waitFor("the playhead at 10s", func(sc string) bool { return clockOf(sc) == "10.000s" && strings.Contains(sc, "paused") })
	quitTmux(t, s, exitFile)
}

// tmuxProxy opens proxy-hop as a teacher would and reads three
// lanes on the ladder, browser, proxy and origin, with the browser's
// first connection between the first two and the proxy's first to the
// origin between the last two; w then shows the whole run, its idle
// minute collapsed into a row.
func tmuxProxy(t *testing.T, bin string) {
	s, _ := openTmux(t, bin, "tui", "--scenario", "proxy-hop", "--protocol", "http1.1")
	s.waitFor("the lesson", func(sc string) bool { return strings.Contains(sc, "proxy-hop") })
	// It opens paused on the first key moment, before the proxy has
	// opened its connection to the origin: go to 300 ms.
	s.keys("g", "300ms", "Enter")
	s.waitFor("three lanes", func(sc string) bool {
		return regexp.MustCompile(`browser .*c1━.* proxy .*c2━.* origin`).MatchString(sc)
	})
	s.keys("w")
	s.waitFor("the whole run with an idle row", func(sc string) bool {
		return regexp.MustCompile(`┈ [0-9.]+ s idle ┈`).MatchString(sc) && strings.Contains(sc, "no packet, collapsed")
	})
	s.keys("q")
}
