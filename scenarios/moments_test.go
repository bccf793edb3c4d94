package scenarios_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/sim"
)

// momentVariants are the settings, beyond each lesson as designed, under
// which its moments are checked: a shorter and a longer round trip (a
// moment is a predicate, so where it matches it must still be true), and
// the lesson's "Try …" suggestions, where the moments that only they
// bring about (close-race's 408, the failed request) must match.
var momentVariants = map[string][][]scenarios.Setting{
	"": {
		{{Field: "link.rtt", Value: "30ms"}},
		{{Field: "link.rtt", Value: "300ms"}},
	},
	"close-race": {
		{{Field: "server.idle_close", Value: "408"}},
		{{Field: "browser.retry", Value: "false"}},
	},
	"tls": {
		{{Field: "tls.version", Value: "1.2"}},
		{{Field: "tls.resume", Value: "true"}},
	},
	"lossy": {
		{{Field: "link.loss", Value: "0.05"}},
	},
	// The edits a teacher tries next (docs/lessons.md): keep-alive on the
	// proxy's hop, and six parallel connections for the blocked icons.
	"proxy-hop": {
		{{Field: "proxy.protocol", Value: "http1.1"}},
	},
	"hol-blocking": {
		{{Field: "http.parallel", Value: "6"}},
	},
	"idle-reuse": {
		{{Field: "tcp.restart", Value: "off"}},
	},
	"server-exhaustion": {
		{{Field: "server.idle_timeout", Value: "5s"}},
	},
}

// TestBuiltinMoments: every built-in lesson declares its key moments;
// each matches a record of every protocol it is about, as designed or
// under one of its variants; and wherever it matches, in any variant,
// what its sentence says is true of the trace at that record (facts).
func TestBuiltinMoments(t *testing.T) {
	for _, info := range scenarios.Builtins() {
		t.Run(info.Name, func(t *testing.T) {
			sc, err := scenarios.Builtin(info.Name)
			if err != nil {
				t.Fatal(err)
			}
			if len(sc.Moments) == 0 {
				t.Fatal("no key moments")
			}
			for _, m := range sc.Moments {
				if facts[m.Name] == nil {
					t.Errorf("moment %q: no fact check in facts: each sentence is checked against the trace", m.Name)
				}
			}
			matched := map[string]bool{} // moment name/protocol
			configs := []*scenarios.Scenario{sc}
			for _, v := range slices.Concat(momentVariants[""], momentVariants[info.Name]) {
				s, err := sc.With(v...)
				if err != nil {
					t.Fatal(err)
				}
				configs = append(configs, s)
			}
			protocols := sc.Compared() // the lesson's own comparison
			for k, s := range configs {
				for _, p := range protocols {
					cfg := s.Config
					cfg.ForProtocol(p)
					log := &trace.Log{}
					if _, err := model.Run(cfg, log); err != nil {
						t.Fatal(err)
					}
					recs := log.Records
					for _, h := range trace.Find(trace.List(recs), p.Traced(), s.Moments) {
						m := &s.Moments[h.Moment]
						r := &recs[h.Record]
						matched[m.Name+"/"+p.String()] = true
						if testing.Verbose() && k == 0 {
							t.Logf("%s %9s  %s", p, r.At.Round(time.Microsecond), m.Sentence(r))
						}
						if check := facts[m.Name]; check != nil {
							if err := check(facts0{recs: recs, i: h.Record, cfg: &cfg}); err != nil {
								t.Errorf("%s, variant %d, %s at %v: %q is not true: %v", p, k, m.Name, r.At, m.Sentence(r), err)
							}
						}
						if strings.Contains(m.Say, "{page}") && r.Page == 0 || strings.Contains(m.Say, "{conn}") && r.Conn == 0 {
							t.Errorf("%s: %s: the record names no page or connection for %q", p, m.Name, m.Say)
						}
					}
				}
			}
			for _, m := range sc.Moments {
				for _, p := range protocols {
					if applies(&m, p.Traced()) && !matched[m.Name+"/"+p.String()] {
						t.Errorf("moment %q matches nothing in %s, as designed or in a variant", m.Name, p)
					}
				}
			}
		})
	}
}

func applies(m *trace.Moment, p trace.Protocol) bool {
	return len(m.Protocols) == 0 || slices.Contains(m.Protocols, p)
}

// facts0 is a record a moment matched, in its run.
type facts0 struct {
	recs []trace.Record
	i    int
	cfg  *model.Config
}

func (f facts0) r() *trace.Record { return &f.recs[f.i] }

