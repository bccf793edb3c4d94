// Package sim is a deterministic discrete-event engine: a virtual clock, a
// queue of callbacks ordered by (time, insertion sequence), cancellable
// events, lazily re-armed timers, named random streams and a run budget.
//
// It knows nothing about networks; package model builds links and TCP on it.
//
// # Determinism
//
// A run is a pure function of its inputs and its (seed, run) pair:
//
//   - Time is integer nanoseconds ([Time] is a [time.Duration]), so there is
//     no floating-point drift and 1.5ms prints as "1.5ms".
//   - Events due at the same instant fire in the order they were scheduled,
//     except that timeouts ([Simulator.Timeout], [Timer]) fire after every
//     ordinary event due at that instant. A deadline at t means "if nothing
//     has happened by the end of t": a packet that arrives at the very
//     nanosecond its retransmission timer expires is processed first, and
//     the timer, if still armed, fires after it. (Real hosts cannot tie to
//     the nanosecond; the rule makes the tie, which integer time makes
//     common in textbook settings, come out the way a host that has the
//     packet in hand would decide it.)
//   - Each random component draws from its own stream, [Simulator.Rand],
//     seeded from (seed, run, stream name): a draw added to one component
//     never shifts the numbers another component sees.
//   - The engine starts no goroutines and reads no wall clock.
//
// # Cost
//
// Scheduling and firing an event does not allocate in steady state: pending
// events are value structs in a binary heap, and a cancelled event stays in
// the heap, marked dead, until its time comes (see [Timer] for the pattern
// that keeps frequently re-armed timers from piling up). Making, arming
// and firing a [Timer] allocates nothing either; an object with several
// timers makes itself their [Owner] rather than binding a callback to
// each, which would cost an allocation apiece.
package sim
