package trace

import "strings"

// Hit is a record a moment matched.
type Hit struct {
	Moment int // index into the moments given to Find
	Record int // index into the records
}

// Find returns the records of recs, a run of protocol p in time order,
// that the moments ms match, ordered by record and, at one record, by
// moment. It reads the run once, keeping only what the rules need (each
// side's TCP state, the requests and pages each connection carried), so
// a lesson's moments cost one pass over its trace when it is loaded.
func Find(recs Records, p Protocol, ms []Moment) []Hit {
	after := make([]int, len(ms)) // the moment each waits for, or -1
	first := make([]int, len(ms)) // the record of each moment's first hit, or -1
	count := make([]int, len(ms))
	active := make([]bool, len(ms))
	names := map[string]int{}
	needClients := false
	for i := range ms {
		m := &ms[i]
		after[i], first[i] = -1, -1
		active[i] = m.Kind != 0 && m.appliesTo(p)
		if m.After != "" {
			j, ok := names[m.After]
			after[i], active[i] = j, active[i] && ok
		}
		if _, dup := names[m.Name]; m.Name != "" && !dup {
			names[m.Name] = i
		}
		needClients = needClients || m.Client != 0
	}
	h := newHistory(recs, needClients)
	var hits []Hit
	for i := range recs.Len() {
		rec := recs.At(i)
		r := &rec
		for k := range ms {
			if !active[k] {
				continue
			}
			var anchor *Record
			if a := after[k]; a >= 0 {
				if first[a] < 0 || first[a] >= i {
					continue
				}
				a := recs.At(first[a])
				anchor = &a
			}
			if !ms[k].matches(r, anchor, h) {
				continue
			}
			count[k]++
			if ms[k].Nth == 0 || count[k] == ms[k].Nth {
				hits = append(hits, Hit{Moment: k, Record: i})
				if first[k] < 0 {
					first[k] = i
				}
			}
		}
		h.add(r)
	}
	return hits
}

// matches reports whether r is a record of the moment; anchor is the
// record its After moment matched (nil without one), h what happened
// before r.
func (m *Moment) matches(r, anchor *Record, h *history) bool {
	switch {
	case r.Kind != m.Kind,
		m.Dir != NoDir && r.Dir != m.Dir,
		r.Flags&m.Flags != m.Flags,
		m.State != NoState && r.State != m.State,
		m.Page != 0 && r.Page != m.Page,
		m.Note != "" && r.Note != m.Note,
		m.Label != "" && !strings.HasPrefix(labelOf(r), m.Label),
		m.From != NoState && h.state[sideKey{r.Conn, r.Dir}] != m.From:
		return false
	}
	if m.Client != 0 {
		if c := h.clientOf(r); c != m.Client && (m.Client != 1 || c != 0) {
			return false
		}
	}
	switch m.Conn {
	case SameConn:
		return anchor != nil && r.Conn != 0 && r.Conn == anchor.Conn
	case NewConn:
		return r.Kind == RequestSent && h.requests[r.Conn] == 0
	case ReusedConn:
		return r.Kind == RequestSent && h.requests[r.Conn] > 0
	case KeptConn:
		p := h.firstPage[r.Conn]
		return r.Kind == RequestSent && p > 0 && p < r.Page
	}
	return true
}

// sideKey is one side of a connection.
type sideKey struct {
	conn int
	dir  Dir
}

// history is what the connection rules and From need to know of the
// records before the one being matched.
type history struct {
	state     map[sideKey]State // each side's TCP state
	requests  map[int]int       // requests sent, by connection
	firstPage map[int]int       // the page of each connection's first request that names one
	clients   map[int]int       // each connection's client, from the whole run; nil when no moment asks
}

func newHistory(recs Records, clients bool) *history {
	h := &history{state: map[sideKey]State{}, requests: map[int]int{}, firstPage: map[int]int{}}
	if clients {
		h.clients = map[int]int{}
		for i := range recs.Len() {
			if r := recs.At(i); r.Conn != 0 && r.Client != 0 {
				h.clients[r.Conn] = r.Client
			}
		}
	}
	return h
}

// add notes r as having happened.
func (h *history) add(r *Record) {
	switch r.Kind {
	case StateChanged:
		h.state[sideKey{r.Conn, r.Dir}] = r.State
	case RequestSent:
		h.requests[r.Conn]++
		if h.firstPage[r.Conn] == 0 {
			h.firstPage[r.Conn] = r.Page
		}
	}
}

// clientOf is r's client: its own, else its connection's, else 0.
func (h *history) clientOf(r *Record) int {
	if r.Client != 0 {
		return r.Client
	}
	return h.clients[r.Conn]
}
