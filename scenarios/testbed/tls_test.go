//go:build linux

package testbed

import (
	"crypto/tls"
	"net"
	"sync"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
)

// writeLog records the size of every write on a connection.
type writeLog struct {
	net.Conn
	mu     sync.Mutex
	writes []int
}

func (c *writeLog) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.writes = append(c.writes, len(p))
	c.mu.Unlock()
	return c.Conn.Write(p)
}

func (c *writeLog) sizes() []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]int(nil), c.writes...)
}

// TestTLSFlightsMatchModel: the handshake flights the testbed's Go
// client and server write (each flight one write) are the sizes the
// simulator charges (model.TLSFlightBytes), for TLS 1.2 and 1.3, full
// and resumed, within the few bytes by which ECDSA signatures vary.
func TestTLSFlightsMatchModel(t *testing.T) {
	for _, tc := range []struct {
		version string
		model   model.TLSVersion
	}{{"1.3", model.TLS13}, {"1.2", model.TLS12}} {
		spec := LoadSpec{Host: "www.example.com", TLS: tc.version, Protocol: model.HTTP11.String()}
		sconf, err := serverTLS(spec)
		if err != nil {
			t.Fatal(err)
		}
		cconf := clientTLS(spec, "http/1.1") // one session cache for both handshakes: the second resumes
		for _, resumed := range []bool{false, true} {
			l, err := net.Listen("tcp", "127.0.0.1:0") // loopback only
			if err != nil {
				t.Fatal(err)
			}
			client, err := net.Dial("tcp", l.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			server, err := l.Accept()
			l.Close()
			if err != nil {
				t.Fatal(err)
			}
			cl, sl := &writeLog{Conn: client}, &writeLog{Conn: server}
			done, release := make(chan error, 1), make(chan struct{})
			go func() {
				s := tls.Server(sl, sconf)
				err := s.Handshake()
				if err == nil {
					buf := make([]byte, 1)
					if _, err = s.Read(buf); err == nil { // the client's Finished and one byte
						_, err = s.Write(buf) // the ticket went before it
					}
				}
				done <- err
				<-release
				s.Close()
			}()
			c := tls.Client(cl, cconf)
			if err := c.Handshake(); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Write([]byte{1}); err != nil {
				t.Fatal(err)
			}
			_, rerr := c.Read(make([]byte, 1)) // takes in the ticket too
			err = <-done
			close(release)
			if err != nil {
				t.Fatalf("TLS %s resumed %v: server: %v", tc.version, resumed, err)
			}
			if rerr != nil {
				t.Fatalf("TLS %s resumed %v: client: %v", tc.version, resumed, rerr)
			}
			if got := c.ConnectionState().DidResume; got != resumed {
				t.Fatalf("TLS %s: resumed %v, want %v", tc.version, got, resumed)
			}
			c.Close()
			want, fromClient := model.TLSFlightBytes(tc.model, resumed)
			var wc, ws []int
			for i, n := range want {
				if fromClient[i] {
					wc = append(wc, n)
				} else {
					ws = append(ws, n)
				}
			}
			// Then come the application bytes and close_notify alerts.
			gc, gs := cl.sizes(), sl.sizes()
			if !near(gc[:min(len(gc), len(wc))], wc) || !near(gs[:min(len(gs), len(ws))], ws) {
				t.Errorf("TLS %s resumed %v: Go writes client %v, server %v; the model charges client %v, server %v",
					tc.version, resumed, cl.sizes(), sl.sizes(), wc, ws)
			}
		}
	}
}

// near compares flight sizes allowing 4 bytes: an ECDSA signature's DER
// encoding is 70 to 72 bytes.
func near(got, want []int) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if d := got[i] - want[i]; d > 4 || d < -4 {
			return false
		}
	}
	return true
}
