package cli

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// pcapMagic begins a pcap file with nanosecond timestamps, little-endian
// (pcapgo.NewWriterNanos).
var pcapMagic = []byte{0x4d, 0x3c, 0xb2, 0xa1}

// TestPcapFiles: --pcap writes FILE for one protocol and NAME.PROTOCOL.pcap
// for several, each a capture; bad input is one line, exit 2, and no
// file.
func TestPcapFiles(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		st := Main(append([]string{"run"}, args...), &out, &errb)
		return st, errb.String()
	}
	one := filepath.Join(dir, "one.pcap")
	if st, msg := run("--protocol", "http2", "--pcap", one); st != 0 {
		t.Fatalf("status %d: %s", st, msg)
	}
	if b, err := os.ReadFile(one); err != nil || !bytes.HasPrefix(b, pcapMagic) || len(b) < 1000 {
		t.Errorf("%s: %d bytes, %v", one, len(b), err)
	}
	two := filepath.Join(dir, "two.pcap")
	if st, msg := run("--protocol", "http1.0,http1.1", "--pcap", two); st != 0 {
		t.Fatalf("status %d: %s", st, msg)
	}
	for _, name := range []string{"two.http1.0.pcap", "two.http1.1.pcap"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err != nil || !bytes.HasPrefix(b, pcapMagic) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// At both ends, a file each, the point after the protocol.
	both := filepath.Join(dir, "both.pcap")
	if st, msg := run("--protocol", "http1.0,http2", "--pcap", both, "--pcap-at", "both"); st != 0 {
		t.Fatalf("status %d: %s", st, msg)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "both.*"))
	want := []string{"both.http1.0.client.pcap", "both.http1.0.server.pcap", "both.http2.client.pcap", "both.http2.server.pcap"}
	for i := range files {
		files[i] = filepath.Base(files[i])
	}
	if !slices.Equal(files, want) {
		t.Errorf("--pcap-at both wrote %v, want %v", files, want)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--pcap", filepath.Join(dir, "bad.pcap"), "--pcap-at", "middle"}, `--pcap-at "middle": allowed: client, server, proxy, both`},
		{[]string{"--pcap", filepath.Join(dir, "bad.pcap"), "--pcap-at", "proxy"}, "--pcap-at proxy: the scenario has no proxy (proxy.enabled); allowed: client, server, both"},
		{[]string{"--protocol", "http2", "--format", "csv", "--out", filepath.Join(dir, "bad.csv"), "--pcap", filepath.Join(dir, "bad.csv")}, "--pcap and --out both name " + filepath.Join(dir, "bad.csv")},
		{[]string{"--protocol", "http1.1,http2", "--pages", filepath.Join(dir, "bad.http2.pcap"), "--pcap", filepath.Join(dir, "bad.pcap")}, "--pcap and --pages both name"},
		{[]string{"--protocol", "http2", "--format", "csv", "--out", filepath.Join(dir, "bad.csv"), "--pcap", filepath.Join(dir, "bad.csv.meta.json")}, "is where --out's provenance goes"},
		{[]string{"--pcap", dir}, "--pcap " + dir + ": is a directory"},
		{[]string{"--pcap", ""}, "--pcap: needs a file name"},
		{[]string{"--pcap-at", "server"}, "--pcap-at server: only with --pcap FILE"},
	} {
		st, msg := run(tc.args...)
		if st != exitUsage || !strings.Contains(msg, tc.msg) || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
			t.Errorf("%v: status %d, %q; want 2 and one line with %q", tc.args, st, msg, tc.msg)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "bad*")); len(m) != 0 {
		t.Errorf("bad input left files: %v", m)
	}
}

// TestPcapOfManyHosts: real-page's capture puts each connection on its
// host's server's address and port 443, and tshark reads it with no
// malformed packet or error.
func TestPcapOfManyHosts(t *testing.T) {
	tshark := needTshark(t)
	file := filepath.Join(t.TempDir(), "rp.pcap")
	var out, errb bytes.Buffer
	if st := Main([]string{"run", "--scenario", "real-page", "--protocol", "http2", "--pcap", file}, &out, &errb); st != 0 {
		t.Fatalf("status %d: %s", st, errb.String())
	}
	b, err := exec.Command(tshark, "-n", "-r", file, "-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-T", "fields", "-e", "ip.dst", "-e", "tcp.dstport").Output()
	if err != nil {
		t.Fatal(err)
	}
	servers := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		f := strings.Fields(line)
		if len(f) != 2 || f[1] != "443" {
			t.Fatalf("a SYN to %q", line)
		}
		servers[f[0]] = true
	}
	// Twelve hosts, static.example.com on www's server: eleven servers,
	// one connection each over HTTP/2.
	if len(servers) != 11 {
		t.Errorf("SYNs to %d servers, want 11: %v", len(servers), servers)
	}
	bad, err := exec.Command(tshark, "-n", "-r", file, "-Y", "_ws.malformed || _ws.expert.severity == error").Output()
	if err != nil || len(bytes.TrimSpace(bad)) != 0 {
		t.Errorf("malformed or erroneous packets: %s %v", bad, err)
	}
}

