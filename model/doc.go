// Package model builds a network on the [sim] engine: clients and a server
// joined by point-to-point links, TCP connections between them, and the
// web page loads that run over them ([Run]).
//
// # Overview
//
//   - [Link]: full duplex; per direction a rate (serialization = bits/rate),
//     a propagation delay, a drop-tail transmit queue (FIFO, or fluid fair
//     sharing between connections) and optional random or scripted loss.
//   - [Endpoint]: TCP with the 3-way handshake, MSS segmentation,
//     cumulative and delayed ACKs, a receive window, slow start from an
//     initial window (RFC 6928: 10 segments), Reno congestion avoidance,
//     limited transmit (RFC 3042), fast retransmit and NewReno fast
//     recovery (RFC 5681, RFC 6582), a
//     retransmission timer with backoff (RFC 6298), SYN retransmission,
//     FIN teardown with TIME-WAIT, and slow-start restart after idle.
//   - Optional TLS 1.2 or 1.3 on every connection, with session
//     resumption and 0-RTT, and realistic handshake and record bytes.
//   - A browser that discovers resources as their parents arrive and
//     fetches them over HTTP/1.0, HTTP/1.1 keep-alive (up to Parallel
//     connections), HTTP/1.1 pipelining or HTTP/2 (one connection, HPACK
//     headers, interleaved DATA frames, flow control, GOAWAY).
//   - The keep-alive life cycle: idle timeouts on both ends, request
//     limits, the close race and retries, several pages per visit, many
//     clients competing for a server's worker slots, TIME-WAIT, TCP
//     keep-alive probes, and a proxy whose two hops keep or close
//     connections on their own terms.
//   - Every packet, window change, state change and HTTP milestone is
//     recorded as a [trace.Record]; metrics (trace.Summarize), the CSV and
//     the terminal UI are computed from that trace alone.
//
// # Ideal mode
//
// [Config.ApplyIdeal] switches on the textbook's assumptions: no header
// bytes ([IdealTCP]), an ACK per segment, cwnd + 1 segment per ACK in slow
// start, no ssthresh or receive-window limit, the request riding on the
// handshake's final ACK, and requests, TLS and HTTP/2 control messages
// that are negligible (a weightless placeholder byte, see
// [Endpoint.WriteNegligible]). Fetching an object of O bytes then
// takes exactly what Kurose & Ross's slow-start latency model predicts:
//
//	2·RTT + O/R + Σ_{k=1}^{K−1} [S/R + RTT − W·2^{k−1}·S/R]⁺
//
// # Simplifications
//
// Sequence numbers start at 0 and do not wrap; the receiving application
// reads at once, so the advertised window is constant; there is no SACK,
// and no Nagle (web servers and browsers set TCP_NODELAY). A SYN carries the same header bytes as any other segment.
package model