// find returns the index of the first record in recs[from:to] for which
// ok holds, or -1.
func (f facts0) find(from, to int, ok func(*trace.Record) bool) int {
	for j := max(from, 0); j < min(to, len(f.recs)); j++ {
		if ok(&f.recs[j]) {
			return j
		}
	}
	return -1
}

// last returns the index of the last record before the moment's for
// which ok holds, or -1.
func (f facts0) last(ok func(*trace.Record) bool) int {
	for j := f.i - 1; j >= 0; j-- {
		if ok(&f.recs[j]) {
			return j
		}
	}
	return -1
}

// at returns whether a record at the moment's time satisfies ok.
func (f facts0) at(ok func(*trace.Record) bool) bool {
	t := f.r().At
	for j := range f.recs {
		if f.recs[j].At == t && ok(&f.recs[j]) {
			return true
		}
	}
	return false
}

func packet(kind trace.Kind, conn int, dir trace.Dir, flags trace.Flags) func(*trace.Record) bool {
	return func(r *trace.Record) bool {
		return r.Kind == kind && r.Conn == conn && r.Dir == dir && r.Flags&flags == flags
	}
}

func kindOn(kind trace.Kind, conn int) func(*trace.Record) bool {
	return func(r *trace.Record) bool { return r.Kind == kind && (conn == 0 || r.Conn == conn) }
}

func state(conn int, dir trace.Dir, s trace.State) func(*trace.Record) bool {
	return func(r *trace.Record) bool {
		return r.Kind == trace.StateChanged && r.Conn == conn && r.Dir == dir && r.State == s
	}
}

func want(ok bool, format string, args ...any) error {
	if ok {
		return nil
	}
	return fmt.Errorf(format, args...)
}

