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
	"github.com/keepalive-sim/keepalive/scenarios/har"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
)

// resourcesHeader is the header of --resources.
var resourcesHeader = []string{
	"protocol", "url", "type", "bytes", "connection", "stream",
	"queued_ms", "connect_ms", "connect_end_ms", "tls_ms", "tls_end_ms",
	"request_sent_ms", "first_byte_ms", "last_byte_ms",
}

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
	if rep.recorded != nil {
		if err := cw.Write(recordedCSV(rep.scenario, rep.recorded.recorded)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// jsonRun is one element of --format json: every CSV column, in CSV
// order and under the same names (so the two can never disagree), then
// each page load and the per-resource timings. Times are milliseconds,
// written exactly; a cell the CSV leaves empty is null.
type jsonRun struct {
	cells     []string // csvrow.Row
	pageLoads []json.Number
	pages     []jsonPage
	resources []jsonResource
}

// jsonPage is one page's outcome: loaded, failed or unfinished.
type jsonPage struct {
	Client      int          `json:"client"` // from 1 with several clients, else 0
	Page        int          `json:"page"`   // from 1
	Outcome     string       `json:"outcome"`
	LoadMs      *json.Number `json:"load_ms"` // loaded pages only
	TTFBMs      *json.Number `json:"ttfb_ms"`
	Connections *int         `json:"connections"` // null with several clients
	Bytes       int          `json:"bytes"`
	Why         string       `json:"why,omitempty"`
}

func (j jsonRun) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, col := range csvrow.Columns {
		cell := jsonCell(j.cells[i])
		if csvrow.Table[i].IsText() && j.cells[i] != "" {
			cell = j.cells[i] // a word, though "1.3" reads as a number
		}
		v, err := json.Marshal(cell)
		if err != nil {
			return nil, err
		}
		fmt.Fprintf(&b, "%q:%s,", col, v)
	}
	loads, err := json.Marshal(j.pageLoads)
	if err != nil {
		return nil, err
	}
	res, err := json.Marshal(j.resources)
	if err != nil {
		return nil, err
	}
	pages, err := json.Marshal(j.pages)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(&b, "%q:%s,%q:%s,%q:%s}", "page_loads_ms", loads, "page_outcomes", pages, "resources", res)
	return []byte(b.String()), nil
}

// jsonCell turns a CSV cell into JSON: true and false as booleans, numbers
// as numbers, an empty cell as null, words ("http2", "unlimited") as
// strings.
func jsonCell(s string) any {
	switch s {
	case "":
		return nil
	case "true":
		return true
	case "false":
		return false
	}
	return jsonNumberOr(s)
}

// jsonResource is one resource's timings; phases that did not happen are
// null.
type jsonResource struct {
	URL          string       `json:"url"`
	Type         string       `json:"type"`
	Page         int          `json:"page"`   // from 1: resources are numbered across the session's pages
	Cached       bool         `json:"cached"` // from the browser's cache: no request at all
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
			cells:     csvrow.Row(rep.scenario, c, model.Result{Summary: s}),
			pageLoads: []json.Number{},
			pages:     []jsonPage{},
			resources: []jsonResource{},
		}
		for _, d := range s.PageLoads {
			j.pageLoads = append(j.pageLoads, json.Number(trace.Millis(d)))
		}
		for _, p := range s.Outcomes {
			jp := jsonPage{Client: p.Client, Page: p.Page, Outcome: p.Outcome.String(), Why: p.Why, TTFBMs: jsonMillis(p.TTFB), Bytes: p.Bytes}
			if p.Connections >= 0 {
				jp.Connections = &p.Connections
			}
			if p.Outcome == trace.Loaded {
				jp.LoadMs = jsonMillis(p.Took())
			}
			j.pages = append(j.pages, jp)
		}
		for _, r := range s.Resources {
			j.resources = append(j.resources, jsonResource{
				URL: resourceURL(c, r), Type: resourceType(c, r), Page: r.Page, Cached: r.Cached, Bytes: r.Bytes, Connection: r.Conn, Stream: r.Stream,
				QueuedMs: jsonMillis(r.Queued), ConnectMs: jsonMillis(r.ConnectStart), ConnectEndMs: jsonMillis(r.ConnectEnd),
				TLSMs: jsonMillis(r.TLSStart), TLSEndMs: jsonMillis(r.TLSEnd), RequestMs: jsonMillis(r.RequestSent),
				FirstByteMs: jsonMillis(r.FirstByte), LastByteMs: jsonMillis(r.LastByte),
			})
		}
		runs = append(runs, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if rep.recorded != nil {
		return enc.Encode(struct {
			Meta     provenance   `json:"meta"`
			Runs     []jsonRun    `json:"runs"`
			Recorded jsonRecorded `json:"recorded"`
		}{rep.meta, runs, jsonRecordedOf(rep.recorded.recorded)})
	}
	return enc.Encode(struct {
		Meta provenance `json:"meta"`
		Runs []jsonRun  `json:"runs"`
	}{rep.meta, runs})
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

// resourceURL is the address the browser requested: scheme, host, path,
// the host being the resource's origin's (a page on several hosts).
func resourceURL(c model.Config, r trace.ResourceTiming) string {
	if c.HTTP.Host == "" {
		return r.Path
	}
	o := 0
	if res, ok := resourceOf(c, r); ok && res.Origin > 0 && res.Origin <= len(c.Origins) {
		o = res.Origin
	}
	return c.SchemeOf(o) + "://" + c.HostOf(o) + r.Path
}

// resourceOf is resource r of the session's pages (resources are
// numbered from 1, the first page's base document first, then each
// visit's).
func resourceOf(c model.Config, r trace.ResourceTiming) (model.Resource, bool) {
	if res, _ := c.Resource(r.Resource); res != nil {
		return *res, true
	}
	return model.Resource{}, false
}

// resourceType is the type of resource r, numbered across the session's
// pages (the first page's, then each visit's).
func resourceType(c model.Config, r trace.ResourceTiming) string {
	if res, ok := resourceOf(c, r); ok {
		return string(res.Type)
	}
	return ""
}

// writePages writes --pages: one row per page load of every protocol's
// run (report.PageTable).
func writePages(w io.Writer, rep *report) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvrow.PageColumns()); err != nil {
		return err
	}
	for _, o := range rep.runs {
		for _, row := range csvrow.PageRows(rep.scenario, o.cfg, model.Result{Summary: o.summary}) {
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
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

// writeHAR writes --har-out: every protocol's load as HAR 1.2, one page
// per page of the first client (scenarios/har).
func writeHAR(w io.Writer, rep *report) error {
	var runs []har.Run
	for _, o := range rep.runs {
		runs = append(runs, har.Run{Config: o.cfg, Summary: o.summary})
	}
	return har.Write(w, runs, rep.meta.Version)
}
