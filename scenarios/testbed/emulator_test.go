//go:build linux

package testbed

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pipePair is a datagram socket pair standing in for a TUN device: the
// test writes packets into one end, the emulator reads them from the
// other, and the reverse.
func pipePair(t *testing.T) (test int, emu *os.File) {
	t.Helper()
	fds, err := unix.Socketpair(unix.AF_UNIX, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fds[0]) })
	return fds[0], os.NewFile(uintptr(fds[1]), "emu")
}

// runEmulator starts Emulate on two socket pairs and returns the test's
// ends and a function that stops it and returns its statistics.
func runEmulator(t *testing.T, spec LinkSpec) (client, server int, stop func() EmuStats) {
	t.Helper()
	client, c := pipePair(t)
	server, s := pipePair(t)
	var stopFds [2]int
	if err := unix.Pipe2(stopFds[:], unix.O_CLOEXEC); err != nil {
		t.Fatal(err)
	}
	done := make(chan EmuStats, 1)
	go func() {
		st, err := Emulate(c, s, stopFds[0], spec)
		if err != nil {
			t.Error(err)
		}
		done <- st
	}()
	return client, server, func() EmuStats {
		unix.Close(stopFds[1])
		st := <-done
		unix.Close(stopFds[0])
		c.Close()
		s.Close()
		return st
	}
}

// TestEmulatorDelaysAndSerializes: a packet arrives one serialization and
// one delay after it was sent; a burst leaves at the link's rate; the
// buffer drops what does not fit, as the simulator's drop-tail FIFO does.
func TestEmulatorDelaysAndSerializes(t *testing.T) {
	// Real time: the other packages' tests share the CPUs, so a
	// measurement that a busy machine delayed is taken again, up to
	// five times; the bounds are the same each time.
	var problems []string
	for try := 1; try <= 5; try++ {
		if problems = measureEmulator(t); len(problems) == 0 {
			return
		}
		t.Logf("try %d: %s", try, strings.Join(problems, "; "))
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// measureEmulator sends six packets through a 1 Mbit/s emulated link with
// a queue of three and returns what was out of bounds.
func measureEmulator(t *testing.T) []string {
	const delay = 20 * time.Millisecond
	spec := LinkSpec{Delay: int64(delay), Rate: 1_000_000, Buffer: 3} // 1 Mbit/s: 1000 bytes take 8 ms
	client, server, stop := runEmulator(t, spec)
	pkt := make([]byte, 1000)
	buf := make([]byte, 2048)
	// One packet through first: the emulator's thread is running and has
	// its real-time priority before the clock starts.
	if _, err := unix.Write(client, pkt[:10]); err != nil {
		t.Fatal(err)
	}
	if _, err := unix.Read(server, buf); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for range 6 { // one on the wire, three waiting, two dropped
		if _, err := unix.Write(client, pkt); err != nil {
			t.Fatal(err)
		}
	}
	var arrivals []time.Duration
	for range 4 {
		if _, err := unix.Read(server, buf); err != nil {
			t.Fatal(err)
		}
		arrivals = append(arrivals, time.Since(start))
	}
	st := stop()
	var problems []string
	for i, at := range arrivals {
		want := delay + time.Duration(i+1)*8*time.Millisecond
		if d := at - want; d < 0 || d > 3*time.Millisecond {
			problems = append(problems, fmt.Sprintf("packet %d arrived at %v, want %v", i+1, at, want))
		}
	}
	if st.Dropped[0] != 2 || st.Packets[0] != 5 {
		problems = append(problems, fmt.Sprintf("dropped %d, delivered %d; want 2 and 5 (the first to warm up)", st.Dropped[0], st.Packets[0]))
	}
	if st.LateP90 > int64(time.Millisecond) {
		problems = append(problems, fmt.Sprintf("packets left up to %v late (p90)", time.Duration(st.LateP90)))
	}
	return problems
}

// TestEmulatorLoss: Bernoulli loss at the configured rate, both ways.
func TestEmulatorLoss(t *testing.T) {
	client, server, stop := runEmulator(t, LinkSpec{Loss: 0.25, Seed: 7})
	pkt := make([]byte, 100)
	for range 2000 {
		unix.Write(client, pkt)
		unix.Write(server, pkt)
	}
	time.Sleep(50 * time.Millisecond)
	st := stop()
	for dir := range 2 {
		lost := float64(st.Lost[dir]) / float64(st.Lost[dir]+st.Packets[dir])
		if lost < 0.21 || lost > 0.29 {
			t.Errorf("direction %d lost %.3f of its packets, want 0.25", dir, lost)
		}
	}
}
