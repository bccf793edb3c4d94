//go:build linux

package testbed

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"syscall"

	"golang.org/x/sys/unix"
)

// slot is one packet in a direction's queue.
type slot struct {
	buf     [2048]byte
	n       int
	start   int64 // when its serialization starts
	deliver int64 // when it is due at the far end
	lost    bool
}

// direction is one way through the emulator: packets read from in,
// queued, serialized and delayed, written to out.
type direction struct {
	in, out int
	ring    []slot
	// Positions count packets from the start, so head ≤ started ≤ tail;
	// a packet's slot is its position modulo ringSize.
	head     int64 // next to deliver
	started  int64 // first whose serialization has not started
	tail     int64 // next to take in
	busyEnd  int64
	spec     *LinkSpec
	rng      *rand.Rand
	stats    *EmuStats
	dir      int
	lateness []int64 // a sample of lateness, preallocated
}

const ringSize = 4096 // packets in flight per direction, queued ones included

func newDirection(in, out int, spec *LinkSpec, stats *EmuStats, dir int) *direction {
	d := &direction{in: in, out: out, ring: make([]slot, ringSize), spec: spec, stats: stats, dir: dir,
		rng: rand.New(rand.NewPCG(spec.Seed, uint64(dir)+0x9e3779b97f4a7c15)), lateness: make([]int64, 0, 1<<16)}
	return d
}

// serialization is ceil(8·n·1e9/rate) ns.
func (d *direction) serialization(n int) int64 {
	if d.spec.Rate <= 0 {
		return 0
	}
	hi, lo := bits.Mul64(uint64(n)*8, 1e9)
	q, r := bits.Div64(hi, lo, uint64(d.spec.Rate))
	if r != 0 {
		q++
	}
	return int64(q)
}

// readAll takes every packet waiting on the input, stamped now.
func (d *direction) readAll(now int64) error {
	for {
		// Serialization has started for every packet whose start has passed.
		d.started = max(d.started, d.head)
		for d.started < d.tail && d.ring[d.started%ringSize].start <= now {
			d.started++
		}
		if d.tail-d.head == ringSize {
			var scratch [2048]byte // ring full: read and drop
			if _, err := unix.Read(d.in, scratch[:]); err != nil {
				return ignoreAgain(err)
			}
			d.stats.Dropped[d.dir]++
			continue
		}
		s := &d.ring[d.tail%ringSize]
		n, err := unix.Read(d.in, s.buf[:])
		if err != nil {
			return ignoreAgain(err)
		}
		if waiting := d.tail - d.started; d.spec.Buffer > 0 && waiting >= int64(d.spec.Buffer) && d.busyEnd > now {
			d.stats.Dropped[d.dir]++ // drop-tail
			continue
		}
		s.n = n
		s.start = max(now, d.busyEnd)
		d.busyEnd = s.start + d.serialization(n)
		s.deliver = d.busyEnd + d.spec.Delay
		s.lost = d.spec.Loss > 0 && d.rng.Float64() < d.spec.Loss
		d.tail++
	}
}

func ignoreAgain(err error) error {
	if err == unix.EAGAIN || err == unix.EINTR {
		return nil
	}
	return err
}

// deliverDue writes every packet due by now and returns when the next
// one is due (0: none queued).
func (d *direction) deliverDue(now int64) (int64, error) {
	for d.head < d.tail {
		s := &d.ring[d.head%ringSize]
		if s.deliver > now {
			return s.deliver, nil
		}
		if s.lost {
			d.stats.Lost[d.dir]++
		} else {
			if _, err := unix.Write(d.out, s.buf[:s.n]); err != nil && err != unix.EAGAIN && err != unix.EIO {
				return 0, err
			}
			d.stats.Packets[d.dir]++
			d.stats.Bytes[d.dir] += int64(s.n)
			if len(d.lateness) < cap(d.lateness) {
				d.lateness = append(d.lateness, now-s.deliver)
			}
		}
		d.head++
	}
	return 0, nil
}

// spinAhead is how long before a deadline the emulator stops sleeping in
// ppoll and spins on the clock, so that packets leave on time.
const spinAhead = 200_000 // ns

func monotonic() int64 {
	var ts unix.Timespec
	_ = unix.ClockGettime(unix.CLOCK_MONOTONIC, &ts)
	return ts.Nano()
}

