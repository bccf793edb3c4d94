package model

import "github.com/keepalive-sim/keepalive/model/trace"

// State is a TCP endpoint state (RFC 9293 §3.3.2).
type State uint8

// TCP states.
const (
	Closed State = iota
	Listen
	SynSent
	SynReceived
	Established
	FinWait1
	FinWait2
	CloseWait
	Closing
	LastAck
	TimeWait
)

// tracedStates names each state as the trace records it, so that the
// model and the trace's readers share one spelling.
var tracedStates = [...]trace.State{
	Closed: trace.Closed, Listen: trace.Listen, SynSent: trace.SynSent, SynReceived: trace.SynReceived,
	Established: trace.Established, FinWait1: trace.FinWait1, FinWait2: trace.FinWait2,
	CloseWait: trace.CloseWait, Closing: trace.Closing, LastAck: trace.LastAck, TimeWait: trace.TimeWait,
}

// traced is s as a StateChanged record carries it.
func (s State) traced() trace.State { return tracedStates[s] }

func (s State) String() string { return s.traced().String() }

// synchronized reports whether the handshake is over on this side.
func (s State) synchronized() bool { return s >= Established }

// canSend reports whether the application may still write.
func (s State) canSend() bool { return s == Established || s == CloseWait }
