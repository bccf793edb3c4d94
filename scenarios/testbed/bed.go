//go:build linux

package testbed

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// The addresses of the two ends: RFC 2544's benchmarking range, used
// only inside the namespaces the bed creates.
var (
	ClientAddr = netip.MustParseAddr("198.18.0.1")
	ServerAddr = netip.MustParseAddr("198.18.0.2")
)

const (
	clientTUN = "katb0"
	serverTUN = "katb1"
	nsPrefix  = "ka-tb-"
)

// Bed is two network namespaces joined by the link emulator.
type Bed struct {
	Client, Server string // namespace names
	Self           string // the keepalive binary, run in the namespaces
	emu            *exec.Cmd
	emuStop        io.WriteCloser
	emuOut         *bufio.Reader
	Kernel         Kernel // as set and read back
	closed         bool
}

// Check says what the machine lacks for a testbed, or returns nil.
func Check() error {
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root (network namespaces and TUN devices need CAP_NET_ADMIN and CAP_SYS_ADMIN)")
	}
	if f, err := os.OpenFile("/dev/net/tun", os.O_RDWR, 0); err != nil {
		missing = append(missing, "/dev/net/tun ("+err.Error()+")")
	} else {
		f.Close()
	}
	for _, tool := range []string{"ip", "sysctl"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, "the "+tool+" command (Debian: iproute2, procps)")
		}
	}
	if len(missing) > 0 {
		return &MissingError{What: missing}
	}
	return nil
}

// Setup creates the namespaces, starts the emulator with link and sets
// kernel in both namespaces. Close removes everything again; Setup does
// so itself when it fails.
func Setup(ctx context.Context, self string, link LinkSpec, kernel Kernel) (b *Bed, err error) {
	if err := Check(); err != nil {
		return nil, err
	}
	removeStale()
	id := strconv.Itoa(os.Getpid())
	b = &Bed{Client: nsPrefix + id + "-c", Server: nsPrefix + id + "-s", Self: self}
	defer func() {
		if err != nil {
			b.Close()
			b = nil
		}
	}()
	for _, ns := range []string{b.Client, b.Server} {
		if err := run(ctx, "ip", "netns", "add", ns); err != nil {
			return b, err
		}
		if err := run(ctx, "ip", "-n", ns, "link", "set", "lo", "up"); err != nil {
			return b, err
		}
	}
	if err := b.startEmulator(ctx, link); err != nil {
		return b, err
	}
	for _, end := range []struct {
		ns, dev    string
		self, peer netip.Addr
	}{
		{b.Client, clientTUN, ClientAddr, ServerAddr},
		{b.Server, serverTUN, ServerAddr, ClientAddr},
	} {
		steps := [][]string{
			{"ip", "-n", end.ns, "addr", "add", end.self.String() + "/32", "peer", end.peer.String() + "/32", "dev", end.dev},
			{"ip", "-n", end.ns, "link", "set", end.dev, "mtu", "1500", "txqueuelen", "1000", "up"},
		}
		for _, st := range steps {
			if err := run(ctx, st[0], st[1:]...); err != nil {
				return b, err
			}
		}
		// The congestion control goes on the route: a namespace other than
		// the first may only set the algorithms the host allows for
		// unprivileged use as its default, and the host may default to BBR.
		route := []string{"-n", end.ns, "route", "change", end.peer.String() + "/32", "dev", end.dev, "congctl", kernel.Congestion}
		if kernel.InitialWindow > 0 {
			route = append(route, "initcwnd", strconv.Itoa(kernel.InitialWindow))
		}
		if err := run(ctx, "ip", route...); err != nil {
			return b, err
		}
		if err := b.setKernel(ctx, end.ns, kernel); err != nil {
			return b, err
		}
	}
	b.Kernel, err = b.readKernel(ctx, kernel)
	return b, err
}

