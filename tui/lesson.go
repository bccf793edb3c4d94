package tui

import (
	"time"

	"github.com/gdamore/tcell/v2"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// Run is one protocol's recorded page load.
type Run struct {
	Protocol trace.Protocol
	// Store holds the run's records; a Run given only Records gets one
	// made from them when it is shown, and Records is then not read.
	Store   *trace.Store
	Records []trace.Record
	Summary trace.Summary // trace.Summarize of the records
}

// Params are the lesson's main settings, shown in the header.
type Params struct {
	RTT           time.Duration
	Bandwidth     int64   // bits per second
	Loss          float64 // [0,1)
	Objects       int     // -1: not shown
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
	// BrowserIdle and ServerIdle are how long the browser and the server
	// keep an idle keep-alive connection (0: no limit): what the screen
	// says idle connections are held until.
	BrowserIdle, ServerIdle time.Duration
	// Seed is the run's seed, from which the inspector shows each
	// connection's ports and absolute sequence numbers
	// (trace.AddressesOf); nil when not known (a replayed file that does
	// not say).
	Seed *uint64
	Runs []Run // in the order of Run.Protocol's list
	// Ref is what to give Source.Load to run this lesson again (a
	// built-in name or a file's path); "" is Scenario.
	Ref string
	// Settings are the fields of the edit form, in order; none, and the
	// form says there is nothing to edit.
	Settings []Setting
	// SettingNames are the names the form's "other setting" field takes
	// (any run flag or scenario field), offered as the user types; none,
	// and the form has no such field. Its changes are keyed OtherKey+name.
	SettingNames []string
	// Edits are the settings by name ("server.idle_close: 408") that the
	// edit form changed to make this lesson, which the header shows
	// after the parameters; the UI fills it in.
	Edits []string
	// Capture, when set, gives the packets of the lesson's run of a
	// protocol as a capture file Wireshark opens (pcap): W writes it.
	// cmd runs the scenario again for it, with the same settings and
	// seed, which makes the same run. nil: there is none (a replayed
	// trace holds packets but not their bytes).
	Capture func(trace.Protocol) ([]byte, error)
	// Moments are the lesson's key moments, which n and N jump to: trace
	// predicates, found in each run when the lesson is loaded. A run in
	// which none of them happens (or a lesson without any) gets
	// trace.GenericMoments.
	Moments []trace.Moment
}

// Setting is one field of the edit form. The source says what it is and
// gives its value as text in the grammar it parses; the TUI only shows
// and collects the text, so the form accepts exactly what the command
// line does, with the same limits and messages.
type Setting struct {
	Key     string   // what Source.Load gets back, e.g. "rtt"
	Label   string   // "RTT"
	Value   string   // the lesson's value: "100ms"
	Options []string // a fixed choice (a drop-down list); nil for text
}

// ScenarioInfo names a scenario the user can pick.
type ScenarioInfo struct{ Name, Description string }

// Source produces lessons; cmd implements it with the simulator.
type Source interface {
	Scenarios() []ScenarioInfo
	// Load runs the scenario ref under every protocol, with changes
	// (Setting.Key to text) applied on top; nil changes nothing. The UI
	// sends every change made since the scenario was picked. A bad
	// value is an error that says which setting and what is allowed.
	Load(ref string, changes map[string]string) (Lesson, error)
}

// ref is the scenario to give Source.Load for this lesson.
func (l *Lesson) ref() string {
	if l.Ref != "" {
		return l.Ref
	}
	return l.Scenario
}

// Options change how Main starts. It always opens paused on the
// lesson's first key moment, so that a teacher decides when it plays.
type Options struct {
	NoColor bool         // honour NO_COLOR: monochrome styles only
	Screen  tcell.Screen // nil: the real terminal; tests pass a SimulationScreen
	// ShotDir is the directory S saves screenshots in; "" is the
	// current directory.
	ShotDir string
}
