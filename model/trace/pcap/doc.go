// Package pcap writes a run's packets as a capture file (pcap, with
// nanosecond timestamps and raw IPv4 packets) that Wireshark and tshark
// open as if it had been recorded on an interface: IPv4 and TCP headers
// built from each packet record, with the addresses, ports, initial
// sequence numbers, flags, windows, options and checksums a Linux client
// and server would have sent, at the simulated times after a fixed
// epoch, so the same run always writes the same bytes.
//
// A trace records packets, not their bytes, so the payload is what
// Writer.Payload gives for a segment (keepalive run --pcap gives
// HTTP/1.x's text), else zero bytes of exactly the length the model
// charged. The options are those
// the header bytes the model charged determine: 20 bytes on a SYN are
// Linux's MSS, SACK permitted, timestamps, NOP and window scale; 4 the
// MSS alone; 12 on any other segment the timestamps option (with two
// NOPs); SACK blocks as the record lists them. Bytes the model charged
// that name no option are written as NOPs.
//
// The capture is taken at one end of the link: at the client, packets
// it sent when they left it and packets it received when they arrived,
// so a packet lost on the link appears at the sending side's capture
// only, as on a real network.
package pcap
