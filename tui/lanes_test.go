package tui

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestAssignLanes: a run gets a lane per host, and each connection the
// pair of lanes its client and server are on: a proxy's connections to
// the origin (OriginConn records) the proxy's and the origin's; on a
// page of several hosts (ConnHost records) the client's and its host's,
// the hosts in the order the browser first connected to them.
func TestAssignLanes(t *testing.T) {
	open := func(at time.Duration, conn, client int) trace.Record {
		return trace.Record{At: at, Kind: trace.StateChanged, Conn: conn, Dir: trace.Up, State: trace.SynSent, Client: client}
	}
	origin := func(at time.Duration, conn int) trace.Record {
		return trace.Record{At: at, Kind: trace.OriginConn, Conn: conn}
	}
	host := func(at time.Duration, conn int, name string) trace.Record {
		return trace.Record{At: at, Kind: trace.ConnHost, Conn: conn, Label: name}
	}
	const www, cdn, fonts = "www.example.com", "cdn.example.com", "fonts.example.net"
	for _, tc := range []struct {
		name  string
		recs  []trace.Record
		lanes []string
		hops  map[int]int    // connection id → hop
		to    map[int]string // connection id → the lane its hop ends at, when given
	}{
		{"one browser, one server", []trace.Record{open(0, 1, 0), open(1, 2, 0)},
			[]string{"client", "server"}, map[int]int{1: 0, 2: 0}, nil},
		{"a proxy: browser, proxy, origin", []trace.Record{open(0, 1, 0), origin(5, 2), open(5, 2, 0), open(6, 3, 0), origin(9, 4), open(9, 4, 0)},
			[]string{"browser", "proxy", "origin"}, map[int]int{1: 0, 2: 1, 3: 0, 4: 1}, nil},
		{"many clients", []trace.Record{open(0, 1, 1), open(1, 2, 2)},
			[]string{"clients", "server"}, map[int]int{1: 0, 2: 0}, nil},
		{"many clients through a proxy", []trace.Record{open(0, 1, 1), origin(1, 2), open(1, 2, 1), open(2, 3, 2)},
			[]string{"clients", "proxy", "origin"}, map[int]int{1: 0, 2: 1, 3: 0}, nil},
		{"no connection", nil, []string{"client", "server"}, map[int]int{}, nil},
		// testdata/hosts.yaml over HTTP/1.1: two connections to the page's
		// host, then one to each other host, as its DNS answers come.
		{"three hosts", []trace.Record{host(30, 1, www), open(30, 1, 0), host(345, 2, www), open(345, 2, 0),
			host(375, 3, cdn), open(375, 3, 0), host(492, 4, fonts), open(492, 4, 0)},
			[]string{"client", www, cdn, fonts}, map[int]int{1: 0, 2: 0, 3: 1, 4: 2},
			map[int]string{1: www, 2: www, 3: cdn, 4: fonts}},
		{"hosts by first connection, not by name", []trace.Record{host(0, 1, fonts), open(0, 1, 0), host(5, 2, cdn), open(5, 2, 0), host(9, 3, fonts), open(9, 3, 0)},
			[]string{"client", fonts, cdn}, map[int]int{1: 0, 2: 1, 3: 0}, map[int]string{1: fonts, 2: cdn, 3: fonts}},
		{"one host named", []trace.Record{host(0, 1, cdn), open(0, 1, 0), host(3, 2, cdn), open(3, 2, 0)},
			[]string{"client", cdn}, map[int]int{1: 0, 2: 0}, map[int]string{1: cdn, 2: cdn}},
		{"many clients on two hosts", []trace.Record{host(0, 1, www), open(0, 1, 1), host(1, 2, cdn), open(1, 2, 2)},
			[]string{"clients", www, cdn}, map[int]int{1: 0, 2: 1}, map[int]string{1: www, 2: cdn}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ix := newRunIndex(&Run{Records: tc.recs}, 100*time.Millisecond)
			if !slices.Equal(ix.lanes.names, tc.lanes) {
				t.Errorf("lanes %q, want %q", ix.lanes.names, tc.lanes)
			}
			for id, want := range tc.hops {
				if got := ix.lanes.hop[id]; got != want {
					t.Errorf("c%d on hop %d, want %d", id, got, want)
				}
			}
			if len(ix.lanes.hop) != len(tc.hops) {
				t.Errorf("%d connections have lanes, want %d", len(ix.lanes.hop), len(tc.hops))
			}
			for id, want := range tc.to {
				hop := ix.lanes.hops[ix.lanes.hop[id]]
				if from, to := ix.lanes.names[hop.client], ix.lanes.names[hop.server]; from != tc.lanes[0] || to != want {
					t.Errorf("c%d from %s to %s, want from %s to %s", id, from, to, tc.lanes[0], want)
				}
			}
		})
	}
}

