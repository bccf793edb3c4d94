package model

import (
	"errors"
	"fmt"
	"math"

	"github.com/keepalive-sim/keepalive/sim"
)

// Rate is a link rate in bits per second.
type Rate int64

// UnlimitedRate is a link direction with no serialization delay.
const UnlimitedRate Rate = math.MaxInt64

// Common rates.
const (
	Kbps Rate = 1000
	Mbps Rate = 1000 * Kbps
	Gbps Rate = 1000 * Mbps
)

func (r Rate) String() string {
	switch {
	case r == UnlimitedRate:
		return "unlimited"
	case r%Gbps == 0:
		return fmt.Sprintf("%dGbps", r/Gbps)
	case r%Mbps == 0:
		return fmt.Sprintf("%dMbps", r/Mbps)
	case r%Kbps == 0:
		return fmt.Sprintf("%dkbps", r/Kbps)
	}
	return fmt.Sprintf("%dbps", int64(r))
}

// Unlimited, in a window or threshold field of [TCPConfig], means "no
// limit": the textbook's infinite initial window, ssthresh or receive
// window.
const Unlimited = -1

// unlimitedBytes stands for an unlimited window in arithmetic: far more
// than any run sends, small enough that sums cannot overflow.
const unlimitedBytes int64 = 1 << 50

// QueueDiscipline says how a link direction shares its rate among
// connections.
type QueueDiscipline uint8

const (
	// FIFO serves packets in arrival order from one drop-tail queue, as a
	// plain router interface does.
	FIFO QueueDiscipline = iota
	// Fair shares the rate equally among the connections that have packets
	// waiting (ideal fluid fair queuing, i.e. processor sharing): with X
	// busy connections each gets exactly R/X, the textbook's assumption for
	// parallel connections.
	Fair
)

func (q QueueDiscipline) String() string {
	if q == Fair {
		return "fair"
	}
	return "fifo"
}

// Drop names one packet for the link to lose, for exact loss tests: the
// Nth packet (from 1, retransmissions included) that connection Conn sends
// in direction Dir (trace.Up or trace.Down).
type Drop struct {
	Conn int
	Dir  uint8 // trace.Dir; kept as a number so model/config stays plain data
	Nth  int
}

// LinkConfig describes the one point-to-point, full-duplex link between
// the client and the server.
type LinkConfig struct {
	// Delay is the one-way propagation delay; the round-trip time of an
	// empty packet is 2·Delay.
	Delay sim.Time
	// Up and Down are the rates client→server and server→client;
	// serialization takes bits/rate.
	Up, Down Rate
	// Buffer is how many packets may wait in each direction's transmit
	// queue besides the one being sent (drop-tail); 0 means unlimited.
	Buffer int
	// Queue is the queue discipline of both directions.
	Queue QueueDiscipline
	// Loss is the probability that a packet is lost on the wire, drawn per
	// packet from a seeded stream per direction; in [0, 1] (1 loses
	// everything, which shows how a connection gives up).
	Loss float64
	// Drops lists exact packets to lose, on top of Loss.
	Drops []Drop
}

// Validate reports the first field out of range.
func (c LinkConfig) Validate() error {
	switch {
	case c.Delay < 0:
		return &ConfigError{Field: "link.delay", Value: c.Delay.String(), Allowed: "a duration ≥ 0"}
	case c.Up <= 0:
		return &ConfigError{Field: "link.up", Value: c.Up.String(), Allowed: "a rate > 0"}
	case c.Down <= 0:
		return &ConfigError{Field: "link.down", Value: c.Down.String(), Allowed: "a rate > 0"}
	case c.Buffer < 0:
		return &ConfigError{Field: "link.buffer", Value: fmt.Sprint(c.Buffer), Allowed: "packets ≥ 0 (0 = unlimited)"}
	case !(c.Loss >= 0 && c.Loss <= 1):
		return &ConfigError{Field: "link.loss", Value: fmt.Sprint(c.Loss), Allowed: "a probability in [0, 1]"}
	}
	for i, d := range c.Drops {
		f := fmt.Sprintf("link.drops[%d]", i)
		switch {
		case d.Conn < 1:
			return &ConfigError{Field: f + ".conn", Value: fmt.Sprint(d.Conn), Allowed: "a connection number ≥ 1"}
		case d.Dir != 1 && d.Dir != 2:
			return &ConfigError{Field: f + ".dir", Value: fmt.Sprint(d.Dir), Allowed: "up (1) or down (2)"}
		case d.Nth < 1:
			return &ConfigError{Field: f + ".nth", Value: fmt.Sprint(d.Nth), Allowed: "a packet number ≥ 1"}
		}
	}
	return nil
}