// Emulate forwards packets between two TUN file descriptors (the client
// side and the server side) until stop is readable (the parent closed
// it, or a signal handler wrote to it), then returns what it measured.
// It runs on one locked OS thread and allocates nothing per packet.
func Emulate(client, server *os.File, stop int, spec LinkSpec) (EmuStats, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	// A real-time priority keeps the other processes of the bed (the
	// client and server under test) from delaying a packet's departure;
	// the thread sleeps in ppoll between packets, so it never starves
	// them. Without the privilege it runs at normal priority.
	if unix.SchedSetAttr(0, &unix.SchedAttr{Policy: unix.SCHED_FIFO, Priority: 50}, 0) == nil {
		defer unix.SchedSetAttr(0, &unix.SchedAttr{Policy: unix.SCHED_NORMAL}, 0)
	}
	defer keepAwake()()
	var stats EmuStats
	c, s := int(client.Fd()), int(server.Fd())
	for _, fd := range []int{c, s} {
		if err := unix.SetNonblock(fd, true); err != nil {
			return stats, fmt.Errorf("testbed: emulator: %w", err)
		}
	}
	up := newDirection(c, s, &spec, &stats, 0)
	down := newDirection(s, c, &spec, &stats, 1)
	fds := []unix.PollFd{{Fd: int32(c), Events: unix.POLLIN}, {Fd: int32(s), Events: unix.POLLIN}, {Fd: int32(stop), Events: unix.POLLIN}}
	for {
		now := monotonic()
		if err := up.readAll(now); err != nil {
			return stats, fmt.Errorf("testbed: emulator: reading the client side: %w", err)
		}
		if err := down.readAll(now); err != nil {
			return stats, fmt.Errorf("testbed: emulator: reading the server side: %w", err)
		}
		next1, err := up.deliverDue(now)
		if err != nil {
			return stats, fmt.Errorf("testbed: emulator: writing to the server side: %w", err)
		}
		next2, err := down.deliverDue(now)
		if err != nil {
			return stats, fmt.Errorf("testbed: emulator: writing to the client side: %w", err)
		}
		next := next1
		if next == 0 || next2 != 0 && next2 < next {
			next = next2
		}
		wait := int64(-1)
		if next != 0 {
			wait = next - monotonic() - spinAhead
		}
		if next != 0 && wait <= 0 {
			continue // spin: poll nothing, check the clock again
		}
		var ts *unix.Timespec
		if wait > 0 {
			t := unix.NsecToTimespec(wait)
			ts = &t
		}
		fds[0].Revents, fds[1].Revents, fds[2].Revents = 0, 0, 0
		if _, err := unix.Ppoll(fds, ts, nil); err != nil && err != unix.EINTR {
			return stats, fmt.Errorf("testbed: emulator: %w", err)
		}
		if fds[2].Revents != 0 {
			stats.lateness(append(up.lateness, down.lateness...))
			return stats, nil
		}
	}
}

// keepAwake keeps every CPU busy with the lowest-priority work there is
// until the function it returns is called: one process per CPU (IdleMain)
// spinning under SCHED_IDLE, which runs only when nothing else wants the
// CPU. A virtual machine's idle vCPU halts, and waking it takes the host
// hundreds of microseconds: measured on the project's 2-vCPU VM, the
// emulated round trip's error was 0.1 ms at the median and 0.4 ms at the
// 90th percentile with idle CPUs, 0.03 and 0.1 ms with busy ones. Any
// real work (the emulator, the client and server under test, the kernel)
// preempts the spinners at once. They are processes, not goroutines, so
// that they take no Go scheduler slot from the emulator; they die with it
// (Pdeathsig) if it is killed.
func keepAwake() (stop func()) {
	self, err := os.Executable()
	if err != nil {
		return func() {}
	}
	var cmds []*exec.Cmd
	for range runtime.NumCPU() {
		c := exec.Command(self, IdleCommand)
		c.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
		if c.Start() == nil {
			cmds = append(cmds, c)
		}
	}
	return func() {
		for _, c := range cmds {
			c.Process.Kill()
			c.Wait()
		}
	}
}

// IdleCommand is the hidden command of a keepAwake spinner.
const IdleCommand = "__testbed-idle"

// IdleMain spins under SCHED_IDLE until killed; without the policy it
// returns at once.
func IdleMain() error {
	runtime.GOMAXPROCS(1)
	runtime.LockOSThread()
	if unix.SchedSetAttr(0, &unix.SchedAttr{Policy: schedIdle}, 0) != nil {
		return nil
	}
	for {
	}
}

// schedIdle is SCHED_IDLE (include/uapi/linux/sched.h).
const schedIdle = 5

// lateness fills the lateness quantiles from a sample.
func (s *EmuStats) lateness(sample []int64) {
	if len(sample) == 0 {
		return
	}
	slices.Sort(sample)
	q := func(p int) int64 { return sample[(len(sample)-1)*p/100] }
	s.LateP50, s.LateP90, s.LateMax = q(50), q(90), sample[len(sample)-1]
}
