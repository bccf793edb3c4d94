package memcost

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keepalive-sim/keepalive/scenarios/cpucost"
)

// Figures are one machine's measured bytes per connection or stream of
// Go's net/http server.
type Figures struct {
	// HTTP1 is an idle HTTP/1.1 connection over TCP after one request:
	// net/http's conn, its bufio reader and writer, the goroutine
	// serving it and its stack, the netFD.
	HTTP1 int64
	// TLS is an idle HTTP/1.1 connection over TLS 1.3 (ECDSA P-256),
	// beyond HTTP1: crypto/tls's Conn, its record buffers and keys.
	TLS int64
	// HTTP2 is an idle HTTP/2 connection over TLS 1.3 after one request,
	// beyond TLS: the HTTP/2 server connection, its frame reader and
	// writer, HPACK tables and the goroutines serving it.
	HTTP2 int64
	// Stream is one HTTP/2 stream whose handler is running: the stream,
	// its request and response writer, the handler's goroutine.
	Stream int64
	// Conns and Streams are how many were open for each figure.
	Conns, Streams int
	// Go, OS, Arch say where they were measured.
	Go, OS, Arch string
}

// mode is what the child process opens.
type mode string

const (
	modeHTTP1  mode = "http1"
	modeTLS    mode = "tls"
	modeHTTP2  mode = "h2"
	modeStream mode = "stream"
)

// ClientEnv is the environment variable that makes the test binary a
// measurement's client (see RunClient).
const ClientEnv = "KEEPALIVE_MEMCOST_CLIENT"

// Measure opens conns idle connections of each kind, and streams running
// HTTP/2 streams, from a child process running self (the test binary,
// whose TestMain calls RunClient when ClientEnv is set), and returns the
// server's memory per connection and per stream.
func Measure(self string, conns, streams int) (Figures, error) {
	f := Figures{Conns: conns, Streams: streams, Go: runtime.Version(), OS: runtime.GOOS, Arch: runtime.GOARCH}
	cert, err := cpucost.Certificate(cpucost.ECDSAP256)
	if err != nil {
		return f, err
	}
	per := map[mode]int64{}
	for _, m := range []mode{modeHTTP1, modeTLS, modeHTTP2, modeStream} {
		n := conns
		if m == modeStream {
			n = streams
		}
		b, err := measure(self, m, n, cert)
		if err != nil {
			return f, fmt.Errorf("memcost: %s: %w", m, err)
		}
		per[m] = b
	}
	// Each figure beyond the one below it; a stream's is its own.
	f.HTTP1, f.TLS, f.HTTP2, f.Stream = per[modeHTTP1], per[modeTLS]-per[modeHTTP1], per[modeHTTP2]-per[modeTLS], per[modeStream]
	return f, nil
}

// held is what the process holds: the heap in use and the stacks, after
// a collection.
func held() int64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc + m.StackInuse)
}

// measure serves n connections (or, for modeStream, n streams on one
// connection) of kind m and returns the bytes the server holds per
// connection (per stream) once they are all open and idle (running).
func measure(self string, m mode, n int, cert tls.Certificate) (int64, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	var served atomic.Int64
	release := make(chan struct{})
	var releaseOnce sync.Once
	free := func() { releaseOnce.Do(func() { close(release) }) }
	defer free()
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hold" {
			served.Add(1)
			<-release
		}
		io.WriteString(w, "ok")
	}), ReadHeaderTimeout: time.Minute, ErrorLog: nil}
	if m != modeHTTP1 {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS13}
		if m == modeTLS {
			srv.TLSConfig.NextProtos = []string{"http/1.1"}
			srv.TLSNextProto = map[string]func(*http.Server, *tls.Conn, http.Handler){}
		}
	}
	before := held()
	errc := make(chan error, 1)
	go func() {
		if m == modeHTTP1 {
			errc <- srv.Serve(ln)
		} else {
			errc <- srv.ServeTLS(ln, "", "")
		}
	}()
	defer srv.Close()

	cmd := exec.Command(self, "-test.run=^$")
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s,%s,%d", ClientEnv, ln.Addr(), m, n))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	lines := bufio.NewReader(stdout)
	expect := func(want string) chan error {
		c := make(chan error, 1)
		go func() {
			line, err := lines.ReadString('\n')
			if err == nil && line != want+"\n" {
				err = fmt.Errorf("client said %q, want %q", line, want)
			}
			c <- err
		}()
		return c
	}
	wait := func(c chan error) error {
		select {
		case err := <-c:
			return err
		case err := <-errc:
			return err
		case <-time.After(time.Minute):
			return errors.New("the client did not answer within a minute")
		}
	}
	if m == modeStream {
		// The baseline is the connection open and idle; then the streams.
		if err := wait(expect("conn")); err != nil {
			return 0, err
		}
		time.Sleep(200 * time.Millisecond)
		before = held()
		if _, err := io.WriteString(stdin, "go\n"); err != nil {
			return 0, err
		}
	}
	// The client says it is ready once its requests were answered; for
	// streams, the handlers' count says when they all run.
	deadline := time.After(time.Minute)
	if m == modeStream {
		for served.Load() < int64(n) {
			select {
			case err := <-errc:
				return 0, err
			case <-deadline:
				return 0, fmt.Errorf("%d of %d streams reached the handler", served.Load(), n)
			case <-time.After(10 * time.Millisecond):
			}
		}
	} else if err := wait(expect("ready")); err != nil {
		return 0, err
	}
	// Let the server's goroutines settle into their idle reads.
	time.Sleep(200 * time.Millisecond)
	after := held()
	return (after - before) / int64(n), nil
}
