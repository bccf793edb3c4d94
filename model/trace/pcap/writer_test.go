package pcap_test

import (
	"bytes"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
	"github.com/google/gopacket/pcapgo"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/model/trace/pcap"
)

// capture runs cfg and writes its packets as seen at the client.
func capture(t *testing.T, cfg model.Config) ([]byte, model.Result) {
	t.Helper()
	var b bytes.Buffer
	ends := func(conn int) pcap.Endpoints {
		a := trace.AddressesOf(cfg.Seed, conn)
		return pcap.Endpoints{Client: net.IPv4(198, 51, 100, 1), Server: net.ParseIP(trace.ServerAddress(0)),
			ClientPort: a.ClientPort, ServerPort: trace.HTTPPort, ClientISN: a.ClientISN, ServerISN: a.ServerISN}
	}
	w, err := pcap.NewWriter(&b, ends)
	if err != nil {
		t.Fatal(err)
	}
	res, err := model.Run(cfg, w)
	if err != nil || w.Err() != nil {
		t.Fatal(err, w.Err())
	}
	return b.Bytes(), res
}

// TestCapturedPackets reads a capture back with gopacket: every packet
// the client sent and received, at its simulated time, with its bytes
// on the wire, its absolute sequence numbers from the connection's ISN,
// a Linux SYN's options and the timestamps option on the rest, and
// correct checksums (gopacket verifies none, so they are recomputed).
func TestCapturedPackets(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(20_000, 2, []int{5000})
	data, _ := capture(t, cfg)
	log := &trace.Log{}
	if _, err := model.Run(cfg, log); err != nil {
		t.Fatal(err)
	}
	var want []trace.Record // as the client sees them
	for _, r := range log.Records {
		if r.Kind == trace.PacketSent && r.Dir == trace.Up || r.Kind == trace.PacketArrived && r.Dir == trace.Down {
			want = append(want, r)
		}
	}
	rd, err := pcapgo.NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if rd.LinkType() != layers.LinkTypeRaw {
		t.Fatalf("link type %v", rd.LinkType())
	}
	addr := trace.AddressesOf(cfg.Seed, 1)
	for i := 0; ; i++ {
		raw, ci, err := rd.ReadPacketData()
		if err != nil {
			if i != len(want) {
				t.Fatalf("%d packets, the client saw %d", i, len(want))
			}
			break
		}
		r := want[i]
		p := gopacket.NewPacket(raw, layers.LayerTypeIPv4, gopacket.Default)
		ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		tcp, _ := p.Layer(layers.LayerTypeTCP).(*layers.TCP)
		if ip == nil || tcp == nil {
			t.Fatalf("packet %d does not decode as IPv4/TCP", i)
		}
		if at := ci.Timestamp.Sub(pcap.Epoch); at != r.At || len(raw) != r.Wire || len(tcp.Payload) != r.Len {
			t.Fatalf("packet %d: at %v, %d bytes, %d payload; the trace %v, %d, %d", i, at, len(raw), len(tcp.Payload), r.At, r.Wire, r.Len)
		}
		if r.Conn == 1 && r.Dir == trace.Up && tcp.Seq != addr.ClientISN+uint32(r.Seq) {
			t.Errorf("packet %d: seq %d, want ISN %d + %d", i, tcp.Seq, addr.ClientISN, r.Seq)
		}
		var kinds []string
		for _, o := range tcp.Options {
			kinds = append(kinds, o.OptionType.String())
		}
		got := strings.Join(kinds, " ")
		switch {
		case tcp.SYN && got != "MSS SACKPermitted Timestamps NOP WindowScale":
			t.Errorf("packet %d (SYN): options %s", i, got)
		case !tcp.SYN && r.Sack == "" && got != "NOP NOP Timestamps":
			t.Errorf("packet %d: options %s", i, got)
		}
		// The checksums as written equal the ones computed afresh.
		ipSum, tcpSum := ip.Checksum, tcp.Checksum
		buf := gopacket.NewSerializeBuffer()
		if err := tcp.SetNetworkLayerForChecksum(ip); err != nil {
			t.Fatal(err)
		}
		if err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{ComputeChecksums: true}, ip, tcp, gopacket.Payload(tcp.Payload)); err != nil {
			t.Fatal(err)
		}
		if ip.Checksum != ipSum || tcp.Checksum != tcpSum {
			t.Errorf("packet %d: checksums %x %x, computed %x %x", i, ipSum, tcpSum, ip.Checksum, tcp.Checksum)
		}
	}
	// The same run writes the same bytes.
	if again, _ := capture(t, cfg); !bytes.Equal(again, data) {
		t.Error("two captures of the same run differ")
	}
}

