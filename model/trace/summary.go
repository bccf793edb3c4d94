package trace

import "time"

// Summary is what a page load measured, computed from its trace alone.
type Summary struct {
	// Complete is false when the page did not finish (a connection failed
	// and the browser gave up); PageLoad is then the time of the last
	// event.
	Complete bool
	// PageLoad runs from navigation start (time 0) to the last byte of the
	// last resource.
	PageLoad time.Duration
	// TTFB is the time to the first byte of the base document's response.
	TTFB            time.Duration
	Connections     int // TCP connections opened (SYNs first sent)
	TLSHandshakes   int // TLS handshakes started, full or resumed
	Packets         int // packets sent, both directions, retransmissions included
	WireBytes       int // bytes of those packets, headers included
	Retransmissions int // packets that were retransmissions
	Drops           int // packets lost
	Resources       []ResourceTiming
}

// ResourceTiming holds the Chrome DevTools phases of one resource, as
// times since navigation start. A phase that did not happen (no new
// connection, no TLS) is -1.
type ResourceTiming struct {
	Resource int // from 1, the base document first
	Path     string
	Bytes    int // body bytes
	Conn     int
	Stream   int // HTTP/2 stream id, else 0

	Queued       time.Duration // reference found; waiting ("Queueing", "Stalled")
	ConnectStart time.Duration // SYN sent for the connection this request opened
	ConnectEnd   time.Duration // handshake complete
	TLSStart     time.Duration
	TLSEnd       time.Duration
	RequestSent  time.Duration
	FirstByte    time.Duration // "Waiting (TTFB)" ends
	LastByte     time.Duration // "Content download" ends
}

// Summarize computes a page load's metrics from its trace.
func Summarize(recs []Record) Summary {
	var s Summary
	type connTimes struct {
		start, end, tlsStart, tlsEnd time.Duration
		used                         bool
	}
	conns := map[int]*connTimes{}
	conn := func(id int) *connTimes {
		c := conns[id]
		if c == nil {
			c = &connTimes{-1, -1, -1, -1, false}
			conns[id] = c
		}
		return c
	}
	res := func(id int) *ResourceTiming {
		for len(s.Resources) < id {
			n := len(s.Resources) + 1
			s.Resources = append(s.Resources, ResourceTiming{
				Resource: n, Queued: -1, ConnectStart: -1, ConnectEnd: -1, TLSStart: -1, TLSEnd: -1,
				RequestSent: -1, FirstByte: -1, LastByte: -1,
			})
		}
		return &s.Resources[id-1]
	}
	for i := range recs {
		r := &recs[i]
		switch r.Kind {
		case PacketSent:
			s.Packets++
			s.WireBytes += r.Wire
			if r.Retx {
				s.Retransmissions++
			}
		case PacketDropped:
			s.Drops++
		case StateChanged:
			if r.Dir == Up && r.State == "SYN-SENT" {
				s.Connections++
				conn(r.Conn).start = r.At
			}
			if r.Dir == Up && r.State == "ESTABLISHED" {
				conn(r.Conn).end = r.At
			}
		case TLSStarted:
			s.TLSHandshakes++
			conn(r.Conn).tlsStart = r.At
		case TLSDone:
			conn(r.Conn).tlsEnd = r.At
		case ResourceQueued:
			t := res(r.Resource)
			t.Path, t.Bytes, t.Queued = r.Label, r.Len, r.At
		case RequestSent:
			t := res(r.Resource)
			t.Conn, t.Stream = r.Conn, r.Stream
			if t.RequestSent < 0 {
				t.RequestSent = r.At
			}
			if c := conn(r.Conn); !c.used {
				// DevTools charges a connection's setup to its first request.
				c.used = true
				t.ConnectStart, t.ConnectEnd, t.TLSStart, t.TLSEnd = c.start, c.end, c.tlsStart, c.tlsEnd
			}
		case FirstByte:
			t := res(r.Resource)
			t.FirstByte = r.At
			if r.Resource == 1 {
				s.TTFB = r.At
			}
		case LastByte:
			res(r.Resource).LastByte = r.At
		case PageLoaded:
			s.Complete = true
			s.PageLoad = r.At
		}
	}
	if !s.Complete && len(recs) > 0 {
		s.PageLoad = recs[len(recs)-1].At
	}
	return s
}
