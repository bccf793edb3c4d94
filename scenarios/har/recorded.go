package har

import (
	"sort"
	"time"
)

// Recorded is what a recording measured, for comparison with simulated
// rows: the row "recorded".
type Recorded struct {
	PageLoad time.Duration
	// PageLoadFrom is "onLoad" (pageTimings.onLoad) or "entries" (the
	// last entry's end less the first's start, when onLoad is missing).
	PageLoadFrom string
	Requests     int
	Bytes        int64 // the entries' sizes, by the size rule, less those from the cache
	// Connections counts distinct connection ids when every entry has
	// one and there are at least as many ids as entries that opened a
	// connection (Firefox writes the server's port, "443", as the id);
	// else the entries that opened one (connect > 0): ConnectionsFrom is
	// "connection" or "connect". Entries from the browser's cache
	// (FromCache) used no connection and are not counted.
	Connections     int
	ConnectionsFrom string
	Versions        []string // normalised HTTP versions, sorted; "unknown" for those not recorded
	Hosts           []string // distinct hosts, sorted
}

// Recorded is the page's recorded row.
func (p *RecordedPage) Recorded() Recorded {
	r := Recorded{Requests: len(p.Entries), PageLoad: p.OnLoad, PageLoadFrom: "onLoad"}
	if p.OnLoad < 0 {
		r.PageLoadFrom, r.PageLoad = "entries", 0
		if len(p.Entries) > 0 {
			first, last := p.Entries[0].Start, time.Duration(0)
			for _, e := range p.Entries {
				first, last = min(first, e.Start), max(last, e.End())
			}
			r.PageLoad = last - first
		}
	}
	ids, versions, hosts := map[string]bool{}, map[string]bool{}, map[string]bool{}
	opened, allIDs := 0, true
	for _, e := range p.Entries {
		if e.FromCache != "" {
			continue
		}
		r.Bytes += int64(e.Size)
		if e.Phases.Connect > 0 {
			opened++
		}
		if e.Connection == "" {
			allIDs = false
		}
		ids[e.Connection] = true
		v := e.HTTPVersion
		if v == "" {
			v = "unknown"
		}
		versions[v] = true
		if e.Origin.Host != "" {
			hosts[e.Origin.Host] = true
		}
	}
	if allIDs && len(ids) >= opened {
		r.Connections, r.ConnectionsFrom = len(ids), "connection"
	} else {
		r.Connections, r.ConnectionsFrom = opened, "connect"
	}
	r.Versions, r.Hosts = sorted(versions), sorted(hosts)
	return r
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
