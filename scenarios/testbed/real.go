//go:build linux

package testbed

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// server is a running real web server in the bed's server namespace.
type server struct {
	cmd *exec.Cmd
}

// startServer starts the web server for spec and waits until it listens.
func (b *Bed) startServer(ctx context.Context, spec LoadSpec) (*server, error) {
	arg, err := json.Marshal(spec)
	if err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", b.Server, b.Self, ServerCommand, string(arg))
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("testbed: starting the server: %w", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("testbed: the server did not start (%q, %v)", strings.TrimSpace(line), err)
	}
	return &server{cmd: cmd}, nil
}

func (s *server) stop() {
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// load runs one page load with a fresh client process, after flushing the
// TCP metrics both namespaces cached from earlier connections.
func (b *Bed) load(ctx context.Context, spec LoadSpec) (LoadResult, error) {
	for _, ns := range []string{b.Client, b.Server} {
		if err := run(ctx, "ip", "-n", ns, "tcp_metrics", "flush", "all"); err != nil {
			return LoadResult{}, err
		}
	}
	arg, err := json.Marshal(spec)
	if err != nil {
		return LoadResult{}, err
	}
	cmd := exec.CommandContext(ctx, "ip", "netns", "exec", b.Client, b.Self, ClientCommand, string(arg))
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return LoadResult{}, fmt.Errorf("testbed: the client: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var res LoadResult
	if err := json.Unmarshal(out, &res); err != nil {
		return res, fmt.Errorf("testbed: the client's result: %w", err)
	}
	if res.Error != "" {
		return res, fmt.Errorf("testbed: the load failed: %s", res.Error)
	}
	time.Sleep(100 * time.Millisecond) // let the connections close before the next load
	return res, nil
}
