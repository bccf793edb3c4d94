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

// deliveries are the times a response's first or last byte reached the
// browser: what the application saw of its streams.
func deliveries(recs []trace.Record) []sim.Time {
	var out []sim.Time
	for _, r := range recs {
		if r.Kind == trace.FirstByte || r.Kind == trace.LastByte {
			out = append(out, r.At)
		}
	}
	return out
}

// TestHTTP3HeadOfLine drops one packet of the server's while it sends
// eight objects at once, over HTTP/2 and over HTTP/3 (realistic mode).
// Over TCP the hole holds back every byte behind it, whatever stream it
// belongs to, until the retransmission arrives: no response starts or
// completes in between. Over QUIC only the streams whose frames the
// packet carried wait: the others' responses go on arriving.
func TestHTTP3HeadOfLine(t *testing.T) {
	for _, tc := range []struct {
		proto model.Protocol
		drop  int // the server's packet to drop, counted from its first
		// delivers: whether responses start or complete between the loss
		// and the repair's arrival.
		delivers bool
	}{
		{model.HTTP2, 24, false},
		{model.HTTP3, 24, true},
	} {
		t.Run(tc.proto.String(), func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Page = model.SyntheticPage(2000, 8, []int{30_000})
			cfg.ForProtocol(tc.proto)
			cfg.TLS.Version = model.TLS13
			cfg.Link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Down), Nth: tc.drop}}
			recs := h3Run(t, cfg)
			var lost, repaired sim.Time = -1, -1
			for _, r := range recs {
				if r.Kind == trace.PacketDropped && lost < 0 {
					lost = r.At
				}
				// The repair: the first retransmission to arrive after
				// the loss (TCP resends the hole's sequence; QUIC sends
				// the lost frames in a new packet).
				if r.Kind == trace.PacketArrived && r.Dir == trace.Down && r.Retx && lost >= 0 && repaired < 0 {
					repaired = r.At
				}
			}
			if lost < 0 || repaired < 0 {
				t.Fatalf("no loss and repair (lost %v, repaired %v)", lost, repaired)
			}
			between := 0
			for _, at := range deliveries(recs) {
				if at > lost && at < repaired {
					between++
				}
			}
			t.Logf("packet %d lost at %v, repaired at %v; %d responses started or completed in between", tc.drop, lost, repaired, between)
			if got := between > 0; got != tc.delivers {
				t.Errorf("responses started or completed between the loss and its repair: %d; want some: %v", between, tc.delivers)
			}
		})
	}
}

// TestQUICAmplificationLimit: before the client's address is validated
// the server sends at most three times what it received (RFC 9000 §8.1).
// The ClientHello arrives in two padded datagrams (2,560 bytes with
// quic-go's 1,280-byte datagrams), so a chain of 10 KB cannot all leave
// in the first flight: the rest waits for the client's next datagram, a
// round trip later.
func TestQUICAmplificationLimit(t *testing.T) {
	ttfb := map[int]sim.Time{}
	for _, chain := range []int{728, 10_000} {
		cfg := model.DefaultConfig()
		cfg.Link = model.LinkConfig{Delay: 50 * sim.Millisecond, Up: model.UnlimitedRate, Down: model.UnlimitedRate}
		cfg.ForProtocol(model.HTTP3)
		cfg.QUIC.CertificateBytes = chain
		recs := h3Run(t, cfg)
		ttfb[chain] = firstByteOf(t, recs, 1)
		// Until the first Handshake packet from the client arrives, the
		// server's bytes stay within 3× the client's.
		var got, sent int
		for _, r := range recs {
			if r.Kind == trace.PacketArrived && r.Dir == trace.Up {
				if strings.Contains(r.Label, "Handshake") {
					break
				}
				got += r.Wire - 28
			}
			if r.Kind == trace.PacketSent && r.Dir == trace.Down {
				sent += r.Wire - 28
				if sent > 3*got {
					t.Fatalf("chain %d: the server sent %d bytes having received %d, more than 3×", chain, sent, got)
				}
			}
		}
	}
	if d := ttfb[10_000] - ttfb[728]; d < 100*sim.Millisecond || d > 110*sim.Millisecond {
		t.Errorf("a 10 KB chain delays the first byte by %v against a 728-byte one; want one round trip (100 ms) more", d)
	}
}

