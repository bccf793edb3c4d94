package qlog_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/model/trace/qlog"
)

// TestQlogFiles writes both ends of an HTTP/3 page load over a lossy link
// and reads them back as JSON-SEQ (RFC 7464): every text after a record
// separator parses; the header has the schema's required fields and the
// fields qvis needs; every event has a time (never going back), a name
// and data; each packet_sent has a packet type and number, the numbers
// rising within each packet number space (RFC 9000 §12.3); there are as
// many packet_sent events as packets the end sent, and the losses,
// metrics and stream states are there.
func TestQlogFiles(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.ForProtocol(model.HTTP3)
	cfg.Link.Loss, cfg.Seed = 0.03, 3
	cfg.Page = model.SyntheticPage(20_000, 10, []int{20_000})
	log := &trace.Log{}
	if _, err := model.Run(cfg, log); err != nil {
		t.Fatal(err)
	}
	conns := qlog.Connections(log.Records)
	if len(conns) != 1 {
		t.Fatalf("connections %v, want one", conns)
	}
	for _, at := range []trace.Dir{trace.Up, trace.Down} {
		var buf bytes.Buffer
		if err := qlog.Write(&buf, log.Records, conns[0], at); err != nil {
			t.Fatal(err)
		}
		texts := strings.Split(buf.String(), string(rune(qlog.RecordSeparator)))
		if texts[0] != "" {
			t.Fatalf("the file does not start with a record separator: %q", texts[0][:min(20, len(texts[0]))])
		}
		texts = texts[1:]
		var h map[string]any
		if err := json.Unmarshal([]byte(texts[0]), &h); err != nil {
			t.Fatalf("header: %v", err)
		}
		tr, _ := h["trace"].(map[string]any)
		vp, _ := tr["vantage_point"].(map[string]any)
		want := map[trace.Dir]string{trace.Up: "client", trace.Down: "server"}[at]
		if h["file_schema"] != "urn:ietf:params:qlog:file:sequential" || h["serialization_format"] != "application/qlog+json-seq" ||
			h["qlog_format"] != "JSON-SEQ" || h["qlog_version"] != "0.3" || vp["type"] != want {
			t.Fatalf("header %v", h)
		}
		sent := 0
		names := map[string]int{}
		last := -1.0
		next := map[string]float64{}
		for _, s := range texts[1:] {
			var e struct {
				Time *float64       `json:"time"`
				Name string         `json:"name"`
				Data map[string]any `json:"data"`
			}
			if err := json.Unmarshal([]byte(s), &e); err != nil {
				t.Fatalf("event %q: %v", s, err)
			}
			if e.Time == nil || e.Name == "" || e.Data == nil {
				t.Fatalf("event without time, name or data: %s", s)
			}
			if *e.Time < last {
				t.Fatalf("event at %v after one at %v", *e.Time, last)
			}
			last = *e.Time
			names[e.Name]++
			if e.Name == "transport:packet_sent" {
				hd := e.Data["header"].(map[string]any)
				typ, pn := hd["packet_type"].(string), hd["packet_number"].(float64)
				if typ == "0RTT" {
					typ = "1RTT"
				}
				if pn < next[typ] {
					t.Fatalf("%s packet %v after %v", typ, pn, next[typ]-1)
				}
				next[typ] = pn + 1
			}
		}
		for _, r := range log.Records {
			if r.Kind == trace.PacketSent && r.Dir == at {
				sent += strings.Count(r.Label, " + ") + 1
			}
		}
		if names["transport:packet_sent"] != sent {
			t.Errorf("%s: %d packet_sent events, %d packets sent", want, names["transport:packet_sent"], sent)
		}
		for _, n := range []string{"transport:packet_received", "recovery:metrics_updated", "quic:connection_state_updated"} {
			if names[n] == 0 {
				t.Errorf("%s: no %s event", want, n)
			}
		}
		if at == trace.Down && names["recovery:packet_lost"] == 0 {
			t.Errorf("server: no packet_lost at 3 %% loss")
		}
		if at == trace.Up && names["transport:stream_state_updated"] != 2*11 {
			t.Errorf("client: %d stream_state_updated events, want an open and a close for each of 11 requests", names["transport:stream_state_updated"])
		}
	}
}
