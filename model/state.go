package model

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

var stateNames = [...]string{
	Closed: "CLOSED", Listen: "LISTEN", SynSent: "SYN-SENT", SynReceived: "SYN-RECEIVED",
	Established: "ESTABLISHED", FinWait1: "FIN-WAIT-1", FinWait2: "FIN-WAIT-2",
	CloseWait: "CLOSE-WAIT", Closing: "CLOSING", LastAck: "LAST-ACK", TimeWait: "TIME-WAIT",
}

func (s State) String() string { return stateNames[s] }

// synchronized reports whether the handshake is over on this side.
func (s State) synchronized() bool { return s >= Established }

// canSend reports whether the application may still write.
func (s State) canSend() bool { return s == Established || s == CloseWait }
