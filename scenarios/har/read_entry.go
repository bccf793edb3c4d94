package har

import (
	"encoding/json"
	"math"
	neturl "net/url"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model"
)

// RecordedEntry is one request of a recorded page.
type RecordedEntry struct {
	Index       int    // position in log.entries
	URL         string // request.url
	Origin      Origin
	Method      string
	Status      int
	MIMEType    string             // response.content.mimeType, parameters cut
	Type        model.ResourceType // from the MIME type (TypeOf)
	Size        int                // body bytes, by the size rule (SizeOf); 0 when none is known
	SizeFrom    string             // the field Size came from: "bodySize", "_transferSize", "content.size" or ""
	Start       time.Duration      // startedDateTime after the page's start
	Phases      Phases             // timings; -1 a phase that did not happen
	Connection  string             // connection, else WebPageTest's _socket; "" when not recorded
	ServerIP    string             // serverIPAddress
	HTTPVersion string             // normalised (NormalizeVersion)
	Initiator   string             // the initiator's URL when recorded
	// InitiatorOffset is keepalive's own _initiator_offset: the
	// initiator's body bytes that had arrived when the reference was
	// found; 0 when not recorded (found when the initiator was complete).
	InitiatorOffset int
	RedirectURL     string // Location of a 3xx
	// FromCache says that the browser served it from its cache, with no
	// request on the network: Chrome's _fromCache ("memory", "disk"), or
	// "cache.beforeRequest" when that is set, as chrome-har writes (Chrome
	// gives such entries connection "0"); "" otherwise. A 304 is not from
	// the cache: it was a request.
	FromCache string
	// Parent is the index in the page's Entries of the entry that led to
	// this one, -1 for the document; ParentBy says how it was found:
	// "initiator", "redirect", "document" (none recorded) or "timing"
	// (ParentByTiming).
	Parent   int
	ParentBy string
}

// End is when the entry's last byte arrived, after the page's start.
func (e RecordedEntry) End() time.Duration { return e.Start + e.Phases.Time() }

// Think is the server's think time with rtt the link's round trip:
// timings.wait less one round trip, never below 0.
func (e RecordedEntry) Think(rtt time.Duration) time.Duration {
	return max(e.Phases.Wait-rtt, 0)
}

// Origin is a URL's scheme, host and port (80 and 443 when the URL
// gives none).
type Origin struct {
	Scheme, Host string
	Port         int
}

func (o Origin) String() string {
	if (o.Scheme == "http" && o.Port == 80) || (o.Scheme == "https" && o.Port == 443) || o.Port == 0 {
		return o.Scheme + "://" + o.Host
	}
	return o.Scheme + "://" + o.Host + ":" + strconv.Itoa(o.Port)
}

// OriginOf is the origin of an absolute URL; ok is false for one
// without a host (data:, blob:, about:).
func OriginOf(raw string) (o Origin, ok bool) {
	u, err := neturl.Parse(raw)
	if err != nil || u.Host == "" {
		return Origin{}, false
	}
	o = Origin{Scheme: strings.ToLower(u.Scheme), Host: strings.ToLower(u.Hostname())}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n <= 0 || n > 65535 {
			return Origin{}, false
		}
		o.Port = n
	} else {
		switch o.Scheme {
		case "http", "ws":
			o.Port = 80
		case "https", "wss":
			o.Port = 443
		}
	}
	return o, true
}

// NormalizeVersion spells an httpVersion as the writer does: "HTTP/1.0",
// "HTTP/1.1", "h2" (HTTP/2.0, http/2, spdy/3.1: SPDY is HTTP/2's
// ancestor and multiplexes the same way), "h3" (HTTP/3, QUIC); "" for
// an unknown or junk one.
func NormalizeVersion(v string) string {
	s := strings.ToLower(strings.TrimSpace(v))
	s = strings.TrimPrefix(s, "http/")
	switch {
	case s == "1.0" || s == "http1.0":
		return "HTTP/1.0"
	case s == "1.1" || s == "http1.1":
		return "HTTP/1.1"
	case s == "h2" || s == "2" || s == "2.0" || s == "h2c" || strings.HasPrefix(s, "spdy"):
		return "h2"
	case s == "h3" || s == "3" || s == "3.0" || strings.HasPrefix(s, "h3-") || strings.Contains(s, "quic"):
		return "h3"
	}
	return ""
}

