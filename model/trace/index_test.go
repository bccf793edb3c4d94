package trace_test

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// proxyTrace is a page through a proxy: browser connection 1, then the
// proxy's connection 2 to the origin, whose server side ends in TIME-WAIT
// and leaves it; the browser's client side is still in TIME-WAIT at the
// end. One request is retried.
func proxyTrace() []trace.Record {
	ms := time.Millisecond
	up, down := trace.Up, trace.Down
	return []trace.Record{
		{At: 0, Kind: trace.PageStarted, Page: 1},
		{At: 0, Kind: trace.ResourceQueued, Resource: 1, Page: 1, Label: "/"},
		{At: 0, Kind: trace.StateChanged, Conn: 1, Dir: up, State: trace.SynSent},
		{At: 50 * ms, Kind: trace.StateChanged, Conn: 1, Dir: down, State: trace.SynReceived},
		{At: 100 * ms, Kind: trace.StateChanged, Conn: 1, Dir: up, State: trace.Established},
		{At: 100 * ms, Kind: trace.TLSStarted, Conn: 1, State: trace.TLS13, Note: trace.TLSFull},
		{At: 200 * ms, Kind: trace.TLSDone, Conn: 1, State: trace.TLS13},
		{At: 200 * ms, Kind: trace.RequestSent, Conn: 1, Resource: 1, Page: 1},
		{At: 250 * ms, Kind: trace.OriginConn, Conn: 2},
		{At: 250 * ms, Kind: trace.StateChanged, Conn: 2, Dir: up, State: trace.SynSent},
		{At: 270 * ms, Kind: trace.StateChanged, Conn: 2, Dir: up, State: trace.Established},
		{At: 300 * ms, Kind: trace.RequestRetried, Conn: 1, Resource: 1, Page: 1},
		{At: 300 * ms, Kind: trace.RequestSent, Conn: 1, Resource: 1, Page: 1},
		{At: 310 * ms, Kind: trace.StateChanged, Conn: 2, Dir: down, State: trace.TimeWait},
		{At: 400 * ms, Kind: trace.FirstByte, Conn: 1, Resource: 1, Page: 1},
		{At: 450 * ms, Kind: trace.LastByte, Conn: 1, Resource: 1, Page: 1, Len: 1000},
		{At: 450 * ms, Kind: trace.PageLoaded, Page: 1},
		{At: 500 * ms, Kind: trace.StateChanged, Conn: 1, Dir: up, State: trace.TimeWait},
		{At: 1310 * ms, Kind: trace.StateChanged, Conn: 2, Dir: down, State: trace.Closed},
	}
}

// TestIndex checks the facts an Index keeps, and the steps it reports, on
// a hand-written trace.
func TestIndex(t *testing.T) {
	ms := time.Millisecond
	ix := trace.NewIndex()
	var opened, established, tls, done int
	var held []time.Duration
	var page *trace.PageOutcome
	for _, r := range proxyTrace() {
		st := ix.Add(&r)
		switch st.Changed &^ trace.TimeWaitEnded {
		case trace.ConnOpened:
			opened++
		case trace.ConnEstablished:
			established++
		case trace.TLSBegun:
			tls++
		case trace.ResourceDone:
			done++
		}
		if st.Changed&trace.TimeWaitEnded != 0 {
			held = append(held, st.Held)
		}
		if st.Page != nil {
			o := *st.Page
			page = &o
		}
	}
	want := trace.Counts{Connections: 1, OriginConnections: 1, Established: 1, TLSHandshakes: 1, ResourcesDone: 1,
		TimeWaitPeakClient: 1, TimeWaitPeakServer: 1, Pages: 1, PagesLoaded: 1}
	if got := ix.Counts(); got != want {
		t.Errorf("counts %+v\nwant   %+v", got, want)
	}
	if opened != 2 || established != 2 || tls != 1 || done != 1 {
		t.Errorf("steps: %d opened, %d established, %d TLS, %d done; want 2, 2, 1, 1", opened, established, tls, done)
	}
	if len(held) != 1 || held[0] != 1000*ms {
		t.Errorf("TIME-WAITs left after %v, want [1s]", held)
	}
	if ix.TimeWait(trace.Up) != 1 || ix.TimeWait(trace.Down) != 0 {
		t.Errorf("in TIME-WAIT at the end: %d client, %d server; want 1, 0", ix.TimeWait(trace.Up), ix.TimeWait(trace.Down))
	}
	c1, c2 := ix.Conn(1), ix.Conn(2)
	if c1 == nil || c2 == nil || ix.Conn(3) != nil {
		t.Fatalf("connections 1, 2, 3: %v, %v, %v", c1, c2, ix.Conn(3))
	}
	if c1.Origin || c1.Opened != 0 || c1.Established != 100*ms || c1.TLSStart != 100*ms || c1.TLSEnd != 200*ms || c1.Requests != 2 ||
		c1.State != [3]trace.State{trace.NoState, trace.TimeWait, trace.SynReceived} || c1.Since[trace.Up] != 500*ms {
		t.Errorf("connection 1: %+v", *c1)
	}
	if !c2.Origin || c2.Opened != 250*ms || c2.TLSStart != -1 || c2.State[trace.Down] != trace.Closed {
		t.Errorf("connection 2: %+v", *c2)
	}
	wantPage := trace.PageOutcome{Page: 1, Outcome: trace.Loaded, Start: 0, End: 450 * ms, TTFB: 400 * ms, Bytes: 1000, Connections: 1, Retried: 1}
	if page == nil || *page != wantPage {
		t.Errorf("page outcome %+v\nwant         %+v", page, wantPage)
	}
}

