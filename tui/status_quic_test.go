package tui

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestCounterLineAltSvc: an HTTP/3 run that discovers HTTP/3 by Alt-Svc
// opens its first connection over TCP and TLS; the counters name the
// handshakes by what they were, not all QUIC's.
func TestCounterLineAltSvc(t *testing.T) {
	ms := time.Millisecond
	recs := []trace.Record{
		{At: 0, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.SynSent},
		{At: 100 * ms, Kind: trace.StateChanged, Conn: 1, Dir: trace.Up, State: trace.Established},
		{At: 100 * ms, Kind: trace.TLSStarted, Conn: 1, State: trace.TLS13, Note: trace.TLSFull},
		{At: 500 * ms, Kind: trace.StateChanged, Conn: 2, Dir: trace.Up, State: trace.QUICHandshake},
		{At: 500 * ms, Kind: trace.TLSStarted, Conn: 2, State: trace.TLS13, Note: trace.TLSFull},
		{At: 600 * ms, Kind: trace.StateChanged, Conn: 2, Dir: trace.Up, State: trace.QUICOpen},
	}
	ix := newRunIndex(&Run{Protocol: trace.HTTP3, Records: recs}, 100*ms)
	for _, tc := range []struct {
		at   time.Duration
		want string
	}{
		{50 * ms, "so far: 1 connection opened · 0 QUIC handshakes (TLS 1.3 inside)"},
		{200 * ms, "so far: 1 conn opened · 1 TCP handshake + TLS · 0 QUIC handshakes (TLS 1.3 inside)"},
		{700 * ms, "so far: 2 conns opened · 1 TCP handshake + TLS · 1 QUIC handshake (TLS 1.3 inside)"},
	} {
		got := counterLine(ix, tc.at, 0)
		if len(got) < len(tc.want) || got[:len(tc.want)] != tc.want {
			t.Errorf("at %v: %q, want it to start %q", tc.at, got, tc.want)
		}
	}
}