// TestWiresharkReadsTheCapture: tshark (Wireshark's dissectors) reads a
// capture of the lossy lesson with no malformed packet and no error in
// its Expert Info, counts one TCP stream per connection, and marks as
// retransmissions what the model retransmitted that the client sent.
func TestWiresharkReadsTheCapture(t *testing.T) {
	tshark, err := exec.LookPath("tshark")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("tshark is missing; .ci/run should have installed it")
		}
		t.Skip("tshark is not installed (Debian: apt-get install tshark; .ci/run installs it)")
	}
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(30_000, 10, []int{40_000})
	cfg.Link.Loss = 0.02
	cfg.Seed = 3
	data, res := capture(t, cfg)
	file := filepath.Join(t.TempDir(), "run.pcap")
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
	count := func(filter string) int {
		out, err := exec.Command(tshark, "-n", "-r", file, "-Y", filter, "-T", "fields", "-e", "frame.number").Output()
		if err != nil {
			t.Fatalf("tshark -Y %q: %v", filter, err)
		}
		return len(strings.Fields(string(out)))
	}
	if n := count("_ws.malformed || _ws.expert.severity == error"); n != 0 {
		t.Errorf("%d malformed packets or errors", n)
	}
	out, err := exec.Command(tshark, "-n", "-r", file, "-T", "fields", "-e", "tcp.stream").Output()
	if err != nil {
		t.Fatal(err)
	}
	streams := map[string]bool{}
	for _, s := range strings.Fields(string(out)) {
		streams[s] = true
	}
	if len(streams) != res.Connections {
		t.Errorf("tshark counts %d TCP streams, the run opened %d connections", len(streams), res.Connections)
	}
	if res.Retransmissions == 0 {
		t.Fatal("the lossy run retransmitted nothing")
	}
	if n := count("tcp.analysis.retransmission || tcp.analysis.fast_retransmission || tcp.analysis.spurious_retransmission"); n == 0 {
		t.Errorf("tshark marks no retransmission; the run made %d", res.Retransmissions)
	}
	t.Logf("%d packets, %d connections, %d retransmissions in the run", count("frame"), res.Connections, res.Retransmissions)
}

// BenchmarkCapture1000 runs a page of 1,000 objects (10 KB each, HTTP/1.1
// keep-alive) and writes its client-side capture: issue 15's "a capture
// of a 1,000-object page written in under 1 s" (docs/performance.md).
func BenchmarkCapture1000(b *testing.B) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(20_000, 1000, []int{10_000})
	ends := func(conn int) pcap.Endpoints {
		a := trace.AddressesOf(cfg.Seed, conn)
		return pcap.Endpoints{Client: net.IPv4(198, 51, 100, 1), Server: net.IPv4(192, 0, 2, 1),
			ClientPort: a.ClientPort, ServerPort: trace.HTTPPort, ClientISN: a.ClientISN, ServerISN: a.ServerISN}
	}
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		w, err := pcap.NewWriter(&buf, ends)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := model.Run(cfg, w); err != nil || w.Err() != nil {
			b.Fatal(err, w.Err())
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1e6, "MB/capture")
}
