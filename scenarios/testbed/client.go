//go:build linux

package testbed

import (
	"bufio"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/sys/unix"

	"github.com/keepalive-sim/keepalive/model"
)

// ClientCommand is the hidden command of the real browser (ClientMain).
const ClientCommand = "__testbed-client"

// ClientMain loads spec's page once, following the simulated browser's
// rules (model/browser.go): a resource is requested when its parent has
// arrived, or once its byte offset of the parent has; HTTP/1.x uses at
// most Parallel connections, one request at a time on each, or more
// behind it when pipelining; HTTP/2 sends every request as a stream of
// one connection. It prints a LoadResult as JSON.
func ClientMain(arg string, stdout io.Writer) error {
	var spec LoadSpec
	if err := json.Unmarshal([]byte(arg), &spec); err != nil {
		return fmt.Errorf("testbed: client arguments: %w", err)
	}
	b := newBrowser(spec)
	res := b.load()
	return json.NewEncoder(stdout).Encode(res)
}

// event is what a connection's goroutine tells the browser's loop.
type event struct {
	kind   eventKind
	conn   *h1conn
	res    int   // resource index
	bytes  int   // body bytes so far (progress)
	err    error // for failures
	h2     *h2conn
	at     time.Duration
	frames func() // for h2: a write the loop must make
}

type eventKind int

const (
	evReady eventKind = iota // connection (and TLS) up
	evFirstByte
	evProgress
	evDone
	evClosed
	evFailed
	evH2Write
)

// resState is one resource's progress.
type resState struct {
	found                                                            bool
	queued, connect, connectEnd, tlsStart, tlsEnd, sent, first, last time.Duration
	conn                                                             int
	got                                                              int
}

type browser struct {
	spec     LoadSpec
	start    time.Time
	res      []resState
	children [][]int
	queue    []int
	conns    []*h1conn
	h2       *h2conn
	h3       *h3conn
	nconns   int
	done     int
	events   chan event
	failure  error
}

func newBrowser(spec LoadSpec) *browser {
	b := &browser{spec: spec, res: make([]resState, len(spec.Resources)), children: make([][]int, len(spec.Resources)),
		events: make(chan event, 1024)}
	for i := range b.res {
		r := &b.res[i]
		r.queued, r.connect, r.connectEnd, r.tlsStart, r.tlsEnd, r.sent, r.first, r.last = -1, -1, -1, -1, -1, -1, -1, -1
	}
	for i := 1; i < len(spec.Resources); i++ {
		b.children[spec.Resources[i].Parent] = append(b.children[spec.Resources[i].Parent], i)
	}
	return b
}

func (b *browser) now() time.Duration { return time.Since(b.start) }

// load runs the page load to its end (or its first failure).
func (b *browser) load() LoadResult {
	count := tcpSegments
	if b.spec.Protocol == model.HTTP3.String() {
		count = udpDatagrams
	}
	before := count()
	b.start = time.Now()
	b.discover(0)
	b.dispatch()
	timeout := time.After(10 * time.Minute)
	for b.done < len(b.res) && b.failure == nil {
		select {
		case ev := <-b.events:
			b.handle(ev)
		case <-timeout:
			b.failure = errors.New("the page did not load within 10 minutes")
		}
	}
	end := b.now()
	after := count()
	out := LoadResult{PageLoad: end, Connections: b.nconns, Packets: after - before}
	if b.failure != nil {
		out.Error = b.failure.Error()
	}
	for i, r := range b.res {
		out.Resources = append(out.Resources, ResourceTime{Path: b.spec.Resources[i].Path, Conn: r.conn,
			Queued: r.queued, Connect: r.connect, ConnectEnd: r.connectEnd, TLS: r.tlsStart, TLSEnd: r.tlsEnd,
			RequestSent: r.sent, FirstByte: r.first, LastByte: r.last})
	}
	return out
}

// tcpSegments is the namespace's Tcp OutSegs + InSegs (/proc/net/snmp).
func tcpSegments() int { return snmpSum("Tcp", "OutSegs", "InSegs") }

// udpDatagrams is the namespace's Udp OutDatagrams + InDatagrams: QUIC's
// packets on the wire, one datagram each with GSO off.
func udpDatagrams() int { return snmpSum("Udp", "OutDatagrams", "InDatagrams") }

// snmpSum adds counters a and b of protocol proto in /proc/net/snmp.
func snmpSum(proto, a, b string) int {
	data, err := os.ReadFile("/proc/net/snmp")
	if err != nil {
		return 0
	}
	var names, values []string
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, proto+": "); ok {
			if names == nil {
				names = strings.Fields(rest)
			} else {
				values = strings.Fields(rest)
			}
		}
	}
	n := 0
	for i, name := range names {
		if i < len(values) && (name == a || name == b) {
			v, _ := strconv.Atoi(values[i])
			n += v
		}
	}
	return n
}

func (b *browser) discover(i int) {
	if b.res[i].found {
		return
	}
	b.res[i].found = true
	b.res[i].queued = b.now()
	b.queue = append(b.queue, i)
}

