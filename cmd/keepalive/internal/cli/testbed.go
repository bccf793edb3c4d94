package cli

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/scenarios/testbed"
)

// testbedFlags are the testbed's own flags, beside run's.
type testbedFlags struct{ reps, seeds string }

func (f *testbedFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&f.reps, "reps", "5", "")
	fs.StringVar(&f.seeds, "seeds", "", "")
}

// testbedCommand loads the scenario's page with real software over an
// emulated link and prints the real page load times beside the
// simulator's.
func testbedCommand(args []string, stdout, stderr io.Writer) int {
	const who = "keepalive testbed"
	var tf testbedFlags
	plan, set, err := parseCommand("testbed", args, tf.add)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, testbedUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, who, err)
	}
	if set["har"] {
		return fail(stderr, who, usageErrorf("--har: not for the testbed, whose real servers serve one host (run it with keepalive run --har)"))
	}
	for _, o := range []string{"resources", "pages", "trace", "ideal", "pcap", "pcap-at", "har-out"} {
		if set[o] {
			return fail(stderr, who, usageErrorf("--%s: not for the testbed (real software has headers and slow start, and its packets are not traced)", o))
		}
	}
	reps, err := parseCount("reps", tf.reps, 1, 1000, "real loads per protocol, 1 to 1000")
	if err != nil {
		return fail(stderr, who, err)
	}
	sc, cfg, err := plan.config() // --ideal is refused above
	if err != nil {
		return fail(stderr, who, err)
	}
	if err := cfg.Validate(); err != nil {
		return fail(stderr, who, err)
	}
	seeds := 1
	if cfg.Link.Loss > 0 {
		seeds = 11 // a lossy load varies from seed to seed: compare medians
	}
	if set["seeds"] {
		if seeds, err = parseCount("seeds", tf.seeds, 1, 100000, "simulated loads per protocol, 1 to 100000"); err != nil {
			return fail(stderr, who, err)
		}
	}
	for _, p := range plan.protocols {
		c := cfg
		c.ForProtocol(p)
		if _, err := testbed.SpecOf(c); err != nil {
			return fail(stderr, who, usageErrorf("--scenario %s: %v", plan.scenario, err))
		}
	}
	if err := testbed.Check(); err != nil {
		return fail(stderr, who, usageErrorf("%v", err))
	}
	if err := plan.checkOutputDirs(); err != nil {
		return fail(stderr, who, err)
	}
	self, err := os.Executable()
	if err != nil {
		return fail(stderr, who, err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opt := testbed.Options{Self: self, Config: cfg, Protocols: plan.protocols, Loads: reps, Seeds: seeds, Kernel: testbed.DefaultKernel()}
	if isTerminal(stderr) {
		opt.Progress = func(done, total int) { fmt.Fprintf(stderr, "\r%s: %d of %d real loads", who, done, total) }
	}
	rep, err := testbed.Run(ctx, opt)
	if opt.Progress != nil {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintf(stderr, "%s: interrupted; the namespaces and processes are removed\n", who)
			return exitInterrupted
		}
		return fail(stderr, who, err)
	}
	name := sc.Name
	if name == "" {
		name = plan.scenario
	}
	write := func(w io.Writer) error {
		switch plan.format {
		case "csv":
			return writeTestbedCSV(w, name, cfg, rep)
		case "json":
			return fmt.Errorf("--format json: the testbed writes a table or CSV")
		}
		return writeTestbedTable(w, name, cfg, rep)
	}
	if plan.out == "" {
		if err := write(stdout); err != nil {
			return fail(stderr, who, err)
		}
		return exitOK
	}
	if err := csvrow.WriteAtomic(plan.out, write); err != nil {
		return fail(stderr, who, err)
	}
	return exitOK
}

// testbedColumns is the header of --format csv.
var testbedColumns = []string{
	"scenario", "protocol", "rtt_ms", "bandwidth_mbps", "loss", "reps", "seeds",
	"real_median_ms", "real_min_ms", "real_max_ms", "sim_ms", "sim_over_real",
	"real_connections", "sim_connections", "real_packets", "sim_packets",
	"kernel", "congestion", "initial_window", "timestamps", "traversal_ms", "rtt_error_p50_ms", "rtt_error_p90_ms", "rate_measured",
}

func writeTestbedCSV(w io.Writer, name string, cfg model.Config, rep *testbed.Report) error {
	cw := csv.NewWriter(w)
	cw.Write(testbedColumns)
	for _, r := range rep.Rows {
		cw.Write([]string{
			name, r.Protocol.String(), trace.Millis(2 * cfg.Link.Delay), csvrow.Mbps(cfg.Link.Down),
			strconv.FormatFloat(cfg.Link.Loss, 'g', -1, 64), strconv.Itoa(len(r.Real)), strconv.Itoa(len(r.SimLoads)),
			trace.Millis(r.RealMedian), trace.Millis(r.RealMin), trace.Millis(r.RealMax), trace.Millis(r.Sim),
			strconv.FormatFloat(r.Ratio(), 'f', 4, 64),
			strconv.Itoa(r.RealConnections), strconv.Itoa(r.SimConnections), strconv.Itoa(r.RealPackets), strconv.Itoa(r.SimPackets),
			rep.Kernel.Release, rep.Kernel.Congestion, strconv.Itoa(rep.Kernel.InitialWindow), strconv.FormatBool(rep.Kernel.Timestamps),
			trace.Millis(time.Duration(rep.Accuracy.TraversalNS)), trace.Millis(time.Duration(rep.Accuracy.RTTErrP50NS)),
			trace.Millis(time.Duration(rep.Accuracy.RTTErrP90NS)), strconv.FormatFloat(rep.Accuracy.Goodput, 'f', 5, 64),
		})
	}
	cw.Flush()
	return cw.Error()
}

