package trace

import "strconv"

// The simulation has no addresses: connections are numbered. A packet
// inspector or a capture export that shows what Wireshark shows gives
// each connection the ports and initial sequence numbers a Linux client
// and server would pick for it at random, drawn from the run's seed and
// the connection's number, so that every view and every export of one
// run agree and a run of another seed differs. No timing depends on
// them.
const (
	// HTTPPort and HTTPSPort are a server's ports (RFC 9110 §4.2.1,
	// §4.2.2).
	HTTPPort  = 80
	HTTPSPort = 443
	// Linux's default ephemeral ports, net.ipv4.ip_local_port_range =
	// 32768 60999, from which a client's is picked at random (RFC 6056
	// §3.2).
	EphemeralLow, EphemeralHigh = 32768, 60999
)

// Addresses are a connection's client port and the two ends' initial
// sequence numbers (RFC 9293 §3.4.1; unguessable, RFC 6528).
type Addresses struct {
	ClientPort           uint16
	ClientISN, ServerISN uint32
}

// AddressesOf returns connection conn's addresses in a run of seed.
//
// The client port is a per-run offset plus conn times a per-run step,
// modulo the ephemeral range: the step is coprime to the range's size,
// so no two of a run's first 28,232 connections share a port (a capture
// of two connections on one client's address and port would be read as
// one), much as Linux's connect() picks a port of the range not in use
// from a secret offset (RFC 6056 §3.3.4, inet_hash_connect).
func AddressesOf(seed uint64, conn int) Addresses {
	const ports = EphemeralHigh - EphemeralLow + 1 // 28,232 = 2^3 · 3,529
	r := mix(seed ^ 0x5bd1e9955bd1e995)
	step := 1 + 2*(r%(ports/2)) // odd: coprime to 2^3
	if step%3529 == 0 {
		step += 2 // and to 3,529
	}
	offset := mix(r) % ports
	x := mix(seed ^ mix(uint64(conn)+0x9e3779b97f4a7c15))
	return Addresses{
		ClientPort: uint16(EphemeralLow + (offset+step*uint64(conn))%ports),
		ClientISN:  uint32(mix(x) >> 32),
		ServerISN:  uint32(mix(x+1) >> 32),
	}
}

// mix is splitmix64's finalizer: nearby inputs give unrelated outputs.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// ServerAddress is the IP address of server number server of a run (0:
// the server of the main host; i: the server of Config.Origins[i-1]):
// documentation addresses, so that no export names a real host.
// 192.0.2.1 up to 192.0.2.254 (TEST-NET-1, RFC 5737) for the first 254
// servers, then 2001:db8::N (RFC 3849).
func ServerAddress(server int) string {
	if server >= 0 && server < 254 {
		return "192.0.2." + strconv.Itoa(server+1)
	}
	return "2001:db8::" + strconv.FormatInt(int64(server), 16)
}

// ClientAddress is the IP address of client number client of a run
// (from 1; 0, a run's only client, is client 1): documentation and
// benchmarking addresses, so that no export names a real host.
// 198.51.100.1 up to 198.51.100.254 (TEST-NET-2, RFC 5737) for the first
// 254 clients, then from 198.18.1.0 on in the network RFC 2544 §C.2.2
// sets aside for benchmarks (198.18.0.0/15), which holds every client
// clients.count allows.
func ClientAddress(client int) string {
	client = max(client, 1)
	if client <= 254 {
		return "198.51.100." + strconv.Itoa(client)
	}
	n := 256 + client - 255 // 198.18.1.0, …
	return "198." + strconv.Itoa(18+n>>16) + "." + strconv.Itoa(n>>8&255) + "." + strconv.Itoa(n&255)
}

// A proxy (proxy.enabled) takes the main server's address toward the
// browsers, as a reverse proxy does, and reaches the origin inside the
// data centre: ProxyInsideAddress is its own address there and
// OriginAddress the origin server's (TEST-NET-3, RFC 5737).
const (
	ProxyInsideAddress = "203.0.113.1"
	OriginAddress      = "203.0.113.2"
)