func (b *browser) handle(ev event) {
	switch ev.kind {
	case evReady:
		if ev.conn != nil {
			ev.conn.ready = true
		}
		b.dispatch()
	case evFirstByte:
		if r := &b.res[ev.res]; r.first < 0 {
			r.first = ev.at
		}
	case evProgress:
		b.res[ev.res].got = ev.bytes
		found := false
		for _, c := range b.children[ev.res] {
			if off := b.spec.Resources[c].Offset; off > 0 && ev.bytes >= off && !b.res[c].found {
				b.discover(c)
				found = true
			}
		}
		if found {
			b.dispatch()
		}
	case evDone:
		if ev.conn != nil {
			ev.conn.outstanding--
		}
		r := &b.res[ev.res]
		if r.first < 0 {
			r.first = ev.at
		}
		r.last = ev.at
		b.done++
		for _, c := range b.children[ev.res] {
			b.discover(c)
		}
		b.dispatch()
	case evClosed:
		ev.conn.closed = true
		b.dispatch()
	case evFailed:
		b.failure = ev.err
	case evH2Write:
		ev.frames()
	}
}

// dispatch hands queued requests to connections, as model/browser.go does.
func (b *browser) dispatch() {
	switch b.spec.Protocol {
	case model.HTTP2.String():
		b.dispatchH2()
		return
	case model.HTTP3.String():
		b.dispatchH3()
		return
	}
	open, connecting := 0, 0
	for _, c := range b.conns {
		if !c.closed {
			open++
			if !c.ready {
				connecting++
			}
		}
	}
	waiting := 0
	kept := b.queue[:0]
	for _, i := range b.queue {
		if idle := b.idleConn(); idle != nil {
			idle.send(i)
			continue
		}
		if waiting < connecting {
			waiting++
			kept = append(kept, i)
			continue
		}
		if open < b.spec.Parallel {
			b.openH1()
			open++
			connecting++
			waiting++
			kept = append(kept, i)
			continue
		}
		if b.spec.Protocol == model.HTTP11Pipelined.String() {
			if c := b.leastBusy(); c != nil {
				c.send(i)
				continue
			}
		}
		kept = append(kept, i)
	}
	b.queue = kept
}

func (b *browser) idleConn() *h1conn {
	for _, c := range b.conns {
		if !c.closed && c.ready && c.outstanding == 0 && (b.spec.Protocol != model.HTTP10.String() || c.used == 0) {
			return c
		}
	}
	return nil
}

func (b *browser) leastBusy() *h1conn {
	var best *h1conn
	for _, c := range b.conns {
		if !c.closed && c.ready && (best == nil || c.outstanding < best.outstanding) {
			best = c
		}
	}
	return best
}

// h1conn is one HTTP/1.x connection.
type h1conn struct {
	b           *browser
	id          int
	conn        net.Conn
	ready       bool
	closed      bool
	used        int
	outstanding int
	order       chan int // resources requested, in order: the reader answers them in turn
	setup
}

func serverPort(spec LoadSpec) string {
	if spec.TLS != "none" {
		return strconv.Itoa(tlsPort)
	}
	return strconv.Itoa(plainPort)
}

// clientTLS is the client's TLS configuration. The server's certificate
// is the testbed's own, made at start: it is not checked.
func clientTLS(spec LoadSpec, proto string) *tls.Config {
	v := uint16(tls.VersionTLS13)
	if spec.TLS == "1.2" {
		v = tls.VersionTLS12
	}
	// A session cache of its own for each connection: the client offers
	// resumption, so the server issues a ticket as it would to a
	// browser, but never resumes, as the simulator with tls.resume off.
	return &tls.Config{MinVersion: v, MaxVersion: v, NextProtos: []string{proto}, ServerName: spec.Host,
		ClientSessionCache: tls.NewLRUClientSessionCache(1),
		InsecureSkipVerify: true} // #nosec G402 -- the testbed's own certificate, inside its own namespaces
}

// dial opens a connection as the simulated browser does: the SYN leaves
// at once, in the order the browser decides (startConnect), and the rest
// of the handshake, TLS included, completes in the background (finish).
type dialing struct {
	conn net.Conn
	setup
}

// setup is a connection's DevTools setup times, which its first request
// carries (-1: did not happen).
type setup struct {
	connect, connectEnd, tlsStart, tlsEnd time.Duration
	charged                               bool // its first request took them
}

// charge gives r the connection's setup times if it is the first request.
func (s *setup) charge(r *resState) {
	if !s.charged {
		s.charged = true
		r.connect, r.connectEnd, r.tlsStart, r.tlsEnd = s.connect, s.connectEnd, s.tlsStart, s.tlsEnd
	}
}

