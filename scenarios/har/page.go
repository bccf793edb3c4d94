package har

import (
	"fmt"
	neturl "net/url"
	"sort"
	"strconv"
	"time"

	"github.com/keepalive-sim/keepalive/model"
)

// Skipped is an entry of a recorded page that its simulation leaves out,
// and why: the model has no request to make for it.
type Skipped struct {
	Index int    // position in log.entries
	URL   string // request.url
	Why   string
}

func (s Skipped) String() string {
	return fmt.Sprintf("log.entries[%d] %s: %s", s.Index, clipURL(s.URL), s.Why)
}

// PageOptions are the choices of [RecordedPage.Simulate] that the file
// cannot settle.
type PageOptions struct {
	// TLS, when not nil, is every https origin's TLS (the command line's
	// --tls); nil gives them base's TLS when it has a version, else TLS
	// 1.3, what today's browsers and servers negotiate. http origins
	// never have TLS.
	TLS *model.TLSConfig
	// ByTiming gives the entries without a recorded parent the timing
	// rule's ([ParentByTiming]) instead of the document.
	ByTiming bool
}

// Simulated is a recorded page as the model's configuration, and what
// was made of the recording on the way.
type Simulated struct {
	Config model.Config
	// Entries[i] is the index in the page's Entries of
	// Config.Page.Resources[i].
	Entries []int
	// Skipped lists the entries left out, in log.entries order.
	Skipped []Skipped
	// Link is the link estimated from the recording (EstimateLink with
	// nothing given); Config.Link has its RTT and bandwidth where they
	// could be estimated (a sample or more), base's elsewhere.
	Link Link
	// ThinkRTT is the round trip taken off each entry's wait to give its
	// server's think time: Link.RTT, or base's round trip when no entry
	// opened a connection; a farther origin's entries have the longer
	// round trip taken off, ThinkRTT + 2 × its server's Delay.
	ThinkRTT time.Duration
	// DNSSamples is how many entries recorded a dns time above 0; their
	// median is Config.DNS.RTT. 0: DNS is off.
	DNSSamples int
}

// Simulate turns the page into a configuration: base's transport,
// browser and server settings, and the page as recorded.
//
//   - Each entry is a resource on its origin. The page's first entry's
//     origin is HTTP.Host (origin 0); every other origin is one of
//     Config.Origins, in order of first use, named by its host, with
//     ":port" when the port is not the scheme's default or when another
//     origin of the page has the same host (http://a.example and
//     https://a.example are "a.example" and "a.example:443"). An https
//     origin has TLS (PageOptions.TLS), an http one none; an origin
//     speaks HTTP/2 when any of its entries was recorded over h2 or h3
//     (the model has no HTTP/3: h3 runs as HTTP/2, the same
//     multiplexing over TCP). Every origin has base's server.
//   - A resource's path is the URL's path with its query string (the
//     fragment never reaches the server); its size is the size rule's
//     (SizeOf), its type the MIME type's (TypeOf), its think time wait
//     less ThinkRTT, never below 0 (RecordedEntry.Think).
//   - Its parent is the entry's (its redirect, its initiator, else the
//     document, or the timing rule with PageOptions.ByTiming); a skipped
//     parent is replaced by its nearest kept ancestor, a duplicate by the
//     URL's first entry.
//   - DNS is on, its RTT the median of the dns times above 0, when any
//     entry has one; else off (Chrome writes dns -1 on a reused
//     connection, and some tools never write it).
//
// Entries that cannot be simulated are left out and listed in Skipped:
// URLs that are not http or https (data:, blob:), responses from the
// browser's cache (_fromCache), requests with no response (status 0:
// blocked or cancelled), and a URL already requested (the model has
// one resource per path and origin; the first request is kept). An
// error is a *ReadError: the page's first entry cannot be simulated, or
// the page has more resources or origins than the model takes.
func (p *RecordedPage) Simulate(base model.Config, opt PageOptions) (*Simulated, error) {
	if len(p.Entries) == 0 {
		return nil, &ReadError{Path: "log.entries", Err: fmt.Errorf("page %q has no entries", p.ID)}
	}
	es := p.Entries
	if opt.ByTiming {
		cp := *p
		cp.Entries = append([]RecordedEntry(nil), p.Entries...) // the caller's page stays as read
		ParentByTiming(&cp)
		es = cp.Entries
	}
	s := &Simulated{Link: EstimateLink(p, 0, 0), Config: base}
	cfg := &s.Config
	cfg.Page, cfg.Visits, cfg.Origins = model.Page{}, nil, nil
	if s.Link.RTTSamples > 0 {
		cfg.Link.Delay = s.Link.RTT / 2
	}
	if s.Link.BandwidthSamples > 0 && s.Link.Bandwidth > 0 {
		cfg.Link.Up, cfg.Link.Down = model.Rate(s.Link.Bandwidth), model.Rate(s.Link.Bandwidth)
	}
	s.ThinkRTT = s.Link.RTT
	if s.Link.RTTSamples == 0 {
		s.ThinkRTT = 2 * base.Link.Delay
	}
	o, err := s.resources(es)
	if err != nil {
		return nil, err
	}
	s.hosts(es, o, httpsTLS(base, opt))
	// A farther host's round trip is longer: take its own off the wait,
	// its server's (a host on another's server is as far as that one).
	for r, i := range s.Entries {
		if srv := cfg.ServerOf(cfg.Page.Resources[r].Origin); srv > 0 {
			res := &cfg.Page.Resources[r]
			if d := cfg.Origins[srv-1].Delay; d > 0 {
				res.Think = es[i].Think(s.ThinkRTT + 2*d)
			}
		}
	}
	var dns []time.Duration
	for _, i := range s.Entries {
		if d := es[i].Phases.DNS; d > 0 {
			dns = append(dns, d)
		}
	}
	s.DNSSamples = len(dns)
	cfg.DNS.Enabled = len(dns) > 0
	if cfg.DNS.Enabled {
		cfg.DNS.RTT = median(dns)
	}
	return s, nil
}

