package model

import (
	"errors"
	"fmt"
	"strings"

	"github.com/keepalive-sim/keepalive/model/quic"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// TLSConfig is the TLS run on every connection.
type TLSConfig struct {
	Version TLSVersion
	// Resume makes later connections to the host resume the first one's
	// session: an abbreviated handshake of one round trip.
	Resume bool
	// EarlyData, with TLS 1.3 and Resume, sends the first request with the
	// ClientHello of a resumed connection (0-RTT, RFC 8446 §2.3).
	EarlyData bool
}

// HTTPConfig is how the browser and the server speak HTTP.
type HTTPConfig struct {
	Protocol Protocol
	// Parallel is the most connections the browser opens to the host in
	// the HTTP/1.x modes (browsers use 6); 1 gives the textbook's serial
	// case. HTTP/2 always uses one connection.
	Parallel int
	// StreamWindow and ConnWindow are the HTTP/2 flow-control windows the
	// browser grants (RFC 9113 §6.9), in bytes, or Unlimited. The protocol
	// starts both at 65,535; Chrome raises them to 6 MiB and 15 MiB.
	StreamWindow, ConnWindow int
	// MaxFrame is the largest HTTP/2 DATA frame payload (RFC 9113 §4.2:
	// SETTINGS_MAX_FRAME_SIZE starts at 16,384).
	MaxFrame int
	// MaxStreams is the server's SETTINGS_MAX_CONCURRENT_STREAMS
	// (RFC 9113 §6.5.2; nginx: 128), or Unlimited: the browser keeps no
	// more HTTP/2 requests in flight and queues the others.
	MaxStreams int
	// Host is the server's name, sent in Host / :authority.
	Host string
	// Coalesce lets an HTTP/2 browser send the requests for a host on
	// the connection of another host served by the same server (the same
	// address and a certificate for both: OriginConfig.SameServer), as
	// Chrome and Firefox do (RFC 9113 §9.1.1).
	Coalesce bool
}

// Config is everything one page load depends on.
type Config struct {
	Link LinkConfig
	TCP  TCPConfig
	TLS  TLSConfig
	HTTP HTTPConfig
	// QUIC is HTTP/3's transport (http.protocol http3), which always
	// runs TLS 1.3 (RFC 9001): TLS.Version does not apply to it, and
	// TLS.Resume and TLS.EarlyData do.
	QUIC QUICConfig
	// Browser and Server set the keep-alive life cycle: idle timeouts,
	// request limits, retries and server capacity.
	Browser BrowserConfig
	Server  ServerConfig
	Page    Page
	// Origins are the hosts besides HTTP.Host that the pages' resources
	// come from (Resource.Origin); none for a page on one host.
	Origins []OriginConfig
	// DNS is the browser's name resolution before a host's first
	// connection.
	DNS DNSConfig
	// Visits are further pages of the session, after Page.
	Visits  []Visit
	Clients ClientsConfig
	// Proxy, when enabled, sits between the browsers and the origin.
	Proxy ProxyConfig
	// Ideal makes every header, framing and TLS message negligible: it
	// occupies one placeholder byte of sequence space but no time on the
	// wire, as the textbook assumes.
	Ideal bool
	Seed  uint64
	// MaxEvents and MaxTime bound the run (0: no bound).
	MaxEvents uint64
	MaxTime   sim.Time
	// MaxMemory bounds the memory of the run, in bytes (0: no bound): a
	// configuration whose clients and pages alone would not fit is
	// refused, and a run stops, as at MaxEvents, once the model's state
	// (packets queued and in flight, connections, clients, pages) passes
	// two fifths of it, leaving the rest to the garbage collector
	// (memory.go).
	MaxMemory int64
}

// DefaultConfig is a realistic browser and server on a 100 ms, 10 Mbit/s
// link, loading a page of just the base document, over HTTP/1.1.
func DefaultConfig() Config {
	return Config{
		// Buffer: Linux's default transmit queue (txqueuelen) of 1000 packets.
		Link: LinkConfig{Delay: 50 * sim.Millisecond, Up: 10 * Mbps, Down: 10 * Mbps, Buffer: 1000},
		TCP:  DefaultTCP(),
		QUIC: DefaultQUIC(),
		HTTP: HTTPConfig{
			Protocol:     HTTP11,
			Parallel:     6,              // Chrome and Firefox: 6 per host
			StreamWindow: 6 << 20,        // Chrome's SETTINGS_INITIAL_WINDOW_SIZE
			ConnWindow:   15<<20 + 1<<16, // Chrome's connection window after its WINDOW_UPDATE
			MaxFrame:     16384,          // RFC 9113 §6.5.2 initial SETTINGS_MAX_FRAME_SIZE
			MaxStreams:   128,            // nginx http2_max_concurrent_streams
			Host:         "www.example.com",
		},
		Browser:   DefaultBrowser(),
		Server:    DefaultServer(),
		Clients:   ClientsConfig{Count: 1},
		Proxy:     DefaultProxy(),
		DNS:       DefaultDNS(),
		Page:      SyntheticPage(20_000, 0, nil),
		Seed:      1,
		MaxEvents: 50_000_000,
		MaxTime:   24 * 3600 * sim.Second,
		MaxMemory: DefaultMaxMemory,
	}
}

// ApplyIdeal switches on every textbook assumption at once: ideal TCP
// (IdealTCP), negligible headers and TLS messages, no loss, unlimited
// HTTP/2 windows. Single knobs may be changed afterwards.
func (c *Config) ApplyIdeal() {
	c.Ideal = true
	// A segment size chosen for the run survives; the realistic
	// default's (1448 bytes: Linux's timestamps option) becomes the
	// textbook's 1460.
	keep := c.TCP.MSS
	c.TCP = IdealTCP()
	if keep != DefaultTCP().MSS {
		c.TCP.MSS = keep
	}
	c.Link.Loss = 0
	c.Link.Drops = nil
	c.Link.Buffer = 0
	c.HTTP.StreamWindow, c.HTTP.ConnWindow = Unlimited, Unlimited
	c.HTTP.MaxStreams = Unlimited
	c.QUIC.StreamWindow, c.QUIC.ConnWindow = Unlimited, Unlimited
	c.QUIC.MaxStreamWindow, c.QUIC.MaxConnWindow = Unlimited, Unlimited
	c.QUIC.MaxStreams = Unlimited
	// A datagram carries the textbook's segment: S bytes of data, ideal
	// QUIC having no header bytes either.
	c.QUIC.MaxDatagram = min(max(c.TCP.MSS, quic.MinInitialDatagram), 1472)
}

// ForProtocol sets the protocol, and for HTTP/3 the TLS version QUIC
// always runs, 1.3 (RFC 9001).
func (c *Config) ForProtocol(p Protocol) {
	c.HTTP.Protocol = p
	if p == HTTP3 {
		c.TLS.Version = TLS13
	}
}

// Validate reports the first setting out of range as a *ConfigError.
func (c *Config) Validate() error {
	if err := c.Link.Validate(); err != nil {
		return err
	}
	if err := c.TCP.Validate(); err != nil {
		return err
	}
	if err := c.Page.Validate(); err != nil {
		return err
	}
	for i, v := range c.Visits {
		if v.Think < 0 {
			return &ConfigError{Field: fmt.Sprintf("visits[%d].think", i), Value: v.Think.String(), Allowed: "a duration ≥ 0"}
		}
		if err := v.Page.Validate(); err != nil {
			if ce, ok := err.(*ConfigError); ok {
				ce.Field = fmt.Sprintf("visits[%d].", i) + ce.Field
			}
			return err
		}
	}
	if err := c.Server.validate(); err != nil {
		return err
	}
	if err := c.Browser.validate(); err != nil {
		return err
	}
	if err := c.Clients.validate(); err != nil {
		return err
	}
	if err := c.Proxy.validate(); err != nil {
		return err
	}
	if c.HTTP.Protocol == HTTP3 {
		if c.TLS.Version != TLS13 {
			return &ConfigError{Field: "tls.version", Value: c.TLS.Version.String(), Allowed: "1.3 with http3: QUIC always runs TLS 1.3 (RFC 9001)"}
		}
		if err := c.QUIC.Validate(); err != nil {
			return err
		}
	}
	h := c.HTTP
	switch {
	case int(h.Protocol) >= len(protocolNames):
		return &ConfigError{Field: "http.protocol", Value: fmt.Sprint(int(h.Protocol)), Allowed: strings.Join(protocolNames[:], ", ")}
	case h.Parallel < 1 || h.Parallel > 1000:
		return &ConfigError{Field: "http.parallel", Value: fmt.Sprint(h.Parallel), Allowed: "1 to 1000 connections"}
	case h.StreamWindow != Unlimited && (h.StreamWindow < 1 || h.StreamWindow > 1<<31-1):
		return &ConfigError{Field: "http.stream_window", Value: fmt.Sprint(h.StreamWindow), Allowed: "1 to 2147483647 bytes (RFC 9113 §6.9.1) or unlimited"}
	case h.ConnWindow != Unlimited && (h.ConnWindow < defaultWindow || h.ConnWindow > 1<<31-1):
		// SETTINGS cannot change the connection window: it starts at 65,535
		// and a receiver can only grow it with WINDOW_UPDATE (RFC 9113 §6.9.2).
		return &ConfigError{Field: "http.conn_window", Value: fmt.Sprint(h.ConnWindow), Allowed: "65535 to 2147483647 bytes (RFC 9113 §6.9.2) or unlimited"}
	case h.MaxStreams != Unlimited && (h.MaxStreams < 1 || h.MaxStreams > 1<<31-1):
		return &ConfigError{Field: "http.max_streams", Value: fmt.Sprint(h.MaxStreams), Allowed: "1 to 2147483647 streams or unlimited"}
	case h.MaxFrame < 16384 || h.MaxFrame > 1<<24-1:
		return &ConfigError{Field: "http.max_frame", Value: fmt.Sprint(h.MaxFrame), Allowed: "16384 to 16777215 bytes (RFC 9113 §6.5.2)"}
	case !validHost(h.Host):
		return &ConfigError{Field: "http.host", Value: fmt.Sprintf("%q", h.Host), Allowed: "a host name"}
	case c.MaxMemory != 0 && (c.MaxMemory < MinMaxMemory || c.MaxMemory > MaxResourceSize):
		return &ConfigError{Field: "limits.max_memory", Value: fmt.Sprint(c.MaxMemory), Allowed: "0 (no bound) or 1MiB to 1024GiB"}
	}
	if err := c.TLS.validate(); err != nil {
		return err
	}
	if err := c.DNS.validate(); err != nil {
		return err
	}
	if err := c.validateOrigins(); err != nil {
		return err
	}
	if err := c.validateResourceOrigins(&c.Page, "page."); err != nil {
		return err
	}
	for i := range c.Visits {
		if err := c.validateResourceOrigins(&c.Visits[i].Page, fmt.Sprintf("visits[%d].page.", i)); err != nil {
			return err
		}
	}
	return c.checkMemory()
}

// validate reports the first TLS setting out of range.
func (c TLSConfig) validate() error {
	switch {
	case int(c.Version) >= len(tlsNames):
		return &ConfigError{Field: "tls.version", Value: fmt.Sprint(int(c.Version)), Allowed: "none, 1.2, 1.3"}
	case c.Resume && c.Version == NoTLS:
		// Without TLS there is no session to resume; a report would say
		// tls=none, tls_resume=true and mean nothing.
		return &ConfigError{Field: "tls.resume", Value: "true", Allowed: "only with tls 1.2 or 1.3"}
	case c.EarlyData && (c.Version != TLS13 || !c.Resume):
		return &ConfigError{Field: "tls.early_data", Value: "true", Allowed: "only with tls 1.3 and resume"}
	}
	return nil
}

// Result is what one page load measured: the trace's Summary (every
// metric is derived from the trace) and the engine's cost.
type Result struct {
	trace.Summary
	// Events is how many engine events the run fired.
	Events uint64
}

// Run loads cfg.Page (and cfg.Visits, for every client) over
// cfg.HTTP.Protocol, recording into rec (nil to keep no trace), and
// returns the metrics. It returns a *ConfigError for settings out of range.
//
// A run goes on until nothing is left to happen — every page loaded or
// failed, every connection closed and out of TIME-WAIT — or until it
// reaches one of its limits (MaxTime, MaxEvents). A limit is not an error:
// the trace ends with a RunStopped record, Result.Stopped names the limit,
// and every page without an outcome gets a PageUnfinished record saying
// why, so that no statistic counts it as loaded. A panic (a bug) is
// returned as an *InternalError.
func Run(cfg Config, rec trace.Recorder) (res Result, err error) {
	defer recoverRun(&err)
	if err := cfg.Validate(); err != nil {
		return Result{}, err
	}
	// The summary is computed as the run goes, so that the run keeps no
	// trace of its own: rec gets every record as it happens, and a run
	// with rec nil costs memory for its page, not for its packets.
	sum := trace.NewSummarizer()
	var log trace.Recorder = sum
	var full *stopWhenFull
	if b, ok := rec.(trace.Bounded); ok {
		full = &stopWhenFull{rec: b}
		log = trace.Tee{sum, full}
	} else if rec != nil {
		log = trace.Tee{sum, rec}
	}
	s := sim.New(cfg.Seed, 0)
	maxTime := cfg.MaxTime
	if maxTime == 0 || maxTime > MaxRunTime {
		maxTime = MaxRunTime
	}
	s.SetLimits(sim.Limits{MaxEvents: cfg.MaxEvents, MaxTime: maxTime})
	if full != nil {
		full.sim = s
	}
	n, err := NewNetwork(s, cfg.Link, log)
	if err != nil {
		return Result{}, err
	}
	n.meter.bound(cfg.MaxMemory, s.Stop)
	n.messages = trace.MessagesOf(rec) // a bounded rec is behind stopWhenFull in log
	n.traced = rec != nil
	// The links first: the clients', then the proxy's, whose index follows
	// theirs. Then the server the browsers see: the origin, or the proxy.
	for i := 1; i < cfg.Clients.Count; i++ {
		n.AddClient(cfg.Link)
	}
	var srv *server
	if cfg.Proxy.Enabled {
		srv = newServer(n, &cfg.Server, cfg.Ideal, newProxy(n, &cfg))
	} else {
		srv = newOrigin(n, &cfg.Server, cfg.Ideal)
	}
	srv.mem = newServerMemory(s)
	origins := cfg.origins(n, srv)
	// Each client and its pages, counted as it is made; its connections
	// are counted as they are opened (NewConnFrom), the first too, which
	// the up-front estimate (clientsState) includes.
	perClient := cfg.clientsState()/int64(cfg.Clients.Count) - connStateBytes
	arrivals := s.Rand("clients/arrivals")
	var browsers []*browser
	var at sim.Time
	for i := 0; i < cfg.Clients.Count; i++ {
		if i > 0 && cfg.Clients.Rate > 0 {
			// Poisson arrivals: exponential gaps of mean 1/rate.
			at += sim.Time(arrivals.ExpFloat64() / cfg.Clients.Rate * float64(sim.Second))
		}
		n.meter.add(perClient)
		b := newBrowser(n, &cfg, origins, i)
		browsers = append(browsers, b)
		s.At(at, b.start)
	}
	why := "nothing was left to happen"
	var limit *sim.LimitError
	var drained error
	if !n.meter.over { // else the clients alone took the budget: nothing runs
		drained = s.Drain()
	}
	if err := drained; errors.As(err, &limit) {
		name, value := limitName(limit.Kind), limitValue(limit)
		why = "the run reached limits." + name.String() + " (" + value + ")"
		// A time limit stops the run at that time: nothing happened
		// between the last event and it. An event limit stops it at the
		// last event fired.
		stop := s.Now()
		if limit.Kind == sim.TimeLimit {
			stop = max(stop, maxTime)
			s.RunUntil(stop) // advances the clock; nothing is due before it
		}
		log.Record(trace.Record{At: stop, Kind: trace.RunStopped, State: name,
			Note: fmt.Sprintf("stopped at %v after %d events: limits.%s is %s", stop, limit.Fired, name, value)})
	} else if err != nil {
		return Result{}, err
	} else if n.meter.over && s.Pending() > 0 {
		value := bytesText(cfg.MaxMemory)
		why = "the run reached limits.max_memory (" + value + ")"
		log.Record(trace.Record{At: s.Now(), Kind: trace.RunStopped, State: trace.StopMaxMemory,
			Note: fmt.Sprintf("stopped at %v after %d events: the model's state took %d bytes (%d connections), more than two fifths of limits.max_memory, %s",
				s.Now(), s.Fired(), n.meter.bytes, len(n.conns), value)})
	} else if full != nil && full.stopped && s.Pending() > 0 { // full on the last event: nothing was cut short
		why = "the trace kept in memory was full"
		log.Record(trace.Record{At: s.Now(), Kind: trace.RunStopped, State: trace.StopTraceFull,
			Note: fmt.Sprintf("stopped at %v after %d events: the trace kept in memory is full (%d records)", s.Now(), s.Fired(), full.n)})
	}
	for _, b := range browsers {
		b.unfinished(why)
	}
	return Result{Summary: sum.Summary(), Events: s.Fired()}, nil
}

// stopWhenFull passes records to a bounded recorder and stops the
// simulator once it is full. Counting records keeps the stop
// deterministic: the same run stops at the same event every time.
type stopWhenFull struct {
	rec     trace.Bounded
	sim     *sim.Simulator
	n       int
	stopped bool
}

func (f *stopWhenFull) Record(r trace.Record) {
	f.rec.Record(r)
	f.n++
	if !f.stopped && f.rec.Full() {
		f.stopped = true
		f.sim.Stop()
	}
}

// MaxRunTime is the simulated time no run goes past, even with
// limits.max_time 0 ("no bound"): a century, so that the clock plus any
// duration a user can write (at most a year) stays far inside int64.
const MaxRunTime = 100 * 365 * 24 * 3600 * sim.Second

// limitName is a limit's field in a scenario's limits section.
func limitName(k sim.LimitKind) trace.State {
	if k == sim.EventLimit {
		return trace.StopMaxEvents
	}
	return trace.StopMaxTime
}

func limitValue(e *sim.LimitError) string {
	if e.Kind == sim.EventLimit {
		return fmt.Sprint(e.Limits.MaxEvents)
	}
	return e.Limits.MaxTime.String()
}

// bytesText writes a number of bytes as a scenario file would: "1GiB",
// "512MiB", else bytes.
func bytesText(n int64) string {
	switch {
	case n > 0 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGiB", n>>30)
	case n > 0 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dB", n)
}
