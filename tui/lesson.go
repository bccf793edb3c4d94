package tui

import (
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Run is one protocol's recorded page load.
type Run struct {
	Protocol string // "http1.0", "http1.1", "http1.1-pipelined", "http2"
	Records  []trace.Record
	Summary  trace.Summary // trace.Summarize(Records)
}

// Params are the knobs the edit form changes.
type Params struct {
	RTT           time.Duration
	Bandwidth     int64   // bits per second
	Loss          float64 // [0,1)
	Objects       int     // -1: keep the scenario's page; ≥0: synthetic page with that many objects
	InitialWindow int     // segments; -1 = unlimited
	Parallel      int
	TLS           string // "none", "1.2", "1.3"
}

// Lesson is a scenario run under every protocol.
type Lesson struct {
	Scenario, Description, Narrative string
	Params                           Params
	// ServerSlots is the server's limit on connections (worker slots), 0
	// for none. With a limit, the status line gauges busy, idle and free
	// slots and the backlog.
	ServerSlots int
	Runs        []Run // in the order of Run.Protocol's list
}

// ScenarioInfo names a scenario the user can pick.
type ScenarioInfo struct{ Name, Description string }

// Source produces lessons; cmd implements it with the simulator.
type Source interface {
	Scenarios() []ScenarioInfo
	// Load runs scenario under every protocol. With p nil it uses the
	// scenario's own parameters.
	Load(scenario string, p *Params) (Lesson, error)
}

// Options change how Main starts.
type Options struct {
	NoColor     bool         // honour NO_COLOR: monochrome styles only
	StartPaused bool         // open paused at the first event instead of playing
	Screen      tcell.Screen // nil: the real terminal; tests pass a SimulationScreen
}