// resources makes a resource of each entry that can be simulated, in
// order (parents come first), and lists the others in s.Skipped; it
// returns the origins used, the first one's first.
func (s *Simulated) resources(es []RecordedEntry) (*origins, error) {
	o := newOrigins()
	// The main host (origin 0, http.host) is the document's: the first
	// entry can be a redirect to it from another host (http://a to
	// https://a, a to www.a), which is then an origin of its own, so
	// that the page's TLS, HTTP/2 and settings are its document's host's.
	for _, e := range es {
		if e.Status >= 200 && e.Status < 300 && e.Type == model.HTML && unsimulated(e) == "" {
			o.index(e.Origin)
			break
		}
	}
	page := &s.Config.Page
	kept := make([]int, len(es)) // entry → resource, -1 when skipped
	type key struct {
		origin int
		path   string
	}
	first := map[key]int{} // → resource
	for i, e := range es {
		kept[i] = -1
		why := unsimulated(e)
		var at key
		if why == "" {
			at = key{o.index(e.Origin), pathOf(e.URL)}
			if r, dup := first[at]; dup {
				why = "the same URL as log.entries[" + strconv.Itoa(es[s.Entries[r]].Index) + "], which is kept"
				kept[i] = r // its children hang from the kept request
			}
		}
		if why != "" {
			if i == 0 {
				return nil, &ReadError{Path: "log.entries[" + strconv.Itoa(e.Index) + "]",
					Err: fmt.Errorf("the page's first request, %s, cannot be simulated: %s", clipURL(e.URL), why)}
			}
			s.Skipped = append(s.Skipped, Skipped{Index: e.Index, URL: e.URL, Why: why})
			continue
		}
		parent := -1
		if i > 0 {
			parent = 0 // the document, when no ancestor is kept
			for j := e.Parent; j >= 0; j = es[j].Parent {
				if kept[j] >= 0 {
					parent = kept[j]
					break
				}
			}
		}
		// Where in its parent the reference was found, when the file says
		// (keepalive's own _initiator_offset, of the recorded parent);
		// else when the parent was complete.
		offset := 0
		if e.Parent >= 0 && kept[e.Parent] == parent && e.InitiatorOffset <= page.Resources[max(parent, 0)].Size {
			offset = e.InitiatorOffset
		}
		kept[i] = len(page.Resources)
		first[at] = kept[i]
		s.Entries = append(s.Entries, i)
		page.Resources = append(page.Resources, model.Resource{
			Path: at.path, Type: e.Type, Size: e.Size, Think: e.Think(s.ThinkRTT), Parent: parent, Offset: offset, Origin: at.origin,
		})
	}
	sort.Slice(s.Skipped, func(i, j int) bool { return s.Skipped[i].Index < s.Skipped[j].Index })
	if n := len(page.Resources); n > model.MaxObjects+1 {
		return nil, &ReadError{Path: "log.entries", Err: fmt.Errorf("%d requests to simulate; the model takes the document and up to %d more", n, model.MaxObjects)}
	}
	if n := len(o.list) - 1; n > model.MaxOrigins {
		return nil, &ReadError{Path: "log.entries", Err: fmt.Errorf("%d hosts besides the page's own; the model takes up to %d", n, model.MaxOrigins)}
	}
	return o, nil
}