// startConnect sends the SYN now: a non-blocking connect, so that a
// request the browser writes after deciding to open this connection
// leaves after the SYN, as in the simulation.
func (b *browser) startConnect() (net.Conn, time.Duration, error) {
	connect := b.now()
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, connect, err
	}
	port, _ := strconv.Atoi(serverPort(b.spec))
	sa := &unix.SockaddrInet4{Port: port}
	sa.Addr = ServerAddr.As4()
	if err := unix.Connect(fd, sa); err != nil && err != unix.EINPROGRESS {
		unix.Close(fd)
		return nil, connect, err
	}
	f := os.NewFile(uintptr(fd), "testbed-client")
	defer f.Close() // FileConn dups the descriptor
	c, err := net.FileConn(f)
	return c, connect, err
}

// finish waits for the connection started by startConnect, then runs TLS
// if the spec asks for it.
func (b *browser) finish(c net.Conn, connect time.Duration, proto string) (d dialing, err error) {
	d = dialing{conn: c, setup: setup{connect: connect, tlsStart: -1, tlsEnd: -1}}
	raw, err := c.(*net.TCPConn).SyscallConn()
	if err != nil {
		return d, err
	}
	var soErr error
	if werr := raw.Write(func(fd uintptr) bool {
		v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR)
		if err != nil {
			soErr = err
			return true
		}
		if v != 0 {
			soErr = unix.Errno(v)
			return true
		}
		_, err = unix.Getpeername(int(fd))
		return err == nil // not connected yet: wait until writable
	}); werr != nil {
		return d, werr
	}
	d.connectEnd = b.now()
	if soErr != nil {
		c.Close()
		return d, soErr
	}
	c.(*net.TCPConn).SetNoDelay(true)
	if b.spec.TLS != "none" {
		d.tlsStart = b.now()
		tc := tls.Client(c, clientTLS(b.spec, proto))
		if err = tc.Handshake(); err != nil {
			c.Close()
			return d, err
		}
		d.tlsEnd = b.now()
		d.conn = tc
	}
	return d, nil
}

func (b *browser) openH1() {
	b.nconns++
	c := &h1conn{b: b, id: b.nconns, order: make(chan int, len(b.res))}
	b.conns = append(b.conns, c)
	raw, connect, err := b.startConnect()
	if err != nil {
		b.failure = fmt.Errorf("connection %d: %w", c.id, err)
		return
	}
	go func() {
		d, err := b.finish(raw, connect, "http/1.1")
		if err != nil {
			b.events <- event{kind: evFailed, err: fmt.Errorf("connection %d: %w", c.id, err)}
			return
		}
		c.setup = d.setup
		c.conn = d.conn
		b.events <- event{kind: evReady, conn: c, at: b.now()}
		c.read()
	}()
}

// send writes the request for resource i.
func (c *h1conn) send(i int) {
	b := c.b
	r := &b.res[i]
	r.conn = c.id
	c.charge(r)
	version, keep := "1.1", true
	if b.spec.Protocol == model.HTTP10.String() {
		version, keep = "1.0", false
	}
	head := model.H1RequestHead(b.spec.Host, &b.spec.Resources[i], version, keep)
	c.used++
	c.outstanding++
	c.order <- i
	r.sent = b.now()
	if _, err := io.WriteString(c.conn, head); err != nil {
		b.failure = fmt.Errorf("connection %d: sending the request for %s: %w", c.id, b.spec.Resources[i].Path, err)
	}
}

// read answers the connection's requests in order: a status line, header
// fields up to the empty line, then Content-Length bytes of body.
func (c *h1conn) read() {
	b := c.b
	br := bufio.NewReaderSize(c.conn, 64<<10)
	buf := make([]byte, 64<<10)
	for i := range c.order {
		first := true
		length, closeAfter := -1, false
		for {
			line, err := br.ReadString('\n')
			if first && len(line) > 0 {
				first = false
				b.events <- event{kind: evFirstByte, res: i, at: b.now()}
			}
			if err != nil {
				b.events <- event{kind: evFailed, err: fmt.Errorf("connection %d: reading the response to %s: %w", c.id, b.spec.Resources[i].Path, err)}
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			name, value, _ := strings.Cut(line, ":")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "content-length":
				length, _ = strconv.Atoi(strings.TrimSpace(value))
			case "connection":
				closeAfter = strings.EqualFold(strings.TrimSpace(value), "close")
			}
		}
		if length < 0 {
			b.events <- event{kind: evFailed, err: fmt.Errorf("connection %d: the response to %s has no Content-Length", c.id, b.spec.Resources[i].Path)}
			return
		}
		for got := 0; got < length; {
			n, err := br.Read(buf[:min(len(buf), length-got)])
			got += n
			if n > 0 {
				b.events <- event{kind: evProgress, res: i, bytes: got}
			}
			if err != nil && got < length {
				b.events <- event{kind: evFailed, err: fmt.Errorf("connection %d: the body of %s: %w", c.id, b.spec.Resources[i].Path, err)}
				return
			}
		}
		b.events <- event{kind: evDone, conn: c, res: i, at: b.now()}
		if closeAfter {
			c.conn.Close()
			b.events <- event{kind: evClosed, conn: c}
			return
		}
	}
}
