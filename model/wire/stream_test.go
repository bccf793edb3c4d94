package wire_test

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"strconv"
	"testing"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/model/wire"
	"github.com/keepalive-sim/keepalive/sim"
)

// page is a document, a stylesheet and images of several sizes, one of
// them larger than an HTTP/2 frame and a stream window.
func page() model.Page {
	p := model.Page{Resources: []model.Resource{
		{Path: "/index.html", Type: model.HTML, Size: 30_000, Parent: -1},
		{Path: "/style.css", Type: model.CSS, Size: 5_000, Parent: 0},
		{Path: "/data.json", Type: model.JSON, Size: 700, Parent: 0},
	}}
	for i, size := range []int{8_000, 120_000, 22, 40_000} {
		p.Resources = append(p.Resources, model.Resource{Path: "/img" + strconv.Itoa(i) + ".jpg", Type: model.Image, Size: size, Parent: 0})
	}
	return p
}

// streamsOf runs cfg and builds its messages' streams.
type recorder struct {
	trace.Log
	*wire.Streams
}

func streamsOf(t *testing.T, cfg model.Config) (*wire.Streams, []trace.Record) {
	t.Helper()
	rec := &recorder{Streams: wire.NewStreams(cfg.Seed)}
	if _, err := model.Run(cfg, rec); err != nil {
		t.Fatal(err)
	}
	if err := rec.Err(); err != nil {
		t.Fatal(err)
	}
	return rec.Streams, rec.Records
}

// stream is connection conn's bytes in direction dir, all of them.
func stream(s *wire.Streams, recs []trace.Record, conn int, dir trace.Dir) []byte {
	end := int64(1)
	for _, r := range recs {
		if r.Kind == trace.PacketSent && r.Conn == conn && r.Dir == dir && r.Len > 0 {
			end = max(end, r.Seq+int64(r.Len))
		}
	}
	return s.Bytes(conn, dir, 1, int(end-1))
}

func conns(recs []trace.Record) []int {
	var out []int
	seen := map[int]bool{}
	for _, r := range recs {
		if r.Kind == trace.PacketSent && !seen[r.Conn] {
			seen[r.Conn] = true
			out = append(out, r.Conn)
		}
	}
	return out
}

// TestHTTP2FramesParse reads each connection's streams with x/net's
// framer and HPACK decoder, an implementation of RFC 9113 that is not
// ours: the preface, SETTINGS as the model set them, each request's
// HEADERS with its path, each response's HEADERS and DATA adding up to
// its size with END_STREAM on the last, WINDOW_UPDATEs and GOAWAY.
func TestHTTP2FramesParse(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*model.Config)
	}{
		{"defaults", func(*model.Config) {}},
		{"small windows, lossy", func(c *model.Config) {
			c.HTTP.StreamWindow, c.HTTP.ConnWindow, c.Link.Loss = 65535, 65535, 0.02
		}},
		{"large frames, idle close", func(c *model.Config) {
			c.HTTP.MaxFrame, c.Server.IdleTimeout = 65536, 2*sim.Second
			c.Visits = []model.Visit{{Think: 5 * sim.Second, Page: c.Page}}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Page = page()
			cfg.HTTP.Protocol = model.HTTP2
			tc.set(&cfg)
			s, recs := streamsOf(t, cfg)
			paths, sizes := map[string]bool{}, map[int]int{}
			got := map[uint32]int{}
			var types []http2.FrameType
			for _, conn := range conns(recs) {
				up := stream(s, recs, conn, trace.Up)
				if !bytes.HasPrefix(up, []byte(http2.ClientPreface)) {
					t.Fatalf("conn %d: no client preface", conn)
				}
				dec := hpack.NewDecoder(4096, nil)
				read(t, up[len(http2.ClientPreface):], func(f http2.Frame) {
					types = append(types, f.Header().Type)
					switch f := f.(type) {
					case *http2.HeadersFrame:
						paths[field(t, dec, f, ":path")] = true
						if !f.StreamEnded() {
							t.Errorf("request HEADERS on stream %d without END_STREAM", f.StreamID)
						}
					case *http2.SettingsFrame:
						if v, ok := f.Value(http2.SettingMaxFrameSize); !f.IsAck() && (!ok || v != uint32(cfg.HTTP.MaxFrame)) {
							t.Errorf("the client's SETTINGS_MAX_FRAME_SIZE is %d (%v), the model's %d", v, ok, cfg.HTTP.MaxFrame)
						}
					}
				})
				dec = hpack.NewDecoder(4096, nil)
				read(t, stream(s, recs, conn, trace.Down), func(f http2.Frame) {
					types = append(types, f.Header().Type)
					switch f := f.(type) {
					case *http2.HeadersFrame:
						sizes[int(f.StreamID)], _ = strconv.Atoi(field(t, dec, f, "content-length"))
					case *http2.DataFrame:
						got[f.StreamID] += len(f.Data())
						if f.StreamEnded() && got[f.StreamID] != sizes[int(f.StreamID)] {
							t.Errorf("stream %d ended after %d body bytes, its content-length is %d", f.StreamID, got[f.StreamID], sizes[int(f.StreamID)])
						}
					}
				})
			}
			for _, r := range cfg.Page.Resources {
				if !paths[r.Path] {
					t.Errorf("no request HEADERS for %s", r.Path)
				}
			}
			if len(sizes) < len(cfg.Page.Resources) {
				t.Errorf("%d responses, want %d or more", len(sizes), len(cfg.Page.Resources))
			}
			t.Logf("frame types: %v", count(types))
			if tc.name == "small windows, lossy" && count(types)[http2.FrameWindowUpdate] == 0 {
				t.Error("no WINDOW_UPDATE with 64 KiB windows")
			}
			if tc.name == "large frames, idle close" && count(types)[http2.FrameGoAway] == 0 {
				t.Error("no GOAWAY before the idle close")
			}
		})
	}
}

