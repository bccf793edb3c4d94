// Package wire turns the application messages a run wrote to its
// connections (trace.Message) into the bytes a real client and server
// would have sent, of exactly the lengths the model charged: HTTP/1.x
// heads and bodies, HTTP/2 frames with their HPACK blocks, and TLS
// records (handshake messages a dissector reads, application data of
// opaque bytes, since nothing is really encrypted). A capture file
// (model/trace/pcap) fills its segments' payload from these streams, so
// that Wireshark's dissectors read a simulated page load as a recorded
// one.
//
// The model sizes messages and never builds their bytes; this package
// builds them only when a capture asks, so a run without one costs
// nothing more.
package wire
