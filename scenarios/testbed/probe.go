//go:build linux

package testbed

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"
)

// ProbeCommand is the hidden command of the measuring probes (ProbeMain).
const ProbeCommand = "__testbed-probe"

const probePort = 9

// ProbeMain runs one probe in the namespace it was started in:
//
//	echo             answer every UDP datagram on port 9 (until killed)
//	rtt N            send N 64-byte datagrams to the server's echo, one
//	                 every 20 ms, and print their round trips (JSON, ns)
//	sink             count the UDP datagrams arriving on port 9 until 1 s
//	                 passes without one, and print arrivals (JSON)
//	blast BPS SECS   send 1,472-byte datagrams to the server's sink at
//	                 BPS bits per second (IP bytes) for SECS seconds
func ProbeMain(args []string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("testbed: probe: no mode")
	}
	switch args[0] {
	case "echo":
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: ServerAddr.AsSlice(), Port: probePort})
		if err != nil {
			return err
		}
		buf := make([]byte, 2048)
		for {
			n, from, err := c.ReadFromUDP(buf)
			if err != nil {
				return err
			}
			c.WriteToUDP(buf[:n], from)
		}
	case "listen":
		l, err := net.Listen("tcp4", net.JoinHostPort(ServerAddr.String(), strconv.Itoa(probePort)))
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "ready")
		for {
			c, err := l.Accept()
			if err != nil {
				return err
			}
			c.Close()
		}
	case "connect":
		// The round trip the kernel measures for a TCP handshake (the
		// SYN-ACK answers in the kernel, so no process wakes up for it).
		n, _ := strconv.Atoi(args[1])
		var rtts []int64
		for i := 0; i < n; i++ {
			c, err := net.Dial("tcp4", net.JoinHostPort(ServerAddr.String(), strconv.Itoa(probePort)))
			if err != nil {
				return fmt.Errorf("testbed: probe connection %d: %w", i, err)
			}
			raw, err := c.(*net.TCPConn).SyscallConn()
			if err != nil {
				return err
			}
			var info *unix.TCPInfo
			var ierr error
			raw.Control(func(fd uintptr) { info, ierr = unix.GetsockoptTCPInfo(int(fd), unix.IPPROTO_TCP, unix.TCP_INFO) })
			c.Close()
			if ierr != nil {
				return ierr
			}
			rtts = append(rtts, int64(info.Rtt)*1000)
			time.Sleep(20 * time.Millisecond)
		}
		return json.NewEncoder(stdout).Encode(rtts)
	case "rtt":
		n, _ := strconv.Atoi(args[1])
		c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: ServerAddr.AsSlice(), Port: probePort})
		if err != nil {
			return err
		}
		var rtts []int64
		buf := make([]byte, 64-28) // a 64-byte IP packet
		in := make([]byte, 2048)
		for i := 0; i < n; i++ {
			binary.BigEndian.PutUint64(buf, uint64(i))
			sent := time.Now()
			c.Write(buf)
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			for {
				m, err := c.Read(in)
				if err != nil {
					return fmt.Errorf("testbed: probe %d got no echo: %w", i, err)
				}
				if m >= 8 && binary.BigEndian.Uint64(in) == uint64(i) {
					break
				}
			}
			rtts = append(rtts, int64(time.Since(sent)))
			time.Sleep(20 * time.Millisecond)
		}
		return json.NewEncoder(stdout).Encode(rtts)
	case "sink":
		c, err := net.ListenUDP("udp4", &net.UDPAddr{IP: ServerAddr.AsSlice(), Port: probePort})
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, "ready")
		var r sinkResult
		buf := make([]byte, 2048)
		deadline := 10 * time.Second
		for {
			c.SetReadDeadline(time.Now().Add(deadline))
			n, err := c.Read(buf)
			if err != nil {
				break
			}
			deadline = time.Second
			now := time.Now()
			if r.Packets == 0 {
				r.First = now.UnixNano()
			}
			r.Last = now.UnixNano()
			r.Packets++
			r.IPBytes += int64(n + 28)
			r.LastBytes = int64(n + 28)
		}
		return json.NewEncoder(stdout).Encode(r)
	case "blast":
		bps, _ := strconv.ParseInt(args[1], 10, 64)
		secs, _ := strconv.ParseFloat(args[2], 64)
		c, err := net.DialUDP("udp4", nil, &net.UDPAddr{IP: ServerAddr.AsSlice(), Port: probePort})
		if err != nil {
			return err
		}
		buf := make([]byte, 1472)
		gap := time.Duration(float64(1500*8) / float64(bps) * 1e9)
		start := time.Now()
		for i := 0; time.Since(start) < time.Duration(secs*1e9); i++ {
			for time.Since(start) < time.Duration(i)*gap {
			}
			c.Write(buf)
		}
		return nil
	}
	return fmt.Errorf("testbed: probe: unknown mode %q", args[0])
}

