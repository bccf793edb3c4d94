package model_test

import (
	"fmt"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// The frame-interleaving example of Kurose & Ross (8th ed., §2.2.5, "HTTP/2
// framing"): a video clip of 1000 frames and eight small objects of two
// frames each, requested together. With frame interleaving (round robin)
// the small objects are all sent after 1 + 8 + 1 + 8 = 18 frames; served
// in request order, as HTTP/1.1 pipelining must (RFC 9112 §9.3.2), only
// after 1000 + 16 = 1016 frames.
const (
	krFrame      = 16384                          // bytes: one DATA frame and one segment (MSS = max frame)
	krRate       = model.Rate(krFrame * 8 * 1000) // 131.072 Mbit/s: a frame takes exactly 1 ms
	krFrameTime  = sim.Millisecond
	krVideo      = 1000 * krFrame
	krSmall      = 2 * krFrame
	krSmallCount = 8
)

// krPage is a one-byte document referencing the video and the eight small
// objects, so that all nine requests leave together when it arrives.
func krPage() model.Page {
	p := model.Page{Resources: []model.Resource{
		{Path: "/index.html", Type: model.HTML, Size: 1, Parent: -1},
		{Path: "/video.mp4", Type: model.Other, Size: krVideo, Parent: 0},
	}}
	for i := range krSmallCount {
		p.Resources = append(p.Resources, model.Resource{Path: fmt.Sprintf("/small%d.png", i+1), Type: model.Image, Size: krSmall, Parent: 0})
	}
	return p
}

// TestKuroseRossFrameInterleaving checks the example exactly in ideal
// mode: the last small object's last byte arrives 18 frame times after
// the server starts answering with HTTP/2, 1016 with pipelining, and the
// video finishes after all 1016 frames with HTTP/2 (1000 when served first).
func TestKuroseRossFrameInterleaving(t *testing.T) {
	const rtt = 100 * sim.Millisecond
	for _, tc := range []struct {
		proto        model.Protocol
		small, video int // frames sent when the last small object and the video are complete
	}{
		{model.HTTP2, 18, 1016},
		{model.HTTP11Pipelined, 1016, 1000},
	} {
		t.Run(tc.proto.String(), func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Link = model.LinkConfig{Delay: rtt / 2, Up: krRate, Down: krRate}
			cfg.Page = krPage()
			cfg.ApplyIdeal()
			cfg.TCP.MSS = krFrame
			cfg.HTTP.Protocol, cfg.HTTP.Parallel, cfg.HTTP.MaxFrame = tc.proto, 1, krFrame
			res, recs := mustRun(t, cfg)
			if !res.Complete {
				t.Fatal("page did not complete")
			}
			// The requests reach the server half an RTT after the document
			// arrived; the answers take half an RTT to come back.
			start := res.Resources[0].LastByte + rtt
			var lastSmall sim.Time
			for _, r := range res.Resources[2:] {
				lastSmall = max(lastSmall, r.LastByte)
			}
			if got, want := lastSmall-start, sim.Time(tc.small)*krFrameTime; got != want {
				t.Errorf("small objects complete %v after the first frame (%.3f frames), want %d frames", got, float64(got)/float64(krFrameTime), tc.small)
			}
			if got, want := res.Resources[1].LastByte-start, sim.Time(tc.video)*krFrameTime; got != want {
				t.Errorf("video complete %v after the first frame, want %d frames", got, tc.video)
			}
			checkInvariants(t, recs)
		})
	}
}

// TestSmallResponseBesideLargeOne: in realistic mode a 1 KB response
// requested together with a 1 MB one leaves the server within a few
// frames' transmission time of its request's arrival, because the frame
// scheduler, not TCP's send buffer or the link's queue, orders what is
// sent (h2.go, pump). On a warm connection (a 300 KB document has opened
// the window) and with an unlimited initial window nothing else holds it
// back; on a fresh connection with the 10-segment initial window (RFC 6928)
// the 1 MB response's first frame has taken the whole window before the
// second request arrives, so the small one waits for the first ACKs: one
// round trip, no more.
func TestSmallResponseBesideLargeOne(t *testing.T) {
	rate := 10 * model.Mbps
	frameTime := sim.Time(16384 * 8 * int64(sim.Second) / int64(rate)) // 13.1 ms
	for _, tc := range []struct {
		name  string
		html  int
		iw    int
		limit sim.Time // after the round trip that the window may force
	}{
		{"warm connection", 300_000, 10, 3 * frameTime},
		{"unlimited initial window", 1, model.Unlimited, 3 * frameTime},
		{"fresh connection, IW 10", 1, 10, 100*sim.Millisecond + 3*frameTime},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Page = model.SyntheticPage(tc.html, 2, []int{1_000_000, 1000})
			cfg.HTTP.Protocol = model.HTTP2
			cfg.TCP.InitialWindow = tc.iw
			res, recs := runPage(t, cfg)
			var arrived sim.Time = -1
			for _, r := range recs {
				if r.Kind == trace.PacketArrived && r.Dir == trace.Up && r.Label == "GET /img2.png" {
					arrived = r.At
				}
			}
			if arrived < 0 {
				t.Fatal("the small request never reached the server")
			}
			// From the request's arrival to the last byte's arrival, less
			// the way back (half an RTT): how long it waited and was sent.
			waited := res.Resources[2].LastByte - arrived - cfg.Link.Delay
			if waited > tc.limit {
				t.Errorf("the 1 KB response left %v after its request arrived (%.1f frame times), want at most %v", waited, float64(waited)/float64(frameTime), tc.limit)
			}
		})
	}
}