// facts are the checks of what each moment's sentence says, by moment
// name: a name means the same wherever a lesson uses it.
var facts = map[string]func(f facts0) error{
	// "The browser has the main host's address: its first connection may
	// open"
	"lookup": func(f facts0) error {
		r := f.r()
		return want(r.Kind == trace.DNSDone && r.Label == f.cfg.HTTP.Host &&
			f.last(func(q *trace.Record) bool { return q.Flags&trace.SYN != 0 }) < 0 &&
			f.find(f.i+1, len(f.recs), func(q *trace.Record) bool { return q.Kind == trace.PacketSent && q.Flags == trace.SYN }) >= 0,
			"not the main host's lookup, before the first SYN")
	},
	// "The document names a file on another host, {label}: first, a DNS
	// lookup"
	"other-host": func(f facts0) error {
		r := f.r()
		q := f.last(kindOn(trace.ResourceQueued, 0))
		if r.Kind != trace.DNSStarted || r.Label == f.cfg.HTTP.Host || q < 0 {
			return fmt.Errorf("not a lookup of another host after a request was queued")
		}
		res := f.cfg.Page.Resources[f.recs[q].Resource-1]
		return want(res.Parent == 0 && f.cfg.HostOf(res.Origin) == r.Label &&
			f.last(func(c *trace.Record) bool { return c.Kind == trace.ConnHost && c.Label == r.Label }) < 0,
			"the resource queued before it (%s) is not the document's on %s, or %s has a connection already", res.Path, r.Label, r.Label)
	},
	// "Connection {conn} to the font host opens only now: the stylesheet
	// naming the fonts has arrived"
	"fonts": func(f facts0) error {
		r := f.r()
		if r.Kind != trace.ConnHost {
			return fmt.Errorf("not a connection's host")
		}
		for _, res := range f.cfg.Page.Resources {
			if res.Origin == 0 || f.cfg.HostOf(res.Origin) != r.Label {
				continue
			}
			parent := f.cfg.Page.Resources[res.Parent]
			if parent.Type != model.CSS || f.last(func(q *trace.Record) bool { return q.Kind == trace.LastByte && q.Resource == res.Parent+1 }) < 0 {
				return fmt.Errorf("%s on %s: its parent %s is no stylesheet that has arrived", res.Path, r.Label, parent.Path)
			}
		}
		return nil
	},
	// "The first TCP handshake is done: connection {conn} is open"
	"handshake": func(f facts0) error {
		r := f.r()
		return want(r.Kind == trace.StateChanged && r.Dir == trace.Up && r.State == trace.Established &&
			f.last(func(q *trace.Record) bool { return q.Kind == trace.StateChanged && q.State == trace.Established }) < 0 &&
			f.at(packet(trace.PacketArrived, r.Conn, trace.Down, trace.SYN|trace.ACK)),
			"not the first connection's client reaching ESTABLISHED as its SYN-ACK arrives")
	},
	// "… HTTP/1.0 has already closed the connection, so nothing can race"
	"h10-closed": func(f facts0) error {
		for _, c := range connsOfPage(f, f.r().Page) {
			if f.last(packet(trace.PacketSent, c, trace.Down, trace.FIN)) < 0 {
				return fmt.Errorf("connection %d has no FIN from the server yet", c)
			}
		}
		return nil
	},
	// "… the connection stays open, idle, for the next page"
	"kept-open": func(f facts0) error {
		for _, c := range connsOfPage(f, f.r().Page) {
			if j := f.last(func(q *trace.Record) bool { return q.Conn == c && q.Flags&(trace.FIN|trace.RST) != 0 }); j >= 0 {
				return fmt.Errorf("connection %d began to close at %v", c, f.recs[j].At)
			}
		}
		return nil
	},
	// "The request for page {page} reuses connection {conn}, kept open
	// since the last page: no handshake first"
	"kept": func(f facts0) error {
		r := f.r()
		prev := f.last(kindOn(trace.RequestSent, r.Conn))
		return want(prev >= 0 && f.recs[prev].Page < r.Page && f.last(state(r.Conn, trace.Up, trace.SynSent)) < prev,
			"connection %d carried no request of an earlier page, or was opened since", r.Conn)
	},
	// "The server's idle timeout fires: it says 408 Request Timeout before it
	// closes connection {conn}"
	"408": func(f facts0) error {
		r := f.r()
		return want(f.at(func(q *trace.Record) bool {
			return q.Kind == trace.IdleTimeout && q.Conn == r.Conn && q.Dir == trace.Down
		}) &&
			f.find(f.i+1, len(f.recs), packet(trace.PacketSent, r.Conn, trace.Down, trace.FIN)) >= 0 &&
			f.last(packet(trace.PacketSent, r.Conn, trace.Down, trace.FIN)) < 0,
			"no idle timeout at the 408, or no FIN after it")
	},
	// "The server's idle timeout has fired: it closes connection {conn},
	// and its FIN leaves" (the FIN itself: under idle_close: 408 it
	// follows the 408, and the moments keep the trace's order)
	"fin": func(f facts0) error {
		r := f.r()
		timeout := f.at(func(q *trace.Record) bool {
			return q.Kind == trace.IdleTimeout && q.Dir == trace.Down && q.Conn == r.Conn && q.At == r.At
		})
		return want(r.Kind == trace.PacketSent && r.Dir == trace.Down && r.Flags&trace.FIN != 0 && timeout, "not the server's FIN at its idle timeout")
	},
	// "The request for page {page} leaves on connection {conn}: it crosses
	// the server's FIN on the link"
	"race": func(f facts0) error {
		r := f.r()
		sent := f.last(packet(trace.PacketSent, r.Conn, trace.Down, trace.FIN))
		if sent < 0 {
			return fmt.Errorf("no FIN sent by the server on connection %d before the request", r.Conn)
		}
		fin := f.recs[sent].Packet
		arrived := f.find(sent, len(f.recs), func(q *trace.Record) bool { return q.Kind == trace.PacketArrived && q.Packet == fin })
		if arrived < 0 || f.recs[arrived].At <= r.At {
			return fmt.Errorf("the server's FIN (sent at %v) reached the browser before the request left", f.recs[sent].At)
		}
		return nil
	},
	// "The browser learns that connection {conn} is closed before any
	// answer: it retries the request on a new one"
	"retry": func(f facts0) error {
		r := f.r()
		again := f.find(f.i+1, len(f.recs), func(q *trace.Record) bool {
			return q.Kind == trace.RequestSent && q.Resource == r.Resource && q.Conn != r.Conn
		})
		return want(f.at(func(q *trace.Record) bool {
			return q.Kind == trace.PacketArrived && q.Conn == r.Conn && q.Dir == trace.Down &&
				(q.Flags&(trace.FIN|trace.RST) != 0 || strings.HasPrefix(q.Label, "408"))
		}) &&
			f.last(func(q *trace.Record) bool { return q.Kind == trace.FirstByte && q.Resource == r.Resource }) < 0 &&
			again >= 0 && f.last(state(f.recs[again].Conn, trace.Up, trace.SynSent)) < 0,
			"no FIN arriving at the retry, an answer before it, or no request again on a new connection")
	},
	// "The request reaches a socket the server has closed: it answers with a reset (RST)"
	"rst": func(f facts0) error {
		r := f.r()
		return want(f.at(func(q *trace.Record) bool {
			return q.Kind == trace.PacketArrived && q.Conn == r.Conn && q.Dir == trace.Up && strings.HasPrefix(q.Label, "GET")
		}) && f.last(packet(trace.PacketSent, r.Conn, trace.Down, trace.FIN)) >= 0,
			"the reset does not answer a request arriving after the server's FIN")
	},
	// "The browser does not retry: the request for page {page} fails"
	"failed": func(f facts0) error {
		r := f.r()
		return want(!f.cfg.Browser.Retry && f.find(f.i+1, len(f.recs), func(q *trace.Record) bool {
			return q.Kind == trace.RequestSent && q.Resource == r.Resource
		}) < 0, "the browser retries, or sends the request again")
	},
	// "Page {page} has loaded over the new connection, one handshake later
	// than a reuse would have"
	"reloaded": func(f facts0) error {
		start := f.last(func(q *trace.Record) bool { return q.Kind == trace.PageStarted && q.Page == f.r().Page })
		for _, c := range connsOfPage(f, f.r().Page) {
			if j := f.last(state(c, trace.Up, trace.SynSent)); j < start {
				return fmt.Errorf("connection %d was opened before the page started", c)
			}
		}
		return nil
	},
	// "The server's TIME-WAIT ends: the last socket of connection {conn} is gone"
	"timewait-end": func(f facts0) error {
		r := f.r()
		up := f.last(state(r.Conn, trace.Up, trace.Closed))
		return want(r.Dir == trace.Down && f.last(state(r.Conn, trace.Down, trace.TimeWait)) >= 0 && up >= 0,
			"not the server's TIME-WAIT ending after the client's socket closed")
	},
	// "Page {page} has loaded", "Page {page} of the first visitor has loaded"
	"loaded": func(f facts0) error { return want(f.r().Kind == trace.PageLoaded && f.r().Page > 0, "no page loaded") },
	// "HTTP/2's first request leaves on connection {conn} after two round
	// trips: TCP's handshake, then TLS 1.3's"
	"h2-first-request": func(f facts0) error {
		rtt := 2 * f.cfg.Link.Delay
		at := sim.Time(f.r().At)
		return want(f.r().Kind == trace.RequestSent && at >= 2*rtt && at < 3*rtt && f.last(kindOn(trace.RequestSent, 0)) < 0,
			"not the first request, two to three round trips in: at %v", at)
	},
	// "HTTP/3's first request leaves on connection {conn} after one round
	// trip: QUIC's handshake is TLS's"
	"h3-first-request": func(f facts0) error {
		rtt := 2 * f.cfg.Link.Delay
		at := sim.Time(f.r().At)
		return want(f.r().Kind == trace.RequestSent && at >= rtt && at < 2*rtt && f.last(kindOn(trace.RequestSent, 0)) < 0,
			"not the first request, one to two round trips in: at %v", at)
	},
	// "A packet from the server is lost on connection {conn}"
	"server-loss": func(f facts0) error {
		return want(f.r().Kind == trace.PacketDropped && f.r().Dir == trace.Down, "not a server's packet dropped")
	},
	// "The server learns of the loss on connection {conn} and sends the
	// lost data again (QUIC: in a new packet, as soon as its window
	// allows)": a retransmission after a server packet was dropped, and
	// over QUIC a retransmitted packet leaves after it.
	"server-repair": func(f facts0) error {
		r := f.r()
		lost := f.last(func(q *trace.Record) bool {
			return q.Kind == trace.PacketDropped && q.Dir == trace.Down && q.Conn == r.Conn
		})
		if r.Kind != trace.Retransmit || r.Dir != trace.Down || lost < 0 {
			return fmt.Errorf("no retransmission by the server after a loss on its connection")
		}
		if r.Note == trace.RetxQUICLost {
			for _, q := range f.recs[f.i:] {
				if q.Kind == trace.PacketSent && q.Dir == trace.Down && q.Conn == r.Conn && q.Retx {
					return nil
				}
			}
			return fmt.Errorf("QUIC declared the loss but never sent its data again")
		}
		return nil
	},
	"visitor-loaded": func(f facts0) error {
		return want(f.r().Kind == trace.PageLoaded && f.r().Client <= 1, "not the first visitor's page")
	},
	// "HTTP/1.0 kept no connection: the request for page {page} waits for a
	// new handshake on connection {conn}"
	"page-new-conn": func(f facts0) error { return newConnForPage(f, false) },
	// "A request for page {page} goes on a new connection, {conn}: a
	// handshake, one more round trip, first"
	"late-new-conn": func(f facts0) error { return newConnForPage(f, true) },
	// "The server's keep-alive timeout runs out: it closes connection
	// {conn}, idle since its last response"
	"server-idle-close": func(f facts0) error {
		r := f.r()
		answered := f.last(func(q *trace.Record) bool { return q.Kind == trace.ServerIdle && q.Conn == r.Conn })
		busy := f.last(func(q *trace.Record) bool { return q.Kind == trace.ServerBusy && q.Conn == r.Conn })
		return want(r.Dir == trace.Down && answered > busy && r.At-f.recs[answered].At == f.cfg.Server.IdleTimeout,
			"connection %d was not idle for the server's timeout since its last response", r.Conn)
	},
	// "The stylesheet and script come from the browser's cache: no request at all"
	"cached": func(f facts0) error {
		r := f.r()
		for _, path := range []string{"/style.css", "/app.js"} {
			if f.find(0, len(f.recs), func(q *trace.Record) bool {
				return q.Kind == trace.ResponseCached && q.Page == r.Page && q.Label == path
			}) < 0 || f.find(0, len(f.recs), func(q *trace.Record) bool {
				return q.Kind == trace.RequestSent && q.Page == r.Page && strings.HasSuffix(q.Label, " "+path)
			}) >= 0 {
				return fmt.Errorf("%s of page %d is not from the cache, or is requested", path, r.Page)
			}
		}
		return nil
	},
	// "Pipelining: every request has gone on connection {conn}, before the
	// first response"; "HTTP/2: every request has gone as a stream of
	// connection {conn}"
	"pipeline": func(f facts0) error {
		r := f.r()
		return want(allRequestsOn(f, r.Conn) && f.last(func(q *trace.Record) bool {
			return q.Kind == trace.FirstByte && q.Resource > 1
		}) < 0, "a request on another connection, or a response before the last request")
	},
	"multiplexed": func(f facts0) error {
		return want(allRequestsOn(f, f.r().Conn) && f.r().Stream > 0, "a request on another connection, or no stream")
	},
	// "The 1 MB image's response starts on connection {conn}"
	"hero": func(f facts0) error {
		r := f.r()
		return want(r.Kind == trace.FirstByte && r.Label == "/hero.jpg" && r.Conn > 0, "not the image's first byte")
	},
	// "The first icon's answer starts only now, behind the whole image:
	// head-of-line blocking"
	"blocked": func(f facts0) error {
		img := f.last(func(q *trace.Record) bool { return q.Kind == trace.LastByte && q.Label == "/hero.jpg" })
		return want(img >= 0 && f.recs[img].Conn == f.r().Conn, "the image has not arrived whole on the icon's connection")
	},
	// "HTTP/2: the first icon arrives while the image is still on its way:
	// their frames take turns"
	"interleaved": func(f facts0) error {
		r := f.r()
		began := f.last(func(q *trace.Record) bool { return q.Kind == trace.FirstByte && q.Label == "/hero.jpg" })
		done := f.last(func(q *trace.Record) bool { return q.Kind == trace.LastByte && q.Label == "/hero.jpg" })
		return want(began >= 0 && done < 0 && f.recs[began].Conn == r.Conn, "the image is not on its way on the same connection")
	},
	// "The last byte of the 1 MB image arrives"
	"image": func(f facts0) error {
		return want(f.r().Kind == trace.LastByte && f.r().Len == 1_000_000, "not a 1 MB body: %d bytes", f.r().Len)
	},
	// "The first packet is lost on the link, at random: {label} on connection {conn}"
	"first-loss": func(f facts0) error {
		return want(f.r().Note == "random loss" && f.last(kindOn(trace.PacketDropped, 0)) < 0, "not the first packet lost at random: %q", f.r().Note)
	},
	// "Later segments were acknowledged, so the {side} marks the missing
	// one lost and sends it again"
	"repaired": func(f facts0) error {
		r := f.r()
		lost := f.last(func(q *trace.Record) bool {
			return q.Kind == trace.PacketDropped && q.Conn == r.Conn && q.Dir == r.Dir && q.Seq == r.Seq
		})
		later := f.find(lost+1, f.i, func(q *trace.Record) bool {
			return q.Kind == trace.PacketArrived && q.Conn == r.Conn && q.Dir == r.Dir && q.Seq > r.Seq
		})
		return want(lost >= 0 && later >= 0, "no loss of seq %d on connection %d with later segments arriving", r.Seq, r.Conn)
	},
	// "A handshake segment of connection {conn} was lost: nothing else
	// tells TCP, so it waited for its timer"
	"syn-timeout": func(f facts0) error {
		r := f.r()
		return want(f.last(func(q *trace.Record) bool {
			return q.Kind == trace.PacketDropped && q.Conn == r.Conn && q.Flags&trace.SYN != 0
		}) >= 0, "no SYN or SYN-ACK of connection %d was lost", r.Conn)
	},
	// "The proxy opens connection {conn} to the origin for the browser's request"
	"origin": func(f facts0) error {
		r := f.r()
		return want(f.last(func(q *trace.Record) bool { return q.Kind == trace.RequestSent && q.Conn != r.Conn }) >= 0 &&
			f.at(state(r.Conn, trace.Up, trace.SynSent)), "no browser request before, or no SYN on connection %d", r.Conn)
	},
	// "The origin closes connection {conn}, the proxy's to it"
	"origin-close": func(f facts0) error {
		r := f.r()
		return want(isOrigin(f, r.Conn) && r.Flags&trace.FIN != 0, "connection %d is not the proxy's to the origin, or no FIN closes it", r.Conn)
	},
	// "Another connection to the origin, {conn}, for the next request: a
	// handshake on that hop each time"
	"origin-again": func(f facts0) error {
		r := f.r()
		return want(f.at(state(r.Conn, trace.Up, trace.SynSent)) && f.cfg.Proxy.Protocol == model.HTTP10, "no handshake on connection %d", r.Conn)
	},
	// "The browser reuses connection {conn} to the proxy: keep-alive holds on its own hop"
	"hop-reuse": func(f facts0) error {
		return want(!isOrigin(f, f.r().Conn) && reused(f), "connection %d is the proxy's, or not reused", f.r().Conn)
	},
	// "Every worker slot is taken, most by idle keep-alive connections:
	// connection {conn} waits in the backlog"
	"backlog": func(f facts0) error {
		held, idle := slots(f)
		return want(held == f.cfg.Server.MaxConnections && 2*idle > held, "%d of %d slots held, %d idle", held, f.cfg.Server.MaxConnections, idle)
	},
	// "The backlog is full too: the server drops connection {conn}'s SYN,
	// and the client's TCP will send it again"
	"refused": func(f facts0) error {
		r := f.r()
		return want(f.find(f.i, len(f.recs), func(q *trace.Record) bool {
			return q.Kind == trace.Retransmit && q.Conn == r.Conn && q.Note == trace.RetxSynTimeout
		}) >= 0, "connection %d's SYN is not sent again", r.Conn)
	},
	// "Connection {conn} closes and frees its slot: the server takes a
	// connection from the backlog"
	"slot-frees": func(f facts0) error {
		return want(f.at(func(q *trace.Record) bool {
			return q.Kind == trace.Accepted && f.find(0, f.i, kindOn(trace.Backlogged, q.Conn)) >= 0
		}), "no backlogged connection accepted as the slot frees")
	},
	// "HTTP/1.0: the server frees connection {conn}'s slot as soon as it has answered"
	"h10-slot": func(f facts0) error {
		return want(f.at(packet(trace.PacketSent, f.r().Conn, trace.Down, trace.FIN)) || f.at(state(f.r().Conn, trace.Down, trace.FinWait1)),
			"the server does not close connection %d as it frees the slot", f.r().Conn)
	},
	// "After a silence, the {side}'s TCP sends a keep-alive probe: a segment
	// the other side must acknowledge"; "Silence again, so another probe"
	"probe":       func(f facts0) error { return silentFor(f, f.cfg.TCP.KeepAliveIdle) },
	"probe-again": func(f facts0) error { return silentFor(f, f.cfg.TCP.KeepAliveIdle) },
	// "The {side}'s TCP acknowledges the probe: connection {conn} is alive"
	"probe-ack": func(f facts0) error {
		r := f.r()
		return want(f.at(func(q *trace.Record) bool {
			return q.Kind == trace.PacketArrived && q.Conn == r.Conn && q.Dir != r.Dir && q.Label == trace.ProbeLabel
		}), "no probe arrived on connection %d", r.Conn)
	},
	// "The browser's idle timeout closes connection {conn} at last: the
	// probes end with it"
	"probes-end": func(f facts0) error {
		r := f.r()
		return want(f.last(func(q *trace.Record) bool { return q.Conn == r.Conn && q.Label == trace.ProbeLabel }) >= 0 &&
			f.find(f.i+1, len(f.recs), func(q *trace.Record) bool { return q.Conn == r.Conn && q.Label == trace.ProbeLabel }) < 0,
			"no probes before, or probes after")
	},
	// "…: a new connection, {conn}, for the next object/file, and a round
	// trip for its handshake"
	"h10-next": func(f facts0) error {
		r := f.r()
		next := f.find(f.i, len(f.recs), kindOn(trace.RequestSent, r.Conn))
		est := f.find(f.i, len(f.recs), state(r.Conn, trace.Up, trace.Established))
		return want(next >= 0 && est >= 0 && est <= next && f.recs[est].At-r.At >= f.cfg.Link.Delay*2 &&
			f.last(func(q *trace.Record) bool { return q.Kind == trace.RequestSent && q.Conn == r.Conn }) < 0,
			"connection %d carries no request a round trip later", r.Conn)
	},
	// "… the next request goes on connection {conn}, already open: no handshake"
	"reuse": func(f facts0) error { return want(reused(f), "connection %d is not reused", f.r().Conn) },
	"tls-reuse": func(f facts0) error {
		return want(reused(f) && f.last(kindOn(trace.TLSDone, f.r().Conn)) >= 0, "connection %d is not reused, or has no TLS", f.r().Conn)
	},
	// "Pipelining: the requests leave back to back on connection {conn},
	// without waiting for answers"
	"pipelined": func(f facts0) error {
		r := f.r()
		prev := f.last(kindOn(trace.RequestSent, r.Conn))
		return want(prev >= 0 && f.find(prev, f.i, func(q *trace.Record) bool {
			return q.Kind == trace.FirstByte && q.Resource == f.recs[prev].Resource
		}) < 0, "the previous request was answered first")
	},
	// "The server/browser closed first, so its side of connection {conn}
	// waits in TIME-WAIT"
	"server-tw": func(f facts0) error { return firstFIN(f, trace.Down) },
	"client-tw": func(f facts0) error { return firstFIN(f, trace.Up) },
	// "The browser's idle timeout closes connection {conn}: here the browser closes first"
	"browser-closes": func(f facts0) error {
		r := f.r()
		return want(r.Dir == trace.Up && f.last(packet(trace.PacketSent, r.Conn, trace.Down, trace.FIN)) < 0, "the server closed first")
	},
	// "The first TIME-WAIT ends: the {side}'s socket of connection {conn} is gone"
	"tw-end": func(f facts0) error {
		r := f.r()
		tw := f.last(state(r.Conn, r.Dir, trace.TimeWait))
		return want(tw >= 0 && f.last(func(q *trace.Record) bool {
			return q.Kind == trace.StateChanged && q.State == trace.Closed && f.find(0, len(f.recs), state(q.Conn, q.Dir, trace.TimeWait)) >= 0 &&
				f.find(0, len(f.recs), state(q.Conn, q.Dir, trace.TimeWait)) < f.i
		}) < 0, "not the first TIME-WAIT to end")
	},
	// "A full TLS handshake begins on connection {conn}: the server's
	// processor will have to sign it"; "The server's core starts on a full
	// handshake's signature"
	"full-tls": func(f facts0) error {
		r := f.r()
		return want(r.Note == trace.TLSFull && f.find(f.i, len(f.recs), func(q *trace.Record) bool {
			return q.Kind == trace.CPUDone && q.Conn == r.Conn && q.Label == trace.WorkFullTLS
		}) >= 0, "no full handshake for the server's processor")
	},
	"sign": func(f facts0) error {
		return want(f.r().Label == trace.WorkFullTLS && f.cfg.Server.CPUs > 0, "not a full handshake's work on a core")
	},
	// "A new connection for the next file, {conn}, and another full TLS handshake"
	"tls-again": func(f facts0) error {
		r := f.r()
		first := f.last(kindOn(trace.TLSStarted, 0))
		return want(r.Note == trace.TLSFull && first >= 0 && f.recs[first].Conn != r.Conn &&
			f.last(kindOn(trace.RequestSent, r.Conn)) < 0, "not a full handshake on a new connection")
	},
	// "TCP's handshake is done and the TLS handshake begins: the first request waits for it"
	"tls-start": func(f facts0) error {
		r := f.r()
		done := f.find(f.i, len(f.recs), kindOn(trace.TLSDone, r.Conn))
		req := f.find(f.i, len(f.recs), kindOn(trace.RequestSent, r.Conn))
		return want(f.at(state(r.Conn, trace.Up, trace.Established)) && done >= 0 && req > done,
			"not TLS starting as TCP's handshake ends, before the first request")
	},
	// "The TLS handshake is done: the first request leaves on connection {conn} at once"
	"tls-done": func(f facts0) error {
		r := f.r()
		return want(f.at(kindOn(trace.RequestSent, r.Conn)) && f.last(kindOn(trace.RequestSent, r.Conn)) < 0, "no first request at once")
	},
	// "The first bytes of the document arrive"
	"document": func(f facts0) error {
		return want(f.r().Resource == 1, "resource %d is not the document", f.r().Resource)
	},
	// "The document names another file: the browser queues a request for it"
	"discover": func(f facts0) error {
		return want(f.r().Resource > 1 && f.last(func(q *trace.Record) bool { return q.Kind == trace.FirstByte && q.Resource == 1 }) >= 0,
			"not found in the document after its first bytes")
	},
}

