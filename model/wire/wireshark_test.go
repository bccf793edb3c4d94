package wire_test

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/model/wire"
)

// segment is what one side writes to a connection.
type segment struct {
	fromClient bool
	data       []byte
}

// connection writes one TCP connection to w: the three-way handshake
// from client port port to 192.0.2.1:443, then each write as segments
// of at most 1448 bytes with their sequence and acknowledgment numbers,
// each acknowledging all the peer sent.
func connection(t *testing.T, w *pcapgo.Writer, at *time.Time, port uint16, writes []segment) {
	t.Helper()
	client, server := net.IPv4(198, 51, 100, 1).To4(), net.IPv4(192, 0, 2, 1).To4()
	next := [2]uint32{1_000_000 * uint32(port), 7_000_000} // the client's and the server's next sequence numbers
	var ids [2]uint16
	send := func(fromClient, syn bool, payload []byte) {
		s, src, dst, sport, dport := 0, client, server, port, uint16(443)
		if !fromClient {
			s, src, dst, sport, dport = 1, server, client, 443, port
		}
		ids[s]++
		ip := &layers.IPv4{Version: 4, IHL: 5, TTL: 64, Flags: layers.IPv4DontFragment, Id: ids[s],
			Protocol: layers.IPProtocolTCP, SrcIP: src, DstIP: dst}
		tcp := &layers.TCP{SrcPort: layers.TCPPort(sport), DstPort: layers.TCPPort(dport), Seq: next[s],
			SYN: syn, ACK: !(syn && fromClient), PSH: len(payload) > 0, Window: 65535}
		if tcp.ACK {
			tcp.Ack = next[1-s]
		}
		if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		buf := gopacket.NewSerializeBuffer()
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
			ip, tcp, gopacket.Payload(payload)); err != nil {
			t.Fatal(err)
		}
		next[s] += uint32(len(payload))
		if syn {
			next[s]++
		}
		*at = at.Add(time.Millisecond)
		b := buf.Bytes()
		if err := w.WritePacket(gopacket.CaptureInfo{Timestamp: *at, CaptureLength: len(b), Length: len(b)}, b); err != nil {
			t.Fatal(err)
		}
	}
	send(true, true, nil)
	send(false, true, nil)
	send(true, false, nil)
	for _, wr := range writes {
		for p := wr.data; len(p) > 0; p = p[min(len(p), 1448):] {
			send(wr.fromClient, false, p[:min(len(p), 1448)])
		}
	}
}