// hosts names the main host and makes the other origins: TLS by
// scheme (https, the TLS of the page's https origins), HTTP/2 when an
// entry on it was recorded over h2 or h3, and the base's server.
func (s *Simulated) hosts(es []RecordedEntry, o *origins, https model.TLSConfig) {
	cfg := &s.Config
	h2 := make([]bool, len(o.list))
	for _, i := range s.Entries {
		if v := es[i].HTTPVersion; v == "h2" || v == "h3" {
			h2[o.index(es[i].Origin)] = true
		}
	}
	tlsOf := func(or Origin) model.TLSConfig {
		if or.Scheme == "https" {
			return https
		}
		return model.TLSConfig{}
	}
	// Each host's distance: its fastest handshake (connect less ssl)
	// against the main host's (or, when that opened none in the file, the
	// fastest of all), among the handshakes made while no body was
	// arriving: one that overlapped a download may have waited behind its
	// data on the access link, which says nothing of the host's distance
	// (on a busy page most do; a host with none gets no delay), and of
	// those the fastest (the minimum filters what queueing is left, as
	// TCP's min_rtt does). A host slower by that much gets half of it as
	// its extra delay, each way, beyond the link the main host is on; a
	// host as fast or faster gets none.
	nearest := make([]time.Duration, len(o.list)) // 0: no handshake
	var all time.Duration
	quiet := quietHandshakes(es, s.Entries)
	for _, i := range s.Entries {
		if c := handshakeOf(es[i]); c > 0 && quiet[i] {
			k := o.index(es[i].Origin)
			if nearest[k] == 0 || c < nearest[k] {
				nearest[k] = c
			}
			if all == 0 || c < all {
				all = c
			}
		}
	}
	names := o.names()
	cfg.HTTP.Host, cfg.TLS = names[0], tlsOf(o.list[0])
	ref := nearest[0]
	if ref == 0 {
		ref = all
	}
	same := s.coalesced(es, o, h2)
	for k := 1; k < len(o.list); k++ {
		var delay time.Duration
		if nearest[k] > 0 {
			delay = max(nearest[k]-ref, 0) / 2
		}
		oc := model.OriginConfig{Host: names[k], Delay: delay, Server: cfg.Server, TLS: tlsOf(o.list[k]), HTTP2: h2[k]}
		if j, ok := same[k]; ok {
			// Its server's distance is its own (same_server's delay is
			// not used).
			oc.SameServer, oc.Delay = names[j], 0
			cfg.HTTP.Coalesce = true
		}
		cfg.Origins = append(cfg.Origins, oc)
	}
}

// coalesced finds the origins whose requests the browser sent on
// another origin's HTTP/2 connection (RFC 9113 §9.1.1): entries of two
// https hosts, both recorded over h2 or h3, with the same connection id.
// It returns, for each such origin, the first-used origin of those that
// shared connections with it, directly or through others (one with a
// server of its own). Ids are trusted only when
// they tell connections apart (Recorded's rule: every entry has one, and
// at least as many as the entries that opened a connection): Firefox
// writes the server's port, which every https host shares.
func (s *Simulated) coalesced(es []RecordedEntry, o *origins, h2 []bool) map[int]int {
	ids, opened := map[string]bool{}, 0
	for _, i := range s.Entries {
		e := es[i]
		if e.Connection == "" {
			return nil
		}
		ids[e.Connection] = true
		if e.Phases.Connect > 0 {
			opened++
		}
	}
	if len(ids) < opened {
		return nil
	}
	// The origins that shared a connection form groups (a union-find
	// over origin numbers); each group's server is its first-used
	// origin, the smallest number, so that chains and crossings (a on
	// b's connection and b on a's) give one server, whatever the order.
	same := map[int]int{} // origin → an earlier origin of its group
	root := func(k int) int {
		for {
			j, ok := same[k]
			if !ok {
				return k
			}
			k = j
		}
	}
	owner := map[string]int{} // connection id → the first origin on it
	for _, i := range s.Entries {
		e := es[i]
		k := o.index(e.Origin)
		if !h2[k] || e.Origin.Scheme != "https" {
			continue
		}
		j, seen := owner[e.Connection]
		if !seen {
			owner[e.Connection] = k
			continue
		}
		if a, b := root(j), root(k); a != b {
			same[max(a, b)] = min(a, b)
		}
	}
	// Point each at its group's first origin: one with a server of its
	// own (the main host is one, and never in same).
	for k := range same {
		same[k] = root(k)
	}
	return same
}