// originConns are the connections the trace's OriginConn records name,
// read from the records alone.
func originConns(recs []trace.Record) map[int]bool {
	out := map[int]bool{}
	for _, r := range recs {
		if r.Kind == trace.OriginConn {
			out[r.Conn] = true
		}
	}
	return out
}

// TestHopFlights: each hop of proxy-hop crosses in its own time (50 ms
// from the browser to the proxy, 10 ms on to the origin), as the
// fastest packet of each hop and direction in the records took, so a
// packet in flight or lost is drawn where it is on its own hop.
func TestHopFlights(t *testing.T) {
	for _, file := range []string{"proxy-http1.1.jsonl", "proxy-http2.jsonl"} {
		recs := readTrace(t, file)
		origin := originConns(recs)
		sent := map[uint64]time.Duration{}
		var want [2][3]time.Duration
		for _, r := range recs {
			switch r.Kind {
			case trace.PacketSent:
				sent[r.Packet] = r.At
			case trace.PacketArrived:
				hop := 0
				if origin[r.Conn] {
					hop = 1
				}
				if f := r.At - sent[r.Packet]; want[hop][r.Dir] == 0 || f < want[hop][r.Dir] {
					want[hop][r.Dir] = f
				}
			}
		}
		ix := newRunIndex(&Run{Records: recs}, 100*time.Millisecond)
		for hop := range want {
			for _, d := range []trace.Dir{trace.Up, trace.Down} {
				if got := ix.lanes.oneWay[hop][d]; got != want[hop][d] {
					t.Errorf("%s: hop %d %v crosses in %v, the records' fastest %v", file, hop, d, got, want[hop][d])
				}
			}
		}
		if f := ix.lanes.oneWay[0][trace.Up]; f < 50*time.Millisecond || f > 51*time.Millisecond {
			t.Errorf("%s: the browser's packets cross in %v, want the 100 ms RTT's 50 ms", file, f)
		}
		if f := ix.lanes.oneWay[1][trace.Up]; f < 10*time.Millisecond || f > 11*time.Millisecond {
			t.Errorf("%s: the proxy's packets cross in %v, want the 20 ms RTT's 10 ms", file, f)
		}
	}
}

var connName = regexp.MustCompile(`c([0-9]+)`)

// TestProxyLadderLanes: on the proxy-hop ladder, at every 20 ms of the
// page load, every connection named between the browser's and the
// proxy's lanes (in the heading and on the labels) is a browser's and
// every one between the proxy's and the origin's is one the trace's
// OriginConn records name.
func TestProxyLadderLanes(t *testing.T) {
	const w, h = 100, 30
	l := proxyLesson(t)
	for p, run := range l.Runs {
		origin := originConns(run.Records)
		s := newState(l, Options{NoColor: true})
		s.setProto(p)
		lanes := laneColumns(3, ladderAxisW, w-1)
		seen := [2]int{}
		for at := time.Duration(0); at < 800*time.Millisecond; at += 20 * time.Millisecond {
			s.player.Seek(at)
			rows := strings.Split(string(render(t, newFrame(s), w, h)), "\n")
			head := rows[headerRows]
			for _, name := range []string{"browser", "proxy", "origin"} {
				if !strings.Contains(head, name) {
					t.Fatalf("%s at %v: no %q lane in %q", run.Protocol, at, name, head)
				}
			}
			_, _, _, bh := bodyRect(w, h)
			for y := headerRows; y < headerRows+bh-1; y++ {
				row := []rune(rows[y])
				for _, m := range connName.FindAllStringSubmatchIndex(rows[y], -1) {
					x := len([]rune(rows[y][:m[0]]))
					if x <= lanes[0] || x >= len(row) {
						continue
					}
					id, _ := strconv.Atoi(rows[y][m[2]:m[3]])
					hop := 0
					if x > lanes[1] {
						hop = 1
					}
					seen[hop]++
					if origin[id] != (hop == 1) {
						t.Errorf("%s at %v: c%d drawn on hop %d (column %d):\n%s", run.Protocol, at, id, hop, x, rows[y])
					}
				}
			}
		}
		if seen[0] == 0 || seen[1] == 0 {
			t.Errorf("%s: connections named on the two hops: %v", run.Protocol, seen)
		}
	}
}

