package model_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// h3Run runs cfg and returns its records, failing unless every page
// loaded; the QUIC invariants are checked on the way.
func h3Run(t *testing.T, cfg model.Config) []trace.Record {
	t.Helper()
	log := &trace.Log{}
	res, err := model.Run(cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Complete {
		t.Fatalf("the page did not load: %+v", res.Summary)
	}
	checkInvariants(t, log.Records)
	return log.Records
}

// checkPacketNumbers asserts RFC 9000 §12.3: in each packet number space
// of each end of a QUIC connection, packet numbers only go up, and none
// is used twice. The spaces are read from the packets' ladder labels
// ("Initial 0: CRYPTO + Handshake 0: CRYPTO").
func checkPacketNumbers(t *testing.T, recs []trace.Record, quic map[int]bool) {
	t.Helper()
	type key struct {
		conn  int
		dir   trace.Dir
		space string
	}
	next := map[key]int64{}
	for _, r := range recs {
		if r.Kind != trace.PacketSent || !quic[r.Conn] {
			continue
		}
		for _, p := range strings.Split(r.Label, " + ") {
			typ, rest, ok := strings.Cut(p, " ")
			num, _, ok2 := strings.Cut(rest, ":")
			pn, err := strconv.ParseInt(num, 10, 64)
			if !ok || !ok2 || err != nil {
				t.Fatalf("a QUIC packet's label %q does not read as TYPE NUMBER: FRAMES", r.Label)
			}
			if typ == "0-RTT" {
				typ = "1-RTT" // one space (RFC 9000 §12.3)
			}
			k := key{r.Conn, r.Dir, typ}
			if pn < next[k] {
				t.Fatalf("conn %d %v: %s packet %d after %d", r.Conn, r.Dir, typ, pn, next[k]-1)
			}
			next[k] = pn + 1
		}
	}
}

// firstByteOf is when page's first response byte arrived, from the
// page's start.
func firstByteOf(t *testing.T, recs []trace.Record, page int) sim.Time {
	t.Helper()
	var start sim.Time = -1
	for _, r := range recs {
		if r.Page != page {
			continue
		}
		switch r.Kind {
		case trace.PageStarted:
			start = r.At
		case trace.FirstByte:
			if start < 0 {
				t.Fatalf("page %d: a first byte before the page started", page)
			}
			return r.At - start
		}
	}
	t.Fatalf("page %d has no first byte", page)
	return 0
}

// TestIdealTimeToFirstByte checks the handshake round trips of the
// issue's formulas in ideal mode, where headers, handshakes and control
// frames weigh nothing and the link serializes nothing, so that time to
// first byte is a whole number of RTTs:
//   - HTTP/3: 2·RTT, QUIC's 1-RTT handshake then the request
//     (RFC 9001 §4.1; RFC 9000 §7);
//   - HTTP/2 over TCP and TLS 1.3: 3·RTT, TCP's handshake, TLS 1.3's
//     (RFC 8446 §2), the request;
//   - HTTP/3 resumed with 0-RTT, on a second visit after the first
//     connection closed: 1·RTT, the request rides with the ClientHello
//     (RFC 9001 §4.6.1); resumed without early data: 2·RTT;
//   - HTTP/2 over TLS 1.3 with 0-RTT: 2·RTT (TCP's handshake remains).
func TestIdealTimeToFirstByte(t *testing.T) {
	for _, rtt := range []sim.Time{10 * sim.Millisecond, 100 * sim.Millisecond, 1234567 * sim.Microsecond} {
		for _, tc := range []struct {
			name        string
			proto       model.Protocol
			tls         model.TLSConfig
			first, next int // RTTs to the first byte of the first and the second visit
		}{
			{"http3", model.HTTP3, model.TLSConfig{Version: model.TLS13}, 2, 2},
			{"http3 resumed", model.HTTP3, model.TLSConfig{Version: model.TLS13, Resume: true}, 2, 2},
			{"http3 0-RTT", model.HTTP3, model.TLSConfig{Version: model.TLS13, Resume: true, EarlyData: true}, 2, 1},
			{"http2 TLS 1.3", model.HTTP2, model.TLSConfig{Version: model.TLS13}, 3, 3},
			{"http2 TLS 1.3 0-RTT", model.HTTP2, model.TLSConfig{Version: model.TLS13, Resume: true, EarlyData: true}, 3, 2},
		} {
			cfg := model.DefaultConfig()
			cfg.Link = model.LinkConfig{Delay: rtt / 2, Up: model.UnlimitedRate, Down: model.UnlimitedRate}
			cfg.Page = model.SyntheticPage(1000, 0, nil)
			second := model.SyntheticPage(1000, 0, nil)
			second.Resources[0].Path = "/second.html" // not from the cache
			cfg.Visits = []model.Visit{{Think: 10 * rtt, Page: second}}
			cfg.ApplyIdeal()
			cfg.HTTP.Protocol, cfg.TLS = tc.proto, tc.tls
			// The browser closes the first connection before the second
			// visit, which opens (and may resume) another.
			cfg.Browser.IdleTimeout = 2 * rtt
			recs := h3Run(t, cfg)
			if got, want := firstByteOf(t, recs, 1), sim.Time(tc.first)*rtt; got != want {
				t.Errorf("%s, RTT %v: first visit's first byte after %v, want %d·RTT = %v", tc.name, rtt, got, tc.first, want)
			}
			if got, want := firstByteOf(t, recs, 2), sim.Time(tc.next)*rtt; got != want {
				t.Errorf("%s, RTT %v: second visit's first byte after %v, want %d·RTT = %v", tc.name, rtt, got, tc.next, want)
			}
		}
	}
}