// CongestionAvoidance is the rule for growing cwnd above ssthresh.
type CongestionAvoidance uint8

const (
	// RenoPerAck adds SMSS·SMSS/cwnd per ACK (RFC 5681 §3.1, eq. 3).
	RenoPerAck CongestionAvoidance = iota
	// ByteCounting adds one SMSS once a full cwnd of bytes has been
	// acknowledged (RFC 5681 §3.1; RFC 3465 appropriate byte counting).
	ByteCounting
)

// String is the rule's name in a scenario file: reno or byte-counting.
func (a CongestionAvoidance) String() string {
	if a == ByteCounting {
		return "byte-counting"
	}
	return "reno"
}

// SlowStart is the rule for growing cwnd below ssthresh.
type SlowStart uint8

const (
	// SlowStartRFC5681 adds min(N, SMSS) per ACK that acknowledges N new
	// bytes (RFC 5681 §3.1, eq. 2): with delayed ACKs, the window grows by
	// half per round trip.
	SlowStartRFC5681 SlowStart = iota
	// SlowStartABC adds min(N, 2·SMSS) per ACK (RFC 3465 appropriate byte
	// counting with L = 2·SMSS): with delayed ACKs, it doubles per round trip.
	SlowStartABC
	// SlowStartLinux adds every byte acknowledged, as Linux's
	// tcp_slow_start counts every segment an ACK covers.
	SlowStartLinux
)

// String is the rule's name in a scenario file: rfc5681, abc or linux.
func (g SlowStart) String() string {
	switch g {
	case SlowStartABC:
		return "abc"
	case SlowStartLinux:
		return "linux"
	}
	return "rfc5681"
}

// Restart is the slow-start-restart policy after an idle period.
type Restart uint8

const (
	// RestartOff keeps cwnd across idle periods.
	RestartOff Restart = iota
	// RestartRFC5681 sets cwnd to min(IW, cwnd) when no data was sent for
	// longer than the RTO (RFC 5681 §4.1).
	RestartRFC5681
	// RestartHalving halves cwnd once per RTO of idle time, never below
	// min(IW, cwnd), as Linux's tcp_cwnd_restart does (after RFC 2861).
	RestartHalving
)

