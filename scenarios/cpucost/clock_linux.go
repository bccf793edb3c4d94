package cpucost

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU is the processor time the calling thread has used
// (CLOCK_THREAD_CPUTIME_ID): the caller must be locked to its thread
// (runtime.LockOSThread) for it to be a goroutine's.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		panic("cpucost: clock_gettime(CLOCK_THREAD_CPUTIME_ID): " + err.Error())
	}
	return time.Duration(ts.Nano())
}

// threadClock says what threadCPU reads, for the printed table.
const threadClock = "thread CPU time (CLOCK_THREAD_CPUTIME_ID)"
