package model

import (
	"fmt"

	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// Profile names a set of TCP knob values: what Linux does (the realistic
// default, measured against real kernels by the testbed) or what the RFCs
// require at a minimum. A scenario picks one with tcp.profile and may then
// override any single knob.
type Profile uint8

const (
	// ProfileLinux is Linux's TCP as the testbed measures it (LinuxTCP).
	ProfileLinux Profile = iota
	// ProfileRFC is the RFCs' minimal TCP: NewReno, RFC 6298 timers,
	// byte-counted windows (RFCTCP).
	ProfileRFC
)

// String is the profile's name in a scenario file: linux or rfc.
func (p Profile) String() string {
	if p == ProfileRFC {
		return "rfc"
	}
	return "linux"
}

// ProfileTCP returns the knob values of profile p.
func ProfileTCP(p Profile) TCPConfig {
	if p == ProfileRFC {
		return RFCTCP()
	}
	return LinuxTCP()
}

// WindowUnit is what cwnd counts.
type WindowUnit uint8

const (
	// Bytes counts the congestion window and the flight in bytes
	// (RFC 5681 §3.1): a short segment takes only its bytes.
	Bytes WindowUnit = iota
	// Packets counts them in segments, as Linux does (tcp_sock.snd_cwnd
	// and packets_out): a 100-byte segment fills a whole window slot.
	Packets
)

// String is the unit's name in a scenario file: bytes or packets.
func (u WindowUnit) String() string {
	if u == Packets {
		return "packets"
	}
	return "bytes"
}

// CongestionAvoidance is the rule for growing cwnd above ssthresh, and
// for cutting it on a loss.
type CongestionAvoidance uint8

const (
	// RenoPerAck adds SMSS·SMSS/cwnd per ACK (RFC 5681 §3.1, eq. 3) and
	// halves the window on a loss (eq. 4).
	RenoPerAck CongestionAvoidance = iota
	// ByteCounting adds one SMSS once a full cwnd of bytes has been
	// acknowledged (RFC 5681 §3.1; RFC 3465 appropriate byte counting).
	ByteCounting
	// Cubic grows the window along RFC 9438's cubic curve around the
	// window of the last loss, and cuts it to 0.7 of itself on a loss, as
	// Linux's default tcp_cubic does.
	Cubic
)

// String is the rule's name in a scenario file.
func (a CongestionAvoidance) String() string {
	switch a {
	case ByteCounting:
		return trace.GrowthByteCounting
	case Cubic:
		return trace.GrowthCubic
	}
	return trace.GrowthReno
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
	// SlowStartLinux adds every segment acknowledged, as Linux's
	// tcp_slow_start does: the window doubles per round trip whatever
	// the ACKs cover.
	SlowStartLinux
)

// String is the rule's name in a scenario file: rfc5681, abc or linux.
func (g SlowStart) String() string {
	switch g {
	case SlowStartABC:
		return trace.GrowthABC
	case SlowStartLinux:
		return trace.GrowthLinux
	}
	return trace.GrowthRFC5681
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
	// RestartLinux is RestartHalving plus Linux's
	// tcp_cwnd_application_limited (RFC 2861 §3): a sender that has not
	// used its whole window for an RTO shrinks it halfway towards what it
	// used.
	RestartLinux
)

// String is the policy's name in a scenario file.
func (r Restart) String() string {
	switch r {
	case RestartOff:
		return "off"
	case RestartHalving:
		return "halving"
	case RestartLinux:
		return "linux"
	}
	return "rfc5681"
}

// AckPolicy is when a receiver acknowledges data.
type AckPolicy uint8

const (
	// AckRFC5681 acknowledges every second full-sized segment at once and
	// any other after DelayedAckDelay (RFC 5681 §4.2), out-of-order and
	// gap-filling segments at once.
	AckRFC5681 AckPolicy = iota
	// AckLinux is Linux's receiver (tcp_input.c __tcp_ack_snd_check): it
	// acknowledges every segment at the start of a connection and while
	// its receive window grows (quick-ACK mode), every second one once the
	// connection is interactive (it sends soon after it receives), a
	// short segment when the application reads it, and adapts the delay
	// to the data's spacing.
	AckLinux
)

// String is the policy's name in a scenario file: rfc5681 or linux.
func (a AckPolicy) String() string {
	if a == AckLinux {
		return "linux"
	}
	return "rfc5681"
}

// RTTEstimator is how SRTT, RTTVAR and the retransmission timeout are
// computed.
type RTTEstimator uint8

const (
	// EstimatorRFC6298 times one segment per round trip (Karn's rule) and
	// sets RTO = SRTT + 4·RTTVAR, at least MinRTO (RFC 6298 §2).
	EstimatorRFC6298 RTTEstimator = iota
	// EstimatorLinux takes a sample from every ACK of new data and keeps
	// RTTVAR at least MinRTO, so that RTO ≥ SRTT + MinRTO (Linux
	// tcp_rtt_estimator and tcp_set_rto): a queue that builds slowly does
	// not outrun the timer.
	EstimatorLinux
)

// String is the estimator's name in a scenario file: rfc6298 or linux.
func (r RTTEstimator) String() string {
	if r == EstimatorLinux {
		return "linux"
	}
	return "rfc6298"
}

// Recovery is how a sender detects and repairs losses.
type Recovery uint8

const (
	// RecoveryNewReno is fast retransmit on the third duplicate ACK and
	// NewReno fast recovery (RFC 5681 §3.2, RFC 6582), go-back-N after a
	// timeout; no SACK.
	RecoveryNewReno Recovery = iota
	// RecoveryRACK is Linux's: SACK (RFC 2018), RACK-TLP loss detection
	// (RFC 8985) with a tail loss probe, proportional rate reduction
	// (RFC 6937), and spurious-timeout detection by timestamps (Eifel,
	// RFC 3522) and F-RTO (RFC 5682).
	RecoveryRACK
)

// String is the scheme's name in a scenario file: newreno or rack.
func (r Recovery) String() string {
	if r == RecoveryRACK {
		return trace.RecoveryRACK
	}
	return trace.RecoveryNewReno
}

// AutoWindow, in TCPConfig.RecvWindow, is Linux's receive buffer
// auto-tuning: the window starts at 64 KB and grows as the application
// reads (tcp_rcv_space_adjust), see recvWindow.
const AutoWindow = -2

// TCPConfig holds the knobs of both endpoints of a connection. Start from
// LinuxTCP (the default), RFCTCP or IdealTCP.
type TCPConfig struct {
	// Profile is the set of values the others started from; it changes
	// nothing by itself.
	Profile Profile

	MSS         int // payload bytes of a full segment (RFC 9293 §3.7.1), after TCP options
	HeaderBytes int // TCP + IP header bytes per packet, options included (20 + 20 without options)
	// SynHeaderBytes is the same for a SYN or a SYN-ACK, whose options
	// are their own: the handshake negotiates MSS, window scale and SACK
	// besides the timestamps every later segment carries.
	SynHeaderBytes int

	InitialWindow   int // segments (RFC 6928: 10), or Unlimited
	InitialSsthresh int // bytes, or Unlimited (RFC 5681 §3.1: "arbitrarily high")
	// RecvWindow is the window each receiver advertises, in bytes, or
	// Unlimited, or AutoWindow.
	RecvWindow int
	Unit       WindowUnit // what cwnd counts
	Growth     SlowStart  // slow-start increase per ACK
	Avoidance  CongestionAvoidance
	// HyStart ends slow start before any loss when the round trip starts
	// to grow (a queue is building) or an ACK train spans half of it, as
	// Linux's CUBIC does (hystart_detect = 3).
	HyStart bool
	Restart Restart

	DelayedAck      bool      // ACK every second full segment or after DelayedAckDelay (RFC 5681 §4.2)
	DelayedAckDelay sim.Time  // 40 ms, Linux's minimum; RFC 5681 requires < 500 ms
	Acks            AckPolicy // when the receiver acknowledges, with DelayedAck
	AckWithData     bool      // the client's first data rides on the handshake's final ACK

	InitialRTO    sim.Time     // RFC 6298 §2.1: 1 s
	MinRTO        sim.Time     // RFC 6298 §2.4: 1 s (Linux TCP_RTO_MIN: 200 ms)
	MaxRTO        sim.Time     // RFC 6298 §2.5: at least 60 s
	Estimator     RTTEstimator // how the RTO follows the measured round trip
	Recovery      Recovery     // how losses are detected and repaired
	SynRetries    int          // SYN retransmissions before giving up (Linux tcp_syn_retries = 6)
	SynAckRetries int          // SYN-ACK retransmissions (Linux tcp_synack_retries = 5)
	DataRetries   int          // data retransmissions by timeout (Linux tcp_retries2 = 15)
	TimeWait      sim.Time     // TIME-WAIT length, 2·MSL (Linux: 60 s)

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

// DefaultTCP is the realistic default: LinuxTCP.
func DefaultTCP() TCPConfig { return LinuxTCP() }

// LinuxTCP is Linux's TCP (kernel 6.x defaults, as the testbed in
// scenarios/testbed measures them on real kernels): timestamps on, so
// 1448-byte segments under 52 bytes of headers; a window of 10 packets
// that slow start doubles per round trip whatever the ACKs cover; CUBIC
// with HyStart; quick ACKs; receive-buffer auto-tuning; RTO ≥ SRTT +
// 200 ms; SACK with RACK-TLP, PRR and spurious-timeout undo.
func LinuxTCP() TCPConfig {
	return TCPConfig{
		Profile: ProfileLinux,
		// 1500-byte Ethernet MTU − 20 IPv4 − 20 TCP − 12 bytes of the
		// timestamps option (RFC 7323 §3, with two NOPs), which Linux
		// sends on every segment (net.ipv4.tcp_timestamps = 1).
		MSS:         1448,
		HeaderBytes: 52,
		// 20 IPv4 + 20 TCP + 20 of options: MSS (4, RFC 9293 §3.7.1),
		// SACK permitted and timestamps (2 + 10, RFC 2018 §2, RFC 7323
		// §3), a NOP and window scale (1 + 3, RFC 7323 §2.2), as Linux's
		// tcp_syn_options writes them on a SYN and, for a client that
		// offered them all, on the SYN-ACK.
		SynHeaderBytes:  60,
		InitialWindow:   10,        // RFC 6928; Linux TCP_INIT_CWND
		InitialSsthresh: Unlimited, // TCP_INFINITE_SSTHRESH
		RecvWindow:      AutoWindow,
		Unit:            Packets,
		Growth:          SlowStartLinux,
		Avoidance:       Cubic, // net.ipv4.tcp_congestion_control = cubic
		HyStart:         true,  // tcp_cubic hystart = 1
		Restart:         RestartLinux,
		DelayedAck:      true,
		DelayedAckDelay: 40 * sim.Millisecond, // TCP_DELACK_MIN = TCP_ATO_MIN = HZ/25
		Acks:            AckLinux,
		InitialRTO:      sim.Second,            // TCP_TIMEOUT_INIT (RFC 6298 §2.1)
		MinRTO:          200 * sim.Millisecond, // TCP_RTO_MIN = HZ/5
		MaxRTO:          120 * sim.Second,      // TCP_RTO_MAX
		Estimator:       EstimatorLinux,
		Recovery:        RecoveryRACK,    // tcp_sack = 1, tcp_recovery = 1, tcp_early_retrans = 3, tcp_frto = 2
		SynRetries:      6,               // tcp_syn_retries
		SynAckRetries:   5,               // tcp_synack_retries
		DataRetries:     15,              // tcp_retries2
		TimeWait:        60 * sim.Second, // TCP_TIMEWAIT_LEN

		KeepAliveIdle:     7200 * sim.Second,
		KeepAliveInterval: 75 * sim.Second,
		KeepAliveProbes:   9,
	}
}

// RFCTCP is the RFCs' minimal TCP: no options (MSS 1460, 40 bytes of
// headers), windows counted in bytes, RFC 5681 slow start (min(N, SMSS)
// per ACK) and Reno congestion avoidance, ACKs for every second segment,
// RFC 6298's timer with its 1 s minimum, NewReno recovery without SACK.
// What the RFCs leave to the implementation (the initial window of RFC
// 6928, retries, TIME-WAIT, keep-alive, the delayed-ACK timer, the RTO's
// cap) keeps Linux's value, so the two profiles differ exactly where the
// docs' rfc column says.
func RFCTCP() TCPConfig {
	c := LinuxTCP()
	c.Profile = ProfileRFC
	c.MSS = 1460           // 1500-byte Ethernet MTU − 40 bytes of headers
	c.HeaderBytes = 40     // 20 IPv4 + 20 TCP (RFC 791, RFC 9293), no options
	c.SynHeaderBytes = 44  // and on the SYN the MSS option (RFC 9293 §3.7.1: a TCP SHOULD send it)
	c.RecvWindow = 6 << 20 // large enough that windows never limit a page load
	c.Unit = Bytes
	c.Growth = SlowStartRFC5681 // RFC 5681 §3.1, eq. 2
	c.Avoidance = RenoPerAck    // RFC 5681 §3.1, eq. 3
	c.HyStart = false
	c.Restart = RestartRFC5681 // RFC 5681 §4.1
	c.Acks = AckRFC5681        // RFC 5681 §4.2
	c.MinRTO = sim.Second      // RFC 6298 §2.4
	c.Estimator = EstimatorRFC6298
	c.Recovery = RecoveryNewReno // RFC 5681 §3.2, RFC 6582
	return c
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
	c := RFCTCP()
	c.HeaderBytes, c.SynHeaderBytes = 0, 0
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

// Upper bounds of the window fields: far above any real window, and low
// enough that a window times the MSS cannot overflow.
const (
	// MaxWindowSegments bounds tcp.initial_window (and --iw).
	MaxWindowSegments = 1_000_000
	maxWindowBytes    = 1 << 40
)

// Validate reports the first field out of range.
func (c TCPConfig) Validate() error {
	win := func(field string, v, most int, unit string) error {
		if v == Unlimited || v > 0 && v <= most {
			return nil
		}
		limit := fmt.Sprintf("%d %s", most, unit)
		if unit == "bytes" {
			limit = bytesText(int64(most)) // as a file writes it: 1024GiB
		}
		return &ConfigError{Field: field, Value: fmt.Sprint(v), Allowed: "1 to " + limit + ", or unlimited"}
	}
	switch {
	case c.Profile > ProfileRFC:
		return &ConfigError{Field: "tcp.profile", Value: fmt.Sprint(int(c.Profile)), Allowed: "linux or rfc"}
	case c.Growth > SlowStartLinux:
		return &ConfigError{Field: "tcp.slow_start", Value: fmt.Sprint(int(c.Growth)), Allowed: "rfc5681, abc or linux"}
	case c.Avoidance > Cubic:
		return &ConfigError{Field: "tcp.avoidance", Value: fmt.Sprint(int(c.Avoidance)), Allowed: "reno, byte-counting or cubic"}
	case c.Unit > Packets:
		return &ConfigError{Field: "tcp.window_unit", Value: fmt.Sprint(int(c.Unit)), Allowed: "bytes or packets"}
	case c.Restart > RestartLinux:
		return &ConfigError{Field: "tcp.restart", Value: fmt.Sprint(int(c.Restart)), Allowed: "rfc5681, halving, linux or off"}
	case c.Acks > AckLinux:
		return &ConfigError{Field: "tcp.ack_policy", Value: fmt.Sprint(int(c.Acks)), Allowed: "rfc5681 or linux"}
	case c.Estimator > EstimatorLinux:
		return &ConfigError{Field: "tcp.rtt_estimator", Value: fmt.Sprint(int(c.Estimator)), Allowed: "rfc6298 or linux"}
	case c.Recovery > RecoveryRACK:
		return &ConfigError{Field: "tcp.recovery", Value: fmt.Sprint(int(c.Recovery)), Allowed: "newreno or rack"}
	case c.MSS < 1 || c.MSS > 65535:
		// The MSS option is a 16-bit field (RFC 9293 §3.2).
		return &ConfigError{Field: "tcp.mss", Value: fmt.Sprint(c.MSS), Allowed: "1 to 65535 bytes"}
	case c.HeaderBytes < 0 || c.HeaderBytes > 65535:
		// An IP packet is at most 65,535 bytes (RFC 791), its headers too.
		return &ConfigError{Field: "tcp.header_bytes", Value: fmt.Sprint(c.HeaderBytes), Allowed: "0 to 65535 bytes"}
	case c.SynHeaderBytes < 0 || c.SynHeaderBytes > 65535:
		return &ConfigError{Field: "tcp.syn_header_bytes", Value: fmt.Sprint(c.SynHeaderBytes), Allowed: "0 to 65535 bytes"}
	case c.DelayedAckDelay < 0 || c.DelayedAckDelay >= 500*sim.Millisecond:
		return &ConfigError{Field: "tcp.delayed_ack_delay", Value: c.DelayedAckDelay.String(), Allowed: "0 to less than 500ms (RFC 5681 §4.2: less than 0.5 s)"}
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
	// Linux's ranges for TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT
	// (include/net/tcp.h MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL 32767 s,
	// MAX_TCP_KEEPCNT 127; tcp_sock_set_keepidle refuses < 1 s): probes
	// every millisecond would kill a connection before its first ACK
	// came back, and cost an event per millisecond of an idle hour.
	case c.KeepAliveIdle < sim.Second || c.KeepAliveIdle > 32767*sim.Second:
		return &ConfigError{Field: "tcp.keepalive_idle", Value: c.KeepAliveIdle.String(), Allowed: "1s to 32767s (Linux's TCP_KEEPIDLE range)"}
	case c.KeepAliveInterval < sim.Second || c.KeepAliveInterval > 32767*sim.Second:
		return &ConfigError{Field: "tcp.keepalive_interval", Value: c.KeepAliveInterval.String(), Allowed: "1s to 32767s (Linux's TCP_KEEPINTVL range)"}
	case c.KeepAliveProbes < 1 || c.KeepAliveProbes > 127:
		return &ConfigError{Field: "tcp.keepalive_probes", Value: fmt.Sprint(c.KeepAliveProbes), Allowed: "1 to 127 (Linux's TCP_KEEPCNT range)"}
	case c.TimeWait < 0:
		return &ConfigError{Field: "tcp.time_wait", Value: c.TimeWait.String(), Allowed: "a duration ≥ 0"}
	}
	// Bounds that keep every window in bytes (segments × MSS) far from
	// overflowing: a million segments, 1 TiB.
	if err := win("tcp.initial_window", c.InitialWindow, MaxWindowSegments, "segments"); err != nil {
		return err
	}
	if err := win("tcp.initial_ssthresh", c.InitialSsthresh, maxWindowBytes, "bytes"); err != nil {
		return err
	}
	if c.RecvWindow == AutoWindow || c.RecvWindow == Unlimited || c.RecvWindow > 0 && c.RecvWindow <= maxWindowBytes {
		return nil
	}
	return &ConfigError{Field: "tcp.recv_window", Value: fmt.Sprint(c.RecvWindow), Allowed: "1 to " + bytesText(maxWindowBytes) + ", unlimited or auto"}
}