// TypeOf is the model's resource type for a MIME type; Chrome's
// _resourceType ("document", "stylesheet", …) settles what the MIME
// type leaves open.
func TypeOf(mime, chromeType string) model.ResourceType {
	m := strings.ToLower(strings.TrimSpace(mime))
	if i := strings.IndexByte(m, ';'); i >= 0 {
		m = strings.TrimSpace(m[:i])
	}
	switch {
	case m == "text/html" || m == "application/xhtml+xml":
		return model.HTML
	case m == "text/css":
		return model.CSS
	case strings.Contains(m, "javascript") || strings.Contains(m, "ecmascript") || m == "text/jsx":
		return model.JS
	case strings.HasPrefix(m, "image/"):
		return model.Image
	case strings.HasPrefix(m, "font/") || strings.Contains(m, "font-") || strings.Contains(m, "woff"):
		return model.Font
	case strings.Contains(m, "json"):
		return model.JSON
	}
	switch strings.ToLower(chromeType) {
	case "document":
		return model.HTML
	case "stylesheet":
		return model.CSS
	case "script":
		return model.JS
	case "image":
		return model.Image
	case "font":
		return model.Font
	case "xhr", "fetch":
		return model.JSON
	}
	return model.Other
}

// SizeOf is the size rule: the first of response.bodySize,
// _transferSize less response.headersSize, and content.size that is
// above 0. _transferSize counts the response head with its body (as
// Chrome and this package's writer record it), so the head is taken
// off when headersSize is known; when it is not (-1, as HTTP/2's
// exports say) the head stays in, an overestimate of a few hundred
// bytes, because no better number is in the file. -1 is unknown and 0
// is what a cached or 304 response says even when content.size is
// known, so neither wins over a later field that is above 0. from is
// the field's name, "" when none was above 0 (the size is then 0).
func SizeOf(bodySize, transferSize, headersSize, contentSize int64) (size int64, from string) {
	switch {
	case bodySize > 0:
		return bodySize, "bodySize"
	case transferSize > 0 && transferSize-max(headersSize, 0) > 0:
		return transferSize - max(headersSize, 0), "_transferSize"
	case contentSize > 0:
		return contentSize, "content.size"
	}
	return 0, ""
}

type rawEntry struct {
	Pageref         json.RawMessage `json:"pageref"`
	StartedDateTime json.RawMessage `json:"startedDateTime"`
	Request         struct {
		Method      json.RawMessage `json:"method"`
		URL         json.RawMessage `json:"url"`
		HTTPVersion json.RawMessage `json:"httpVersion"`
	} `json:"request"`
	Response struct {
		Status      json.RawMessage `json:"status"`
		HTTPVersion json.RawMessage `json:"httpVersion"`
		Headers     []struct {
			Name  json.RawMessage `json:"name"`
			Value json.RawMessage `json:"value"`
		} `json:"headers"`
		Content struct {
			Size     json.RawMessage `json:"size"`
			MimeType json.RawMessage `json:"mimeType"`
		} `json:"content"`
		RedirectURL json.RawMessage `json:"redirectURL"`
		HeadersSize json.RawMessage `json:"headersSize"`
		BodySize    json.RawMessage `json:"bodySize"`
		// Chrome and chrome-har write _transferSize in the response;
		// this package's writer, on the entry.
		TransferSize json.RawMessage `json:"_transferSize"`
	} `json:"response"`
	Timings struct {
		Blocked json.RawMessage `json:"blocked"`
		DNS     json.RawMessage `json:"dns"`
		Connect json.RawMessage `json:"connect"`
		SSL     json.RawMessage `json:"ssl"`
		Send    json.RawMessage `json:"send"`
		Wait    json.RawMessage `json:"wait"`
		Receive json.RawMessage `json:"receive"`
	} `json:"timings"`
	ServerIPAddress json.RawMessage `json:"serverIPAddress"`
	Connection      json.RawMessage `json:"connection"`
	Socket          json.RawMessage `json:"_socket"`
	Cache           struct {
		BeforeRequest json.RawMessage `json:"beforeRequest"`
	} `json:"cache"`
	Protocol        json.RawMessage `json:"_protocol"` // WebPageTest's
	IPAddr          json.RawMessage `json:"_ip_addr"`  // WebPageTest's
	TransferSize    json.RawMessage `json:"_transferSize"`
	ResourceType    json.RawMessage `json:"_resourceType"`
	Initiator       json.RawMessage `json:"_initiator"`
	FromCache       json.RawMessage `json:"_fromCache"`
	InitiatorDetail json.RawMessage `json:"_initiator_detail"`
	InitiatorOffset json.RawMessage `json:"_initiator_offset"`
}

