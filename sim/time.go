package sim

import "time"

// Time is virtual time in integer nanoseconds since the start of a run.
//
// It is an alias of [time.Duration] so that it prints as people write it
// ("1.5ms", "120ms", "2.003s") and converts to seconds or milliseconds with
// the familiar methods, while staying an exact integer.
type Time = time.Duration

// Units of virtual time, re-exported so model code reads sim.Millisecond.
const (
	Nanosecond  Time = time.Nanosecond
	Microsecond Time = time.Microsecond
	Millisecond Time = time.Millisecond
	Second      Time = time.Second
	Minute      Time = time.Minute
	Hour        Time = time.Hour
)

// Forever is a time later than any event of a real run.
const Forever Time = 1<<63 - 1