// TestSummaryIsTheIndexs: what the Summary says about connections,
// TIME-WAIT and pages is what the Summarizer's Index counted.
func TestSummaryIsTheIndexs(t *testing.T) {
	z := trace.NewSummarizer()
	for _, r := range proxyTrace() {
		z.Record(r)
	}
	s, c := z.Summary(), z.Index().Counts()
	if s.Connections != c.Connections || s.OriginConnections != c.OriginConnections || s.TLSHandshakes != c.TLSHandshakes ||
		s.TimeWaitPeakClient != c.TimeWaitPeakClient || s.TimeWaitPeakServer != c.TimeWaitPeakServer ||
		s.Pages != c.Pages || s.PagesLoaded != c.PagesLoaded || s.Connections != 1 || s.OriginConnections != 1 {
		t.Errorf("summary %+v\nindex %+v", s, c)
	}
	if r := s.Resources[0]; r.ConnectStart != 0 || r.ConnectEnd != 100*time.Millisecond || r.TLSEnd != 200*time.Millisecond {
		t.Errorf("the first request is not charged its connection's setup: %+v", r)
	}
}

// TestSummarizeOtherClientsCache: a later client's cached response does
// not touch the first client's resource timings, which are all the
// Summary keeps (it once marked the first client's resource cached, and
// its last byte at the other client's time).
func TestSummarizeOtherClientsCache(t *testing.T) {
	recs := []trace.Record{
		{At: 0, Kind: trace.PageStarted, Client: 1, Page: 1},
		{At: 0, Kind: trace.ResourceQueued, Client: 1, Page: 1, Resource: 1, Label: "/"},
		{At: 10, Kind: trace.RequestSent, Client: 1, Page: 1, Resource: 1, Conn: 1},
		{At: 20, Kind: trace.LastByte, Client: 1, Page: 1, Resource: 1, Conn: 1, Len: 5},
		{At: 20, Kind: trace.PageLoaded, Client: 1, Page: 1},
		{At: 30, Kind: trace.PageStarted, Client: 2, Page: 2},
		{At: 30, Kind: trace.ResourceQueued, Client: 2, Page: 2, Resource: 1, Label: "/"},
		{At: 30, Kind: trace.ResponseCached, Client: 2, Page: 2, Resource: 1},
		{At: 30, Kind: trace.PageLoaded, Client: 2, Page: 2},
	}
	s := trace.Summarize(recs)
	if r := s.Resources[0]; r.Cached || r.LastByte != 20 || len(s.Resources) != 1 {
		t.Errorf("the first client's resource: %+v (of %d)", r, len(s.Resources))
	}
}

// TestIndexLookups: a page on two hosts, each looked up first: the
// index counts the lookups answered, says so in the step of each answer
// and no other, and keeps the host each connection goes to.
func TestIndexLookups(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 0, Kind: trace.DNSStarted, Label: "www.example.com"},
		{At: 30 * ms, Kind: trace.DNSDone, Label: "www.example.com", Note: "looked up in 30ms"},
		{At: 30 * ms, Kind: trace.ConnHost, Conn: 1, Label: "www.example.com"},
		{At: 30 * ms, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.SynSent},
		{At: 300 * ms, Kind: trace.DNSStarted, Label: "cdn.example.com"},
		{At: 330 * ms, Kind: trace.DNSDone, Label: "cdn.example.com", Note: "looked up in 30ms"},
		{At: 330 * ms, Kind: trace.ConnHost, Conn: 2, Label: "cdn.example.com"},
		{At: 330 * ms, Kind: trace.StateChanged, Conn: 2, Dir: trace.Up, State: trace.SynSent},
	}
	ix := trace.NewIndex()
	var answers []time.Duration
	for _, r := range recs {
		st := ix.Add(&r)
		if st.Changed&trace.LookedUp != 0 {
			if r.Kind != trace.DNSDone {
				t.Errorf("a %s record steps LookedUp", r.Kind)
			}
			answers = append(answers, r.At)
		}
	}
	if n := ix.Counts().DNSLookups; n != 2 || len(answers) != 2 || answers[0] != 30*ms || answers[1] != 330*ms {
		t.Errorf("%d lookups counted, answered at %v; want 2, at [30ms 330ms]", n, answers)
	}
	if c1, c2 := ix.Conn(1), ix.Conn(2); c1 == nil || c2 == nil || c1.Host != "www.example.com" || c2.Host != "cdn.example.com" {
		t.Errorf("connections' hosts: %+v, %+v", c1, c2)
	}
}
