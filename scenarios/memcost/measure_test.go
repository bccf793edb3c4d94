package memcost

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

var conns = flag.Int("conns", 200, "connections (and streams) each figure of TestPrintMemory opens")

// TestMain makes the test binary a measurement's client when Measure
// runs it again with ClientEnv set.
func TestMain(m *testing.M) {
	if spec := os.Getenv(ClientEnv); spec != "" {
		RunClient(spec)
	}
	os.Exit(m.Run())
}

// TestPrintMemory measures the server's memory per connection and per
// stream and prints them: run it with -v to re-measure docs/lifecycle.md's
// figures. It checks what holds on any machine: each figure is
// positive, and an idle HTTP/1.1 connection holds at least its two 4 KiB
// bufio buffers (net/http's conn.bufr and bufw).
func TestPrintMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("opens hundreds of connections; not in -short")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	f, err := Measure(self, *conns, *conns)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		fmt.Printf("Measured with %s on %s/%s, %d connections and %d streams:\n", f.Go, f.OS, f.Arch, f.Conns, f.Streams)
		fmt.Printf("http1 %d B, tls +%d B, http2 +%d B, stream %d B\n", f.HTTP1, f.TLS, f.HTTP2, f.Stream)
	}
	if f.HTTP1 < 8<<10 {
		t.Errorf("idle HTTP/1.1 connection: %d B, want ≥ 8 KiB (net/http's two bufio buffers)", f.HTTP1)
	}
	for name, b := range map[string]int64{"TLS": f.TLS, "HTTP/2": f.HTTP2, "stream": f.Stream} {
		if b <= 0 {
			t.Errorf("%s: %d B, want > 0", name, b)
		}
	}
}