// newConnForPage checks that the moment's request is its connection's
// first, on a connection opened for its page, a round trip (late: at
// least) after the SYN.
func newConnForPage(f facts0, late bool) error {
	r := f.r()
	start := f.last(func(q *trace.Record) bool { return q.Kind == trace.PageStarted && q.Page == r.Page })
	syn := f.last(state(r.Conn, trace.Up, trace.SynSent))
	switch {
	case f.last(kindOn(trace.RequestSent, r.Conn)) >= 0:
		return fmt.Errorf("connection %d carried a request before", r.Conn)
	case syn < start:
		return fmt.Errorf("connection %d was opened before page %d started", r.Conn, r.Page)
	case r.At-f.recs[syn].At < f.cfg.Link.Delay*2:
		return fmt.Errorf("the request left %v after the SYN, less than a round trip", r.At-f.recs[syn].At)
	}
	if !late {
		for j := start; j >= 0 && j < f.i; j++ {
			if q := &f.recs[j]; q.Kind == trace.RequestSent && q.Page == r.Page {
				return fmt.Errorf("an earlier request of page %d", r.Page)
			}
		}
	}
	return nil
}

// allRequestsOn reports whether every request of the run up to the
// moment went on conn.
func allRequestsOn(f facts0, conn int) bool {
	return f.find(0, f.i+1, func(q *trace.Record) bool { return q.Kind == trace.RequestSent && q.Conn != conn }) < 0
}