func count(ts []http2.FrameType) map[http2.FrameType]int {
	m := map[http2.FrameType]int{}
	for _, t := range ts {
		m[t]++
	}
	return m
}

// read hands each frame of b to f, failing on any framing error.
func read(t *testing.T, b []byte, f func(http2.Frame)) {
	t.Helper()
	fr := http2.NewFramer(nil, bytes.NewReader(b))
	fr.SetMaxReadFrameSize(1<<24 - 1)
	for {
		frame, err := fr.ReadFrame()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("reading frames: %v", err)
		}
		f(frame)
	}
}

// TestHTTP1MessagesParse reads each connection's streams with net/http:
// every request and response parses, with its body of Content-Length
// bytes, over every HTTP/1.x protocol, with a first write split off
// (server.first_write) and with a 408 before an idle close.
func TestHTTP1MessagesParse(t *testing.T) {
	for _, p := range []model.Protocol{model.HTTP10, model.HTTP11, model.HTTP11Pipelined} {
		t.Run(p.String(), func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Page = page()
			cfg.HTTP.Protocol = p
			cfg.Server.IdleClose, cfg.Server.IdleTimeout = model.Close408, 2*sim.Second
			cfg.Visits = []model.Visit{{Think: 5 * sim.Second, Page: cfg.Page}}
			s, recs := streamsOf(t, cfg)
			requests, responses, timeouts := 0, 0, 0
			for _, conn := range conns(recs) {
				br := bufio.NewReader(bytes.NewReader(stream(s, recs, conn, trace.Up)))
				for {
					req, err := http.ReadRequest(br)
					if err == io.EOF {
						break
					}
					if err != nil {
						t.Fatalf("conn %d: %v", conn, err)
					}
					requests++
					if req.Host != cfg.HTTP.Host {
						t.Errorf("Host %q, want %q", req.Host, cfg.HTTP.Host)
					}
				}
				br = bufio.NewReader(bytes.NewReader(stream(s, recs, conn, trace.Down)))
				for {
					if _, err := br.Peek(1); err == io.EOF {
						break // ReadResponse calls an end between messages unexpected
					}
					resp, err := http.ReadResponse(br, nil)
					if err != nil {
						t.Fatalf("conn %d: %v", conn, err)
					}
					body, err := io.ReadAll(resp.Body)
					if err != nil || int64(len(body)) != resp.ContentLength {
						t.Fatalf("conn %d: a body of %d bytes (%v), Content-Length %d", conn, len(body), err, resp.ContentLength)
					}
					if resp.StatusCode == http.StatusRequestTimeout {
						timeouts++
					} else {
						responses++
					}
				}
			}
			want := len(cfg.Page.Resources) // the second visit finds them in the cache
			if requests < want || responses < want {
				t.Errorf("%d requests and %d responses, want %d or more", requests, responses, want)
			}
			if p != model.HTTP10 && timeouts == 0 {
				t.Error("no 408 before the idle close")
			}
		})
	}
}

// TestIdealStreams: in ideal mode, where heads and frames are
// placeholders or nothing, every protocol's streams are still built
// whole (a capture of the textbook's case).
func TestIdealStreams(t *testing.T) {
	for _, p := range model.Protocols {
		cfg := model.DefaultConfig()
		cfg.Page = page()
		cfg.HTTP.Protocol = p
		cfg.ApplyIdeal()
		s, recs := streamsOf(t, cfg) // fails on an error
		for _, r := range recs {
			if r.Kind == trace.PacketSent && r.Len > 0 && s.Bytes(r.Conn, r.Dir, r.Seq, r.Len) == nil {
				t.Fatalf("%s: conn %d %s: no bytes for the segment at %d", p, r.Conn, r.Dir, r.Seq)
			}
		}
	}
}

// field decodes a HEADERS frame's block with dec (every block, in order,
// so that its dynamic table follows the encoder's) and returns the value
// of the field named name, "" if none.
func field(t *testing.T, dec *hpack.Decoder, f *http2.HeadersFrame, name string) string {
	t.Helper()
	fields, err := dec.DecodeFull(f.HeaderBlockFragment())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range fields {
		if h.Name == name {
			return h.Value
		}
	}
	return ""
}
