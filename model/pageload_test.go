package model_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

var update = flag.Bool("update", false, "rewrite golden files and docs/validation.md")

// The textbook page: a base document of Ob bytes referencing M objects of
// O bytes, RTT 100 ms, R = 10 Mbit/s, so Ob/R = 16 ms and O/R = 8 ms.
const (
	kRTT = 100 * sim.Millisecond
	kR   = 10 * model.Mbps
	kOb  = 20_000
	kO   = 10_000
	kM   = 8
	tOb  = 16 * sim.Millisecond // Ob/R
	tO   = 8 * sim.Millisecond  // O/R
)

type validationCase struct {
	name    string
	formula string // as printed in docs/validation.md
	source  string
	proto   model.Protocol
	x       int // parallel connections
	m       int // objects
	tls     model.TLSVersion
	resume  bool
	early   bool
	iw      int // 0: unlimited
	fair    bool
	want    sim.Time
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func validationCases() []validationCase {
	T := kRTT
	ss := func(o int) sim.Time { return slowStartLatency(o, 1460, kR, kRTT, 1) }
	return []validationCase{
		{
			name: "non-persistent, serial", formula: "(M+1)·2·RTT + (Ob + M·O)/R",
			source: "Kurose & Ross §2.2.2 (non-persistent: 2·RTT + O/R per object)",
			proto:  model.HTTP10, x: 1, m: kM,
			want: sim.Time(kM+1)*2*T + tOb + kM*tO,
		},
		{
			name: "non-persistent, X=4 parallel", formula: "2·RTT + Ob/R + ⌈M/X⌉·2·RTT + M·O/R",
			source: "Kurose & Ross P3 (\"response time = (M+1)O/R + 2(M/X+1)RTT\"), connections sharing R equally",
			proto:  model.HTTP10, x: 4, m: kM, fair: true,
			want: 2*T + tOb + sim.Time(ceilDiv(kM, 4))*2*T + kM*tO,
		},
		{
			name: "non-persistent, X=3 parallel, M not a multiple of X", formula: "2·RTT + Ob/R + ⌈M/X⌉·2·RTT + M·O/R",
			source: "as above",
			proto:  model.HTTP10, x: 3, m: kM, fair: true,
			want: 2*T + tOb + sim.Time(ceilDiv(kM, 3))*2*T + kM*tO,
		},
		{
			name: "persistent, no pipelining, 1 connection", formula: "2·RTT + Ob/R + M·(RTT + O/R)",
			source: "Kurose & Ross §2.2.2 (persistent without pipelining: one RTT per object)",
			proto:  model.HTTP11, x: 1, m: kM,
			want: 2*T + tOb + kM*(T+tO),
		},
		{
			name: "persistent, no pipelining, M ≤ X connections", formula: "2·RTT + Ob/R + 2·RTT + (M−1)·O/R",
			source: "derived: the idle first connection takes object 1 at once; M−1 new connections take the rest after their handshake (needs O/R ≤ RTT)",
			proto:  model.HTTP11, x: 6, m: 5, fair: true,
			want: 2*T + tOb + 2*T + 4*tO,
		},
		{
			name: "persistent with pipelining", formula: "2·RTT + Ob/R + RTT + M·O/R",
			source: "Kurose & Ross §2.2.2 (pipelining: one RTT for all objects)",
			proto:  model.HTTP11Pipelined, x: 1, m: kM,
			want: 2*T + tOb + T + kM*tO,
		},
		{
			name: "HTTP/2 multiplexing", formula: "2·RTT + Ob/R + RTT + M·O/R",
			source: "same as pipelining in ideal mode (RFC 9113 streams on one connection)",
			proto:  model.HTTP2, x: 1, m: kM,
			want: 2*T + tOb + T + kM*tO,
		},
		{
			name: "non-persistent, serial, TLS 1.3", formula: "(M+1)·3·RTT + (Ob + M·O)/R",
			source: "RFC 8446 §2: a full handshake adds 1 RTT per connection",
			proto:  model.HTTP10, x: 1, m: kM, tls: model.TLS13,
			want: sim.Time(kM+1)*3*T + tOb + kM*tO,
		},
		{
			name: "non-persistent, serial, TLS 1.2", formula: "(M+1)·4·RTT + (Ob + M·O)/R",
			source: "RFC 5246 §7.3: a full handshake adds 2 RTTs per connection",
			proto:  model.HTTP10, x: 1, m: kM, tls: model.TLS12,
			want: sim.Time(kM+1)*4*T + tOb + kM*tO,
		},
		{
			name: "non-persistent, serial, TLS 1.2 resumed", formula: "4·RTT + M·3·RTT + (Ob + M·O)/R",
			source: "RFC 5077 §3.1: an abbreviated handshake adds 1 RTT",
			proto:  model.HTTP10, x: 1, m: kM, tls: model.TLS12, resume: true,
			want: 4*T + kM*3*T + tOb + kM*tO,
		},
		{
			name: "non-persistent, serial, TLS 1.3 resumed with 0-RTT", formula: "3·RTT + M·2·RTT + (Ob + M·O)/R",
			source: "RFC 8446 §2.3: early data rides with the ClientHello of a resumed session",
			proto:  model.HTTP10, x: 1, m: kM, tls: model.TLS13, resume: true, early: true,
			want: 3*T + kM*2*T + tOb + kM*tO,
		},
		{
			name: "persistent with pipelining, TLS 1.3", formula: "3·RTT + Ob/R + RTT + M·O/R",
			source: "RFC 8446 §2: one handshake for the one connection",
			proto:  model.HTTP11Pipelined, x: 1, m: kM, tls: model.TLS13,
			want: 3*T + tOb + T + kM*tO,
		},
		{
			name: "HTTP/3 over QUIC", formula: "2·RTT + Ob/R + RTT + M·O/R",
			source: "RFC 9001 §4.1: QUIC's handshake is TLS 1.3's one round trip, with no TCP handshake before it",
			proto:  model.HTTP3, x: 1, m: kM, tls: model.TLS13,
			want: 2*T + tOb + T + kM*tO,
		},
		{
			name: "HTTP/3 over QUIC, base document, slow start (W=1)", formula: "Latency(Ob)",
			source: "Kurose & Ross slow-start latency model over QUIC: a datagram per S bytes, cwnd + S per ACK (RFC 9002 §7.3.1)",
			proto:  model.HTTP3, x: 1, m: 0, tls: model.TLS13, iw: 1,
			want: ss(kOb),
		},
		{
			name: "non-persistent, serial, slow start (W=1)", formula: "Latency(Ob) + M·Latency(O)",
			source: "Kurose & Ross slow-start latency model per connection: 2·RTT + O/R + Σ[S/R + RTT − 2^(k−1)·S/R]⁺",
			proto:  model.HTTP10, x: 1, m: kM, iw: 1,
			want: ss(kOb) + kM*ss(kO),
		},
	}
}

func runValidation(t *testing.T, c validationCase) (sim.Time, trace.Summary) {
	t.Helper()
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: kRTT / 2, Up: kR, Down: kR}
	if c.fair {
		cfg.Link.Queue = model.Fair
	}
	cfg.Page = model.SyntheticPage(kOb, c.m, []int{kO})
	cfg.ApplyIdeal()
	cfg.HTTP.Protocol, cfg.HTTP.Parallel = c.proto, c.x
	cfg.TLS = model.TLSConfig{Version: c.tls, Resume: c.resume, EarlyData: c.early}
	if c.iw > 0 {
		cfg.TCP.InitialWindow = c.iw
		cfg.QUIC.InitialWindow = c.iw
	}
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete {
		t.Fatalf("page did not complete")
	}
	checkInvariants(t, log.Records)
	return res.PageLoad, res.Summary
}

