package model

// application is what an endpoint tells the layer above it: the
// handshake done, in-order data, the peer's FIN, the end of the
// connection, and, for a sender that paces its writes, room to send.
// A session implements it for each of its halves (clientHalf,
// serverHalf), so a connection's events cost no callback bound to each,
// which would be an allocation apiece, a dozen per connection.
//
// An endpoint nobody gave an application calls its On... fields
// (endpointFuncs): tests and one-off uses set those.
type application interface {
	onEstablished()
	onData(n int)
	onEOF()
	onClosed()
	onReset(why string)
	onSyn() bool
	onAcked()
	onDrained()
}

// endpointFuncs is an endpoint whose application is its own On... fields,
// each optional.
type endpointFuncs Endpoint

var _ application = (*endpointFuncs)(nil)

func (f *endpointFuncs) onEstablished() {
	if f.OnEstablished != nil {
		f.OnEstablished()
	}
}

func (f *endpointFuncs) onData(n int) {
	if f.OnData != nil {
		f.OnData(n)
	}
}

func (f *endpointFuncs) onEOF() {
	if f.OnEOF != nil {
		f.OnEOF()
	}
}

func (f *endpointFuncs) onClosed() {
	if f.OnClosed != nil {
		f.OnClosed()
	}
}

func (f *endpointFuncs) onReset(why string) {
	if f.OnReset != nil {
		f.OnReset(why)
	}
}

func (f *endpointFuncs) onSyn() bool { return f.OnSyn == nil || f.OnSyn() }

func (f *endpointFuncs) onAcked() {
	if f.OnAcked != nil {
		f.OnAcked()
	}
}

func (f *endpointFuncs) onDrained() {
	if f.OnDrained != nil {
		f.OnDrained()
	}
}