// httpsTLS is the TLS of the page's https origins.
func httpsTLS(base model.Config, opt PageOptions) model.TLSConfig {
	switch {
	case opt.TLS != nil:
		return *opt.TLS
	case base.TLS.Version != model.NoTLS:
		return base.TLS
	}
	t := base.TLS
	t.Version = model.TLS13
	return t
}

// unsimulated says why an entry cannot be simulated, "" when it can.
func unsimulated(e RecordedEntry) string {
	switch {
	case e.Origin.Scheme != "http" && e.Origin.Scheme != "https" || e.Origin.Host == "":
		if u, err := neturl.Parse(e.URL); err == nil && u.Scheme != "" {
			return "a " + u.Scheme + ": URL, not fetched over HTTP"
		}
		return "not an http or https URL"
	case e.FromCache != "":
		return "from the browser's cache (" + cacheWords(e.FromCache) + "), no request made"
	case e.Status == 0 && e.Phases.Time() == 0:
		return "blocked: status 0 and no timings, no request made"
	case e.Status == 0:
		return "no response (status 0: cancelled or failed)"
	}
	return ""
}

// pathOf is what a request for raw asks its host for: the URL's path
// ("/" when empty) with its query, escaped as sent, as a scenario file
// reads a resource's URL.
func pathOf(raw string) string {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "/"
	}
	p := u.EscapedPath()
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}

// clipURL shortens a URL for a message: data: URLs run to megabytes.
func clipURL(u string) string {
	if len(u) > 80 {
		return u[:77] + "..."
	}
	return u
}

// origins numbers a page's origins in order of first use.
type origins struct {
	list []Origin
	at   map[Origin]int
}

func newOrigins() *origins { return &origins{at: map[Origin]int{}} }

func (o *origins) index(or Origin) int {
	if i, ok := o.at[or]; ok {
		return i
	}
	o.at[or] = len(o.list)
	o.list = append(o.list, or)
	return len(o.list) - 1
}

// names are the origins' host names: the host, with ":port" when the
// port is not its scheme's default or an earlier origin already has the
// host (the model names an origin by its host alone: http://a.example
// then https://a.example are "a.example" and "a.example:443"), and,
// should even that be taken (http and https on one explicit port), the
// scheme before it, so that every name is different.
func (o *origins) names() []string {
	names := make([]string, len(o.list))
	used := map[string]bool{}
	for i, or := range o.list {
		def := or.Port == 0 || or.Scheme == "http" && or.Port == 80 || or.Scheme == "https" && or.Port == 443
		n := or.Host
		if !def || used[n] {
			n = or.Host + ":" + strconv.Itoa(or.Port)
		}
		if used[n] {
			n = or.Scheme + "." + n
		}
		used[n] = true
		names[i] = n
	}
	return names
}

// cacheWords says how the file marks an entry from the cache.
func cacheWords(from string) string {
	if from == "cache.beforeRequest" {
		return "cache.beforeRequest set"
	}
	return "_fromCache " + strconv.Quote(from)
}

// quietHandshakes reports, by entry index, the entries among kept whose
// handshake overlapped no other entry's receive phase: made on a link
// that carried no body.
func quietHandshakes(es []RecordedEntry, kept []int) map[int]bool {
	type span struct{ from, to time.Duration }
	var rx []span
	for _, i := range kept {
		if e := es[i]; e.Phases.Receive > 0 {
			rx = append(rx, span{e.End() - e.Phases.Receive, e.End()})
		}
	}
	quiet := map[int]bool{}
	for _, i := range kept {
		e := es[i]
		if e.Phases.Connect <= 0 {
			continue
		}
		from := e.Start + max(e.Phases.Blocked, 0) + max(e.Phases.DNS, 0)
		to := from + e.Phases.Connect
		quiet[i] = true
		for _, r := range rx {
			if r.from < to && from < r.to {
				quiet[i] = false
				break
			}
		}
	}
	return quiet
}
