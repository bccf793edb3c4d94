package model_test

import (
	"fmt"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
)

// messageLog keeps a run's records and its messages.
type messageLog struct {
	trace.Log
	msgs []trace.Message
}

func (l *messageLog) Message(m trace.Message) { l.msgs = append(l.msgs, m) }

// TestMessagesTileTheStreams: the messages a capture is given tile each
// connection's stream in each direction from sequence number 1, as many
// bytes as its data segments carry; each HTTP head is as long as the
// trace says the model sized it; and asking for messages changes no
// record.
func TestMessagesTileTheStreams(t *testing.T) {
	type variant struct {
		name string
		set  func(*model.Config)
	}
	var cases []variant
	for _, p := range model.Protocols {
		for _, tls := range []model.TLSConfig{{}, {Version: model.TLS13, Resume: true}, {Version: model.TLS12, Resume: true}, {Version: model.TLS13, Resume: true, EarlyData: true}} {
			cases = append(cases, variant{fmt.Sprintf("%s/tls%v/resume%v/early%v", p, tls.Version, tls.Resume, tls.EarlyData), func(c *model.Config) {
				c.HTTP.Protocol, c.TLS = p, tls
				c.Visits = []model.Visit{{Page: c.Page}}
			}})
		}
	}
	cases = append(cases,
		variant{"lossy http2", func(c *model.Config) { c.HTTP.Protocol, c.Link.Loss = model.HTTP2, 0.02 }},
		variant{"first write", func(c *model.Config) { c.HTTP.Protocol, c.Server.FirstWrite = model.HTTP11, 4000 }},
		variant{"ideal", func(c *model.Config) { c.HTTP.Protocol = model.HTTP11; c.ApplyIdeal() }},
		variant{"408", func(c *model.Config) {
			c.HTTP.Protocol, c.Server.IdleClose = model.HTTP11, model.Close408
		}},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := model.DefaultConfig()
			cfg.Page = newsPage()
			tc.set(&cfg)
			var plain trace.Log
			if _, err := model.Run(cfg, &plain); err != nil {
				t.Fatal(err)
			}
			var ml messageLog
			if _, err := model.Run(cfg, &ml); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(plain.Records) != fmt.Sprint(ml.Records) {
				t.Fatal("asking for messages changed the trace")
			}
			if len(ml.msgs) == 0 {
				t.Fatal("no messages")
			}
			type side struct {
				conn int
				dir  trace.Dir
			}
			next := map[side]int64{}
			for _, m := range ml.msgs {
				k := side{m.Conn, m.Dir}
				want := next[k]
				if want == 0 {
					want = 1
				}
				if m.Seq != want {
					t.Fatalf("conn %d %s: %s at seq %d, want %d", m.Conn, m.Dir, m.Label, m.Seq, want)
				}
				next[k] = m.Seq + int64(m.Size)
			}
			sent := map[side]int64{}
			for _, r := range ml.Records {
				if r.Kind == trace.PacketSent && r.Len > 0 {
					k := side{r.Conn, r.Dir}
					sent[k] = max(sent[k], r.Seq+int64(r.Len))
				}
			}
			for k, end := range sent {
				if next[k] < end {
					t.Errorf("conn %d %s: segments carry bytes up to %d, messages only to %d", k.conn, k.dir, end, next[k])
				}
			}
			// Heads: what RequestSent and FirstByte say was sized.
			heads := map[[3]int]int{} // conn, dir, resource → head bytes
			for _, m := range ml.msgs {
				if (m.What == trace.MsgRequest || m.What == trace.MsgResponse || m.What == trace.MsgH2Headers) && !m.Continued {
					n := len(m.Head)
					if m.What == trace.MsgH2Headers {
						n += 9 // the frame header (RFC 9113 §4.1)
					}
					if cfg.Ideal {
						n = 0
					}
					heads[[3]int{m.Conn, int(m.Dir), m.Resource}] = n
				}
			}
			for _, r := range ml.Records {
				dir := trace.Up
				switch r.Kind {
				case trace.FirstByte:
					dir = trace.Down
				case trace.RequestSent:
				default:
					continue
				}
				if got, ok := heads[[3]int{r.Conn, int(dir), r.Resource}]; !ok || got != r.Len {
					t.Errorf("%s of resource %d on conn %d: the message's head is %d bytes (found %v), the trace's %d", r.Kind, r.Resource, r.Conn, got, ok, r.Len)
				}
			}
		})
	}
}