// TestLaneName: a host lane's name is cut to its room keeping its
// beginning, at a dot when that costs little.
func TestLaneName(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    int
		want string
	}{
		{"www.example.com", 15, "www.example.com"},    // fits
		{"fonts.example.net", 14, "fonts.example…"},   // after the label that fits
		{"cdn.example.com", 13, "cdn.example…"},       // one character lost to the dot
		{"www.example.com", 11, "www.exampl…"},        // "www…" would lose too much
		{"averylonghostname.example", 9, "averylon…"}, // no label fits
		{"cdn.example.com", 2, "cdn…"},                // never below 6
		{"server", 8, "server"},
	} {
		if got := laneName(tc.name, tc.w); got != tc.want || width(got) > max(tc.w, 6) {
			t.Errorf("laneName(%q, %d) = %q, want %q", tc.name, tc.w, got, tc.want)
		}
	}
}

// TestHostLadderLanes: on the ladder of a page on several hosts, at
// every 20 ms of the page load and at both sizes, each host has a lane
// named after it (or its beginning), in the order of its first
// connection, or, past the lanes that fit 17 columns apart, shares the
// last ("+N hosts"); and a connection named beside a host's lane, in
// the heading or on a label, goes to that host (or to one of those
// sharing it), as its ConnHost record says: the client's labels, beside
// the first lane, may name any.
func TestHostLadderLanes(t *testing.T) {
	for _, tc := range []struct {
		lesson func(testing.TB) Lesson
		hosts  []string // in the order the browser first connected to them
		end    time.Duration
	}{
		{hostsLesson, []string{"www.example.com", "cdn.example.com", "fonts.example.net"}, time.Second},
		{manyHostsLesson, []string{"www.example.com", "cdn.example.com", "fonts.example.net", "img.example.org",
			"ads.example.biz", "api.example.io", "stats.example.info"}, 500 * time.Millisecond},
	} {
		l := tc.lesson(t)
		for p, run := range l.Runs {
			hostOf := map[int]string{}
			for _, r := range run.Records {
				if r.Kind == trace.ConnHost {
					hostOf[r.Conn] = r.Label
				}
			}
			for _, size := range [][2]int{{100, 30}, {80, 24}} {
				w, h := size[0], size[1]
				s := newState(l, Options{NoColor: true})
				s.setProto(p)
				n := min(1+len(tc.hosts), 1+(w-1-ladderAxisW)/17) // lanes that fit
				lanes := laneColumns(n, ladderAxisW, w-1)
				shown := tc.hosts[:n-1] // the hosts of each lane after the client's
				if n-1 < len(tc.hosts) {
					shown = tc.hosts[:n-2]
				}
				// on is whether a label of connection id may be in gap g.
				on := func(g int, id int) bool {
					if g < len(shown) {
						return hostOf[id] == shown[g]
					}
					return slices.Contains(tc.hosts[len(shown):], hostOf[id])
				}
				gapOf := func(x int) int {
					for g := 1; g < len(lanes); g++ {
						if x < lanes[g] {
							return g - 1
						}
					}
					return -1
				}
				seen := map[int]int{}
				for at := time.Duration(0); at < tc.end; at += 20 * time.Millisecond {
					s.player.Seek(at)
					rows := strings.Split(string(render(t, newFrame(s), w, h)), "\n")
					head := rows[headerRows]
					for _, name := range shown {
						if !strings.Contains(head, strings.TrimSuffix(laneName(name, 6), "…")) {
							t.Fatalf("%s %dx%d at %v: no lane for %s in %q", run.Protocol, w, h, at, name, head)
						}
					}
					if more := "+" + strconv.Itoa(len(tc.hosts)-len(shown)) + " hosts"; len(shown) < len(tc.hosts) && !strings.HasSuffix(head, more) {
						t.Fatalf("%s %dx%d at %v: no lane %q in %q", run.Protocol, w, h, at, more, head)
					}
					_, _, _, bh := bodyRect(w, h)
					for y := headerRows; y < headerRows+bh-1; y++ {
						for _, m := range connName.FindAllStringSubmatchIndex(rows[y], -1) {
							x := len([]rune(rows[y][:m[0]]))
							g := gapOf(x)
							if x <= lanes[0] || g < 0 || (g == 0 && y > headerRows) {
								continue // beside the client's lane: any host's
							}
							id, _ := strconv.Atoi(rows[y][m[2]:m[3]])
							seen[g]++
							if !on(g, id) {
								t.Errorf("%s %dx%d at %v: c%d (to %s) named beside lane %d (column %d):\n%s",
									run.Protocol, w, h, at, id, hostOf[id], g+1, x, rows[y])
							}
						}
					}
				}
				for g := 1; g < n-1; g++ {
					if seen[g] == 0 {
						t.Errorf("%s %dx%d: no connection named beside lane %d", run.Protocol, w, h, g+1)
					}
				}
			}
		}
	}
}

