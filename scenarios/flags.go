package scenarios

import (
	"slices"
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// A Flag is a command-line flag of "keepalive run" (and of tui, testbed
// and sweep, which take run's flags) that sets one scenario field. The
// table [RunFlags] is the one place a flag is defined: the command line
// reads it to define its flags and write their --help, a sweep to accept
// --set rtt=… and --vary rtt=…, the terminal UI's edit form for its
// fields, and docs/scenarios.md's list of flags is checked against it.
// A flag's value is read as its field in a file is ([Scenario.With]), so
// its grammar, range and messages are the file's.
type Flag struct {
	Name    string // without dashes: "rtt"
	Field   string // the field it sets: "link.rtt"
	Arg     string // the value's placeholder in --help: "DURATION"
	Group   string // the --help section it is listed in: "Link", "TCP", …
	Usage   string // what --help says, one paragraph
	Bool    bool   // a switch: --tls-resume alone means true
	List    bool   // a comma-separated list: --object-size 1MB,1KB
	Page    bool   // replaces the scenario's page with a synthetic one
	Default string // a page flag's value when another page flag is given without it

	// The edit form of the terminal UI shows the flags that have a Label:
	// Show writes a configuration's value as the flag reads it back, and
	// Options are the values to choose from (none: free text).
	Label   string
	Show    func(*model.Config) string
	Options []string
}

// Groups of flags in --help, in order.
const (
	GroupScenario = "Scenario and protocols"
	GroupLink     = "Link (flags set both directions)"
	GroupTCP      = "TCP"
	GroupHTTP     = "HTTP and TLS"
	GroupPage     = "Page"
)

// runFlags is the table. The page flags' defaults are "keepalive run"'s
// synthetic page (docs/scenarios.md, page).
var runFlags = []Flag{
	{Name: "seed", Field: "seed", Arg: "N", Group: GroupScenario,
		Usage: "seed of the random numbers (packet loss), 0 to 18446744073709551615; the same seed gives the same result, byte for byte"},
	{Name: "rtt", Field: "link.rtt", Arg: "DURATION", Group: GroupLink,
		Usage: "round-trip propagation delay, ≥ 0; needs a unit: 100ms, 0.25s, 1500us, 1m30s (ns, us, ms, s, m, h); the one-way delay is RTT/2",
		Label: "RTT", Show: func(c *model.Config) string { return formatDuration(2 * c.Link.Delay) }},
	{Name: "bandwidth", Field: "link.bandwidth", Arg: "RATE", Group: GroupLink,
		Usage: "link rate in bits per second, > 0: 10Mbps, 512kbps, 1.5Gbps, 2500bps (bps, kbps, Mbps, Gbps, any case), or unlimited (no transmission time)",
		Label: "Bandwidth", Show: func(c *model.Config) string { return units.FormatRate(int64(c.Link.Down)) }},
	{Name: "loss", Field: "link.loss", Arg: "P", Group: GroupLink,
		Usage: "probability that each packet is lost, 0 ≤ P < 1: 0.01 or 1%",
		Label: "Loss", Show: func(c *model.Config) string { return strconv.FormatFloat(c.Link.Loss, 'f', -1, 64) }},
	{Name: "mss", Field: "tcp.mss", Arg: "BYTES", Group: GroupTCP,
		Usage: "maximum segment size, 1 to 65535 bytes (Ethernet: 1460)"},
	{Name: "iw", Field: "tcp.initial_window", Arg: "SEGMENTS", Group: GroupTCP,
		Usage: "initial congestion window, 1 to 1000000 segments, or unlimited (no slow start); Linux and RFC 6928: 10",
		Label: "Initial window", Show: func(c *model.Config) string {
			if c.TCP.InitialWindow == model.Unlimited {
				return "unlimited"
			}
			return strconv.Itoa(c.TCP.InitialWindow)
		}},
	{Name: "parallel", Field: "http.parallel", Arg: "N", Group: GroupHTTP,
		Usage: "most connections to the host for HTTP/1.x, 1 to 1000 (browsers: 6; 1 is the textbook's serial case); HTTP/2 always uses one",
		Label: "Parallel connections", Show: func(c *model.Config) string { return strconv.Itoa(c.HTTP.Parallel) }},
	{Name: "tls", Field: "tls.version", Arg: "none|1.2|1.3", Group: GroupHTTP,
		Usage: "TLS on every connection: 1.2 costs 2 round trips, 1.3 one round trip; other than 1.3, it also turns off the scenario's tls.early_data (0-RTT is 1.3's), and none its tls.resume",
		Label: "TLS", Show: func(c *model.Config) string { return nameOf(tlsVersions, c.TLS.Version) }, Options: []string{"none", "1.2", "1.3"}},
	{Name: "tls-resume", Field: "tls.resume", Group: GroupHTTP, Bool: true,
		Usage: "later connections resume the first one's TLS session (one round trip); --tls-resume=false also turns off the scenario's tls.early_data"},
	{Name: "html-size", Field: "page.html_size", Arg: "SIZE", Group: GroupPage, Page: true, Default: "20KB",
		Usage: "size of the base document"},
	{Name: "objects", Field: "page.objects", Arg: "N", Group: GroupPage, Page: true, Default: "10",
		Usage: "number of images, 0 to 10000",
		Label: "Objects", Show: func(c *model.Config) string { return strconv.Itoa(len(c.Page.Resources) - 1) }},
	{Name: "object-size", Field: "page.object_size", Arg: "LIST", Group: GroupPage, Page: true, Default: "10KB", List: true,
		Usage: "image sizes, used in turn: 10KB, or 1MB,1KB,5KB"},
}

// Setting is the flag given value, as the user gave it where: a list
// flag's value is split at its commas.
func (f Flag) Setting(where, value string) Setting {
	st := Setting{Where: where, Field: f.Field, Value: value, Page: f.Page}
	if f.List {
		st.Value, st.List = "", strings.Split(value, ",")
		for i := range st.List {
			st.List[i] = strings.TrimSpace(st.List[i])
		}
	}
	return st
}

// Help is what --help and the docs say of the flag: its Usage, and a
// page flag's default.
func (f Flag) Help() string {
	if f.Page {
		return f.Usage + "; default " + f.Default
	}
	return f.Usage
}

// RunFlags returns the table of flags that set scenario fields, in the
// order --help lists them.
func RunFlags() []Flag { return slices.Clone(runFlags) }

// FlagNamed returns the flag called name (without dashes).
func FlagNamed(name string) (Flag, bool) {
	i := slices.IndexFunc(runFlags, func(f Flag) bool { return f.Name == name })
	if i < 0 {
		return Flag{}, false
	}
	return runFlags[i], true
}
