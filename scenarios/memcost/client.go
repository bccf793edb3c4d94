package memcost

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
)

// RunClient is the child process's side when ClientEnv is set
// ("addr,mode,n"): it opens the connections or streams, says "ready" on
// stdout once every answer came back (for streams: once every request
// is sent), holds them open until stdin closes, and exits. The test
// binary's TestMain calls it.
func RunClient(spec string) {
	if err := runClient(spec); err != nil {
		fmt.Fprintln(os.Stderr, "memcost client:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

func runClient(spec string) error {
	parts := strings.Split(spec, ",")
	if len(parts) != 3 {
		return fmt.Errorf("%s=%q: want addr,mode,n", ClientEnv, spec)
	}
	addr, m := parts[0], mode(parts[1])
	n, err := strconv.Atoi(parts[2])
	if err != nil {
		return err
	}
	// The measurement's own self-signed certificate, on loopback.
	cfg := &tls.Config{InsecureSkipVerify: true, MinVersion: tls.VersionTLS13}
	var keep []io.Closer
	switch m {
	case modeHTTP1, modeTLS:
		for range n {
			var c net.Conn
			if m == modeTLS {
				cfg.NextProtos = []string{"http/1.1"}
				c, err = tls.Dial("tcp", addr, cfg)
			} else {
				c, err = net.Dial("tcp", addr)
			}
			if err != nil {
				return err
			}
			// One request, whose answer is read whole, leaves the server's
			// side idle and waiting for the next.
			if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n"); err != nil {
				return err
			}
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				return err
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			keep = append(keep, c)
		}
	case modeHTTP2:
		for range n {
			tr := &http.Transport{TLSClientConfig: cfg.Clone(), ForceAttemptHTTP2: true}
			if err := get(tr, addr, "/"); err != nil {
				return err
			}
			keep = append(keep, closer(tr.CloseIdleConnections))
		}
	case modeStream:
		tr := &http.Transport{TLSClientConfig: cfg, ForceAttemptHTTP2: true}
		if err := get(tr, addr, "/"); err != nil { // the connection, before the streams
			return err
		}
		fmt.Println("conn")
		in := bufio.NewReader(os.Stdin)
		if _, err := in.ReadString('\n'); err != nil {
			return err
		}
		for range n {
			go get(tr, addr, "/hold") // held by the server until stdin closes
		}
		fmt.Println("ready")
		io.Copy(io.Discard, in)
		return nil
	default:
		return fmt.Errorf("mode %q: want http1, tls, h2 or stream", m)
	}
	fmt.Println("ready")
	io.Copy(io.Discard, os.Stdin)
	for _, c := range keep {
		c.Close()
	}
	return nil
}

func get(tr *http.Transport, addr, path string) error {
	resp, err := (&http.Client{Transport: tr}).Get("https://" + addr + path)
	if err != nil {
		return err
	}
	if resp.ProtoMajor != 2 {
		return fmt.Errorf("got %s, want HTTP/2", resp.Proto)
	}
	io.Copy(io.Discard, resp.Body)
	return resp.Body.Close()
}

type closer func()

func (c closer) Close() error { c(); return nil }
