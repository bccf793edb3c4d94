package model_test

import (
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// The per-item sizes of model/server_memory.go, written out so that a
// change to one is a change to these tests too.
const (
	wantSynRecv  = 320
	wantSocket   = 2368 + 832 + 192 + 192 + 128 // tcp_sock, socket+inode, file, dentry, epoll item
	wantTimeWait = 256
	wantConn     = 18_575
	wantTLS      = 6_091
	wantHTTP2    = 10_144
	wantStream   = 8_058
)

// memCase is one browser loading the 20,000-byte base document and
// eleven 10,000-byte images in ideal mode (RTT 100 ms, 10 Mbit/s, six
// connections), with a server that keeps idle connections for 60 s.
func memCase(p model.Protocol, v model.TLSVersion) model.Config {
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: kRTT / 2, Up: kR, Down: kR}
	sizes := make([]int, 11)
	for i := range sizes {
		sizes[i] = 10_000
	}
	cfg.Page = model.SyntheticPage(20_000, 11, sizes)
	cfg.ApplyIdeal()
	cfg.HTTP.Protocol = p
	cfg.TLS.Version = v
	cfg.Server.IdleTimeout = 60 * sim.Second
	return cfg
}

// memAt is the server's memory at t: the Len of the last ServerMemory
// record at or before t.
func memAt(recs []trace.Record, t sim.Time) int {
	n := 0
	for _, r := range recs {
		if r.At > time.Duration(t) {
			break
		}
		if r.Kind == trace.ServerMemory {
			n = r.Len
		}
	}
	return n
}

// TestServerMemoryKnownTotals: a known set of connections holds a known
// total. A round trip after the page loaded, every response has been
// acknowledged: keep-alive's six idle connections hold their sockets and
// the server's connection state (and TLS state under TLS); HTTP/2's one
// connection its HTTP/2 state too, no stream; HTTP/1.0's twelve
// connections, one per file, which the server closed, one TIME-WAIT
// socket each. Once the run has ended, nothing.
func TestServerMemoryKnownTotals(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    model.Protocol
		v    model.TLSVersion
		want int
	}{
		{"HTTP/1.1", model.HTTP11, model.NoTLS, 6 * (wantSocket + wantConn)},
		{"HTTP/1.1 over TLS 1.3", model.HTTP11, model.TLS13, 6 * (wantSocket + wantConn + wantTLS)},
		{"HTTP/2 over TLS 1.3", model.HTTP2, model.TLS13, wantSocket + wantConn + wantTLS + wantHTTP2},
		{"HTTP/1.0", model.HTTP10, model.NoTLS, 12 * wantTimeWait}, // a connection per file
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, recs := mustRun(t, memCase(tc.p, tc.v))
			if !res.Complete {
				t.Fatal("the page did not load")
			}
			loaded := sim.Time(res.PageLoads[0])
			if got := memAt(recs, loaded+kRTT); got != tc.want {
				t.Errorf("a round trip after the page loaded: %d bytes, want %d", got, tc.want)
			}
			if got := memAt(recs, sim.Forever); got != 0 {
				t.Errorf("at the end: %d bytes, want 0", got)
			}
			if res.ServerMemPeak < int64(tc.want) || res.ServerMemMean <= 0 || res.ServerMemMean > res.ServerMemPeak {
				t.Errorf("peak %d, mean %d: want peak ≥ %d ≥ and 0 < mean ≤ peak", res.ServerMemPeak, res.ServerMemMean, tc.want)
			}
		})
	}
}

