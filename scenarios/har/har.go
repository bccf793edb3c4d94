package har

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// Epoch is the wall-clock time virtual time 0 is written as: the
// simulation has no wall clock, so a fixed one keeps the files
// deterministic. Every protocol's run starts at it.
var Epoch = time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC)

// ServerIP is the serverIPAddress of the main host's entries (every
// other origin's server has its own, trace.ServerAddress). The simulator has no
// addresses; 192.0.2.1 is from TEST-NET-1, reserved for documentation
// (RFC 5737), so it can never be mistaken for a real server.
const ServerIP = "192.0.2.1"

// Run is one protocol's simulated load: its configuration and what its
// trace measured.
type Run struct {
	Config  model.Config
	Summary trace.Summary
}

// File is a HAR document: {"log": …}.
type File struct {
	Log Log `json:"log"`
}

// Log is HAR's log object.
type Log struct {
	Version string  `json:"version"`
	Creator Creator `json:"creator"`
	Pages   []Page  `json:"pages"`
	Entries []Entry `json:"entries"`
	Comment string  `json:"comment,omitempty"`
}

// Creator names the program that wrote the file.
type Creator struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Page is one page load of one protocol's run.
type Page struct {
	StartedDateTime string      `json:"startedDateTime"`
	ID              string      `json:"id"`
	Title           string      `json:"title"`
	PageTimings     PageTimings `json:"pageTimings"`
	Comment         string      `json:"comment,omitempty"`
}

// PageTimings are milliseconds from the page's start; -1 is unknown.
type PageTimings struct {
	OnContentLoad json.Number `json:"onContentLoad"`
	OnLoad        json.Number `json:"onLoad"`
}

// Entry is one request and its response.
type Entry struct {
	Pageref         string      `json:"pageref"`
	StartedDateTime string      `json:"startedDateTime"`
	Time            json.Number `json:"time"`
	Request         Request     `json:"request"`
	Response        Response    `json:"response"`
	Cache           struct{}    `json:"cache"`
	Timings         Timings     `json:"timings"`
	ServerIPAddress string      `json:"serverIPAddress"`
	Connection      string      `json:"connection"`
	TransferSize    int         `json:"_transferSize"`
	// Initiator is the URL of the resource whose body referenced this
	// one, as chrome-har and WebPageTest write it, so that a reader
	// keeps the page's dependency tree; absent for the document.
	Initiator string `json:"_initiator,omitempty"`
	// InitiatorOffset is how many body bytes of the initiator had
	// arrived when the reference to this one was found (Resource.Offset;
	// absent: when it was complete). No browser records it; keepalive
	// writes and reads it so that a page survives the round trip.
	InitiatorOffset int `json:"_initiator_offset,omitempty"`
}

// Header is one header field (or HTTP/2 pseudo-header).
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Request is HAR's request object: a GET without a body.
type Request struct {
	Method      string   `json:"method"`
	URL         string   `json:"url"`
	HTTPVersion string   `json:"httpVersion"`
	Cookies     []Header `json:"cookies"`
	Headers     []Header `json:"headers"`
	QueryString []Header `json:"queryString"`
	HeadersSize int      `json:"headersSize"`
	BodySize    int      `json:"bodySize"`
}

// Response is HAR's response object.
type Response struct {
	Status      int      `json:"status"`
	StatusText  string   `json:"statusText"`
	HTTPVersion string   `json:"httpVersion"`
	Cookies     []Header `json:"cookies"`
	Headers     []Header `json:"headers"`
	Content     Content  `json:"content"`
	RedirectURL string   `json:"redirectURL"`
	HeadersSize int      `json:"headersSize"`
	BodySize    int      `json:"bodySize"`
}

// Content describes a response body; the simulation has no body text.
type Content struct {
	Size     int    `json:"size"`
	MimeType string `json:"mimeType"`
}

// Timings are an entry's phases in milliseconds; -1 is a phase that did
// not happen.
type Timings struct {
	Blocked json.Number `json:"blocked"`
	DNS     json.Number `json:"dns"`
	Connect json.Number `json:"connect"`
	SSL     json.Number `json:"ssl"`
	Send    json.Number `json:"send"`
	Wait    json.Number `json:"wait"`
	Receive json.Number `json:"receive"`
}

// Phases are an entry's timings as durations, -1 for a phase that did
// not happen; Time is their sum without SSL (which Connect includes).
type Phases struct {
	Blocked, DNS, Connect, SSL, Send, Wait, Receive time.Duration
}

// Time is the entry's time: every phase that happened but SSL, which
// Connect includes.
func (p Phases) Time() time.Duration {
	var t time.Duration
	for _, d := range []time.Duration{p.Blocked, p.DNS, p.Connect, p.Send, p.Wait, p.Receive} {
		if d > 0 {
			t += d
		}
	}
	return t
}

