package cli

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
)

// resourcesHeader is the header of --resources.
var resourcesHeader = []string{
	"protocol", "url", "type", "bytes", "connection", "stream",
	"queued_ms", "connect_ms", "connect_end_ms", "tls_ms", "tls_end_ms",
	"request_sent_ms", "first_byte_ms", "last_byte_ms",
}

// ttfb, objects, mbps and window format as the CSV columns do.
var (
	ttfb    = csvrow.TTFB
	objects = csvrow.Objects
	mbps    = csvrow.Mbps
	window  = csvrow.Window
)

func writeCSV(w io.Writer, rep *report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvrow.Columns); err != nil {
		return err
	}
	for _, o := range rep.runs {
		if err := cw.Write(csvrow.Row(rep.scenario, o.cfg, model.Result{Summary: o.summary})); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonRun is one element of --format json: the CSV columns plus the
// per-resource timings. Times are milliseconds, written exactly.
type jsonRun struct {
	Scenario        string         `json:"scenario"`
	Protocol        string         `json:"protocol"`
	Seed            uint64         `json:"seed"`
	RTTMs           json.Number    `json:"rtt_ms"`
	BandwidthMbps   any            `json:"bandwidth_mbps"` // a number or "unlimited"
	Loss            float64        `json:"loss"`
	Objects         int            `json:"objects"`
	PageLoadMs      json.Number    `json:"page_load_ms"`
	TTFBMs          *json.Number   `json:"ttfb_ms"` // null if no byte arrived
	TCPConnections  int            `json:"tcp_connections"`
	TLSHandshakes   int            `json:"tls_handshakes"`
	Packets         int            `json:"packets"`
	WireBytes       int            `json:"wire_bytes"`
	Retransmissions int            `json:"retransmissions"`
	Complete        bool           `json:"complete"`
	Drops           int            `json:"drops"`
	TLS             string         `json:"tls"`
	IW              any            `json:"iw"` // a number of segments or "unlimited"
	Parallel        int            `json:"parallel"`
	MSS             int            `json:"mss"`
	Ideal           bool           `json:"ideal"`
	TLSResume       bool           `json:"tls_resume"`
	Resources       []jsonResource `json:"resources"`
}

// jsonResource is one resource's timings; phases that did not happen are
// null.
type jsonResource struct {
	URL          string       `json:"url"`
	Type         string       `json:"type"`
	Bytes        int          `json:"bytes"`
	Connection   int          `json:"connection"`
	Stream       int          `json:"stream"`
	QueuedMs     *json.Number `json:"queued_ms"`
	ConnectMs    *json.Number `json:"connect_ms"`
	ConnectEndMs *json.Number `json:"connect_end_ms"`
	TLSMs        *json.Number `json:"tls_ms"`
	TLSEndMs     *json.Number `json:"tls_end_ms"`
	RequestMs    *json.Number `json:"request_sent_ms"`
	FirstByteMs  *json.Number `json:"first_byte_ms"`
	LastByteMs   *json.Number `json:"last_byte_ms"`
}

func writeJSON(w io.Writer, rep *report) error {
	runs := []jsonRun{}
	for _, o := range rep.runs {
		c, s := o.cfg, o.summary
		j := jsonRun{
			Scenario: rep.scenario, Protocol: c.HTTP.Protocol.String(), Seed: c.Seed,
			RTTMs: json.Number(trace.Millis(2 * c.Link.Delay)), BandwidthMbps: jsonNumberOr(mbps(c.Link.Down)),
			Loss: c.Link.Loss, Objects: objects(c),
			PageLoadMs: json.Number(trace.Millis(s.PageLoad)), TTFBMs: jsonMillis(ttfb(s)),
			TCPConnections: s.Connections, TLSHandshakes: s.TLSHandshakes, Packets: s.Packets,
			WireBytes: s.WireBytes, Retransmissions: s.Retransmissions, Complete: s.Complete, Drops: s.Drops,
			TLS: c.TLS.Version.String(), IW: jsonNumberOr(window(c.TCP.InitialWindow)), Parallel: c.HTTP.Parallel,
			MSS: c.TCP.MSS, Ideal: c.Ideal, TLSResume: c.TLS.Resume, Resources: []jsonResource{},
		}
		for _, r := range s.Resources {
			j.Resources = append(j.Resources, jsonResource{
				URL: resourceURL(c, r), Type: resourceType(c, r), Bytes: r.Bytes, Connection: r.Conn, Stream: r.Stream,
				QueuedMs: jsonMillis(r.Queued), ConnectMs: jsonMillis(r.ConnectStart), ConnectEndMs: jsonMillis(r.ConnectEnd),
				TLSMs: jsonMillis(r.TLSStart), TLSEndMs: jsonMillis(r.TLSEnd), RequestMs: jsonMillis(r.RequestSent),
				FirstByteMs: jsonMillis(r.FirstByte), LastByteMs: jsonMillis(r.LastByte),
			})
		}
		runs = append(runs, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(runs)
}

// jsonNumberOr turns a numeric string into a JSON number and leaves words
// ("unlimited") as strings.
func jsonNumberOr(s string) any {
	if _, err := strconv.ParseFloat(s, 64); err == nil {
		return json.Number(s)
	}
	return s
}

func jsonMillis(d time.Duration) *json.Number {
	if d < 0 {
		return nil
	}
	n := json.Number(trace.Millis(d))
	return &n
}

// resourceURL is the address the browser requested: scheme, host, path.
func resourceURL(c model.Config, r trace.ResourceTiming) string {
	if c.HTTP.Host == "" {
		return r.Path
	}
	scheme := "http://"
	if c.TLS.Version != model.NoTLS {
		scheme = "https://"
	}
	return scheme + c.HTTP.Host + r.Path
}

// resourceType looks the resource's type up in the page (resources are
// numbered from 1, the base document first).
func resourceType(c model.Config, r trace.ResourceTiming) string {
	if i := r.Resource - 1; i >= 0 && i < len(c.Page.Resources) {
		return string(c.Page.Resources[i].Type)
	}
	return ""
}

// writeResources writes --resources: one row per protocol and resource.
func writeResources(w io.Writer, rep *report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(resourcesHeader); err != nil {
		return err
	}
	for _, o := range rep.runs {
		for _, r := range o.summary.Resources {
			row := []string{
				o.cfg.HTTP.Protocol.String(), resourceURL(o.cfg, r), resourceType(o.cfg, r),
				strconv.Itoa(r.Bytes), strconv.Itoa(r.Conn), strconv.Itoa(r.Stream),
				csvMillis(r.Queued), csvMillis(r.ConnectStart), csvMillis(r.ConnectEnd),
				csvMillis(r.TLSStart), csvMillis(r.TLSEnd), csvMillis(r.RequestSent),
				csvMillis(r.FirstByte), csvMillis(r.LastByte),
			}
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvMillis leaves the cell empty for a phase that did not happen (-1).
func csvMillis(d time.Duration) string {
	if d < 0 {
		return ""
	}
	return trace.Millis(d)
}

// writeTrace writes --trace: trace.WriteCSV's rows for every protocol,
// each with a leading protocol column, under one header.
func writeTrace(w io.Writer, rep *report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{"protocol"}, trace.CSVHeader...)); err != nil {
		return err
	}
	for _, o := range rep.runs {
		var buf strings.Builder
		if err := trace.WriteCSV(&buf, o.records); err != nil {
			return err
		}
		cr := csv.NewReader(strings.NewReader(buf.String()))
		cr.FieldsPerRecord = len(trace.CSVHeader)
		cr.ReuseRecord = true
		if _, err := cr.Read(); err != nil { // trace.WriteCSV's own header
			return fmt.Errorf("trace of %s: %w", o.cfg.HTTP.Protocol, err)
		}
		row := make([]string, 1+len(trace.CSVHeader))
		row[0] = o.cfg.HTTP.Protocol.String()
		for {
			rec, err := cr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return fmt.Errorf("trace of %s: %w", o.cfg.HTTP.Protocol, err)
			}
			copy(row[1:], rec)
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
