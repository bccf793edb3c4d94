package scenarios

import (
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
)

// The rows of the top level, the link and TCP: see [Field]. Docs are
// Markdown; a constant in a range is the decoder's or the model's own.

func topFields() []Field {
	return []Field{
		{Path: "name", Kind: KindText, Allowed: "any non-empty text",
			Default: prose("the file's base name without extension (`slow-link.yaml` → `slow-link`)"),
			Doc:     "the scenario's name in reports"},
		{Path: "description", Kind: KindText, Allowed: "one line", Default: prose("empty"),
			Doc: "shown in lists of scenarios"},
		{Path: "narrative", Kind: KindText, Allowed: "any text; use `|` for several lines", Default: prose("empty"),
			Doc: "a few sentences for students: what to look at and compare"},
		{Path: "protocols", Kind: KindList, Allowed: "a list of " + strings.Join(protocolWords(), ", "), Default: prose("the four over TCP"),
			Doc: "the protocols `run`, `tui` and `sweep` compare when `--protocol` is not given, in this order"},
		{Path: "ideal", Kind: KindBool,
			Doc: "switch on every textbook assumption at once; see [below](#ideal-the-textbooks-assumptions)"},
		{Path: "seed", Kind: KindCount, Range: "[0, 18446744073709551615]",
			Doc: "seed of the random numbers (random loss); the same seed gives the same run"},
		{Path: "link", Kind: KindSection, Doc: "the link between the client and the server"},
		{Path: "tcp", Kind: KindSection, Doc: "both endpoints of every connection"},
		{Path: "tls", Kind: KindSection, Doc: "TLS on every connection"},
		{Path: "http", Kind: KindSection, Doc: "the protocol the browser speaks to the server"},
		{Path: "quic", Kind: KindSection, Doc: "HTTP/3's transport (`http.protocol: http3`)"},
		{Path: "browser", Kind: KindSection, Doc: "the browser's connection handling"},
		{Path: "server", Kind: KindSection, Doc: "the server's connection handling"},
		{Path: "page", Kind: KindSection, Doc: "the base document and what it references"},
		{Path: "origins", Kind: KindList, Doc: "the hosts besides `http.host` that the pages' resources come from"},
		{Path: "dns", Kind: KindSection, Doc: "the browser's name lookups before a host's first connection"},
		{Path: "visits", Kind: KindList, Doc: "further pages of the same browsing session"},
		{Path: "clients", Kind: KindSection, Doc: "how many browsers, and when they arrive"},
		{Path: "proxy", Kind: KindSection, Doc: "a proxy between the browsers and the origin"},
		{Path: "limits", Kind: KindSection, Doc: "safety bounds on one run"},
		{Path: "moments", Kind: KindList, Doc: "the lesson's key moments, which the terminal UI jumps to"},
	}
}

func linkFields() []Field {
	return []Field{
		{Path: "link.rtt", Kind: KindDuration, Unit: "duration", Range: "[0, )",
			Doc: "round-trip propagation time of an empty packet; sets the one-way delay to `rtt`/2. Default: `model.DefaultConfig`, a typical continental round trip"},
		{Path: "link.bandwidth", Kind: KindRate, Also: []string{"unlimited"}, Unit: "rate", Range: "(0, )", Note: " or `unlimited`",
			Doc: "sets both `up` and `down`; `up` and `down` then override one direction"},
		{Path: "link.up", Kind: KindRate, Also: []string{"unlimited"}, Unit: "rate", Range: "(0, )", Note: " or `unlimited`", DefaultAt: "link.bandwidth",
			Doc: "client → server rate; a packet of B bytes takes 8·B/rate to send"},
		{Path: "link.down", Kind: KindRate, Also: []string{"unlimited"}, Unit: "rate", Range: "(0, )", Note: " or `unlimited`", DefaultAt: "link.bandwidth",
			Doc: "server → client rate"},
		{Path: "link.buffer", Kind: KindCount, Unit: "packets", Range: "[0, )", Note: "; `0` = unlimited",
			Doc: "how many packets may wait in each direction's drop-tail queue besides the one being sent; 1000 is Linux's default transmit queue (`txqueuelen`)"},
		{Path: "link.queue", Kind: KindChoice, Words: words(queues),
			Doc: "`fifo`: one queue in arrival order, like a plain router port. `fair`: the rate is shared equally among the connections with packets waiting (fluid fair queuing), the textbook's assumption for parallel connections"},
		{Path: "link.loss", Kind: KindProbability, Unit: "probability", Range: "[0, 1)",
			Doc: "chance that each packet is lost, drawn per packet and per direction from the seeded random numbers. (The model accepts 1, \"lose everything\", for its own tests; scenario files do not)"},
		{Path: "link.drops", Kind: KindList, Unit: "list", Allowed: "see below",
			Doc: "exact packets to lose, on top of `loss`, for repeatable loss experiments"},

		{Path: "link.drops[].conn", Kind: KindCount, Range: "[1, " + strconv.Itoa(maxCount) + "]", Required: true,
			Doc: "the connection, numbered from 1 in the order the browser opens them"},
		{Path: "link.drops[].dir", Kind: KindChoice, Words: words(dirs),
			Default: func() string { return code(nameOf(dirs, newDrop().Dir)) },
			Doc:     "client → server or server → client"},
		{Path: "link.drops[].nth", Kind: KindCount, Range: "[1, " + strconv.Itoa(maxCount) + "]", Required: true,
			Doc: "the packet to lose: the nth packet this connection sends in that direction, counting from 1, retransmissions and the SYN or SYN-ACK included"},
	}
}