type sinkResult struct {
	Packets, IPBytes, LastBytes int64
	First, Last                 int64 // ns, wall clock
}

// measureRTT opens n TCP connections from the client namespace to a
// listener in the server's and returns the handshake round trips the
// client's kernel measured (TCP_INFO), in ns.
func (b *Bed) measureRTT(ctx context.Context, n int) ([]int64, error) {
	listen := exec.CommandContext(ctx, "ip", "netns", "exec", b.Server, b.Self, ProbeCommand, "listen")
	pipe, err := listen.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := listen.Start(); err != nil {
		return nil, err
	}
	defer func() { listen.Process.Kill(); listen.Wait() }()
	if line, err := bufio.NewReader(pipe).ReadString('\n'); err != nil || strings.TrimSpace(line) != "ready" {
		return nil, fmt.Errorf("testbed: the probe listener did not start: %q %v", line, err)
	}
	out, err := exec.CommandContext(ctx, "ip", "netns", "exec", b.Client, b.Self, ProbeCommand, "connect", strconv.Itoa(n)).Output()
	if err != nil {
		return nil, fmt.Errorf("testbed: measuring the round trip: %w", err)
	}
	var rtts []int64
	err = json.Unmarshal(out, &rtts)
	return rtts, err
}

// measureGoodput sends a UDP stream above rate for secs seconds and
// returns the rate it got through, in bits per second of IP bytes.
func (b *Bed) measureGoodput(ctx context.Context, rate int64, secs float64) (float64, error) {
	sink := exec.CommandContext(ctx, "ip", "netns", "exec", b.Server, b.Self, ProbeCommand, "sink")
	pipe, err := sink.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err := sink.Start(); err != nil {
		return 0, err
	}
	defer func() { sink.Process.Kill(); sink.Wait() }()
	out := bufio.NewReader(pipe)
	if line, err := out.ReadString('\n'); err != nil || strings.TrimSpace(line) != "ready" {
		return 0, fmt.Errorf("testbed: UDP sink did not start: %q %v", line, err)
	}
	blast := exec.CommandContext(ctx, "ip", "netns", "exec", b.Client, b.Self, ProbeCommand, "blast",
		strconv.FormatInt(rate*12/10, 10), strconv.FormatFloat(secs, 'f', 3, 64))
	if out, err := blast.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("testbed: UDP stream: %v: %s", err, strings.TrimSpace(string(out)))
	}
	var r sinkResult
	if err := json.NewDecoder(out).Decode(&r); err != nil {
		return 0, fmt.Errorf("testbed: UDP sink: %w", err)
	}
	if r.Packets < 2 {
		return 0, errors.New("testbed: the UDP stream did not get through")
	}
	// Bits of every packet but the first, over the time between the
	// first and the last arrival (all packets are the same size).
	return float64(r.IPBytes-r.LastBytes) * 8 / (float64(r.Last-r.First) / 1e9), nil
}

// quantile returns the p-th percentile of xs (sorted in place).
func quantile(xs []int64, p int) int64 {
	slices.Sort(xs)
	return xs[(len(xs)-1)*p/100]
}