// maxMillis bounds a time in the file: a day, far past any page load,
// and far from int64 nanoseconds' overflow.
const maxMillis = 24 * 3600 * 1000

// maxSize bounds a size: 1 TiB.
const maxSize = 1 << 40

type num struct {
	v   float64
	set bool
}

// number reads a JSON number (or a string holding one, as some tools
// write); null or absent is unset.
func number(path string, raw json.RawMessage) (num, error) {
	if isNull(raw) {
		return num{}, nil
	}
	s := string(raw)
	if q, ok := str(raw); ok {
		s = strings.TrimSpace(q)
	} else if raw[0] == '"' || raw[0] == '{' || raw[0] == '[' || raw[0] == 't' || raw[0] == 'f' {
		return num{}, errorf(path, "%s is not a number", clip(raw))
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return num{}, errorf(path, "%s is not a number", clip(raw))
	}
	return num{v, true}, nil
}

// millisOf reads a HAR time in milliseconds as a duration, to the
// nanosecond; -1 when unset or negative (HAR's "did not happen").
func millisOf(path string, raw json.RawMessage) (time.Duration, error) {
	n, err := number(path, raw)
	if err != nil || !n.set || n.v < 0 {
		return -1, err
	}
	if n.v > maxMillis {
		return 0, errorf(path, "%s ms is over a day; times up to %d ms are read", clip(raw), maxMillis)
	}
	return time.Duration(math.Round(n.v * 1e6)), nil
}

// sizeOf reads a byte count; -1 when unset or negative.
func sizeOf(path string, raw json.RawMessage) (int64, error) {
	n, err := number(path, raw)
	if err != nil || !n.set || n.v < 0 {
		return -1, err
	}
	if n.v > maxSize || n.v != math.Trunc(n.v) {
		return 0, errorf(path, "%s is not a size in bytes (a whole number up to 2^40)", clip(raw))
	}
	return int64(n.v), nil
}

