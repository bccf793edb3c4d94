package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// quicHandshakeCase is an HTTP/3 page load whose handshake the test
// disturbs.
func quicHandshakeCase() model.Config {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(5000, 4, []int{3000})
	cfg.ForProtocol(model.HTTP3)
	return cfg
}

// TestQUICServerWaitsForFinished: a server must not process 1-RTT
// packets before the TLS handshake is complete (RFC 9001 §5.7), that is
// before the client's Finished arrives. With the client's datagram that
// carries its Finished lost, the request in the 1-RTT packet behind it
// waits for the Finished's retransmission: no response data leaves the
// server before a Handshake CRYPTO frame from the client has arrived
// (its control stream's SETTINGS, 0.5-RTT data, may).
func TestQUICServerWaitsForFinished(t *testing.T) {
	cfg := quicHandshakeCase()
	// The client's datagrams: two Initials (the ClientHello, padded),
	// the ACK of the server's Initial, then its Handshake packet with
	// the Finished, which this drops.
	cfg.Link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Up), Nth: 4}}
	recs := h3Run(t, cfg)
	dropped, finished := "", false
	for _, r := range recs {
		switch {
		case r.Kind == trace.PacketDropped && r.Dir == trace.Up:
			dropped = r.Label
		case r.Kind == trace.PacketArrived && r.Dir == trace.Up && strings.Contains(r.Label, "Handshake") && strings.Contains(r.Label, "CRYPTO"):
			finished = true
		case r.Kind == trace.PacketSent && r.Dir == trace.Down && slices.Contains(strings.Fields(r.Label), "STREAM") && !finished:
			t.Fatalf("the server sent %q at %v before the client's Finished arrived", r.Label, r.At)
		}
	}
	if !strings.Contains(dropped, "Handshake") || !strings.Contains(dropped, "CRYPTO") {
		t.Fatalf("the dropped datagram is %q; want the client's Handshake CRYPTO (its Finished)", dropped)
	}
}

// TestQUICDeterministic: a run is a pure function of its inputs. With a
// small connection window, many streams wait for MAX_DATA at once, and
// the order they go again in must not depend on anything but the run.
func TestQUICDeterministic(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(5000, 30, []int{20_000})
	cfg.ForProtocol(model.HTTP3)
	cfg.QUIC.ConnWindow, cfg.QUIC.MaxConnWindow = 30_000, 30_000
	var first []trace.Record
	for i := range 20 {
		recs := h3Run(t, cfg)
		if i == 0 {
			first = recs
			continue
		}
		if len(recs) != len(first) {
			t.Fatalf("run %d: %d records, the first run %d", i, len(recs), len(first))
		}
		for j := range recs {
			if recs[j] != first[j] {
				t.Fatalf("run %d differs from the first at record %d:\n%+v\n%+v", i, j, recs[j], first[j])
			}
		}
	}
}

// amplificationExcess is the first point where the server of conn 1
// sent more than three times what it had received before the client's
// first Handshake packet arrived (RFC 9000 §8.1), or "".
func amplificationExcess(recs []trace.Record) string {
	got, sent := 0, 0
	for _, r := range recs {
		if r.Conn != 1 {
			continue
		}
		if r.Kind == trace.PacketArrived && r.Dir == trace.Up {
			if strings.Contains(r.Label, "Handshake") {
				return ""
			}
			got += r.Wire - 28
		}
		if r.Kind == trace.PacketSent && r.Dir == trace.Down {
			sent += r.Wire - 28
			if sent > 3*got {
				return r.At.String() + ": " + r.Label
			}
		}
	}
	return ""
}