// isOrigin reports whether a proxy opened conn to the origin.
func isOrigin(f facts0, conn int) bool {
	return f.find(0, len(f.recs), kindOn(trace.OriginConn, conn)) >= 0
}

// reused reports whether the moment's request goes on a connection that
// carried one before and opened no new handshake since.
func reused(f facts0) bool {
	r := f.r()
	prev := f.last(kindOn(trace.RequestSent, r.Conn))
	return r.Kind == trace.RequestSent && prev >= 0 && f.last(state(r.Conn, trace.Up, trace.SynSent)) < prev
}

// slots counts the server's slots held at the moment, and how many of
// them hold a connection waiting for its next request.
func slots(f facts0) (held, idle int) {
	busy := map[int]bool{}
	in := map[int]bool{}
	for j := 0; j < f.i; j++ {
		switch q := &f.recs[j]; q.Kind {
		case trace.Accepted:
			in[q.Conn] = true
		case trace.SlotReleased:
			delete(in, q.Conn)
		case trace.ServerBusy:
			busy[q.Conn] = true
		case trace.ServerIdle:
			busy[q.Conn] = false
		}
	}
	for c := range in {
		held++
		if !busy[c] {
			idle++
		}
	}
	return held, idle
}

// silentFor checks that nothing came to the moment's sender on its
// connection for at least d.
func silentFor(f facts0, d time.Duration) error {
	r := f.r()
	heard := f.last(func(q *trace.Record) bool { return q.Kind == trace.PacketArrived && q.Conn == r.Conn && q.Dir != r.Dir })
	return want(heard >= 0 && r.At-f.recs[heard].At >= d, "connection %d was not silent for %v", r.Conn, d)
}

// firstFIN checks that side d sent the first FIN of the moment's connection.
func firstFIN(f facts0, d trace.Dir) error {
	r := f.r()
	first := f.find(0, f.i, func(q *trace.Record) bool {
		return q.Kind == trace.PacketSent && q.Conn == r.Conn && q.Flags&trace.FIN != 0
	})
	return want(r.Dir == d && first >= 0 && f.recs[first].Dir == d, "the other side closed connection %d first", r.Conn)
}

// connsOfPage returns the connections that carried the requests of page
// p, up to the moment.
func connsOfPage(f facts0, p int) []int {
	var out []int
	for j := 0; j < f.i; j++ {
		if q := &f.recs[j]; q.Kind == trace.LastByte && q.Page == p && q.Conn != 0 && !slices.Contains(out, q.Conn) {
			out = append(out, q.Conn)
		}
	}
	return out
}
