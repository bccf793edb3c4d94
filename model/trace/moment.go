package trace

import (
	"fmt"
	"strconv"
	"strings"
)

// Moment is a key moment of a lesson: "the server's idle-timeout FIN",
// "the request that crosses it", "the reset". It is a predicate over a
// run's records, not a time, so that it stays right when the user
// changes the round trip, the loss or the think time: it names what
// happens (a kind of record and, if need be, its side, flags, state,
// label, page, client or connection), which occurrence, and after which
// other moment. [Find] finds the records it matches, and Say is the
// sentence a teacher's screen shows there.
//
// A Moment states no number of its own: its sentence's numbers
// ({conn}, {page}, …) are the record's, and the explanation that
// follows it on screen computes the rest from the trace.
type Moment struct {
	// Name is how a later moment's After refers to it; "" for none.
	Name string
	// Say is the sentence shown at the moment, one line. {conn},
	// {page}, {client}, {side} and {label} stand for the matched
	// record's connection, page, client, side ("client" or "server")
	// and label: see [Moment.Sentence].
	Say string
	// Protocols are the runs the moment is about; none: every run.
	// HTTP/1.0 never reuses a connection, so "the request that crosses
	// the server's FIN" is no moment of its run.
	Protocols []Protocol

	// Kind is the kind of record; it is required.
	Kind Kind
	// Dir is a packet's direction, or the side (Up: the client) of a
	// TCP state, a timeout or a retransmission; NoDir: either.
	Dir Dir
	// Flags must all be set on the packet ("FIN", "RST").
	Flags Flags
	// State must be the record's State (a TCP state for StateChanged);
	// NoState: any.
	State State
	// From is, for StateChanged, the TCP state the side left
	// ("TIME-WAIT" ending); NoState: any.
	From State
	// Label must begin the record's label ("GET", "408"); for a packet,
	// what [Record.Describe] says.
	Label string
	// Note must be the record's Note, one of the package's words
	// (RetxTimeout, …); "": any.
	Note string
	// Page must be the record's page (from 1); 0: any.
	Page int
	// Client must be the record's client, or, for a record that names
	// none, its connection's as the run's other records name it; 0:
	// any. 1 also takes a run of one client, whose records name none.
	Client int
	// Conn says which connection the record must be on.
	Conn ConnRule
	// After names an earlier moment: only records after the one it
	// matched first count. A moment it does not match has no records
	// after it, so this one matches nothing either.
	After string
	// Nth picks the nth record that matches, from 1; 0 takes every one.
	Nth int
}

// ConnRule says which connection a moment's record must be on.
type ConnRule uint8

// The connection rules. NewConn, ReusedConn and KeptConn are about
// requests (RequestSent records), and say what keep-alive saved.
const (
	AnyConn    ConnRule = iota
	SameConn            // the connection of the record the After moment matched
	NewConn             // the connection's first request
	ReusedConn          // a connection that carried an earlier request
	KeptConn            // a connection kept open from an earlier page: it carried a request of one
)

var connRuleNames = [...]string{AnyConn: "any", SameConn: "same", NewConn: "new", ReusedConn: "reused", KeptConn: "kept"}

// ConnRuleNames returns the words of the connection rules, in order.
func ConnRuleNames() []string { return append([]string(nil), connRuleNames[:]...) }

func (c ConnRule) String() string {
	if int(c) < len(connRuleNames) {
		return connRuleNames[c]
	}
	return "conn(" + strconv.Itoa(int(c)) + ")"
}

// ParseConnRule reads a rule as String writes it; "" is AnyConn.
func ParseConnRule(s string) (ConnRule, error) {
	if s == "" {
		return AnyConn, nil
	}
	for c, n := range connRuleNames {
		if n == s {
			return ConnRule(c), nil
		}
	}
	return AnyConn, fmt.Errorf("unknown connection rule %q (allowed: %s)", s, strings.Join(connRuleNames[:], ", "))
}

// SayFields are the names a moment's sentence may put in braces.
var SayFields = []string{"conn", "page", "client", "side", "label"}

// Sentence is the moment's sentence about r: Say with {conn}, {page},
// {client}, {side} and {label} replaced by r's.
func (m *Moment) Sentence(r *Record) string {
	if !strings.Contains(m.Say, "{") {
		return m.Say
	}
	side := "client"
	if r.Dir == Down {
		side = "server"
	}
	return strings.NewReplacer(
		"{conn}", strconv.Itoa(r.Conn), "{page}", strconv.Itoa(r.Page), "{client}", strconv.Itoa(r.Client),
		"{side}", side, "{label}", labelOf(r),
	).Replace(m.Say)
}

// appliesTo reports whether the moment is about a run of protocol p.
func (m *Moment) appliesTo(p Protocol) bool {
	if len(m.Protocols) == 0 {
		return true
	}
	for _, q := range m.Protocols {
		if q == p {
			return true
		}
	}
	return false
}

// labelOf is what a moment's Label is compared with: a packet's
// description (a replayed trace leaves a computed label empty), else
// the record's Label.
func labelOf(r *Record) string {
	switch r.Kind {
	case PacketSent, PacketArrived, PacketDropped:
		return r.Describe()
	}
	return r.Label
}
