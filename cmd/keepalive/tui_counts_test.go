package main

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// connCounter finds the connection counter of the TUI's status line:
// "8 connections opened (+8 to the origin)", "6 conns", ….
var connCounter = regexp.MustCompile(`(\d+) conn(?:ections? opened|s)?(?: \(\+(\d+) to the origin\))?`)

// tlsCounter finds its TLS handshake counter: "· 13 TLS ·".
var tlsCounter = regexp.MustCompile(`(\d+) TLS\b`)

// TestTUICountsMatchRun: at the end of every built-in lesson the
// terminal UI counts the connections "keepalive run" reports, the
// browsers' and the proxy's to the origin apart (proxy-hop over HTTP/2
// once showed 9 connections in the UI and 1 + 8 in run), and, with one
// client, its TLS handshakes. Both count with one trace.Index (tui's
// TestCountersAreTheIndexs checks the UI's counters against it); this
// checks the whole way, from the model to the screen.
func TestTUICountsMatchRun(t *testing.T) {
	for _, in := range scenarios.Builtins() {
		protocols := []model.Protocol{model.HTTP11}
		if in.Name == "proxy-hop" {
			protocols = model.Protocols
		}
		for _, p := range protocols {
			rows := readCSV(t, mustRun(t, "run", "--scenario", in.Name, "--protocol", p.String(), "--format", "csv"))
			conns, origin := rows[1][slices.Index(rows[0], "tcp_connections")], rows[1][slices.Index(rows[0], "origin_connections")]
			tls := rows[1][slices.Index(rows[0], "tls_handshakes")]
			screen := mustRun(t, "tui", "--scenario", in.Name, "--protocol", p.String(), "--print", "ladder", "--size", "200x30")
			lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
			counters := lines[len(lines)-3] // the counters so far, above what is held now and the key hints
			m := connCounter.FindStringSubmatch(counters)
			if m == nil {
				t.Fatalf("%s %v: no connection counter in %q", in.Name, p, counters)
			}
			gotOrigin := m[2]
			if gotOrigin == "" && origin != "" {
				gotOrigin = "0" // the UI leaves out "+0"; run leaves the cell empty without a proxy
			}
			if m[1] != conns || gotOrigin != origin {
				t.Errorf("%s %v: the UI says %s connections (+%s to the origin), run says %s and %s",
					in.Name, p, m[1], gotOrigin, conns, origin)
			}
			if !strings.Contains(counters, "so far:") {
				continue // the many-clients status line counts connections only
			}
			if m := tlsCounter.FindStringSubmatch(counters); m == nil || m[1] != tls {
				t.Errorf("%s %v: the UI's TLS counter %v, run says %s TLS handshakes", in.Name, p, m, tls)
			}
		}
	}
}
