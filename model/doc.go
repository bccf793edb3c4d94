// Package model builds a network on the [sim] engine: clients and a server
// joined by point-to-point links, TCP connections between them, and the
// web page loads that run over them ([Run]).
//
// # Overview
//
//   - [Link]: full duplex; per direction a rate (serialization = bits/rate),
//     a propagation delay, a drop-tail transmit queue (FIFO, or fluid fair
//     sharing between connections) and optional random or scripted loss.
//   - [Endpoint]: TCP with the 3-way handshake, MSS segmentation, a
//     receive window, slow start from an initial window (RFC 6928: 10
//     segments), SYN retransmission, FIN teardown with TIME-WAIT, and
//     restart after idle, under one of two profiles ([TCPConfig.Profile]).
//     Linux's, the default ([LinuxTCP]), as the testbed measures it against
//     a real kernel: timestamps, windows counted in packets, slow start
//     that doubles per round trip, CUBIC with HyStart (RFC 9438), quick and
//     adaptive delayed ACKs, receive-buffer auto-tuning, RTO ≥ SRTT +
//     200 ms, SACK with RACK-TLP (RFC 8985), PRR (RFC 6937) and spurious
//     timeout undo (RFC 3522, 5682). The RFCs' minimum ([RFCTCP]): RFC 5681
//     slow start and Reno, delayed ACKs, limited transmit (RFC 3042), fast
//     retransmit and NewReno fast recovery (RFC 6582), RFC 6298's timer.
//     Each part is a value inside the Endpoint, in its own file:
//     congestion (tcp_cc.go, tcp_cubic.go), the scoreboard of segments in
//     flight, the RTT estimator (tcp_rtt.go), NewReno and RACK recovery,
//     the receiver's ACK policy (tcp_ack.go) and window (tcp_rwnd.go).
//   - Optional TLS 1.2 or 1.3 on every connection, with session
//     resumption and 0-RTT, and realistic handshake and record bytes.
//   - A browser that discovers resources as their parents arrive and
//     fetches them over HTTP/1.0, HTTP/1.1 keep-alive (up to Parallel
//     connections), HTTP/1.1 pipelining or HTTP/2 (one connection, HPACK
//     headers, flow control, GOAWAY). The HTTP/2 server's frame scheduler
//     takes the streams in turn, a DATA frame each, and writes a frame
//     only when nothing it wrote is still waiting below it, unsent in TCP
//     or queued at the link ([Endpoint.NotSent]; real servers keep the
//     unsent part of their sockets small with TCP_NOTSENT_LOWAT), so that
//     responses interleave on the wire frame by frame.
//   - The keep-alive life cycle: idle timeouts on both ends, request
//     limits, the close race and retries, several pages per visit, many
//     clients competing for a server's worker slots, TIME-WAIT, TCP
//     keep-alive probes, and a proxy whose two hops keep or close
//     connections on their own terms.
//   - Every packet, window change (and why it changed), state change and
//     HTTP milestone is recorded as a [trace.Record]; metrics
//     (trace.Summarize), the CSV and the terminal UI are computed from
//     that trace alone.
//   - Every page ends with an outcome: loaded, failed (a request of it
//     failed) or unfinished (the run ended first). A run goes on until
//     nothing is left to happen or a limit (MaxTime, MaxEvents) stops it;
//     only loaded pages count in page load times.
//
// # Roles
//
// Above TCP, each role of a page load has a type of its own, one file
// each. They stay in one package, since they share the exchange of a
// request and its response, and splitting an application layer across
// packages costs more than it saves (net/http's internal/http2 exists to
// dodge an import cycle):
//
//   - browser (browser.go) loads a visit's pages: it finds resources as
//     their parents arrive, keeps the cache, and gives every page its
//     outcome. It hands its requests to its pool.
//   - pool (pool.go) is one client's connections to one server: the
//     queue of requests not yet sent, dispatch to connections, retries.
//     It is built for a requester, the browser or the proxy, which says
//     what its records carry and what a response or a failure means; no
//     path in the pool asks which of them it serves.
//   - proxy (proxy.go), when Proxy is enabled, stands between the
//     browsers and the origin: it is the source of the server the
//     browsers see, and the requester of its own pool toward the origin,
//     over a link of its own; a request it gives up on is answered 502.
//   - server (server.go) owns worker slots and the accept backlog; its
//     responses come from its source: an origin's files after processing
//     and think time, or the proxy's relay. Its processor (cpu.go) is
//     cores that its accepts, TLS handshakes and requests queue for, first
//     come, first served, at measured costs that are zero in ideal mode.
//   - session (session.go, session_server.go) is one connection, its
//     client half reaching its pool and its server half its server; its
//     TLS handshake is its own, and its HTTP framing is one of two behind
//     one interface (framing.go): HTTP/1.x (h1.go) or HTTP/2 (h2.go),
//     chosen from the Protocol in framingFor and nowhere else.
//   - sizes (sizes.go) is what each message weighs in the TCP stream:
//     the one place where ideal mode and realistic headers part.
//
// # Ties
//
// Events due at the same nanosecond run in the order they were scheduled,
// but a timer (a retransmission, delayed-ACK, idle or TIME-WAIT timeout)
// fires after every other event of its instant (package sim): a host that
// has the packet in hand when its timer expires does not time it out.
//
// # Ideal mode
//
// [Config.ApplyIdeal] switches on the textbook's assumptions: no header
// bytes ([IdealTCP]), an ACK per segment, cwnd + 1 segment per ACK in slow
// start, no ssthresh or receive-window limit, the request riding on the
// handshake's final ACK, no spurious timeouts at any RTT (the
// retransmission timer starts from the path's round trip), and requests,
// TLS and HTTP/2 control messages that are negligible (a weightless
// placeholder byte, see [Endpoint.WriteNegligible]). Fetching an object of
// O bytes then takes exactly what Kurose & Ross's slow-start latency model
// predicts:
//
//	2·RTT + O/R + Σ_{k=1}^{K−1} [S/R + RTT − W·2^{k−1}·S/R]⁺
//
// # Simplifications
//
// Sequence numbers start at 0 and do not wrap; the receiving application
// reads at once, so the advertised window is constant; there is no SACK,
// and no Nagle (web servers and browsers set TCP_NODELAY). A SYN carries the same header bytes as any other segment.
package model