// TCPConfig holds the knobs of both endpoints of a connection. Use
// DefaultTCP or IdealTCP as a starting point.
type TCPConfig struct {
	MSS         int // sender maximum segment size, bytes (RFC 9293 §3.7.1)
	HeaderBytes int // TCP + IP header bytes per packet (20 + 20 without options)

	InitialWindow   int       // segments (RFC 6928: 10), or Unlimited
	InitialSsthresh int       // bytes, or Unlimited (RFC 5681 §3.1: "arbitrarily high")
	RecvWindow      int       // bytes advertised by each receiver, or Unlimited
	Growth          SlowStart // slow-start increase per ACK
	Avoidance       CongestionAvoidance
	Restart         Restart

	DelayedAck      bool     // ACK every second full segment or after DelayedAckDelay (RFC 5681 §4.2)
	DelayedAckDelay sim.Time // 40 ms, Linux's minimum; RFC 5681 requires < 500 ms
	AckWithData     bool     // the client's first data rides on the handshake's final ACK

	InitialRTO    sim.Time // RFC 6298 §2.1: 1 s
	MinRTO        sim.Time // RFC 6298 §2.4: 1 s (Linux uses 200 ms)
	MaxRTO        sim.Time // RFC 6298 §2.5: at least 60 s
	SynRetries    int      // SYN retransmissions before giving up (Linux tcp_syn_retries = 6)
	SynAckRetries int      // SYN-ACK retransmissions (Linux tcp_synack_retries = 5)
	DataRetries   int      // data retransmissions by timeout (Linux tcp_retries2 = 15)
	TimeWait      sim.Time // TIME-WAIT length, 2·MSL (Linux: 60 s)

	// RTOFromPath starts each endpoint's RTT estimator as if it had
	// already measured the path's round trip R (propagation plus a
	// header-only packet's serialization each way): SRTT = R, RTTVAR = R/2,
	// RTO = 3R within [MinRTO, MaxRTO] (RFC 6298 §2.2), instead of
	// InitialRTO; and on a path that cannot lose a packet it arms no
	// retransmission timer once the handshake is done. Ideal mode sets
	// it: the textbook has no timeouts, and a 1 s initial RTO would fire
	// spuriously on any path of RTT ≥ 1 s.
	RTOFromPath bool

	// TCP keep-alive (SO_KEEPALIVE, RFC 9293 §3.8.4; RFC 1122 §4.2.3.6),
	// not to be confused with HTTP keep-alive: after KeepAliveIdle without
	// hearing from the peer, the client sends a probe every
	// KeepAliveInterval; after KeepAliveProbes unanswered probes, it gives
	// up on the connection. The server does not probe.
	KeepAlive         bool
	KeepAliveIdle     sim.Time // Linux tcp_keepalive_time: 7200 s
	KeepAliveInterval sim.Time // Linux tcp_keepalive_intvl: 75 s
	KeepAliveProbes   int      // Linux tcp_keepalive_probes: 9
}

// DefaultTCP is a realistic TCP: Linux's sizes, timers and initial window,
// with RFC 5681's slow-start increase (min(N, SMSS) per ACK; Linux counts
// every segment acknowledged, SlowStartLinux) and RFC 6298's 1 s minimum
// RTO (Linux uses 200 ms).
func DefaultTCP() TCPConfig {
	return TCPConfig{
		MSS:             1460, // 1500-byte Ethernet MTU − 40 bytes of headers
		HeaderBytes:     40,   // 20 IPv4 + 20 TCP (RFC 791, RFC 9293), no options
		InitialWindow:   10,   // RFC 6928
		InitialSsthresh: Unlimited,
		RecvWindow:      6 << 20, // Linux tcp_rmem max: windows never limit a page load
		Avoidance:       RenoPerAck,
		Restart:         RestartRFC5681,
		DelayedAck:      true,
		DelayedAckDelay: 40 * sim.Millisecond, // Linux TCP_DELACK_MIN
		InitialRTO:      sim.Second,           // RFC 6298 §2.1
		MinRTO:          sim.Second,           // RFC 6298 §2.4
		MaxRTO:          120 * sim.Second,     // Linux TCP_RTO_MAX; RFC 6298 §2.5 asks ≥ 60 s
		SynRetries:      6,
		SynAckRetries:   5,
		DataRetries:     15,
		TimeWait:        60 * sim.Second, // Linux TCP_TIMEWAIT_LEN

		KeepAliveIdle:     7200 * sim.Second,
		KeepAliveInterval: 75 * sim.Second,
		KeepAliveProbes:   9,
	}
}

// IdealTCP is the textbook's TCP (Kurose & Ross, "Modeling TCP latency"):
// no header bytes, an ACK per segment, slow start adding one segment per
// ACK, no ssthresh or receive-window limit, and the first request riding
// on the third handshake segment. The initial window is unlimited, as in
// the textbook's response-time formulas that ignore slow start; set it to
// 1 for the textbook's slow-start latency model.
//
// The textbook's TCP never times out, at any RTT: the retransmission
// timer starts from the path's round trip (RTOFromPath), has no cap, and
// on a path that cannot lose a packet is not armed once the connection is
// open, so that neither a 1 s initial RTO, nor a cap, nor a queue of the
// other connections' data makes it fire before an ACK that is on its way.
func IdealTCP() TCPConfig {
	c := DefaultTCP()
	c.HeaderBytes = 0
	c.InitialWindow = Unlimited
	c.InitialSsthresh = Unlimited
	c.RecvWindow = Unlimited
	c.DelayedAck = false
	c.AckWithData = true
	c.Restart = RestartOff
	c.RTOFromPath = true
	c.MaxRTO = sim.Forever
	return c
}