func boolSysctl(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func (b *Bed) setKernel(ctx context.Context, ns string, k Kernel) error {
	set := []string{
		"net.ipv4.tcp_timestamps=" + boolSysctl(k.Timestamps),
		"net.ipv4.tcp_slow_start_after_idle=" + boolSysctl(k.SlowStartIdle),
		"net.ipv4.tcp_no_metrics_save=" + boolSysctl(k.NoMetricsSave),
		"net.ipv4.tcp_sack=" + boolSysctl(k.SACK),
	}
	for _, kv := range set {
		if err := run(ctx, "ip", "netns", "exec", ns, "sysctl", "-q", "-w", kv); err != nil {
			return err
		}
	}
	return nil
}

// readKernel reads the settings back from the client namespace, so the
// report says what was in force rather than what was asked.
func (b *Bed) readKernel(ctx context.Context, want Kernel) (Kernel, error) {
	get := func(key string) (string, error) {
		out, err := output(ctx, "ip", "netns", "exec", b.Client, "sysctl", "-n", key)
		return strings.Join(strings.Fields(out), " "), err
	}
	k := want
	var err error
	var v string
	route, err := output(ctx, "ip", "-n", b.Client, "route", "show", ServerAddr.String()+"/32")
	if err != nil {
		return k, err
	}
	k.Congestion = wordAfter(route, "congctl")
	for _, f := range []struct {
		key string
		dst *bool
	}{
		{"net.ipv4.tcp_timestamps", &k.Timestamps}, {"net.ipv4.tcp_slow_start_after_idle", &k.SlowStartIdle},
		{"net.ipv4.tcp_no_metrics_save", &k.NoMetricsSave}, {"net.ipv4.tcp_sack", &k.SACK},
	} {
		if v, err = get(f.key); err != nil {
			return k, err
		}
		*f.dst = v != "0"
	}
	if k.ReceiveBuffers, err = get("net.ipv4.tcp_rmem"); err != nil {
		return k, err
	}
	if k.SendBuffers, err = get("net.ipv4.tcp_wmem"); err != nil {
		return k, err
	}
	if k.InitialWindow == 0 {
		k.InitialWindow = 10 // TCP_INIT_CWND (RFC 6928), when the route says nothing
	}
	var u syscall.Utsname
	if syscall.Uname(&u) == nil {
		k.Release = utsString(u.Release[:])
	}
	return k, nil
}

// wordAfter is the word after key in s, or "".
func wordAfter(s, key string) string {
	f := strings.Fields(s)
	for i := 0; i+1 < len(f); i++ {
		if f[i] == key {
			return f[i+1]
		}
	}
	return ""
}

func utsString(b []int8) string {
	var s []byte
	for _, c := range b {
		if c == 0 {
			break
		}
		s = append(s, byte(c))
	}
	return string(s)
}

// startEmulator starts the emulator process, which creates both TUN
// devices, and waits until it says it is ready.
func (b *Bed) startEmulator(ctx context.Context, link LinkSpec) error {
	spec, err := json.Marshal(emulatorArgs{Client: b.Client, Server: b.Server, Link: link})
	if err != nil {
		return err
	}
	cmd := exec.Command(b.Self, LinkCommand, string(spec))
	cmd.Env = append(os.Environ(), "GOGC=off") // it allocates nothing per packet: no collector at all
	stop, err := cmd.StdinPipe()
	if err != nil {
		return err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // dies with the parent
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("testbed: starting the link emulator: %w", err)
	}
	b.emu, b.emuStop, b.emuOut = cmd, stop, bufio.NewReader(out)
	ready := make(chan error, 1)
	go func() {
		line, err := b.emuOut.ReadString('\n')
		if err == nil && strings.TrimSpace(line) != "ready" {
			err = fmt.Errorf("the link emulator said %q", strings.TrimSpace(line))
		}
		ready <- err
	}()
	select {
	case err := <-ready:
		if err != nil {
			return fmt.Errorf("testbed: link emulator: %w", err)
		}
	case <-time.After(10 * time.Second):
		return errors.New("testbed: the link emulator did not start within 10 s")
	case <-ctx.Done():
		return ctx.Err()
	}
	return nil
}

// emulatorArgs is what the emulator process is told.
type emulatorArgs struct {
	Client, Server string
	Link           LinkSpec
}

// LinkCommand is the hidden command that runs the emulator (LinkMain).
const LinkCommand = "__testbed-link"

// LinkMain is the emulator process: it creates the TUN devices, says
// "ready", forwards until its standard input closes, then prints its
// statistics as JSON.
func LinkMain(arg string, stdin *os.File, stdout io.Writer) error {
	var a emulatorArgs
	if err := json.Unmarshal([]byte(arg), &a); err != nil {
		return fmt.Errorf("testbed: emulator arguments: %w", err)
	}
	c, err := openTUN(a.Client, clientTUN)
	if err != nil {
		return err
	}
	defer c.Close()
	s, err := openTUN(a.Server, serverTUN)
	if err != nil {
		return err
	}
	defer s.Close()
	fmt.Fprintln(stdout, "ready")
	stats, err := Emulate(c, s, int(stdin.Fd()), a.Link)
	if err != nil {
		return err
	}
	return json.NewEncoder(stdout).Encode(stats)
}

// EmulatorStats stops the emulator and returns what it measured. The bed
// is unusable afterwards except for Close.
func (b *Bed) EmulatorStats() (EmuStats, error) {
	var st EmuStats
	if b.emu == nil {
		return st, errors.New("testbed: no emulator")
	}
	b.emuStop.Close()
	err := json.NewDecoder(b.emuOut).Decode(&st)
	b.emu.Wait()
	b.emu = nil
	return st, err
}

// Close stops the emulator and every process it started, and deletes the
// namespaces (with them the TUN devices). It can be called more than once.
func (b *Bed) Close() error {
	if b == nil || b.closed {
		return nil
	}
	b.closed = true
	if b.emu != nil && b.emu.Process != nil {
		b.emuStop.Close()
		done := make(chan struct{})
		go func() { b.emu.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			b.emu.Process.Kill()
			<-done
		}
	}
	var first error
	for _, ns := range []string{b.Client, b.Server} {
		killIn(ns)
		if err := run(context.Background(), "ip", "netns", "del", ns); err != nil && first == nil && nsExists(ns) {
			first = err
		}
	}
	return first
}

// killIn kills, by pid, every process still in namespace ns.
func killIn(ns string) {
	out, _ := exec.Command("ip", "netns", "pids", ns).Output()
	for _, f := range strings.Fields(string(out)) {
		if pid, err := strconv.Atoi(f); err == nil && pid > 1 {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

func nsExists(ns string) bool {
	_, err := os.Stat("/run/netns/" + ns)
	return err == nil
}

// removeStale deletes namespaces an earlier testbed left behind when it
// was killed before it could clean up: ka-tb-PID-* whose PID is gone.
func removeStale() {
	out, err := exec.Command("ip", "netns", "list").Output()
	if err != nil {
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		name, _, _ := strings.Cut(strings.TrimSpace(line), " ")
		rest, ok := strings.CutPrefix(name, nsPrefix)
		if !ok {
			continue
		}
		pidText, _, _ := strings.Cut(rest, "-")
		pid, err := strconv.Atoi(pidText)
		if err != nil || syscall.Kill(pid, 0) == nil {
			continue // alive (or not ours)
		}
		killIn(name)
		exec.Command("ip", "netns", "del", name).Run()
	}
}

// run runs a command and returns an error with its output if it fails.
func run(ctx context.Context, name string, args ...string) error {
	_, err := output(ctx, name, args...)
	return err
}

func output(ctx context.Context, name string, args ...string) (string, error) {
	out, err := exec.CommandContext(ctx, name, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("testbed: %s %s: %v: %s", name, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}