// TestWiresharkReadsTLS: tshark (Wireshark's dissectors) reads a
// connection of each of the model's handshakes, then a request and a
// response of application data, with no malformed packet and no error
// in its Expert Info; it finds the handshake messages in the clear, the
// name and the protocols, TLS 1.2's certificates, each resumption as
// one, and as many records as were written.
func TestWiresharkReadsTLS(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is missing; .ci/run should have installed it")
		}
		t.Skip("tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)")
	}
	var buf bytes.Buffer
	w := pcapgo.NewWriterNanos(&buf)
	if err := w.WriteFileHeader(65535, layers.LinkTypeRaw); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	names := []string{"www.example.com", "static.example.org", "cdn.example.net", "example.com", "img.example.com"}
	alpn := []string{"h2", "http/1.1"}
	nrecords := make([]int, len(handshakes)) // by connection: what tshark should count
	for c, h := range handshakes {
		seed := uint64(100 + c)
		var writes []segment
		data := func(fromClient bool, n int) {
			b := wire.ApplicationData(h.v, n, seed+uint64(n))
			nrecords[c] += len(records(t, b))
			writes = append(writes, segment{fromClient, b})
		}
		for step := range h.sizes {
			b, err := h.flight(step, names[c], alpn, seed).Bytes()
			if err != nil {
				t.Fatal(err)
			}
			nrecords[c] += len(records(t, b))
			writes = append(writes, segment{h.fromClient[step], b})
			if step == h.ready {
				data(true, 400) // the request, after the ClientHello with 0-RTT
			}
		}
		data(false, 20_000) // the response, two records
		connection(t, w, &at, uint16(50_000+c), writes)
	}
	file := filepath.Join(t.TempDir(), "tls.pcap")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Expert Info's severities: error is PI_ERROR, 0x00800000
	// (epan/proto.h); warnings, notes and chats are less.
	out, err := exec.Command(tshark, "-n", "-r", file, "-o", "tcp.desegment_tcp_streams:TRUE",
		"-Y", "_ws.malformed || _ws.expert.severity >= 8388608", "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message").Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	if s := strings.TrimSpace(string(out)); s != "" {
		t.Errorf("malformed packets or errors:\n%s", s)
	}

	fields := []string{"tcp.stream", "tls.handshake.type", "tls.handshake.extensions_server_name",
		"tls.handshake.extensions_alpn_str", "tls.handshake.extension.type", "tls.handshake.certificate_length",
		"x509ce.dNSName", "x509sat.printableString", "tls.resumed", "tls.handshake.extensions.psk.identity.selected",
		"tls.record.content_type", "tls.record.opaque_type", "_ws.expert.severity"}
	args := []string{"-n", "-r", file, "-o", "tcp.desegment_tcp_streams:TRUE", "-T", "fields", "-E", "separator=|", "-E", "occurrence=a"}
	for _, f := range fields {
		args = append(args, "-e", f)
	}
	out, err = exec.Command(tshark, args...).Output()
	if err != nil {
		t.Fatalf("tshark: %v", err)
	}
	// seen[stream][field] lists the values of the field, frame after frame.
	seen := make([]map[string][]string, len(handshakes))
	for i := range seen {
		seen[i] = map[string][]string{}
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		vs := strings.Split(line, "|")
		s, err := strconv.Atoi(vs[0])
		if err != nil || s >= len(seen) || len(vs) != len(fields) {
			t.Fatalf("tshark wrote %q", line)
		}
		for i, v := range vs[1:] {
			if v != "" {
				seen[s][fields[i+1]] = append(seen[s][fields[i+1]], strings.Split(v, ",")...)
			}
		}
	}
	for c, h := range handshakes {
		got := seen[c]
		var want []string
		for _, ts := range h.clear {
			for _, typ := range ts {
				want = append(want, strconv.Itoa(typ))
			}
		}
		if !slices.Equal(got["tls.handshake.type"], want) {
			t.Errorf("%s: handshake messages %v, want %v", h.name, got["tls.handshake.type"], want)
		}
		if sni := got["tls.handshake.extensions_server_name"]; !slices.Equal(sni, names[c:c+1]) {
			t.Errorf("%s: server names %v, want %s", h.name, sni, names[c])
		}
		wantALPN := alpn
		if h.v == trace.TLS12 {
			wantALPN = append(slices.Clone(alpn), "h2") // the ServerHello names it in the clear
		}
		if !slices.Equal(got["tls.handshake.extensions_alpn_str"], wantALPN) {
			t.Errorf("%s: ALPN %v, want %v", h.name, got["tls.handshake.extensions_alpn_str"], wantALPN)
		}
		if n := len(got["tls.record.content_type"]) + len(got["tls.record.opaque_type"]); n != nrecords[c] {
			t.Errorf("%s: tshark reads %d records, %d were written", h.name, n, nrecords[c])
		}
		exts := got["tls.handshake.extension.type"]
		if h.v == trace.TLS13 && h.resumed {
			// pre_shared_key in the ClientHello and the ServerHello, which
			// chooses the client's only identity.
			if strings.Count(strings.Join(exts, " ")+" ", "41 ") != 2 || !slices.Equal(got["tls.handshake.extensions.psk.identity.selected"], []string{"0"}) {
				t.Errorf("%s: extensions %v, PSK chosen %v", h.name, exts, got["tls.handshake.extensions.psk.identity.selected"])
			}
		}
		if slices.Contains(exts, "42") != h.early {
			t.Errorf("%s: early_data %v, want %v", h.name, slices.Contains(exts, "42"), h.early)
		}
		if h.v == trace.TLS12 && h.resumed != (len(got["tls.resumed"]) > 0) {
			t.Errorf("%s: tshark sees a resumption: %v", h.name, len(got["tls.resumed"]) > 0)
		}
		if h.v == trace.TLS12 && !h.resumed {
			if len(got["tls.handshake.certificate_length"]) != 2 || !slices.Equal(got["x509ce.dNSName"], names[c:c+1]) ||
				!slices.Contains(got["x509sat.printableString"], "keepalive CA") {
				t.Errorf("%s: certificates %v, names %v, %v", h.name, got["tls.handshake.certificate_length"],
					got["x509ce.dNSName"], got["x509sat.printableString"])
			}
		}
		for _, s := range got["_ws.expert.severity"] {
			if s != "2097152" { // PI_CHAT: the SYNs
				t.Logf("%s: Expert Info of severity %s", h.name, s)
			}
		}
	}
}
