package sim_test

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/sim"
)

func ExampleSimulator() {
	s := sim.New(1, 0)
	say := func(what string) func() {
		return func() { fmt.Printf("%-8v %s\n", s.Now(), what) }
	}

	// Scheduled out of order; they fire in time order, and the two due at
	// 1.5ms in the order they were scheduled.
	s.At(3*sim.Millisecond, say("timeout"))
	s.At(1500*sim.Microsecond, say("packet arrives"))
	s.After(250*sim.Microsecond, say("packet sent"))
	s.At(1500*sim.Microsecond, say("ACK sent"))
	lost := s.At(2*sim.Millisecond, say("never printed"))
	s.Cancel(lost)

	if err := s.Drain(); err != nil {
		fmt.Println(err)
	}
	fmt.Println("done at", s.Now())
	// Output:
	// 250µs    packet sent
	// 1.5ms    packet arrives
	// 1.5ms    ACK sent
	// 3ms      timeout
	// done at 3ms
}