// TestQUICAmplificationUnderLoss: the limit holds when the server's
// first flight is lost and repeated, with a chain the limit cuts. A
// server's datagram with an ack-eliciting Initial packet is padded to
// 1,200 bytes (RFC 9000 §14.1), so with less budget left than that the
// server may acknowledge in Initial packets but send no Initial data.
func TestQUICAmplificationUnderLoss(t *testing.T) {
	for seed := uint64(1); seed <= 300; seed++ {
		cfg := quicHandshakeCase()
		cfg.Seed = seed
		cfg.Link.Loss = 0.2
		cfg.QUIC.CertificateBytes = 9000
		log := &trace.Log{}
		res, err := model.Run(cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Complete {
			t.Fatalf("seed %d: the page did not load (%+v)", seed, res.Summary)
		}
		if at := amplificationExcess(log.Records); at != "" {
			t.Fatalf("seed %d: the server sent more than 3× what it received, at %s", seed, at)
		}
	}
}

// TestHTTP3ServerSettings: each end opens its control stream with its
// SETTINGS (RFC 9114 §6.2.1), the server as soon as it may send 1-RTT
// data: in 0.5-RTT data behind its handshake flight, before the client's
// Finished, as quic-go's http3.Server does with its early listener.
// Nothing else of HTTP/3 leaves the server before the Finished arrives.
func TestHTTP3ServerSettings(t *testing.T) {
	cfg := quicHandshakeCase()
	recs := h3Run(t, cfg)
	settings := false
	for _, r := range recs {
		if r.Kind == trace.PacketArrived && r.Dir == trace.Up && strings.Contains(r.Label, "Handshake") && strings.Contains(r.Label, "CRYPTO") {
			break // the client's Finished
		}
		if r.Kind == trace.PacketSent && r.Dir == trace.Down && strings.Contains(r.Label, "1-RTT") {
			if !strings.Contains(r.Label, "1-RTT 0: STREAM(control)") || strings.Contains(r.Label, "STREAM(control) STREAM") {
				t.Fatalf("the server's 0.5-RTT data is %q; want its control stream alone", r.Label)
			}
			settings = true
		}
	}
	if !settings {
		t.Fatal("the server sent no SETTINGS before the client's Finished arrived")
	}
}

// TestQUICMaxStreams: with initial_max_streams_bidi 2 the client opens
// two request streams, and a third only once the server's MAX_STREAMS
// has arrived, which the server sends when a stream has ended both ways
// at its end: the response's FIN acknowledged (RFC 9000 §4.6, quic-go's
// incomingStreamsMap). So the third request leaves after the first
// response is complete at the client, not with it. No more than two
// requests are ever unanswered, and every object loads.
func TestQUICMaxStreams(t *testing.T) {
	cfg := quicHandshakeCase()
	cfg.Page = model.SyntheticPage(3000, 10, []int{4000})
	cfg.QUIC.MaxStreams = 2
	recs := h3Run(t, cfg)
	var firstRaise, firstDone sim.Time = -1, -1
	requests, open := 0, 0
	for _, r := range recs {
		switch {
		case r.Kind == trace.PacketArrived && r.Dir == trace.Down && strings.Contains(r.Label, "MAX_STREAMS") && firstRaise < 0:
			firstRaise = r.At
		case r.Kind == trace.LastByte && firstDone < 0:
			firstDone = r.At
		case r.Kind == trace.RequestSent:
			requests++
			open++
			if open > 2 {
				t.Fatalf("%v: %d requests unanswered with max_streams 2", r.At, open)
			}
			if requests == 3 && (firstRaise < 0 || r.At < firstRaise) {
				t.Fatalf("the third request left at %v, before the first MAX_STREAMS arrived (%v)", r.At, firstRaise)
			}
		}
		if r.Kind == trace.LastByte {
			open--
		}
	}
	if requests != 11 || firstRaise <= firstDone {
		t.Fatalf("%d requests; the first MAX_STREAMS arrived at %v, the first response completed at %v", requests, firstRaise, firstDone)
	}
}

// TestQUICAnyClientLoss: whichever of the client's first datagrams is
// lost (a ClientHello part, the Finished, a packet of requests, an ACK),
// the page loads on its one connection, no request retried. A lost
// packet of requests leaves streams below a later one unopened at the
// server until the repair; they are opened implicitly (RFC 9000 §3.2),
// not taken for streams already ended.
func TestQUICAnyClientLoss(t *testing.T) {
	for nth := 1; nth <= 20; nth++ {
		cfg := quicHandshakeCase()
		cfg.Page = model.SyntheticPage(3000, 20, []int{25_000})
		cfg.Link.Drops = []model.Drop{{Conn: 1, Dir: uint8(trace.Up), Nth: nth}}
		recs := h3Run(t, cfg)
		for _, r := range recs {
			if r.Kind == trace.RequestRetried || r.Conn > 1 {
				t.Fatalf("client datagram %d lost: a request retried or a second connection (%v at %v)", nth, r.Kind, r.At)
			}
		}
	}
}

// serverBurst is the most datagrams of at least size bytes the server
// sent at one instant, and when.
func serverBurst(recs []trace.Record, size int) (most int, at sim.Time) {
	burst := map[sim.Time]int{}
	for _, r := range recs {
		if r.Kind == trace.PacketSent && r.Dir == trace.Down && r.Len >= size {
			if burst[r.At]++; burst[r.At] > most {
				most, at = burst[r.At], r.At
			}
		}
	}
	return most, at
}

// TestQUICPacing: quic-go paces (its pacer, a token bucket of 10
// datagrams filled at twice the window per smoothed RTT in slow start),
// so its server never sends more than 10 datagrams in one instant, and
// the responses to requests that arrive a few hundred microseconds apart
// (the server's processor takes them one by one) interleave from their
// first packets: every image's first byte reaches the client before any
// image is complete, as the testbed's real quic-go shows
// (docs/validation.md). The rfc9002 profile with the same initial
// window, which does not pace, sends a window's worth at once, most of
// it the first response ready.
func TestQUICPacing(t *testing.T) {
	for _, tc := range []struct {
		profile string
		paced   bool
	}{{"quic-go", true}, {"rfc9002", false}} {
		cfg := quicHandshakeCase()
		cfg.Page = model.SyntheticPage(20_000, 10, []int{15_000})
		cfg.QUIC.Profile = tc.profile
		cfg.QUIC.InitialWindow = 32 // quic-go's, for both: pacing is the difference that matters
		recs := h3Run(t, cfg)
		most, _ := serverBurst(recs, 1200)
		var lastFirst, firstDone sim.Time = -1, -1
		for _, r := range recs {
			switch {
			case r.Kind == trace.FirstByte && r.Resource > 1:
				lastFirst = r.At
			case r.Kind == trace.LastByte && r.Resource > 1 && firstDone < 0:
				firstDone = r.At
			}
		}
		interleaved := lastFirst < firstDone
		t.Logf("%s: up to %d full datagrams at one instant; the last image's first byte at %v, the first image done at %v", tc.profile, most, lastFirst, firstDone)
		if paced := most <= 10; paced != tc.paced || interleaved != tc.paced {
			t.Errorf("%s: paced %v, interleaved %v; want both %v", tc.profile, paced, interleaved, tc.paced)
		}
	}
}

// TestQUICHybridSlowStart: on a slow link with a deep buffer the queue
// grows during slow start; quic-go's hybrid slow start sees the round
// trips grow and ends slow start before any loss (a CwndHyStart record,
// ssthresh = cwnd), where the rfc9002 profile keeps doubling.
func TestQUICHybridSlowStart(t *testing.T) {
	for _, tc := range []struct {
		profile string
		exits   bool
	}{{"quic-go", true}, {"rfc9002", false}} {
		cfg := quicHandshakeCase()
		cfg.Link.Up, cfg.Link.Down = 1500*model.Kbps, 1500*model.Kbps
		cfg.Page = model.SyntheticPage(10_000, 4, []int{150_000})
		cfg.QUIC.Profile = tc.profile
		recs := h3Run(t, cfg)
		exited := false
		for _, r := range recs {
			if r.Kind == trace.PacketDropped {
				break
			}
			if r.Kind == trace.CwndChanged && r.State == trace.CwndHyStart {
				if r.Note != trace.HyStartQUIC || r.Cwnd != r.Ssthresh {
					t.Errorf("%s: %+v, want ssthresh = cwnd and the note %q", tc.profile, r, trace.HyStartQUIC)
				}
				exited = true
			}
		}
		if exited != tc.exits {
			t.Errorf("%s: slow start ended before a loss: %v, want %v", tc.profile, exited, tc.exits)
		}
	}
}

// TestHTTP3RequestOnIdleConnection: a page opened on an idle HTTP/3
// connection sends its request at once, in the instant the browser
// writes it; it waited for the next packet to arrive, which an idle
// connection may not get for seconds.
func TestHTTP3RequestOnIdleConnection(t *testing.T) {
	cfg := quicHandshakeCase()
	second := model.SyntheticPage(4000, 0, nil)
	second.Resources[0].Path = "/second.html"
	cfg.Visits = []model.Visit{{Think: 2 * sim.Second, Page: second}}
	recs := h3Run(t, cfg)
	var asked sim.Time = -1
	for _, r := range recs {
		if r.Kind == trace.RequestSent && r.Page == 2 {
			asked = r.At
		}
		if asked >= 0 && r.Kind == trace.PacketSent && r.Dir == trace.Up {
			if r.At != asked || r.Conn != 1 {
				t.Fatalf("the second page's request was written at %v on connection 1; the next client packet left at %v on %d", asked, r.At, r.Conn)
			}
			return
		}
	}
	t.Fatal("no request for the second page")
}
