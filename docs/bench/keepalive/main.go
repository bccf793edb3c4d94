// Command keepalive-bench runs the cases of docs/bench in keepalive's
// model, with the settings of docs/bench/ns3/pageload.cc, and prints the
// same fields as that program, so that run.sh can put the two side by
// side.
//
//	go run ./docs/bench/keepalive -case page -runs 100
//	go run ./docs/bench/keepalive -case 10MB -trace 10MB.csv
//	go run ./docs/bench/keepalive -heads
//
// The cases: page, a 20 KB base document then 50 objects of 10 KB over
// HTTP/1.1 keep-alive with six connections; 1MB and 10MB, one response of
// that size on one connection. The link is 10 Mbit/s each way, 50 ms one
// way, a 1000-packet drop-tail queue each way. TCP is the rfc profile:
// NewReno without SACK or timestamps, MSS 1460, IW 10, an ACK for every
// second full segment or after 40 ms, RFC 6298's 1 s initial and minimum
// RTO. The server answers at once and writes each response whole, and no
// idle timer closes a connection, so that a run ends, as ns-3's does,
// when the last segments have been acknowledged.
//
// It is not a test and go test does not run it.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// config is the configuration of one case.
func config(name string) (model.Config, error) {
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: 50 * sim.Millisecond, Up: 10 * model.Mbps, Down: 10 * model.Mbps, Buffer: 1000}

	cfg.TCP = model.RFCTCP() // NewReno, no options, byte-counted windows, RFC 5681 and 6298
	cfg.TCP.MSS = 1460
	cfg.TCP.InitialWindow = 10
	cfg.TCP.DelayedAck = true
	cfg.TCP.DelayedAckDelay = 40 * sim.Millisecond
	cfg.TCP.Acks = model.AckRFC5681
	cfg.TCP.Recovery = model.RecoveryNewReno

	cfg.HTTP.Protocol = model.HTTP11
	// ns-3's server answers in the event that reads the request, with
	// the whole response: no processing time, no 4 KiB first write, no
	// processor queue.
	cfg.Server.Processing = 0
	cfg.Server.FirstWrite = 0
	cfg.Server.CPUs = 0
	cfg.Server.CPU.Accept = 0
	// ns-3's sockets stay open: no idle timeout on either side, so no
	// FIN exchange after the load.
	cfg.Server.IdleTimeout = 0
	cfg.Browser.IdleTimeout = 0

	switch name {
	case "page":
		cfg.HTTP.Parallel = 6
		cfg.Page = model.SyntheticPage(20_000, 50, []int{10_000})
	case "1MB":
		cfg.HTTP.Parallel = 1
		cfg.Page = model.SyntheticPage(1_000_000, 0, nil)
	case "10MB":
		cfg.HTTP.Parallel = 1
		cfg.Page = model.SyntheticPage(10_000_000, 0, nil)
	default:
		return cfg, fmt.Errorf("-case must be page, 1MB or 10MB, not %q", name)
	}
	return cfg, nil
}

func main() {
	name := flag.String("case", "page", "page, 1MB or 10MB")
	runs := flag.Int("runs", 1, "repetitions in this process (0: none, to time process start)")
	tracePath := flag.String("trace", "", "write the first run's trace to this CSV file (keepalive run --trace's columns)")
	heads := flag.Bool("heads", false, "print the request and response head sizes the model counts, as pageload's flags, and exit")
	flag.Parse()
	cfg, err := config(*name)
	if err != nil {
		fmt.Fprintln(os.Stderr, "keepalive-bench:", err)
		os.Exit(2)
	}
	if *heads {
		if err := printHeads(cfg); err != nil {
			fmt.Fprintln(os.Stderr, "keepalive-bench:", err)
			os.Exit(1)
		}
		return
	}
	if err := bench(cfg, *name, *runs, *tracePath); err != nil {
		fmt.Fprintln(os.Stderr, "keepalive-bench:", err)
		os.Exit(1)
	}
}

// bench runs cfg runs times and prints the first run's figures and the
// CPU time the runs took.
func bench(cfg model.Config, name string, runs int, tracePath string) error {
	var first model.Result
	cpu0 := cpuSeconds()
	for i := range runs {
		var rec trace.Recorder
		var csv *trace.CSVWriter
		var f *os.File
		if i == 0 && tracePath != "" {
			var err error
			if f, err = os.Create(tracePath); err != nil {
				return err
			}
			csv = trace.NewCSVWriter(f)
			if err := csv.WriteHeader(); err != nil {
				return err
			}
			rec = csv
		}
		res, err := model.Run(cfg, rec)
		if csv != nil {
			err = errors.Join(err, csv.Flush(), f.Close())
		}
		if err != nil {
			return err
		}
		if !res.Complete {
			return fmt.Errorf("run %d: the load did not complete (stopped: %v)", i+1, res.Stopped)
		}
		if i == 0 {
			first = res
		} else if res.Packets != first.Packets || res.PageLoad != first.PageLoad {
			return fmt.Errorf("run %d differs from the first", i+1)
		}
	}
	cpu := cpuSeconds() - cpu0
	// Packets counts every packet sent, those the full queue refused
	// too; ns-3's count is of packets that went on the wire.
	wire := first.Packets - first.Drops
	fmt.Printf("sim=keepalive case=%s runs=%d load_ms=%.3f packets=%d packets_to_load=%d drops=%d retx=%d events=%d loop_cpu_s=%.6f\n",
		name, runs, float64(first.PageLoad.Nanoseconds())/1e6, wire, first.PacketsToLoad-first.Drops,
		first.Drops, first.Retransmissions, first.Events, cpu)
	return nil
}

// printHeads prints pageload's size flags for the bytes the model counts:
// the mean request, the base document's response head and the others'.
func printHeads(cfg model.Config) error {
	res, err := model.Run(cfg, nil)
	if err != nil {
		return err
	}
	var req, head, n int
	for _, r := range res.Resources {
		req += r.RequestHead
		if r.Resource > 1 {
			head += r.ResponseHead
			n++
		}
	}
	first := res.Resources[0].ResponseHead
	if n == 0 {
		head, n = first, 1
	}
	count := len(res.Resources)
	fmt.Printf("--request=%d --head-first=%d --head=%d\n", (req+count/2)/count, first, (head+n/2)/n)
	return nil
}