// Validate reports the first field out of range.
func (c TCPConfig) Validate() error {
	win := func(field string, v int) error {
		if v == Unlimited || v > 0 {
			return nil
		}
		return &ConfigError{Field: field, Value: fmt.Sprint(v), Allowed: "a positive number or unlimited"}
	}
	switch {
	case c.Growth > SlowStartLinux:
		return &ConfigError{Field: "tcp.slow_start", Value: fmt.Sprint(int(c.Growth)), Allowed: "rfc5681, abc or linux"}
	case c.MSS < 1 || c.MSS > 65535:
		// The MSS option is a 16-bit field (RFC 9293 §3.2).
		return &ConfigError{Field: "tcp.mss", Value: fmt.Sprint(c.MSS), Allowed: "1 to 65535 bytes"}
	case c.HeaderBytes < 0:
		return &ConfigError{Field: "tcp.header_bytes", Value: fmt.Sprint(c.HeaderBytes), Allowed: "bytes ≥ 0"}
	case c.DelayedAckDelay < 0 || c.DelayedAckDelay >= 500*sim.Millisecond:
		return &ConfigError{Field: "tcp.delayed_ack_delay", Value: c.DelayedAckDelay.String(), Allowed: "0 to 500ms (RFC 5681 §4.2)"}
	case c.InitialRTO <= 0:
		return &ConfigError{Field: "tcp.initial_rto", Value: c.InitialRTO.String(), Allowed: "a duration > 0"}
	case c.MinRTO <= 0:
		return &ConfigError{Field: "tcp.min_rto", Value: c.MinRTO.String(), Allowed: "a duration > 0"}
	case c.MaxRTO < c.MinRTO:
		return &ConfigError{Field: "tcp.max_rto", Value: c.MaxRTO.String(), Allowed: "a duration ≥ min_rto (" + c.MinRTO.String() + ")"}
	case c.SynRetries < 0 || c.SynRetries > 100:
		return &ConfigError{Field: "tcp.syn_retries", Value: fmt.Sprint(c.SynRetries), Allowed: "0 to 100"}
	case c.SynAckRetries < 0 || c.SynAckRetries > 100:
		return &ConfigError{Field: "tcp.synack_retries", Value: fmt.Sprint(c.SynAckRetries), Allowed: "0 to 100"}
	case c.DataRetries < 0 || c.DataRetries > 100:
		return &ConfigError{Field: "tcp.data_retries", Value: fmt.Sprint(c.DataRetries), Allowed: "0 to 100"}
	case c.KeepAliveIdle <= 0:
		return &ConfigError{Field: "tcp.keepalive_idle", Value: c.KeepAliveIdle.String(), Allowed: "a duration > 0"}
	case c.KeepAliveInterval <= 0:
		return &ConfigError{Field: "tcp.keepalive_interval", Value: c.KeepAliveInterval.String(), Allowed: "a duration > 0"}
	case c.KeepAliveProbes < 1 || c.KeepAliveProbes > 100:
		return &ConfigError{Field: "tcp.keepalive_probes", Value: fmt.Sprint(c.KeepAliveProbes), Allowed: "1 to 100"}
	case c.TimeWait < 0:
		return &ConfigError{Field: "tcp.time_wait", Value: c.TimeWait.String(), Allowed: "a duration ≥ 0"}
	}
	if err := win("tcp.initial_window", c.InitialWindow); err != nil {
		return err
	}
	if err := win("tcp.initial_ssthresh", c.InitialSsthresh); err != nil {
		return err
	}
	return win("tcp.recv_window", c.RecvWindow)
}

// ErrConfig is matched (errors.Is) by every *ConfigError.
var ErrConfig = errors.New("invalid configuration")

// ConfigError names a configuration field whose value is out of range.
type ConfigError struct {
	Field   string // dotted scenario path, e.g. "link.loss"
	Value   string
	Allowed string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%s: %s is out of range; allowed: %s", e.Field, e.Value, e.Allowed)
}

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }
