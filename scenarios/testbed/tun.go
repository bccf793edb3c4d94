//go:build linux

package testbed

import (
	"fmt"
	"os"
	"runtime"

	"golang.org/x/sys/unix"
)

// openTUN creates the TUN device name in the network namespace ns (by its
// name under /run/netns) and returns its file. The device lives as long
// as the file is open. The calling goroutine's thread enters ns only for
// the creation and returns to the namespace it was in.
func openTUN(ns, name string) (*os.File, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	home, err := os.Open("/proc/thread-self/ns/net")
	if err != nil {
		return nil, fmt.Errorf("testbed: %w", err)
	}
	defer home.Close()
	target, err := os.Open("/run/netns/" + ns)
	if err != nil {
		return nil, fmt.Errorf("testbed: namespace %s: %w", ns, err)
	}
	defer target.Close()
	if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
		return nil, fmt.Errorf("testbed: entering namespace %s: %w", ns, err)
	}
	defer func() {
		if err := unix.Setns(int(home.Fd()), unix.CLONE_NEWNET); err != nil {
			// A thread stuck in the wrong namespace must not be reused.
			panic(fmt.Sprintf("testbed: leaving namespace %s: %v", ns, err))
		}
	}()
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("testbed: /dev/net/tun: %w", err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("testbed: %w", err)
	}
	ifr.SetUint16(unix.IFF_TUN | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("testbed: creating TUN device %s in %s: %w", name, ns, err)
	}
	return os.NewFile(uintptr(fd), "/dev/net/tun:"+name), nil
}