// PhasesOf splits a finished resource's timing into HAR's phases. ok is
// false for a resource with no entry: from the cache (no request), or
// not finished.
func PhasesOf(r trace.ResourceTiming) (p Phases, ok bool) {
	if r.Cached || r.Queued < 0 || r.RequestSent < 0 || r.FirstByte < 0 || r.LastByte < 0 {
		return Phases{}, false
	}
	p = Phases{DNS: -1, Connect: -1, SSL: -1}
	ready := r.Queued // when the request could go: the connection is there
	if r.DNSStart >= 0 && r.DNSEnd > r.Queued {
		// The lookup its connection waited for: from the queueing on,
		// as the connection is.
		p.DNS = r.DNSEnd - max(r.DNSStart, r.Queued)
	}
	if r.ConnectStart >= 0 && r.ConnectEnd >= 0 {
		// A connection opened before the request was queued (for a
		// request that another connection then took) counts from the
		// queueing on, so that no phase is negative and the phases still
		// sum to queued → last byte.
		start := max(r.ConnectStart, r.Queued)
		end := r.ConnectEnd
		if r.TLSStart >= 0 && r.TLSEnd >= 0 {
			end = r.TLSEnd
			if r.TLSEnd > r.Queued {
				p.SSL = r.TLSEnd - max(r.TLSStart, r.Queued)
			}
		}
		if end > r.Queued {
			p.Blocked = start - r.Queued - max(p.DNS, 0)
			p.Connect, ready = end-start, end
		}
	}
	p.Blocked += r.RequestSent - ready
	p.Wait = r.FirstByte - r.RequestSent
	p.Receive = r.LastByte - r.FirstByte
	return p, true
}

// Version is how HAR spells the protocol's HTTP version.
func Version(p model.Protocol) string {
	switch p {
	case model.HTTP10:
		return "HTTP/1.0"
	case model.HTTP2:
		return "h2"
	case model.HTTP3:
		return "h3" // as Chrome's export spells it
	}
	return "HTTP/1.1"
}

// Build makes the HAR of runs, written by keepalive of the given version.
func Build(runs []Run, version string) *File {
	f := &File{Log: Log{
		Version: "1.2",
		Creator: Creator{Name: "keepalive", Version: version},
		Pages:   []Page{},
		Entries: []Entry{},
		Comment: "Simulated by keepalive: times are virtual time after " + Epoch.Format(time.RFC3339) +
			", and server addresses are documentation addresses (RFC 5737, RFC 3849), not real servers'.",
	}}
	for _, run := range runs {
		addRun(f, run)
	}
	return f
}

// Write writes the HAR of runs to w, indented.
func Write(w io.Writer, runs []Run, version string) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(Build(runs, version))
}

func addRun(f *File, run Run) {
	c, s := run.Config, run.Summary
	proto := c.HTTP.Protocol
	id := func(page int) string { return fmt.Sprintf("%s_page_%d", proto, page) }
	var outcomes []trace.PageOutcome
	for _, o := range s.Outcomes {
		if o.Client <= 1 { // the first client's pages: those Resources holds
			outcomes = append(outcomes, o)
		}
	}
	sort.Slice(outcomes, func(i, j int) bool { return outcomes[i].Page < outcomes[j].Page })
	starts := map[int]time.Duration{}
	for _, o := range outcomes {
		start, onLoad := o.Start, json.Number("-1")
		if o.Outcome == trace.Loaded {
			onLoad = json.Number(trace.Millis(o.Took()))
		}
		if start < 0 {
			start = 0
		}
		starts[o.Page] = start
		p := Page{
			StartedDateTime: stamp(start), ID: id(o.Page),
			Title:       fmt.Sprintf("%s over %s, page %d", url(c, 0, "/"), proto, o.Page),
			PageTimings: PageTimings{OnContentLoad: "-1", OnLoad: onLoad},
		}
		if o.Outcome != trace.Loaded {
			p.Comment = fmt.Sprintf("%s: %s", o.Outcome, o.Why)
		}
		f.Log.Pages = append(f.Log.Pages, p)
	}
	var entries []Entry
	for _, r := range s.Resources {
		ph, ok := PhasesOf(r)
		if !ok {
			continue
		}
		if _, ok := starts[r.Page]; !ok {
			continue
		}
		entries = append(entries, entry(c, r, ph, id(r.Page)))
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].StartedDateTime < entries[j].StartedDateTime })
	f.Log.Entries = append(f.Log.Entries, entries...)
}

// stamp is virtual time d as a wall-clock time after Epoch, to the
// nanosecond (ISO 8601, as HAR's startedDateTime is).
func stamp(d time.Duration) string {
	return Epoch.Add(d).Format("2006-01-02T15:04:05.000000000Z07:00")
}

func ms(d time.Duration) json.Number {
	if d < 0 {
		return "-1"
	}
	return json.Number(trace.Millis(d))
}