// TestPcapHTTP1Text: over HTTP/1.x without TLS the capture carries the
// request and response heads the model sized, so Wireshark's HTTP
// dissector finds every request and response of the page (webpage: 13
// each), with the document's request line first, and no body its
// content type's dissector calls malformed.
func TestPcapHTTP1Text(t *testing.T) {
	tshark := needTshark(t)
	dir := t.TempDir()
	for _, p := range []string{"http1.0", "http1.1", "http1.1-pipelined"} {
		file := filepath.Join(dir, p+".pcap")
		var out, errb bytes.Buffer
		if st := Main([]string{"run", "--protocol", p, "--pcap", file}, &out, &errb); st != 0 {
			t.Fatalf("%s: status %d: %s", p, st, errb.String())
		}
		count := func(filter string) int { return tsharkCount(t, tshark, file, filter) }
		if req, resp := count("http.request"), count("http.response"); req != 13 || resp != 13 {
			t.Errorf("%s: %d requests and %d responses, want the page's 13 of each", p, req, resp)
		}
		if n := count("_ws.malformed || _ws.expert.severity == error"); n != 0 {
			t.Errorf("%s: %d malformed or erroneous packets", p, n)
		}
		b, err := exec.Command(tshark, "-n", "-r", file, "-Y", "http.request", "-T", "fields", "-e", "http.request.uri", "-e", "http.request.version", "-e", "http.host").Output()
		if err != nil {
			t.Fatal(err)
		}
		want := "/index.html\tHTTP/1.1\twww.example.com"
		if p == "http1.0" {
			want = "/index.html\tHTTP/1.0\twww.example.com"
		}
		if first := strings.SplitN(string(b), "\n", 2)[0]; first != want {
			t.Errorf("%s: the first request %q, want %q", p, first, want)
		}
	}
}

