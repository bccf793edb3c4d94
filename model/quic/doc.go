// Package quic holds QUIC's loss detection and congestion control as
// RFC 9002 specifies them, and the transport limits of RFC 9000 they
// work with: the RTT estimator (§5), acknowledgment-based loss detection
// with its packet and time thresholds (§6.1), the probe timeout and its
// backoff (§6.2), the NewReno congestion controller with its recovery
// period and persistent congestion (§7, Appendix B), the initial and
// minimum windows (§7.2), and the server's anti-amplification limit and
// the client's Initial padding (RFC 9000 §8.1, §14.1); and the sizes of
// QUIC's packets and frames on the wire (RFC 9000 §16-§19, RFC 9001 §5):
// variable-length integers, packet numbers, long and short headers, the
// AEAD tag, ACK with its ranges, CRYPTO, STREAM, the flow-control
// frames, PING, HANDSHAKE_DONE and CONNECTION_CLOSE; and the receiver's
// side, the ranges it acknowledges and when (RFC 9000 §13.2); and
// Recovery, Appendix A's loss detection over the three packet number
// spaces with one timer (time threshold or probe timeout, the client's
// anti-deadlock probe, the server's amplification limit), feeding the
// controller; and StreamReceiver, a stream's bytes delivered in order,
// each stream on its own (RFC 9000 §2.2); flow control's windows (RFC
// 9000 §4) with quic-go's auto-tuning; and the profiles in which quic-go
// departs from the RFCs' recommendations; and Scheduler, which streams
// fill each packet, as quic-go's framer picks them (lost data first,
// then round-robin).
//
// It is the first part of the HTTP/3 model (issue 16): pure state and
// rules, with integer nanosecond times (sim.Time) and no events, so that
// the transport that will send QUIC packets over the model's links can
// drive it, and each rule is tested against the RFC's own numbers. It
// imports only sim, for the time type.
package quic
