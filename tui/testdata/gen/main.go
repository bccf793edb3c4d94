//go:build ignore

// Command gen writes the JSON Lines traces the tui tests replay. It is the
// only code under tui/ that runs the simulator; the tests read its output
// and never import model. Run it from the module root after a change to
// the model's output, then go test ./tui -update:
//
//	go run ./tui/testdata/gen/main.go tui/testdata
//
// proxy-http2.jsonl (a proxy's origin connections, for the counters) is
// the built-in proxy-hop lesson with 3KB resources, written by the command
// itself, its header line removed:
//
//	keepalive scenarios proxy-hop | sed 's/size: [0-9]*KB/size: 3KB/; s/name: proxy-hop/name: proxy-small/' > /tmp/p.yaml
//	keepalive run --scenario /tmp/p.yaml --protocol http2 --trace /tmp/p.jsonl
//	tail -n +2 /tmp/p.jsonl > tui/testdata/proxy-http2.jsonl
//
// race-http1.1.jsonl (the close race, for the key moments) is the
// built-in close-race lesson as the command saves it, its header line
// with the lesson's moments kept:
//
//	keepalive run --scenario close-race --protocol http1.1 --trace tui/testdata/race-http1.1.jsonl
//
// hosts.jsonl (a page on three hosts with DNS lookups, for the lanes
// and the waterfall's DNS phase) is tui/testdata/hosts.yaml over HTTP/1.1
// and HTTP/2, its header lines kept:
//
//	keepalive run --scenario tui/testdata/hosts.yaml --protocol http1.1,http2 --trace tui/testdata/hosts.jsonl
//
// dns-one-host.jsonl (a lookup on a page of one host, which has no
// ConnHost records) is tui/testdata/dns-one-host.yaml over HTTP/1.1:
//
//	keepalive run --scenario tui/testdata/dns-one-host.yaml --protocol http1.1 --trace tui/testdata/dns-one-host.jsonl
//
// many-hosts.jsonl (a page on seven hosts, more than the ladder has lanes
// for) is tui/testdata/many-hosts.yaml over HTTP/1.1:
//
//	keepalive run --scenario tui/testdata/many-hosts.yaml --protocol http1.1 --trace tui/testdata/many-hosts.jsonl
package main

import (
	"fmt"
	"os"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

func write(name string, recs []trace.Record) {
	f, err := os.Create(name)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	if err := trace.WriteJSONL(f, recs); err != nil {
		panic(err)
	}
}

// main writes, into the directory named by its argument, a 2,000-byte
// page with three 5,000-byte images over a 100 ms, 10 Mbit/s link with TLS
// 1.3, an initial window of 2 and 2 parallel connections under each
// protocol (basic-*.jsonl), and a 40,000-byte page over HTTP/1.1 whose
// fourth server packet is dropped (lossy-http1.1.jsonl).
func main() {
	dir := os.Args[1]
	for _, p := range model.Protocols {
		cfg := model.DefaultConfig()
		cfg.Link.Delay = 50 * sim.Millisecond
		cfg.TCP.InitialWindow = 2
		cfg.TLS.Version = model.TLS13
		cfg.HTTP.Protocol = p
		cfg.HTTP.Parallel = 2
		cfg.Page = model.SyntheticPage(2000, 3, []int{5000})
		log := &trace.Log{}
		res, err := model.Run(cfg, log)
		if err != nil {
			panic(err)
		}
		fmt.Fprintln(os.Stderr, p, len(log.Records), res.PageLoad, res.Connections)
		write(dir+"/basic-"+p.String()+".jsonl", log.Records)
	}
	cfg := model.DefaultConfig()
	cfg.Link.Delay = 50 * sim.Millisecond
	cfg.HTTP.Protocol = model.HTTP11
	cfg.Page = model.SyntheticPage(40000, 0, nil)
	cfg.Link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: 4}}
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil {
		panic(err)
	}
	fmt.Fprintln(os.Stderr, "lossy", len(log.Records), res.PageLoad, res.Connections, res.Drops)
	write(dir+"/lossy-http1.1.jsonl", log.Records)
}
