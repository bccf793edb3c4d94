package model

import "fmt"

// framing is how HTTP is put on one connection, at both its ends: HTTP/1.x
// messages, one exchange after another (h1.go), or HTTP/2 streams
// multiplexed on frames (h2.go). A session holds one and asks it, never
// the protocol, so what a connection speaks is one fact: which framing
// it has. The TLS handshake before either is the session's own.
type framing interface {
	// ready runs at the client once the connection may carry requests
	// (HTTP/2 sends its connection preface).
	ready()
	// takes reports whether the connection, open and ready, can take
	// one more request now without queueing it behind another response.
	takes() bool
	// pipelines reports whether requests may be queued behind others
	// on the connection when no connection takes them (RFC 9112 §9.3.2).
	pipelines() bool
	// request writes the request for ex at the client.
	request(ex *exchange)
	// inFlight lists the exchanges sent and not yet answered, in order.
	inFlight() []*exchange
	// takeInFlight removes and returns them: the connection died under
	// them.
	takeInFlight() []*exchange
	// clientGot and serverGot handle a whole message of this framing at
	// the client and at the server.
	clientGot(m *message)
	serverGot(m *message)
	// answered runs at the server once the response to ex is ready
	// (responder.prepare).
	answered(ex *exchange)
	// closeIdle writes, at the server, what it says before it closes an
	// idle connection: a GOAWAY, a 408, or nothing.
	closeIdle()
}

// framingFor is the one place a Protocol turns into behaviour: the
// framing each connection of a pool gets, and how many connections the
// pool may open.
func framingFor(cfg *HTTPConfig) (frame func(*session) framing, parallel int) {
	switch cfg.Protocol {
	case HTTP10:
		return newH10, cfg.Parallel
	case HTTP11:
		return newH11, cfg.Parallel
	case HTTP11Pipelined:
		return newH11Pipelined, cfg.Parallel
	case HTTP2:
		// Every request is a stream on one connection (RFC 9113 §9.1).
		return newH2Framing, 1
	case HTTP3:
		// One QUIC connection per origin, every request a stream of it
		// (RFC 9114 §3.3).
		return newH3Framing, 1
	}
	// Config.Validate refuses any other value: a new Protocol needs its
	// framing here.
	panic(fmt.Sprintf("model: framingFor: protocol %d has no framing", cfg.Protocol))
}
