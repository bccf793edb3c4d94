package trace_test

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestSummaryCPU: the server's processor time, its span and the
// handshakes' wait are summed from the CPU records without pairing them;
// work unfinished at the last record counts up to it, and a proxy's
// origin connection is left out.
func TestSummaryCPU(t *testing.T) {
	const ms = time.Millisecond
	q := func(at time.Duration, conn int, what string) trace.Record {
		return trace.Record{At: at * ms, Kind: trace.CPUQueued, Conn: conn, Label: what}
	}
	st := func(at time.Duration, conn int, what string) trace.Record {
		return trace.Record{At: at * ms, Kind: trace.CPUStarted, Conn: conn, Label: what}
	}
	done := func(at time.Duration, conn int, what string) trace.Record {
		return trace.Record{At: at * ms, Kind: trace.CPUDone, Conn: conn, Label: what}
	}
	full, acc := trace.WorkFullTLS, trace.WorkAccept
	for _, tc := range []struct {
		name          string
		recs          []trace.Record
		cpu, span, hs time.Duration
		handshakes    int
	}{
		{"one core, two handshakes and an accept", []trace.Record{
			q(10, 1, acc), st(10, 1, acc), q(10, 2, full), q(11, 3, full),
			done(12, 1, acc), st(12, 2, full), done(20, 2, full), st(20, 3, full), done(28, 3, full),
		}, 18 * ms, 18 * ms, (12 - 10 + 20 - 11) * ms, 2},
		{"the run ends mid-handshake with one waiting", []trace.Record{
			q(0, 1, full), st(0, 1, full), q(5, 2, full), {At: 30 * ms, Kind: trace.PageStarted},
		}, 30 * ms, 30 * ms, 25 * ms, 2},
		{"an origin connection is not the server's", []trace.Record{
			{At: 0, Kind: trace.OriginConn, Conn: 7}, q(1, 7, full), st(1, 7, full), done(9, 7, full),
		}, 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := trace.Summarize(tc.recs)
			if s.ServerCPU != tc.cpu || s.CPUSpan != tc.span || s.HandshakeQueue != tc.hs || s.CPUHandshakes != tc.handshakes {
				t.Errorf("cpu %v span %v handshake queue %v over %d; want %v %v %v over %d",
					s.ServerCPU, s.CPUSpan, s.HandshakeQueue, s.CPUHandshakes, tc.cpu, tc.span, tc.hs, tc.handshakes)
			}
		})
	}
}

// TestServerQueueTiming: the first client's request work records time
// its wait for a core in its resource's timing (the first wait, if it
// was resent); other clients', handshakes' and an origin's do not.
func TestServerQueueTiming(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 0, Kind: trace.ResourceQueued, Resource: 1, Label: "/", Len: 100},
		{At: 1 * ms, Kind: trace.CPUQueued, Conn: 1, Label: trace.WorkFullTLS},
		{At: 1 * ms, Kind: trace.CPUStarted, Conn: 1, Label: trace.WorkFullTLS},
		{At: 2 * ms, Kind: trace.CPUQueued, Conn: 2, Client: 2, Resource: 1, Label: trace.WorkRequest},
		{At: 3 * ms, Kind: trace.CPUQueued, Conn: 1, Resource: 1, Label: trace.WorkRequest},
		{At: 4 * ms, Kind: trace.CPUDone, Conn: 1, Label: trace.WorkFullTLS},
		{At: 4 * ms, Kind: trace.CPUStarted, Conn: 2, Client: 2, Resource: 1, Label: trace.WorkRequest},
		{At: 5 * ms, Kind: trace.CPUStarted, Conn: 1, Resource: 1, Label: trace.WorkRequest},
		{At: 9 * ms, Kind: trace.CPUQueued, Conn: 1, Resource: 1, Label: trace.WorkRequest},
		{At: 9 * ms, Kind: trace.CPUStarted, Conn: 1, Resource: 1, Label: trace.WorkRequest},
	}
	s := trace.Summarize(recs)
	if len(s.Resources) != 1 {
		t.Fatalf("%d resources", len(s.Resources))
	}
	if r := s.Resources[0]; r.ServerQueued != 3*ms || r.ServerStarted != 5*ms {
		t.Errorf("server queue %v to %v, want 3ms to 5ms", r.ServerQueued, r.ServerStarted)
	}
	if r := trace.Summarize(recs[:1]).Resources[0]; r.ServerQueued != -1 || r.ServerStarted != -1 {
		t.Errorf("without work: %v to %v, want -1, -1", r.ServerQueued, r.ServerStarted)
	}
}