// stampOf reads an ISO 8601 time: RFC 3339 with Z or an offset
// (+02:00, or +0200) and any number of fraction digits.
func stampOf(path string, raw json.RawMessage) (time.Time, error) {
	s, ok := str(raw)
	if !ok {
		return time.Time{}, errorf(path, "%s is not a date (RFC 3339, as 2026-01-01T00:00:00.000Z)", clip(raw))
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errorf(path, "%q is not a date (RFC 3339, as 2026-01-01T00:00:00.000Z)", s)
}

func readEntry(path string, raw json.RawMessage) (e RecordedEntry, start time.Time, pageref string, err error) {
	var r rawEntry
	if err := json.Unmarshal(raw, &r); err != nil {
		return e, start, "", jsonError(path, err)
	}
	e.Parent = -1
	if !isNull(r.Pageref) {
		var ok bool
		if pageref, ok = str(r.Pageref); !ok {
			return e, start, "", errorf(path+".pageref", "%s is not a string", clip(r.Pageref))
		}
	}
	if start, err = stampOf(path+".startedDateTime", r.StartedDateTime); err != nil {
		return e, start, "", err
	}
	var ok bool
	if e.URL, ok = str(r.Request.URL); !ok || e.URL == "" {
		return e, start, "", errorf(path+".request.url", "missing or not a string")
	}
	e.Origin, _ = OriginOf(e.URL)
	e.Method, _ = str(r.Request.Method)
	if e.Method == "" {
		e.Method = "GET"
	}
	st, err := number(path+".response.status", r.Response.Status)
	if err != nil {
		return e, start, "", err
	}
	if st.set && (st.v < 0 || st.v > 999 || st.v != math.Trunc(st.v)) {
		return e, start, "", errorf(path+".response.status", "%s is not an HTTP status (0 to 999)", clip(r.Response.Status))
	}
	e.Status = int(st.v)
	mime, _ := str(r.Response.Content.MimeType)
	e.MIMEType, _, _ = strings.Cut(mime, ";")
	e.MIMEType = strings.TrimSpace(e.MIMEType)
	rt, _ := str(r.ResourceType)
	e.Type = TypeOf(mime, rt)
	if e.Size, e.SizeFrom, err = r.size(path); err != nil {
		return e, start, "", err
	}
	if e.Phases, err = r.phases(path); err != nil {
		return e, start, "", err
	}
	e.Connection = idOf(r.Connection)
	if e.Connection == "" {
		e.Connection = idOf(r.Socket)
	}
	if e.ServerIP, _ = str(r.ServerIPAddress); e.ServerIP == "" {
		e.ServerIP, _ = str(r.IPAddr)
	}
	e.HTTPVersion = r.version()
	e.RedirectURL = r.redirect(e.URL, e.Status)
	e.FromCache = r.fromCache()
	if off, err := sizeOf(path+"._initiator_offset", r.InitiatorOffset); err != nil {
		return e, start, "", err
	} else if off > 0 {
		e.InitiatorOffset = int(off)
	}
	e.Initiator = initiatorURL(r.Initiator)
	if e.Initiator == "" {
		e.Initiator = initiatorURL(r.InitiatorDetail)
	}
	return e, start, pageref, nil
}

// size is the entry's body size by the size rule (SizeOf), and the field
// it came from; _transferSize is Chrome's in the response, this writer's
// on the entry.
func (r *rawEntry) size(path string) (int, string, error) {
	transfer, transferPath := r.Response.TransferSize, ".response._transferSize"
	if isNull(transfer) {
		transfer, transferPath = r.TransferSize, "._transferSize"
	}
	var sizes [4]int64
	for i, f := range []struct {
		name string
		raw  json.RawMessage
	}{
		{".response.bodySize", r.Response.BodySize}, {transferPath, transfer},
		{".response.headersSize", r.Response.HeadersSize}, {".response.content.size", r.Response.Content.Size},
	} {
		var err error
		if sizes[i], err = sizeOf(path+f.name, f.raw); err != nil {
			return 0, "", err
		}
	}
	size, from := SizeOf(sizes[0], sizes[1], sizes[2], sizes[3])
	return int(size), from, nil
}

// phases are the entry's timings, -1 for a phase that did not happen.
func (r *rawEntry) phases(path string) (Phases, error) {
	var p Phases
	t := &r.Timings
	for _, f := range []struct {
		name string
		raw  json.RawMessage
		to   *time.Duration
	}{
		{"blocked", t.Blocked, &p.Blocked}, {"dns", t.DNS, &p.DNS}, {"connect", t.Connect, &p.Connect},
		{"ssl", t.SSL, &p.SSL}, {"send", t.Send, &p.Send}, {"wait", t.Wait, &p.Wait},
		{"receive", t.Receive, &p.Receive},
	} {
		var err error
		if *f.to, err = millisOf(path+".timings."+f.name, f.raw); err != nil {
			return p, err
		}
	}
	return p, nil
}

// version is the entry's normalised HTTP version: the response's, else
// the request's, else WebPageTest's _protocol, as its httpVersion is
// what follows "HTTP/" in a header line, empty or junk for HTTP/2
// (www/har/HttpArchiveGenerator.php).
func (r *rawEntry) version() string {
	for _, raw := range []json.RawMessage{r.Response.HTTPVersion, r.Request.HTTPVersion, r.Protocol} {
		v, _ := str(raw)
		if n := NormalizeVersion(v); n != "" {
			return n
		}
	}
	return ""
}

// redirect is where a 3xx sends the browser: redirectURL, else its
// Location header, resolved against url.
func (r *rawEntry) redirect(url string, status int) string {
	to, _ := str(r.Response.RedirectURL)
	if status >= 300 && status < 400 && to == "" {
		for _, h := range r.Response.Headers {
			if n, _ := str(h.Name); strings.EqualFold(n, "location") {
				to, _ = str(h.Value)
			}
		}
	}
	if to != "" {
		if u, err := neturl.Parse(url); err == nil {
			if l, err := u.Parse(to); err == nil {
				to = l.String() // a relative Location, resolved
			}
		}
	}
	return to
}

// fromCache says how the file marks an entry served from the browser's
// cache (RecordedEntry.FromCache), "" when it was not.
func (r *rawEntry) fromCache() string {
	if c, _ := str(r.FromCache); c != "" {
		return c
	}
	if b := string(r.Cache.BeforeRequest); b != "" && b != "null" {
		return "cache.beforeRequest"
	}
	return ""
}

// idOf is a connection id written as a string or a number.
func idOf(raw json.RawMessage) string {
	if s, ok := str(raw); ok {
		return strings.TrimSpace(s)
	}
	if n, err := number("", raw); err == nil && n.set {
		return strconv.FormatFloat(n.v, 'f', -1, 64)
	}
	return ""
}