func writeTestbedTable(w io.Writer, name string, cfg model.Config, rep *testbed.Report) error {
	var b strings.Builder
	k := rep.Kernel
	ts := "on"
	if !k.Timestamps {
		ts = "off"
	}
	var protocols []model.Protocol
	for _, r := range rep.Rows {
		protocols = append(protocols, r.Protocol)
	}
	quic, tcp := protocolMix(protocols)
	settings, software := settingsLine(name, cfg)[len(name)+2:], ""
	if tcp {
		software = fmt.Sprintf("Linux %s, %s, initial window %d, timestamps %s; Go net/http and x/net/http2 servers", k.Release, k.Congestion, k.InitialWindow, ts)
	}
	if quic {
		c := cfg
		c.ForProtocol(model.HTTP3)
		if tcp {
			settings += quicSettingsNote(c)
			software += "; "
		} else {
			settings = settingsLine(name, c)[len(name)+2:]
		}
		software += "quic-go " + testbed.QUICVersion + "'s http3.Server and client (path MTU discovery off)"
	}
	fmt.Fprintf(&b, "%s over real software: %s\n", name, settings)
	fmt.Fprintf(&b, "%s\n", software)
	a := rep.Accuracy
	fmt.Fprintf(&b, "emulated link: round-trip error p50 %s ms, p90 %s ms (after subtracting the %s ms the kernel and emulator add); rate %.2f%% of %s\n\n",
		ms3(a.RTTErrP50NS), ms3(a.RTTErrP90NS), ms3(a.TraversalNS), 100*a.Goodput, cfg.Link.Down)
	rows := [][]string{{"protocol", "real median", "real min–max", "simulated", "sim/real", "connections real/sim", "packets real/sim"}}
	for _, r := range rep.Rows {
		rows = append(rows, []string{
			displayName(r.Protocol), ms1(r.RealMedian) + " ms", ms1(r.RealMin) + "–" + ms1(r.RealMax), ms1(r.Sim) + " ms",
			strconv.FormatFloat(r.Ratio(), 'f', 3, 64),
			fmt.Sprintf("%d/%d", r.RealConnections, r.SimConnections), fmt.Sprintf("%d/%d", r.RealPackets, r.SimPackets),
		})
	}
	alignTable(&b, rows)
	fmt.Fprintf(&b, "\n%d real loads per protocol; the simulated value is the median of %d seeds. Packets: both directions, until the page loaded.\n",
		len(rep.Rows[0].Real), len(rep.Rows[0].SimLoads))
	_, err := io.WriteString(w, b.String())
	return err
}

// ms3 writes ns as milliseconds with three decimals.
func ms3(ns int64) string { return strconv.FormatFloat(float64(ns)/1e6, 'f', 3, 64) }

const testbedUsage = `Usage: keepalive testbed [flags]

Loads a scenario's page with real software on this machine and prints the real
page load times beside the simulator's for the same settings: Linux's TCP
(CUBIC, initial window 10), Go's net/http and golang.org/x/net/http2 servers,
quic-go's HTTP/3 for --protocol http3 (TLS 1.3, path MTU discovery off), and
a client that follows the simulated browser's rules, over a link emulated in
user space between two network namespaces (the scenario's RTT, rate, drop-tail
buffer and loss). Addresses come from 198.18.0.0/15 and exist only inside the
namespaces; nothing else is contacted. Everything is removed when it ends, fails
or is interrupted. It needs Linux, root and /dev/net/tun, and takes a few
seconds per load.

Flags: every flag of "keepalive run" that changes the scenario (--scenario,
--protocol, --rtt, --bandwidth, --loss, --mss, --iw, --parallel, --tls, --seed,
--objects, --object-size, --html-size), --format table|csv, --out FILE, and:
  --reps N                real loads per protocol; default 5
  --seeds N               simulated loads per protocol (seeds from --seed);
                          default 1, or 11 with loss

The emulator measures its own error first (handshake round trips against the
RTT, a UDP stream against the rate) and reports it with the results.

Examples:
  sudo keepalive testbed
  sudo keepalive testbed --scenario webpage --rtt 100ms --bandwidth 10Mbps --reps 5
  sudo keepalive testbed --loss 0.01 --reps 11 --format csv --out real.csv
  sudo keepalive testbed --protocol http2,http3
`