func entry(c model.Config, r trace.ResourceTiming, ph Phases, pageref string) Entry {
	res := resourceOf(c, r)
	origin := 0
	if res != nil {
		origin = res.Origin
	}
	proto := c.ProtocolOf(origin)
	if proto == model.HTTP3 && !r.QUIC && r.Conn > 0 {
		// quic.discovery alt-svc: the first connection was HTTP/2 over TCP.
		proto = model.HTTP2
	}
	version := Version(proto)
	e := Entry{
		Pageref: pageref, StartedDateTime: stamp(r.Queued), Time: ms(ph.Time()),
		Timings: Timings{
			Blocked: ms(ph.Blocked), DNS: ms(ph.DNS), Connect: ms(ph.Connect), SSL: ms(ph.SSL),
			Send: ms(ph.Send), Wait: ms(ph.Wait), Receive: ms(ph.Receive),
		},
		ServerIPAddress: trace.ServerAddress(c.ServerOf(origin)), Connection: strconv.Itoa(r.Conn),
	}
	e.Request = Request{
		Method: "GET", URL: url(c, origin, r.Path), HTTPVersion: version,
		Cookies: []Header{}, Headers: []Header{}, QueryString: []Header{}, BodySize: 0,
	}
	e.Response = Response{
		Status: 200, StatusText: "OK", HTTPVersion: version,
		Cookies: []Header{}, Headers: []Header{},
		Content: Content{Size: r.Bytes, MimeType: "application/octet-stream"}, BodySize: r.Bytes,
	}
	e.Request.Headers, e.Response.Headers = heads(c, res, proto)
	// The heads' bytes as the run sent them (the trace's: a last response
	// that said "Connection: close" included; 0 in ideal mode, which
	// counts none). HTTP/2's are HPACK frames, not the text headersSize
	// counts: unknown (-1), as browsers export them; so are HTTP/3's
	// QPACK ones.
	e.Request.HeadersSize, e.Response.HeadersSize = r.RequestHead, r.ResponseHead
	if (proto == model.HTTP2 || proto == model.HTTP3) && !c.Ideal {
		e.Request.HeadersSize, e.Response.HeadersSize = -1, -1
	}
	for _, h := range e.Response.Headers {
		if h.Name == "content-type" {
			e.Response.Content.MimeType = h.Value
		}
	}
	e.TransferSize = max(e.Response.HeadersSize, 0) + r.Bytes
	if p := parentOf(c, r); p != nil {
		e.Initiator = url(c, p.Origin, p.Path)
		e.InitiatorOffset = res.Offset
	}
	return e
}

// heads are the request's and response's header fields as the model
// writes them over protocol p; none in ideal mode, whose heads are
// negligible. An HTTP/2 response of an HTTP/3 run (quic.discovery
// alt-svc) announces HTTP/3 in Alt-Svc, as the model charges it.
func heads(c model.Config, res *model.Resource, p model.Protocol) (req, resp []Header) {
	req, resp = []Header{}, []Header{}
	if c.Ideal || res == nil {
		return req, resp
	}
	fields := func(fs []model.HeaderField) []Header {
		out := make([]Header, 0, len(fs)+1)
		for _, f := range fs {
			out = append(out, Header{f.Name, f.Value})
		}
		return out
	}
	host := c.HostOf(res.Origin)
	req, resp = fields(model.RequestFields(host, res)), fields(model.ResponseFields(res))
	switch p {
	case model.HTTP2, model.HTTP3:
		req = append([]Header{{":method", "GET"}, {":path", res.Path}, {":scheme", c.SchemeOf(res.Origin)}, {":authority", host}}, req...)
		resp = append([]Header{{":status", "200"}}, resp...)
		if p == model.HTTP2 && c.ProtocolOf(res.Origin) == model.HTTP3 {
			resp = append(resp, Header{"alt-svc", model.AltSvcValue})
		}
	case model.HTTP10:
		// No Connection field in the request: HTTP/1.0 closes by default.
		resp = append(resp, Header{"connection", "close"})
	default:
		// HTTP/1.1 keeps the connection open; a server that closes after
		// its last allowed request (server.max_requests) says close
		// instead, which the list does not tell (its size does).
		req = append(req, Header{"connection", "keep-alive"})
		resp = append(resp, Header{"connection", "keep-alive"})
	}
	return req, resp
}

// url is the address the browser requested: path on origin.
func url(c model.Config, origin int, path string) string {
	return c.SchemeOf(origin) + "://" + c.HostOf(origin) + path
}

// resourceOf finds r's resource in the page it belongs to: resources are
// numbered from 1 across the session's pages (the first, then each
// visit's).
func resourceOf(c model.Config, r trace.ResourceTiming) *model.Resource {
	res, _ := resourceIn(c, r)
	return res
}

// parentOf is the resource that referenced r's; nil for a document.
func parentOf(c model.Config, r trace.ResourceTiming) *model.Resource {
	res, page := resourceIn(c, r)
	if res == nil || res.Parent < 0 || res.Parent >= len(page) {
		return nil
	}
	return &page[res.Parent]
}

// resourceIn is r's resource and the resources of its page.
func resourceIn(c model.Config, r trace.ResourceTiming) (*model.Resource, []model.Resource) {
	res, page := c.Resource(r.Resource)
	if page == nil {
		return nil, nil
	}
	return res, page.Resources
}