// TestPcap408: close-race with server.idle_close 408: the capture has the
// server's "408 Request Timeout" where it sent it, which Wireshark reads
// as an HTTP response, and nothing malformed.
func TestPcap408(t *testing.T) {
	tshark := needTshark(t)
	sc, err := scenarios.Builtin("close-race")
	if err != nil {
		t.Fatal(err)
	}
	if sc, err = sc.With(scenarios.Setting{Where: "--set", Field: "server.idle_close", Value: "408"}); err != nil {
		t.Fatal(err)
	}
	y, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	scenario, file := filepath.Join(dir, "race.yaml"), filepath.Join(dir, "race.pcap")
	if err := os.WriteFile(scenario, y, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	if st := Main([]string{"run", "--scenario", scenario, "--protocol", "http1.1", "--pcap", file}, &out, &errb); st != 0 {
		t.Fatalf("status %d: %s", st, errb.String())
	}
	b, err := exec.Command(tshark, "-n", "-r", file, "-Y", "http.response.code == 408", "-T", "fields", "-e", "frame.number").Output()
	if err != nil || len(strings.Fields(string(b))) == 0 {
		t.Errorf("no 408 in the capture (%v)", err)
	}
	bad, err := exec.Command(tshark, "-n", "-r", file, "-Y", "_ws.malformed || _ws.expert.severity == error").Output()
	if err != nil || len(bytes.TrimSpace(bad)) != 0 {
		t.Errorf("malformed or erroneous packets: %s %v", bad, err)
	}
}

// TestPcapHTTP2Frames: webpage over HTTP/2, lossless and lossy, read by
// Wireshark's HTTP/2 dissector: a HEADERS frame each way on each of the
// 13 streams the model opened (1, 3, … 25, RFC 9113 §5.1.1), the
// requests' :path fields the page's, and nothing malformed. (A
// retransmitted segment is dissected again, so a frame may be counted
// twice.)
func TestPcapHTTP2Frames(t *testing.T) {
	tshark := needTshark(t)
	dir := t.TempDir()
	for _, sc := range []string{"webpage", "lossy"} {
		file := filepath.Join(dir, sc+".pcap")
		var out, errb bytes.Buffer
		if st := Main([]string{"run", "--scenario", sc, "--protocol", "http2", "--pcap", file}, &out, &errb); st != 0 {
			t.Fatalf("%s: status %d: %s", sc, st, errb.String())
		}
		fields := func(filter string, f ...string) []string {
			// Out-of-order reassembly, off by default, is what lets
			// Wireshark follow HTTP/2 past a loss in any capture.
			args := []string{"-n", "-o", "tcp.reassemble_out_of_order:TRUE", "-r", file, "-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,"}
			for _, x := range f {
				args = append(args, "-e", x)
			}
			b, err := exec.Command(tshark, args...).Output()
			if err != nil {
				t.Fatalf("%s: tshark: %v", sc, err)
			}
			var vals []string
			for _, line := range strings.Fields(string(b)) {
				vals = append(vals, strings.Split(line, ",")...)
			}
			return vals
		}
		if bad := fields("_ws.malformed || _ws.expert.severity == error", "frame.number"); len(bad) != 0 {
			t.Errorf("%s: malformed or erroneous packets %v", sc, bad)
		}
		headers := map[string]int{}
		for _, id := range fields("http2.type == 1", "http2.streamid") {
			headers[id]++
		}
		for id := 1; id <= 25; id += 2 {
			if headers[strconv.Itoa(id)] < 2 {
				t.Errorf("%s: stream %d has %d HEADERS frames in the capture, want its request's and its response's", sc, id, headers[strconv.Itoa(id)])
			}
		}
		if len(headers) != 13 {
			t.Errorf("%s: HEADERS on streams %v, want the 13 the model opened", sc, headers)
		}
		paths := strings.Join(fields("http2.type == 1", "http2.headers.path"), " ")
		for _, p := range []string{"/index.html", "/style.css", "/img9.jpg"} {
			if !strings.Contains(paths, p) {
				t.Errorf("%s: no request for %s among %s", sc, p, paths)
			}
		}
	}
}

// TestPcapTLS: the tls lesson's captures under TLS 1.3 and 1.2, full and
// resumed, read by Wireshark's TLS dissector: a ClientHello naming the
// host and a ServerHello on every connection, the certificates of each
// full TLS 1.2 handshake, resumption seen as such (TLS 1.3's
// pre_shared_key, TLS 1.2's abbreviated handshake) on some but not all
// connections, and nothing malformed.
func TestPcapTLS(t *testing.T) {
	tshark := needTshark(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		tls, protocol string
		resume        bool
	}{
		{"1.3", "http1.1", false}, {"1.3", "http1.1", true}, {"1.2", "http1.1", false}, {"1.2", "http1.1", true}, {"1.3", "http2", false},
	} {
		name := tc.tls + "-" + tc.protocol + "-" + strconv.FormatBool(tc.resume)
		file := filepath.Join(dir, name+".pcap")
		var out, errb bytes.Buffer
		if st := Main([]string{"run", "--scenario", "tls", "--tls", tc.tls, "--tls-resume=" + strconv.FormatBool(tc.resume), "--protocol", tc.protocol, "--pcap", file}, &out, &errb); st != 0 {
			t.Fatalf("%s: status %d: %s", name, st, errb.String())
		}
		count := func(filter string) int { return tsharkCount(t, tshark, file, filter) }
		conns := count("tcp.flags.syn == 1 && tcp.flags.ack == 0")
		if bad := count("_ws.malformed || _ws.expert.severity == error"); bad != 0 {
			t.Errorf("%s: %d malformed or erroneous packets", name, bad)
		}
		if ch, sh, sni := count("tls.handshake.type == 1"), count("tls.handshake.type == 2"), count(`tls.handshake.extensions_server_name == "www.example.com"`); ch != conns || sh != conns || sni != conns {
			t.Errorf("%s: %d ClientHellos, %d ServerHellos, %d naming the host; want one each on each of %d connections", name, ch, sh, sni, conns)
		}
		resumed := count("tls.handshake.type == 1 && tls.handshake.extension.type == 41") // pre_shared_key (RFC 8446 §4.2.11)
		if tc.tls == "1.2" {
			// An abbreviated handshake (RFC 5077 §3.1) has no Certificate,
			// and Wireshark marks it resumed.
			resumed = conns - count("tls.handshake.type == 11")
			if marked := count("tls.resumed"); (marked > 0) != (resumed > 0) {
				t.Errorf("%s: %d handshakes without certificates, %d packets marked resumed", name, resumed, marked)
			}
		}
		if tc.resume != (resumed > 0) || resumed >= conns {
			t.Errorf("%s: %d of %d connections resume", name, resumed, conns)
		}
		if tc.protocol == "http2" && count(`tls.handshake.extensions_alpn_str == "h2"`) != conns {
			t.Errorf("%s: the ClientHellos do not offer h2", name)
		}
	}
}

// TestPcapIsDeterministic: the same run and seed write the same capture,
// byte for byte, TLS's randoms and ciphertext included (they are drawn
// from the seed), and another seed another one.
func TestPcapIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	capture := func(name string, seed string) []byte {
		file := filepath.Join(dir, name)
		var out, errb bytes.Buffer
		if st := Main([]string{"run", "--scenario", "tls", "--protocol", "http2", "--tls-resume", "--seed", seed, "--pcap", file}, &out, &errb); st != 0 {
			t.Fatalf("status %d: %s", st, errb.String())
		}
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b, c := capture("a.pcap", "1"), capture("b.pcap", "1"), capture("c.pcap", "2")
	if !bytes.Equal(a, b) {
		t.Error("two captures of the same run differ")
	}
	if bytes.Equal(a, c) {
		t.Error("captures of two seeds are the same")
	}
}

// tsharkCount is how many packets of file tshark's display filter
// matches.
func tsharkCount(t *testing.T, tshark, file, filter string) int {
	t.Helper()
	b, err := exec.Command(tshark, "-n", "-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number").Output()
	if err != nil {
		t.Fatalf("%s: tshark -Y %s: %v", filepath.Base(file), filter, err)
	}
	return len(strings.Fields(string(b)))
}

// BenchmarkPcap1000 is issue 15's "a capture of a 1,000-object page
// written in under 1 s", all in, as run --pcap makes it: the run, its
// records and messages kept, each connection's HTTP bytes built, and the
// packets serialized with their payload at the client (HTTP/1.1
// keep-alive, 1,000 objects of 10 KB; docs/performance.md).
func BenchmarkPcap1000(b *testing.B) {
	for _, tc := range []struct {
		name string
		p    model.Protocol
		tls  model.TLSVersion
	}{{"http1.1", model.HTTP11, model.NoTLS}, {"http2", model.HTTP2, model.NoTLS}, {"http2+tls1.3", model.HTTP2, model.TLS13}} {
		b.Run(tc.name, func(b *testing.B) {
			cfg := model.DefaultConfig()
			cfg.Page = model.SyntheticPage(20_000, 1000, []int{10_000})
			cfg.HTTP.Protocol = tc.p
			cfg.TLS.Version = tc.tls
			var size int
			for b.Loop() {
				files, err := captureOf(cfg, "client")
				if err != nil {
					b.Fatal(err)
				}
				size = files["client"].Len()
			}
			b.ReportMetric(float64(size)/1e6, "MB/capture")
		})
	}
}

// TestPcapLongHost: under TLS a host name too long for the ClientHello
// the model sized is bad input, named as the setting it is, exit 2, and
// no file.
func TestPcapLongHost(t *testing.T) {
	sc, err := scenarios.Builtin("tls")
	if err != nil {
		t.Fatal(err)
	}
	host := strings.Repeat("a", 60) + ".example.com"
	if sc, err = sc.With(scenarios.Setting{Where: "--set", Field: "http.host", Value: host}); err != nil {
		t.Fatal(err)
	}
	y, err := sc.YAML()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "long.yaml")
	if err := os.WriteFile(file, y, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	st := Main([]string{"run", "--scenario", file, "--protocol", "http2", "--pcap", filepath.Join(dir, "long.pcap")}, &out, &errb)
	if msg := errb.String(); st != exitUsage || !strings.Contains(msg, "the host name \""+host+"\" (http.host, or an origin's host) is too long") || strings.Count(strings.TrimSpace(msg), "\n") != 0 {
		t.Errorf("status %d, %q; want 2 and one line naming http.host", st, msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "long.pcap")); err == nil {
		t.Error("a capture was written")
	}
}

// needTshark is tshark's path; without it the test skips, and fails
// under CI, whose .ci/run installs it.
func needTshark(t *testing.T) string {
	t.Helper()
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is missing; .ci/run should have installed it")
		}
		t.Skip("tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)")
	}
	return tshark
}
