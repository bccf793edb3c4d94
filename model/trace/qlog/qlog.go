package qlog

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// RecordSeparator starts every JSON text of a JSON-SEQ file (RFC 7464 §2.2).
const RecordSeparator = 0x1e

// Header is a qlog file's first record, the fields quic-go writes
// (qlogwriter/trace.go): the sequential file schema, the trace's vantage
// point and reference time, and the qlog_format and qlog_version that
// qvis still requires.
type Header struct {
	FileSchema          string `json:"file_schema"`
	SerializationFormat string `json:"serialization_format"`
	Title               string `json:"title"`
	Trace               struct {
		VantagePoint struct {
			Type string `json:"type"`
		} `json:"vantage_point"`
		CommonFields struct {
			GroupID       string `json:"group_id"`
			ReferenceTime struct {
				ClockType string `json:"clock_type"`
				Epoch     string `json:"epoch"`
			} `json:"reference_time"`
		} `json:"common_fields"`
	} `json:"trace"`
	QlogFormat  string `json:"qlog_format"`
	QlogVersion string `json:"qlog_version"`
}

// Event is one qlog event: its time in milliseconds from the run's
// start, its name ("transport:packet_sent") and data.
type Event struct {
	Time float64        `json:"time"`
	Name string         `json:"name"`
	Data map[string]any `json:"data"`
}

// Connections lists the run's QUIC connections, in the order opened: the
// connections whose client began a QUIC handshake.
func Connections(recs []trace.Record) []int {
	var out []int
	for i := range recs {
		r := &recs[i]
		if r.Kind == trace.StateChanged && r.Dir == trace.Up && r.State == trace.QUICHandshake {
			out = append(out, r.Conn)
		}
	}
	return out
}

// Write writes connection conn of recs as seen at one end (trace.Up:
// the client, trace.Down: the server) to w.
func Write(w io.Writer, recs []trace.Record, conn int, at trace.Dir) error {
	bw := bufio.NewWriter(w)
	var h Header
	h.FileSchema = "urn:ietf:params:qlog:file:sequential"
	h.SerializationFormat = "application/qlog+json-seq"
	h.Title = "keepalive simulated QUIC connection " + strconv.Itoa(conn)
	h.Trace.VantagePoint.Type = "client"
	if at == trace.Down {
		h.Trace.VantagePoint.Type = "server"
	}
	h.Trace.CommonFields.GroupID = fmt.Sprintf("conn%d", conn)
	// Simulated time has no wall clock: a monotonic clock from the run's start.
	h.Trace.CommonFields.ReferenceTime.ClockType = "monotonic"
	h.Trace.CommonFields.ReferenceTime.Epoch = "unknown"
	h.QlogFormat, h.QlogVersion = "JSON-SEQ", "0.3"
	if err := writeSeq(bw, h); err != nil {
		return err
	}
	for i := range recs {
		for _, e := range events(&recs[i], conn, at) {
			if err := writeSeq(bw, e); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

func writeSeq(w *bufio.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.WriteByte(RecordSeparator)
	w.Write(b)
	return w.WriteByte('\n')
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// packetTypes are the qlog names of the labels' packet types.
var packetTypes = map[string]string{"Initial": "initial", "Handshake": "handshake", "0-RTT": "0RTT", "1-RTT": "1RTT"}

// packet is one packet of a datagram's label.
type packet struct {
	typ    string
	number int64
	frames []string
}

// packets reads a datagram's label, as the model writes it.
func packets(label string) []packet {
	var out []packet
	for _, s := range strings.Split(label, " + ") {
		head, frames, _ := strings.Cut(s, ": ")
		typ, num, _ := strings.Cut(head, " ")
		n, err := strconv.ParseInt(num, 10, 64)
		qt, ok := packetTypes[typ]
		if err != nil || !ok {
			return nil
		}
		out = append(out, packet{qt, n, strings.Fields(frames)})
	}
	return out
}

func (p packet) header() map[string]any {
	return map[string]any{"packet_type": p.typ, "packet_number": p.number}
}

func (p packet) frameList() []map[string]any {
	out := make([]map[string]any, 0, len(p.frames))
	for _, f := range p.frames {
		// STREAM(control): a STREAM frame on an HTTP/3 control stream.
		f, _, _ = strings.Cut(f, "(")
		out = append(out, map[string]any{"frame_type": strings.ToLower(f)})
	}
	return out
}

// events are the qlog events of record r at end at of connection conn.
func events(r *trace.Record, conn int, at trace.Dir) []Event {
	if r.Conn != conn {
		return nil
	}
	t := ms(r.At)
	switch {
	case r.Kind == trace.PacketSent && r.Dir == at, r.Kind == trace.PacketArrived && r.Dir != at:
		name := "transport:packet_sent"
		if r.Kind == trace.PacketArrived {
			name = "transport:packet_received"
		}
		var out []Event
		for i, p := range packets(r.Label) {
			data := map[string]any{"header": p.header(), "frames": p.frameList()}
			if i == 0 {
				// The datagram's size on the first of its packets.
				data["raw"] = map[string]any{"length": r.Wire}
			}
			out = append(out, Event{t, name, data})
		}
		return out
	case r.Kind == trace.Retransmit && r.Dir == at && r.Note == trace.RetxQUICLost:
		var out []Event
		for _, p := range packets(r.Label) {
			// Which threshold declared it the record does not say: no trigger.
			out = append(out, Event{t, "recovery:packet_lost", map[string]any{"header": p.header()}})
		}
		return out
	case r.Kind == trace.CwndChanged && r.Dir == at && r.Cwnd >= 0:
		data := map[string]any{"congestion_window": r.Cwnd, "bytes_in_flight": r.Wnd}
		if r.Queued > 0 {
			data["smoothed_rtt"] = ms(r.Queued)
		}
		return []Event{{t, "recovery:metrics_updated", data}}
	case r.Kind == trace.StateChanged && r.Dir == at:
		states := map[trace.State]string{trace.QUICHandshake: "handshake_started", trace.QUICOpen: "handshake_complete", trace.QUICClosed: "closed"}
		if s, ok := states[r.State]; ok {
			return []Event{{t, "quic:connection_state_updated", map[string]any{"new": s}}}
		}
	case at == trace.Up && r.Kind == trace.RequestSent:
		return []Event{{t, "transport:stream_state_updated", map[string]any{"stream_id": r.Stream, "stream_type": "bidirectional", "new": "open"}}}
	case at == trace.Up && r.Kind == trace.LastByte:
		return []Event{{t, "transport:stream_state_updated", map[string]any{"stream_id": r.Stream, "stream_type": "bidirectional", "new": "closed"}}}
	}
	return nil
}