// TestTextbookResponseTimes checks the Kurose & Ross response-time
// formulas in ideal mode, to the nanosecond (the issue asks for 1 µs),
// and keeps docs/validation.md in step with what is checked: its first
// table, then the sections of validationSections.
func TestTextbookResponseTimes(t *testing.T) {
	var doc strings.Builder
	doc.WriteString(validationHeader)
	for _, c := range validationCases() {
		got, _ := runValidation(t, c)
		if d := got - c.want; d != 0 {
			t.Errorf("%s: simulated %v, formula %v (%s), diff %v", c.name, got, c.want, c.formula, d)
		}
		fmt.Fprintf(&doc, "| %s | `%s` | %s | %s | %s | %v | %s |\n", c.name, c.formula, c.proto, trace.Millis(c.want), trace.Millis(got), got-c.want, c.source)
	}
	doc.WriteString(validationFooter)
	for _, sec := range validationSections(t) {
		fmt.Fprintf(&doc, "\n## %s\n\n%s\n\n| case | formula | formula value | simulated | difference | source |\n|---|---|---|---|---|---|\n", sec.title, sec.intro)
		for _, r := range sec.rows {
			if r.formulaValue != r.simulated {
				t.Errorf("%s: %s: simulated %s, formula %s", sec.title, r.name, r.simulated, r.formulaValue)
			}
			fmt.Fprintf(&doc, "| %s | `%s` | %s | %s | %s | %s |\n", r.name, r.formula, r.formulaValue, r.simulated, r.diff, r.source)
		}
	}
	path := "../docs/validation.md"
	// The section "against real Linux" is the testbed's
	// (scenarios/testbed TestValidationAgainstLinux): kept as it is.
	if old, err := os.ReadFile(path); err == nil {
		if i := strings.Index(string(old), testbedBegin); i >= 0 {
			doc.WriteString("\n" + string(old[i:]))
		}
	}
	if *update {
		if err := os.WriteFile(path, []byte(doc.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./model -run TestTextbook -update)", err)
	}
	if string(old) != doc.String() {
		t.Errorf("docs/validation.md is out of date: go test ./model -run TestTextbookResponseTimes -update")
	}
}

// testbedBegin starts the section of docs/validation.md that the testbed
// writes; it runs to the end of the file.
const testbedBegin = "<!-- testbed:begin"

const validationHeader = `# Validation: the textbook, reproduced

Every row below is checked by ` + "`TestTextbookResponseTimes`" + ` in ` + "`model/pageload_test.go`" + `;
the test fails if a simulated time differs from its formula by even one nanosecond, and it
regenerates this page with ` + "`go test ./model -run TestTextbookResponseTimes -update`" + `.

Set-up (ideal mode, ` + "`--ideal`" + `): RTT = 100 ms, R = 10 Mbit/s both ways, a base document of
Ob = 20,000 bytes (Ob/R = 16 ms) referencing M = 8 objects of O = 10,000 bytes (O/R = 8 ms),
MSS S = 1,460 bytes. Ideal mode makes headers, requests, ACKs, handshake, TLS and HTTP/2 control
messages negligible (they occupy sequence space but no time on the wire), sends an ACK per
segment, and starts with an unlimited window unless a row says W = 1. Rows with X parallel
connections share the link equally (` + "`queue: fair`" + `), the textbook's assumption. The HTTP/3 rows
run ideal QUIC: no header or frame bytes, S bytes of data per datagram, an ACK per packet, and the
same unlimited (or W = 1) window, so that they differ from TCP's only by the handshake.

| case | formula | protocol | formula (ms) | simulated (ms) | difference | source |
|---|---|---|---|---|---|---|
`

const validationFooter = `
The slow-start rows use the model of Kurose & Ross ("Modeling TCP latency"): with windows of
W·2^(k−1) segments, Latency(O) = 2·RTT + O/R + Σ_{k=1}^{K−1} [S/R + RTT − W·2^(k−1)·S/R]⁺, where K
is the number of windows that cover the object. ` + "`model/ideal_test.go`" + ` checks the same model for
single objects over several (O, S, R, RTT, W).
`
