package testbed

import (
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model"
)

// Kernel is the TCP configuration set in both namespaces before a run and
// recorded with its results.
type Kernel struct {
	Congestion     string // net.ipv4.tcp_congestion_control: cubic
	Timestamps     bool   // net.ipv4.tcp_timestamps (MSS 1448 instead of 1460)
	SlowStartIdle  bool   // net.ipv4.tcp_slow_start_after_idle
	InitialWindow  int    // the route's initcwnd (0: the kernel's default, 10)
	NoMetricsSave  bool   // net.ipv4.tcp_no_metrics_save: no cached cwnd between loads
	SACK           bool   // net.ipv4.tcp_sack
	ReceiveBuffers string // net.ipv4.tcp_rmem
	SendBuffers    string // net.ipv4.tcp_wmem
	Release        string // the kernel, as uname -r says
}

// DefaultKernel is Linux's own defaults, except that the congestion
// control is pinned to CUBIC (a machine may default to BBR) and cached
// metrics are off.
func DefaultKernel() Kernel {
	return Kernel{Congestion: "cubic", Timestamps: true, SlowStartIdle: true, NoMetricsSave: true, SACK: true}
}

// MissingError names what the machine lacks for a testbed.
type MissingError struct{ What []string }

func (e *MissingError) Error() string {
	return "the testbed needs " + strings.Join(e.What, ", and ")
}

// LinkSpec is the emulated link: both directions alike.
type LinkSpec struct {
	// Delay is the one-way delay added to each packet, after its
	// serialization (RTT/2 less the calibrated cost of the path through
	// the kernel and the emulator).
	Delay int64 // ns
	// Rate is the serialization rate in bits per second, counting IP
	// bytes as the simulator does; 0 means no serialization delay.
	Rate int64
	// Buffer is how many packets may wait besides the one being sent
	// (drop-tail); 0 means unlimited.
	Buffer int
	// Loss is the probability of losing each packet, drawn from Seed.
	Loss float64
	Seed uint64
}

// EmuStats is what the emulator measured of itself: how late packets
// left it against their schedule, and what it carried.
type EmuStats struct {
	Packets, Bytes, Dropped, Lost [2]int64 // by direction: 0 client→server, 1 server→client
	LateP50, LateP90, LateMax     int64    // ns a packet was written after its due time
}

// Accuracy is what the bed measured of its own emulation.
type Accuracy struct {
	// TraversalNS is the median round trip through the kernel and the
	// emulator with no delay and no rate: what Setup subtracts from the
	// configured delay.
	TraversalNS int64
	// RTTErrP50NS and RTTErrP90NS are how far tiny packets' round trips
	// were from the configured RTT plus their serialization, in ns.
	RTTErrP50NS, RTTErrP90NS int64
	// Goodput is the rate a UDP stream above the link rate achieved, over
	// the configured rate (1 is exact); 0 if not measured.
	Goodput float64
}

// Options say what Run measures.
type Options struct {
	// Self is the keepalive binary (or a test binary that dispatches
	// ChildMain), started in the namespaces.
	Self string
	// Config is the scenario as the simulator runs it; Protocols the
	// protocols to load it over, in order.
	Config    model.Config
	Protocols []model.Protocol
	// Loads is how many real loads per protocol, Seeds how many
	// simulated ones (with loss the simulator's median over seeds is
	// compared with the real median).
	Loads, Seeds int
	Kernel       Kernel
	// Progress, if not nil, is told after each real load.
	Progress func(done, total int)
}

// Report is a testbed run: the bed's own accuracy and settings, and per
// protocol the real loads beside the simulator's.
type Report struct {
	Kernel   Kernel
	Accuracy Accuracy
	Link     LinkSpec
	Rows     []Row
}

// Row is one protocol: real and simulated page loads, connections and
// packets (medians).
type Row struct {
	Protocol                        model.Protocol
	Real                            []time.Duration // every real load, in order
	RealMedian, RealMin, RealMax    time.Duration
	Sim                             time.Duration // the simulator's median over Options.Seeds
	SimLoads                        []time.Duration
	RealConnections, SimConnections int
	RealPackets, SimPackets         int
}

// Ratio is the simulated median over the real one.
func (r Row) Ratio() float64 { return float64(r.Sim) / float64(r.RealMedian) }

// QUICVersion is the quic-go the bed runs, as go.mod requires it (the
// docs name it beside the measurements).
const QUICVersion = "v0.65.0"
