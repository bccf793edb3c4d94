package testbed

import (
	"fmt"
	"time"

	"github.com/keepalive-sim/keepalive/model"
)

// LoadSpec is one page load as the real server and client run it: the
// page of a scenario and how to fetch it. It is built from the same
// model.Config the simulator runs, so the two load the same page.
type LoadSpec struct {
	Host      string
	Resources []model.Resource
	Protocol  string // model.Protocol's name
	TLS       string // "none", "1.2", "1.3"
	Parallel  int    // HTTP/1.x connections to the host
	// HTTP/2: the client's SETTINGS_INITIAL_WINDOW_SIZE and connection
	// window, the server's SETTINGS_MAX_CONCURRENT_STREAMS and
	// SETTINGS_MAX_FRAME_SIZE (0: unlimited or the protocol default).
	StreamWindow, ConnWindow, MaxStreams, MaxFrame int
	// QUIC is HTTP/3's transport settings (zero for the other protocols).
	QUIC QUICSpec `json:",omitempty"`
}

// QUICSpec is what quic-go's quic.Config is given at both ends: the
// model's quic section (model.QUICConfig).
type QUICSpec struct {
	MaxDatagram                   int // quic.Config.InitialPacketSize, path MTU discovery off
	StreamWindow, MaxStreamWindow int
	ConnWindow, MaxConnWindow     int
	MaxStreams                    int
	IdleTimeout                   time.Duration
}

// SpecOf builds the load of cfg's first page over cfg's protocol. It
// refuses what the testbed does not reproduce (several pages or clients,
// a proxy, scripted drops), naming the setting.
func SpecOf(cfg model.Config) (LoadSpec, error) {
	switch {
	case len(cfg.Visits) > 0:
		return LoadSpec{}, fmt.Errorf("visits: the testbed loads one page; this scenario has %d more", len(cfg.Visits))
	case cfg.Clients.Count > 1:
		return LoadSpec{}, fmt.Errorf("clients.count: the testbed runs one client, not %d", cfg.Clients.Count)
	case cfg.Proxy.Enabled:
		return LoadSpec{}, fmt.Errorf("proxy: the testbed has no proxy")
	case len(cfg.Link.Drops) > 0:
		return LoadSpec{}, fmt.Errorf("link.drops: the testbed loses packets at random only")
	case cfg.Link.Up != cfg.Link.Down:
		return LoadSpec{}, fmt.Errorf("link: the testbed's link has one rate both ways, not %v up and %v down", cfg.Link.Up, cfg.Link.Down)
	case cfg.Link.Queue != model.FIFO:
		return LoadSpec{}, fmt.Errorf("link.queue: the testbed's emulator is a FIFO")
	case cfg.Ideal:
		return LoadSpec{}, fmt.Errorf("ideal: real software has headers and slow start")
	}
	q := cfg.QUIC
	if cfg.HTTP.Protocol == model.HTTP3 {
		def := model.DefaultQUIC()
		switch {
		case q.Profile != "quic-go":
			return LoadSpec{}, fmt.Errorf("quic.profile: the testbed's QUIC is quic-go, not %q", q.Profile)
		case q.Congestion != "newreno":
			return LoadSpec{}, fmt.Errorf("quic.congestion: the testbed's quic-go runs its NewReno; it offers no CUBIC")
		case q.Discovery != model.DiscoverDirect:
			return LoadSpec{}, fmt.Errorf("quic.discovery: the testbed's client goes straight to HTTP/3")
		case q.CertificateBytes != def.CertificateBytes:
			return LoadSpec{}, fmt.Errorf("quic.certificate: the testbed's chain is its own, %d bytes", def.CertificateBytes)
		case q.InitialWindow != 0:
			return LoadSpec{}, fmt.Errorf("quic.initial_window: quic-go's is fixed at 32 packets")
		case q.StreamWindow == model.Unlimited || q.ConnWindow == model.Unlimited || q.MaxStreams == model.Unlimited:
			return LoadSpec{}, fmt.Errorf("quic: quic-go's windows and stream limit are finite")
		case q.IdleTimeout == 0:
			return LoadSpec{}, fmt.Errorf("quic.idle_timeout: quic-go has no connection without one (its 0 means 30s)")
		}
	}
	win := func(w int) int {
		if w == model.Unlimited {
			return 0
		}
		return w
	}
	return LoadSpec{
		Host: cfg.HTTP.Host, Resources: cfg.Page.Resources, Protocol: cfg.HTTP.Protocol.String(), TLS: cfg.TLS.Version.String(),
		Parallel: cfg.HTTP.Parallel, StreamWindow: win(cfg.HTTP.StreamWindow), ConnWindow: win(cfg.HTTP.ConnWindow),
		MaxStreams: win(cfg.HTTP.MaxStreams), MaxFrame: cfg.HTTP.MaxFrame,
		QUIC: quicSpecOf(cfg),
	}, nil
}

// LoadResult is what the real client measured of one load, in the
// simulator's terms.
type LoadResult struct {
	PageLoad    time.Duration
	Connections int
	// Packets the client's TCP sent and received (its namespace's
	// Tcp OutSegs and InSegs), and bytes the emulator carried.
	Packets   int
	Resources []ResourceTime
	Error     string `json:",omitempty"`
}

// ResourceTime is one resource's DevTools phases, from navigation start.
type ResourceTime struct {
	Path                                     string
	Conn                                     int
	Queued, Connect, ConnectEnd, TLS, TLSEnd time.Duration // -1: did not happen
	RequestSent, FirstByte, LastByte         time.Duration
}

// quicSpecOf is the quic section of an HTTP/3 load, else zero.
func quicSpecOf(cfg model.Config) QUICSpec {
	if cfg.HTTP.Protocol != model.HTTP3 {
		return QUICSpec{}
	}
	q := cfg.QUIC
	return QUICSpec{MaxDatagram: q.MaxDatagram, StreamWindow: q.StreamWindow, MaxStreamWindow: max(q.MaxStreamWindow, q.StreamWindow),
		ConnWindow: q.ConnWindow, MaxConnWindow: max(q.MaxConnWindow, q.ConnWindow), MaxStreams: q.MaxStreams, IdleTimeout: time.Duration(q.IdleTimeout)}
}
