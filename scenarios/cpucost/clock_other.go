//go:build !linux

package cpucost

import "time"

var epoch = time.Now()

// threadCPU falls back to the wall clock where no thread CPU clock is
// read: the figures then include any time the thread was not running.
func threadCPU() time.Duration { return time.Since(epoch) }

const threadClock = "wall-clock time (no thread CPU clock on this system)"