// maxCount bounds the counts that have no bound of their own (a
// connection or packet number, server.max_requests): far above any run,
// and far from overflowing an int in any sum of them.
const maxCount = 1 << 30

func tcpFields() []Field {
	retries := "[0, " + strconv.Itoa(maxRetries) + "]"
	return []Field{
		{Path: "tcp.profile", Kind: KindChoice, Words: words(profiles),
			Doc: "the set of values the other fields start from"},
		{Path: "tcp.mss", Kind: KindSize, Unit: "bytes", Range: "[1, 65535]",
			Doc: "payload of a full segment: a 1500-byte Ethernet MTU minus 40 bytes of headers (RFC 9293 §3.7.1), minus 12 bytes of the timestamps option Linux sends on every segment (RFC 7323 §3, `net.ipv4.tcp_timestamps = 1`)"},
		{Path: "tcp.header_bytes", Kind: KindSize, Unit: "bytes", Range: "[0, 65535]",
			Doc: "TCP + IP header bytes per packet: 20 IPv4 (RFC 791) + 20 TCP (RFC 9293) + 12 of timestamps; SACK blocks add 4 + 8 each to an ACK"},
		{Path: "tcp.syn_header_bytes", Kind: KindSize, Unit: "bytes", Range: "[0, 65535]",
			Doc: "the same for a SYN or SYN-ACK, whose options are the handshake's: 20 IPv4 + 20 TCP + 20 of MSS (4, RFC 9293 §3.7.1), SACK permitted and timestamps (2 + 10, RFC 2018, RFC 7323) and a NOP and window scale (1 + 3, RFC 7323 §2.2), as Linux's `tcp_syn_options` writes them; the rfc profile sends the MSS option alone"},
		{Path: "tcp.initial_window", Kind: KindCount, Also: []string{"unlimited"}, Unit: "segments", Range: "[1, " + strconv.Itoa(model.MaxWindowSegments) + "]", Note: " or `unlimited`",
			Doc: "congestion window at the start of slow start (RFC 6928; Linux `TCP_INIT_CWND`)"},
		{Path: "tcp.initial_ssthresh", Kind: KindSize, Also: []string{"unlimited"}, Unit: "bytes", Range: "[1, 1024GiB]", Note: " or `unlimited`",
			Doc: "slow-start threshold at the start: \"arbitrarily high\" (RFC 5681 §3.1)"},
		{Path: "tcp.recv_window", Kind: KindSize, Also: []string{"unlimited", recvWindowAuto}, Unit: "bytes", Range: "[1, 1024GiB]", Note: ", `unlimited` or `auto`",
			Doc: "window each receiver advertises. `auto`: Linux's auto-tuning as the testbed's 6.18 kernel does it: 64,240 bytes in the SYN (65,160 in the SYN-ACK), 63 KiB after the handshake, 3 KiB more per segment received (`tcp_grow_window`) up to 79 KiB, then a buffer that grows once per round trip to twice what the application read (`tcp_rcv_space_adjust`), up to 32 MiB"},
		{Path: "tcp.window_unit", Kind: KindChoice, Words: words(windowUnits),
			Doc: "what cwnd counts. `packets`: segments, as Linux's `snd_cwnd` and `packets_out`: a short segment takes a whole slot. `bytes`: RFC 5681's bytes in flight"},
		{Path: "tcp.slow_start", Kind: KindChoice, Words: words(growths),
			Doc: "growth below ssthresh. `rfc5681`: + min(N, MSS) per ACK of N new bytes (RFC 5681 §3.1, eq. 2), so delayed ACKs slow it to 1.5× per round trip. `abc`: + min(N, 2·MSS) (RFC 3465, L = 2·SMSS). `linux`: + every segment acknowledged (`tcp_slow_start`); both double per round trip with delayed ACKs. See [protocols](protocols.md) for how this choice ranks HTTP/2"},
		{Path: "tcp.avoidance", Kind: KindChoice, Words: words(avoidances),
			Doc: "congestion avoidance above ssthresh, and the cut on a loss. `cubic`: RFC 9438's curve W(t) = C·(t − K)³ + W_max with C = 0.4, β = 0.7, in `tcp_cubic`'s integer arithmetic (at most +5 % per round trip before the first loss). `reno`: + MSS·MSS/cwnd per ACK (RFC 5681 §3.1, eq. 3), halved on a loss. `byte-counting`: + 1 MSS per full window acknowledged (RFC 3465)"},
		{Path: "tcp.hystart", Kind: KindBool,
			Doc: "end slow start before any loss when the round trip grows by an eighth (4 to 16 ms) or a round's ACK train spans half of it, from 16 segments on (HyStart, Linux `tcp_cubic`)"},
		{Path: "tcp.restart", Kind: KindChoice, Words: words(restarts),
			Doc: "window validation. `rfc5681`: cwnd = min(IW, cwnd) after an idle period longer than the RTO (RFC 5681 §4.1). `halving`: halve cwnd per RTO of idle time (Linux `tcp_cwnd_restart`, after RFC 2861). `linux`: halving, and the window grows only while the sender uses it (`tcp_is_cwnd_limited`: in slow start below twice the packets it had out), and shrinks halfway towards what was used after an RTO of not using it (RFC 2861 §3). `off`: keep cwnd"},
		{Path: "tcp.delayed_ack", Kind: KindBool,
			Doc: "delay ACKs as `ack_policy` says; `false`: an ACK for every segment (the textbook)"},
		{Path: "tcp.delayed_ack_delay", Kind: KindDuration, Unit: "duration", Range: "[0, 500ms)",
			Doc: "the `rfc5681` policy's timer: Linux's `TCP_DELACK_MIN`; RFC 5681 §4.2 requires < 500 ms"},
		{Path: "tcp.ack_policy", Kind: KindChoice, Words: words(ackPolicies),
			Doc: "when the receiver acknowledges. `rfc5681`: every second full segment at once, others after `delayed_ack_delay`, out-of-order and gap-filling ones at once (RFC 5681 §4.2). `linux`: every segment in quick-ACK mode (the first min(16, window/2·MSS) segments, after an idle gap, and while the receive window opens), every second once the connection is interactive (it sent within the delayed-ACK time of receiving), a short or PSH segment when the application reads it, a delay from 40 ms up to the RTT (`__tcp_ack_snd_check`, `tcp_event_data_recv`)"},
		{Path: "tcp.ack_with_data", Kind: KindBool,
			Doc: "the client's first data rides on the handshake's final ACK (the textbook's assumption)"},
		{Path: "tcp.initial_rto", Kind: KindDuration, Also: []string{rtoFromPath}, Unit: "duration or `" + rtoFromPath + "`", Range: "(0, )",
			Doc: "retransmission timeout before any RTT sample (RFC 6298 §2.1; Linux `TCP_TIMEOUT_INIT`); `path` (ideal mode's value) starts the estimator from the path's round trip R as if measured: RTO = 3R (§2.2)"},
		{Path: "tcp.min_rto", Kind: KindDuration, Unit: "duration", Range: "(0, )", Note: ", ≤ `max_rto`",
			Doc: "the RTO's floor: RFC 6298 §2.4's 1 s, or Linux's `TCP_RTO_MIN`, which `rtt_estimator: linux` applies to RTTVAR, not to the RTO"},
		{Path: "tcp.max_rto", Kind: KindDuration, Also: []string{"unlimited"}, Unit: "duration", Allowed: "≥ `min_rto`, or `unlimited` (ideal mode's)",
			Doc: "upper bound of the backed-off RTO: Linux's `TCP_RTO_MAX`; RFC 6298 §2.5 asks for at least 60 s"},
		{Path: "tcp.rtt_estimator", Kind: KindChoice, Words: words(estimators),
			Doc: "`rfc6298`: one segment timed per round trip (Karn), RTO = SRTT + 4·RTTVAR within [`min_rto`, `max_rto`] (RFC 6298 §2). `linux`: a sample from every ACK of new data, RTTVAR the window's largest deviation and never below `min_rto`, so RTO = SRTT + max(4·deviation, 200 ms) (`tcp_rtt_estimator`); a queue that builds slowly does not make it fire; the first four SYN timeouts stay at `initial_rto` (`tcp_syn_linear_timeouts`)"},
		{Path: "tcp.recovery", Kind: KindChoice, Words: words(recoveries),
			Doc: "how losses are found and repaired. `newreno`: fast retransmit on the third duplicate ACK with limited transmit (RFC 3042) and NewReno fast recovery (RFC 5681 §3.2, RFC 6582; the retransmission timer reset by the first partial ACK only, §3.2 step 5), go-back-N after a timeout. `rack`: SACK (RFC 2018) and D-SACK (RFC 2883); a segment is lost once a later one is SACKed and a reordering window (a quarter of the minimum RTT, none from three SACKed segments on) has passed (RACK, RFC 8985 §6); a tail loss probe 2·SRTT after the last send (§7); proportional rate reduction in recovery (RFC 6937); a timeout proven spurious by timestamps or F-RTO is undone (RFC 3522, RFC 5682)"},
		{Path: "tcp.syn_retries", Kind: KindCount, Unit: "count", Range: retries,
			Doc: "SYN retransmissions before giving up (Linux `tcp_syn_retries`, to which `rtt_estimator: linux` adds its four linear timeouts: 10 retransmissions, 131 s)"},
		{Path: "tcp.synack_retries", Kind: KindCount, Unit: "count", Range: retries,
			Doc: "SYN-ACK retransmissions (Linux `tcp_synack_retries`)"},
		{Path: "tcp.data_retries", Kind: KindCount, Unit: "count", Range: retries,
			Doc: "data retransmissions by timeout before giving up (Linux `tcp_retries2`)"},
		{Path: "tcp.time_wait", Kind: KindDuration, Unit: "duration", Range: "[0, )",
			Doc: "TIME-WAIT length, 2·MSL: Linux's `TCP_TIMEWAIT_LEN` (RFC 9293 §3.4.2 suggests MSL = 2 min)"},
		{Path: "tcp.keepalive", Kind: KindBool,
			Doc: "TCP keep-alive (`SO_KEEPALIVE`, RFC 9293 §3.8.4) on the browser's sockets — not HTTP keep-alive: probe a connection that has been silent for `keepalive_idle`. The browser's choice: a profile does not change it"},
		// Linux's ranges: include/net/tcp.h MAX_TCP_KEEPIDLE and
		// MAX_TCP_KEEPINTVL (32767 s), MAX_TCP_KEEPCNT (127).
		{Path: "tcp.keepalive_idle", Kind: KindDuration, Unit: "duration", Range: "[1s, 32767s]", Note: " (Linux's `TCP_KEEPIDLE` range)",
			Doc: "silence before the first probe (Linux `tcp_keepalive_time`; Chrome sets 45 s)"},
		{Path: "tcp.keepalive_interval", Kind: KindDuration, Unit: "duration", Range: "[1s, 32767s]", Note: " (`TCP_KEEPINTVL`)",
			Doc: "time between unanswered probes (Linux `tcp_keepalive_intvl`)"},
		{Path: "tcp.keepalive_probes", Kind: KindCount, Unit: "count", Range: "[1, 127]", Note: " (`TCP_KEEPCNT`)",
			Doc: "unanswered probes before the connection is given up (Linux `tcp_keepalive_probes`)"},
	}
}

// code writes a value as the docs do, in backticks.
func code(s string) string { return "`" + s + "`" }
