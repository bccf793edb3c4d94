package trace

import "time"

// Message is one application write to a connection's TCP stream, in the
// order the model made it: a TLS handshake flight, an HTTP/1.x request
// or response, an HTTP/2 frame group. A trace records packets and what
// they mean; a capture file needs what their bytes are, which is this.
// Runs produce messages only for a recorder that asks for them
// ([MessageRecorder]), so a trace without a capture is as it was.
type Message struct {
	At     time.Duration // when it was written
	Conn   int
	Client int // as in Record: 0 when the run has one client
	Dir    Dir // Up: the client wrote it; Down: the server
	// Seq is the relative sequence number of its first byte (1 is the
	// first after the SYN) and Size its bytes in the stream, TLS records
	// included: the segments carrying [Seq, Seq+Size) carry it.
	Seq  int64
	Size int
	What MessageKind
	// Negligible: ideal mode's one weightless placeholder byte, which
	// stands for the message and has none of its bytes.
	Negligible bool
	// Continued: the second write of a message written in two
	// (server.first_write), its bytes following the first's.
	Continued bool
	Label     string
	Resource  int // the resource an HTTP message is about, from 1
	Stream    int // HTTP/2: the stream of HEADERS, DATA, WINDOW_UPDATE (0: the connection's), the last stream of GOAWAY
	// Head is an HTTP message's head as the model sized it: an HTTP/1.x
	// head's text, or an HTTP/2 HEADERS frame's HPACK block (RFC 7541),
	// encoded in the order the connection sent them.
	Head []byte
	Body int // body bytes it carries
	// ContentType and ContentLength are a response's: of its HTTP/1.x
	// message, its HTTP/2 HEADERS and DATA.
	ContentType   string
	ContentLength int
	Last          bool // HTTP/2: END_STREAM
	// Increment is a WINDOW_UPDATE's (the preface's, for the connection).
	Increment int
	// Settings are an HTTP/2 SETTINGS frame's parameters (RFC 9113
	// §6.5.2), in the order sent.
	Settings []Setting
	// TLS is the connection's TLS version (TLS12, TLS13; 0 for none):
	// after its handshake every message travels in its records.
	TLS State
	// Flight, Resumed and Early describe a TLS handshake flight: its
	// index in the handshake (0 is the ClientHello), whether the
	// handshake resumes a session, and whether it sends 0-RTT data.
	Flight         int
	Resumed, Early bool
	Host           string // the host the connection is to (TLS's server_name)
}

// MessageKind says what a [Message] is.
type MessageKind uint8

// The kinds of message.
const (
	_ MessageKind = iota
	MsgTLSFlight
	MsgRequest    // an HTTP/1.x request head
	MsgResponse   // an HTTP/1.x response: head then body
	MsgTimeout    // an HTTP/1.x "408 Request Timeout" before an idle close
	MsgH2Preface  // the client's connection preface, SETTINGS, and a WINDOW_UPDATE when Increment > 0
	MsgH2Settings // the server's SETTINGS and its ACK of the client's
	MsgH2SettingsAck
	MsgH2WindowUpdate
	MsgH2GoAway
	MsgH2Headers
	MsgH2Data
)

// Setting is one HTTP/2 SETTINGS parameter.
type Setting struct {
	ID    uint16
	Value uint32
}

// HTTP/2 SETTINGS parameters (RFC 9113 §6.5.2).
const (
	SettingHeaderTableSize      uint16 = 0x1
	SettingEnablePush           uint16 = 0x2
	SettingMaxConcurrentStreams uint16 = 0x3
	SettingInitialWindowSize    uint16 = 0x4
	SettingMaxFrameSize         uint16 = 0x5
	SettingMaxHeaderListSize    uint16 = 0x6
)

// MessageRecorder is a Recorder that also wants the run's messages.
type MessageRecorder interface {
	Recorder
	Message(Message)
}

// MessagesOf returns what hands messages to rec, the recorders of a Tee
// among them, or nil when none wants them: a run asks once and, with
// nil, builds no message.
func MessagesOf(rec Recorder) func(Message) {
	switch r := rec.(type) {
	case MessageRecorder:
		return r.Message
	case Tee:
		var fs []func(Message)
		for _, x := range r {
			if f := MessagesOf(x); f != nil {
				fs = append(fs, f)
			}
		}
		switch len(fs) {
		case 0:
			return nil
		case 1:
			return fs[0]
		}
		return func(m Message) {
			for _, f := range fs {
				f(m)
			}
		}
	}
	return nil
}
