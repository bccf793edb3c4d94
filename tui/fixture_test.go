package tui

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// The fixtures in testdata are traces written by trace.WriteJSONL
// (testdata/gen/main.go made them with the simulator): a 2,000-byte page with
// three 5,000-byte images over a 100 ms, 10 Mbit/s link with TLS 1.3, an
// initial window of 2 segments and 2 parallel connections, under each
// protocol ("basic-*"), and one 40,000-byte page over HTTP/1.1 whose
// fourth server packet is dropped ("lossy-http1.1").

var protocols = []string{"http1.0", "http1.1", "http1.1-pipelined", "http2"}

// jsonRecord mirrors the JSON Lines shape trace.WriteJSONL writes.
type jsonRecord struct {
	AtNS     int64  `json:"at_ns"`
	Kind     string `json:"kind"`
	Conn     int    `json:"conn"`
	Dir      string `json:"dir"`
	Packet   uint64 `json:"packet"`
	Flags    string `json:"flags"`
	Seq      int64  `json:"seq"`
	Ack      int64  `json:"ack"`
	Len      int    `json:"len"`
	Wire     int    `json:"wire"`
	Wnd      int    `json:"wnd"`
	Retx     bool   `json:"retx"`
	Cwnd     int    `json:"cwnd"`
	Ssthresh int    `json:"ssthresh"`
	State    string `json:"state"`
	Label    string `json:"label"`
	Resource int    `json:"resource"`
	Stream   int    `json:"stream"`
	Note     string `json:"note"`
	Client   int    `json:"client"`
	Page     int    `json:"page"`
}

// readTrace reads a JSON Lines trace from testdata.
func readTrace(t testing.TB, name string) []trace.Record {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	kinds := map[string]trace.Kind{}
	for k := trace.Kind(1); !strings.HasPrefix(k.String(), "kind("); k++ {
		kinds[k.String()] = k
	}
	flags := map[string]trace.Flags{"SYN": trace.SYN, "FIN": trace.FIN, "RST": trace.RST, "PSH": trace.PSH, "ACK": trace.ACK}
	dirs := map[string]trace.Dir{"": trace.NoDir, "up": trace.Up, "down": trace.Down}
	var recs []trace.Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var j jsonRecord
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		k, ok := kinds[j.Kind]
		if !ok {
			t.Fatalf("%s: unknown kind %q", name, j.Kind)
		}
		var fl trace.Flags
		if j.Flags != "" {
			for _, f := range strings.Split(j.Flags, "-") {
				fl |= flags[f]
			}
		}
		r := trace.Record{
			At: time.Duration(j.AtNS), Kind: k, Conn: j.Conn, Dir: dirs[j.Dir], Packet: j.Packet, Flags: fl,
			Seq: j.Seq, Ack: j.Ack, Len: j.Len, Wire: j.Wire, Wnd: j.Wnd, Retx: j.Retx, Cwnd: j.Cwnd,
			Ssthresh: j.Ssthresh, State: j.State, Label: j.Label, Resource: j.Resource, Stream: j.Stream, Note: j.Note,
			Client: j.Client, Page: j.Page,
		}
		if k == trace.PacketSent || k == trace.PacketArrived || k == trace.PacketDropped {
			// WriteJSONL writes Describe(); a data range is computed, not a label.
			if strings.HasPrefix(r.Label, "DATA ") || (r.Len == 0 && r.Label == r.Flags.String()) {
				r.Label = ""
			}
		}
		recs = append(recs, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return recs
}

// basicParams are the parameters the basic fixtures were made with.
var basicParams = Params{
	RTT: 100 * time.Millisecond, Bandwidth: 10_000_000, Objects: 3, InitialWindow: 2, Parallel: 2, TLS: "1.3",
}

// basicLesson is the four basic runs.
func basicLesson(t testing.TB) Lesson {
	t.Helper()
	l := Lesson{
		Scenario: "fixture", Description: "three images over TLS 1.3",
		Narrative: "A small page under every protocol.", Params: basicParams,
	}
	for _, p := range protocols {
		recs := readTrace(t, "basic-"+p+".jsonl")
		l.Runs = append(l.Runs, Run{Protocol: p, Records: recs, Summary: trace.Summarize(recs)})
	}
	return l
}

// lossyLesson has one run, HTTP/1.1 with a dropped packet.
func lossyLesson(t testing.TB) Lesson {
	t.Helper()
	recs := readTrace(t, "lossy-http1.1.jsonl")
	return Lesson{
		Scenario: "lossy", Description: "one dropped packet",
		Params: Params{RTT: 100 * time.Millisecond, Bandwidth: 10_000_000, Objects: 0, InitialWindow: 10, Parallel: 6, TLS: "none"},
		Runs:   []Run{{Protocol: "http1.1", Records: recs, Summary: trace.Summarize(recs)}},
	}
}
