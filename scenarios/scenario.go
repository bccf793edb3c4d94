package scenarios

import (
	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// Scenario is a named page load setup: the model configuration plus the
// words that explain it.
type Scenario struct {
	Name        string // built-in name, or the file's "name:" (else its base name without extension)
	Description string // one line
	Narrative   string // a few sentences for students (may be empty)
	// Moments are the lesson's key moments, in the order they happen:
	// predicates over each run's trace, which the terminal UI jumps to.
	Moments []trace.Moment
	// Protocols are the protocols the lesson compares when the command
	// line names none; nil: model.Protocols, the four over TCP.
	Protocols []model.Protocol
	Config    model.Config
}

// Info names and describes a built-in scenario.
type Info struct{ Name, Description string }

// Compared is the protocols the lesson compares: its Protocols, else
// model.Protocols, the four over TCP.
func (s *Scenario) Compared() []model.Protocol {
	if len(s.Protocols) > 0 {
		return s.Protocols
	}
	return model.Protocols
}
