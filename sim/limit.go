package sim

import "fmt"

// LimitKind says which bound of [Limits] a run hit.
type LimitKind int

const (
	// EventLimit means the run fired Limits.MaxEvents events.
	EventLimit LimitKind = iota + 1
	// TimeLimit means the next event was due after Limits.MaxTime.
	TimeLimit
)

// LimitError is returned when a run exceeds its budget. Callers branch on
// it with errors.As to tell a runaway model from an input error.
type LimitError struct {
	Kind   LimitKind
	Now    Time   // virtual time when the run stopped
	Fired  uint64 // events fired
	Limits Limits
}

func (e *LimitError) Error() string {
	switch e.Kind {
	case EventLimit:
		return fmt.Sprintf("sim: run stopped after %d events at %v: event budget of %d exceeded (the model may be looping)",
			e.Fired, e.Now, e.Limits.MaxEvents)
	default:
		return fmt.Sprintf("sim: run stopped at %v after %d events: simulated-time limit of %v exceeded",
			e.Now, e.Fired, e.Limits.MaxTime)
	}
}