// TestServerMemoryMatchesTrace recounts the server's memory from the
// rest of the trace, independently of the model's count, and compares
// the two at the end of every instant: the server sockets' states
// (StateChanged, Dir Down) for the kernel, the worker slots (Accepted,
// SlotReleased) for the server's own state, the server's data sent
// (PacketSent down) less what the client acknowledged (PacketArrived up)
// for the send buffers; HTTP/2 streams from the stream records, each of
// which must change the total by exactly one stream, one per request.
func TestServerMemoryMatchesTrace(t *testing.T) {
	type conn struct {
		kernel       int
		dataEnd, una int64
		closed       bool
	}
	kernel := func(s trace.State) int {
		switch s {
		case trace.Closed, trace.Listen:
			return 0
		case trace.SynReceived:
			return wantSynRecv
		case trace.FinWait2, trace.TimeWait:
			return wantTimeWait
		}
		return wantSocket
	}
	for _, tc := range []struct {
		name string
		p    model.Protocol
		v    model.TLSVersion
		loss float64
	}{
		{"HTTP/1.0", model.HTTP10, model.NoTLS, 0},
		{"HTTP/1.1 over TLS 1.2", model.HTTP11, model.TLS12, 0},
		{"HTTP/1.1 pipelined", model.HTTP11Pipelined, model.NoTLS, 0},
		{"HTTP/2 over TLS 1.3", model.HTTP2, model.TLS13, 0},
		{"HTTP/2, 5 % loss", model.HTTP2, model.TLS13, 0.05},
		{"HTTP/1.1, 5 % loss", model.HTTP11, model.NoTLS, 0.05},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := memCase(tc.p, tc.v)
			if tc.loss > 0 {
				cfg = model.DefaultConfig()
				cfg.Page = memCase(tc.p, tc.v).Page
				cfg.HTTP.Protocol, cfg.TLS.Version = tc.p, tc.v
				cfg.Link.Loss = tc.loss
			}
			app := wantConn
			if tc.v != model.NoTLS {
				app += wantTLS
			}
			if tc.p == model.HTTP2 {
				app += wantHTTP2
			}
			_, recs := mustRun(t, cfg)
			conns := map[int]*conn{}
			get := func(id int) *conn {
				if conns[id] == nil {
					conns[id] = &conn{}
				}
				return conns[id]
			}
			slots, streams, streamRecs, model_ := 0, 0, 0, 0
			recount := func() int {
				n := slots*app + streams*wantStream
				for _, c := range conns {
					n += c.kernel
					if !c.closed {
						n += int(max(0, c.dataEnd-max(c.una, 1)))
					}
				}
				return n
			}
			compared := 0
			for i, r := range recs {
				switch {
				case r.Kind == trace.StateChanged && r.Dir == trace.Down:
					c := get(r.Conn)
					c.kernel = kernel(r.State)
					c.closed = r.State == trace.Closed || r.State == trace.TimeWait
				case r.Kind == trace.Accepted:
					slots++
				case r.Kind == trace.SlotReleased:
					slots--
				case r.Kind == trace.PacketSent && r.Dir == trace.Down && r.Len > 0:
					c := get(r.Conn)
					c.dataEnd = max(c.dataEnd, r.Seq+int64(r.Len))
				case r.Kind == trace.PacketArrived && r.Dir == trace.Up && r.Flags&trace.ACK != 0:
					c := get(r.Conn)
					c.una = max(c.una, r.Ack)
				case r.Kind == trace.ServerMemory && (r.Label == trace.MemStreamOpen || r.Label == trace.MemStreamDone):
					d := r.Len - model_
					if d != wantStream && d != -wantStream && (d >= 0 || d%wantStream != 0) {
						t.Fatalf("%v: a stream record changed the total by %d", r.At, d)
					}
					if d > 0 {
						streamRecs++
					}
					streams += d / wantStream
				}
				if r.Kind == trace.ServerMemory {
					model_ = r.Len
				}
				if i+1 < len(recs) && recs[i+1].At == r.At {
					continue // compare at the end of the instant
				}
				if got := recount(); got != model_ {
					t.Fatalf("at %v: the model counts %d bytes, the trace %d", r.At, model_, got)
				}
				compared++
			}
			if tc.p == model.HTTP2 && streamRecs < 12 {
				t.Errorf("%d streams counted, want one per request (≥ 12)", streamRecs)
			}
			if tc.p != model.HTTP2 && streamRecs != 0 {
				t.Errorf("%d streams counted under %v", streamRecs, tc.p)
			}
			if model_ != 0 || compared < 10 {
				t.Errorf("at the end %d bytes (want 0); compared %d instants", model_, compared)
			}
		})
	}
}