// TestFitLanes: a ladder too narrow for a lane per host keeps the first
// hosts' lanes and gives the rest one lane, named for how many they
// are, where their connections' hops end; each hop keeps its own index
// (and so its own crossing time). A chain of lanes is never folded.
func TestFitLanes(t *testing.T) {
	many := manyHostsLesson(t) // c1 to www.example.com, then c2…c7 to one host each
	ix := newRunIndex(&many.Runs[0], many.Params.RTT)
	proxy := proxyLesson(t)
	px := newRunIndex(&proxy.Runs[0], proxy.Params.RTT)
	for _, tc := range []struct {
		name  string
		ix    *runIndex
		w     int
		lanes []string
		to    map[int]int // connection id → the lane its hop ends at
	}{
		{"100 columns", ix, 100,
			[]string{"client", "www.example.com", "cdn.example.com", "fonts.example.net", "img.example.org", "+3 hosts"},
			map[int]int{1: 1, 2: 2, 4: 4, 5: 5, 6: 5, 7: 5}},
		{"80 columns", ix, 80,
			[]string{"client", "www.example.com", "cdn.example.com", "fonts.example.net", "+4 hosts"},
			map[int]int{1: 1, 3: 3, 4: 4, 7: 4}},
		{"room for all", ix, 200,
			[]string{"client", "www.example.com", "cdn.example.com", "fonts.example.net", "img.example.org", "ads.example.biz", "api.example.io", "stats.example.info"},
			map[int]int{1: 1, 5: 5, 7: 7}},
		{"a proxy's chain", px, 40, []string{"browser", "proxy", "origin"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ll := tc.ix.lanes.fit(tc.w)
			if !slices.Equal(ll.names, tc.lanes) {
				t.Errorf("lanes %q, want %q", ll.names, tc.lanes)
			}
			for id, want := range tc.to {
				h := ll.hop[id]
				if got := ll.hops[h].server; got != want || h != tc.ix.lanes.hop[id] {
					t.Errorf("c%d: hop %d to lane %d, want hop %d to lane %d", id, h, got, tc.ix.lanes.hop[id], want)
				}
			}
			if len(ll.names) > 1+(tc.w-1-ladderAxisW)/minLaneGap && tc.ix.lanes.star {
				t.Errorf("%d lanes do not fit %d columns", len(ll.names), tc.w)
			}
		})
	}
}