// TestHTTP3UnderLoss loads pages over lossy links with both profiles, a
// large certificate, 0-RTT on a second visit and small windows: every
// page loads (no deadlock between loss recovery, the amplification
// limit and flow control), and the invariants hold.
func TestHTTP3UnderLoss(t *testing.T) {
	for seed := uint64(1); seed <= 12; seed++ {
		for _, profile := range []string{"quic-go", "rfc9002"} {
			cfg := model.DefaultConfig()
			cfg.Seed = seed
			cfg.Link.Loss = []float64{0.01, 0.05, 0.1}[seed%3]
			cfg.Page = model.SyntheticPage(30_000, 12, []int{5_000, 80_000})
			second := model.SyntheticPage(10_000, 3, []int{2_000})
			second.Resources[0].Path = "/second.html"
			for i := 1; i < len(second.Resources); i++ {
				second.Resources[i].Path += "?2"
			}
			cfg.Visits = []model.Visit{{Think: 5 * sim.Second, Page: second}}
			cfg.Browser.IdleTimeout = 2 * sim.Second
			cfg.ForProtocol(model.HTTP3)
			cfg.TLS.Resume, cfg.TLS.EarlyData = true, true
			cfg.QUIC.Profile = profile
			cfg.QUIC.Congestion = []string{"newreno", "cubic"}[seed/2%2]
			cfg.QUIC.CertificateBytes = int(seed%2) * 9000
			if seed%4 == 0 {
				cfg.QUIC.StreamWindow, cfg.QUIC.ConnWindow = 16_000, 40_000
				cfg.QUIC.MaxStreamWindow, cfg.QUIC.MaxConnWindow = 16_000, 40_000
			}
			log := &trace.Log{}
			res, err := model.Run(cfg, log)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Complete || res.PagesLoaded != 2 {
				t.Fatalf("seed %d, %s, loss %v: %d of 2 pages loaded (%+v)", seed, profile, cfg.Link.Loss, res.PagesLoaded, res.Summary)
			}
			checkInvariants(t, log.Records)
			for _, r := range log.Records {
				if r.Kind == trace.Retransmit && strings.HasSuffix(r.Label, ": ACK") {
					t.Fatalf("seed %d: an ACK-only packet counted as retransmitted: %q", seed, r.Label)
				}
			}
		}
	}
}

// TestAltSvcDiscovery: with quic.discovery alt-svc the first visit goes
// over HTTP/2 on TCP and TLS 1.3, 3·RTT to its first byte in ideal mode
// (its responses announce HTTP/3 in Alt-Svc, RFC 7838); the second visit,
// after that connection closed, opens QUIC: 2·RTT, as a fresh HTTP/3
// connection (no 0-RTT: the ticket was TCP's TLS session's, RFC 9001
// §4.6.1 needs QUIC's).
func TestAltSvcDiscovery(t *testing.T) {
	const rtt = 100 * sim.Millisecond
	cfg := model.DefaultConfig()
	cfg.Link = model.LinkConfig{Delay: rtt / 2, Up: model.UnlimitedRate, Down: model.UnlimitedRate}
	cfg.Page = model.SyntheticPage(1000, 2, []int{1000})
	second := model.SyntheticPage(1000, 0, nil)
	second.Resources[0].Path = "/second.html"
	cfg.Visits = []model.Visit{{Think: 10 * rtt, Page: second}}
	cfg.ApplyIdeal()
	cfg.ForProtocol(model.HTTP3)
	cfg.TLS.Resume, cfg.TLS.EarlyData = true, true
	cfg.QUIC.Discovery = model.DiscoverAltSvc
	cfg.Browser.IdleTimeout = 2 * rtt
	recs := h3Run(t, cfg)
	if got := firstByteOf(t, recs, 1); got != 3*rtt {
		t.Errorf("first visit's first byte after %v, want 3·RTT (TCP, TLS 1.3, the request)", got)
	}
	if got := firstByteOf(t, recs, 2); got != 2*rtt {
		t.Errorf("second visit's first byte after %v, want 2·RTT (a fresh QUIC connection)", got)
	}
	var tcp, quic []int
	for _, r := range recs {
		if r.Kind == trace.StateChanged && r.Dir == trace.Up {
			switch r.State {
			case trace.SynSent:
				tcp = append(tcp, r.Conn)
			case trace.QUICHandshake:
				quic = append(quic, r.Conn)
			}
		}
	}
	if len(tcp) != 1 || len(quic) != 1 || tcp[0] != 1 || quic[0] != 2 {
		t.Errorf("TCP connections %v, QUIC connections %v; want TCP 1 for the first visit, QUIC 2 for the second", tcp, quic)
	}
}
