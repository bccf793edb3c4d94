package trace

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// MomentError is a moment that cannot be matched or shown: Field names
// its field as a scenario file writes it ("after", "say").
type MomentError struct {
	Index int // the moment's place in its list, from 0
	Field string
	Err   error
}

func (e *MomentError) Error() string {
	return "moment " + strconv.Itoa(e.Index+1) + ": " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns Err.
func (e *MomentError) Unwrap() error { return e.Err }

// CheckMoments checks a lesson's moments: each as [CheckMoment] does,
// after the ones before it. A scenario file's are checked as it is
// read; a saved trace's, which may have been edited, as it is replayed.
func CheckMoments(ms []Moment) error {
	for i := range ms {
		if field, err := CheckMoment(ms[:i], &ms[i]); err != nil {
			return &MomentError{Index: i, Field: field, Err: err}
		}
	}
	return nil
}

// CheckMoment checks m, which follows the moments before: a kind and a
// sentence of one line with only SayFields in braces; a name none of
// them has; After naming one of them; flags only on a packet, a state of
// the kind's group, From only on a TCP state change; the rules about
// requests only on requests, and SameConn only with After. It returns
// the field at fault as a scenario file names it.
func CheckMoment(before []Moment, m *Moment) (field string, err error) {
	names := map[string]bool{}
	for _, b := range before {
		names[b.Name] = b.Name != ""
	}
	lo, hi, _ := states(m.Kind)
	packet := m.Kind == PacketSent || m.Kind == PacketArrived || m.Kind == PacketDropped
	switch {
	case m.Kind == 0 || int(m.Kind) >= len(kindNames):
		return "kind", errors.New("missing; a moment needs the kind of record it is (allowed: " + strings.Join(KindNames(), ", ") + ")")
	case strings.TrimSpace(m.Say) == "":
		return "say", errors.New("missing; a moment needs the sentence to show")
	case m.Name != "" && names[m.Name]:
		return "name", fmt.Errorf("%q names an earlier moment too; give each its own", m.Name)
	case m.After != "" && !names[m.After]:
		return "after", fmt.Errorf("%q is no earlier moment's name (allowed: %s)", m.After, nameList(before))
	case m.Nth < 0:
		return "nth", fmt.Errorf("%d: allowed: 0 (every match) or more", m.Nth)
	case m.Page < 0:
		return "page", fmt.Errorf("%d: allowed: 0 (any) or more", m.Page)
	case m.Client < 0:
		return "client", fmt.Errorf("%d: allowed: 0 (any) or more", m.Client)
	case m.Flags != 0 && !packet:
		return "flags", fmt.Errorf("only on a packet's kind (packet-sent, packet-arrived, packet-dropped), not %s", m.Kind)
	case m.State != NoState && (lo == NoState || m.State < lo || m.State > hi):
		if lo == NoState {
			return "state", fmt.Errorf("a %s record carries none", m.Kind)
		}
		return "state", fmt.Errorf("%q is no state of a %s record (allowed: %s)", m.State, m.Kind, stateList(lo, hi))
	case m.From != NoState && (m.Kind != StateChanged || !m.From.IsTCP()):
		return "from", fmt.Errorf("only on a state record, naming a TCP state (allowed: %s)", stateList(Closed, TimeWait))
	case m.Conn > KeptConn:
		return "conn", fmt.Errorf("unknown rule (allowed: %s)", strings.Join(connRuleNames[:], ", "))
	case m.Conn == SameConn && m.After == "":
		return "conn", errors.New("same needs after: the connection is that of the moment it follows")
	case m.Conn >= NewConn && m.Kind != RequestSent:
		return "conn", fmt.Errorf("%s is about requests: only with kind request, not %s", m.Conn, m.Kind)
	}
	if err := checkSay(m.Say); err != nil {
		return "say", err
	}
	for i, p := range m.Protocols {
		if p == NoProtocol || int(p) >= len(protocolNames) {
			return "protocols", fmt.Errorf("unknown protocol (allowed: %s)", strings.Join(protocolNames[1:], ", "))
		}
		for _, q := range m.Protocols[:i] {
			if q == p {
				return "protocols", fmt.Errorf("%s given twice", p)
			}
		}
	}
	return "", nil
}

// checkSay refuses a sentence of several lines, with a control
// character (an escape sequence would reach the terminal), or with
// braces around a name that is none of SayFields.
func checkSay(s string) error {
	if i := strings.IndexFunc(s, unicode.IsControl); i >= 0 {
		if s[i] == '\n' {
			return errors.New("must be one line")
		}
		return fmt.Errorf("holds the control character %q; write plain text", []rune(s[i:])[0])
	}
	for rest := s; ; {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			return nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return errors.New("a { without its }")
		}
		name := rest[i+1 : i+j]
		found := false
		for _, f := range SayFields {
			found = found || f == name
		}
		if !found {
			return fmt.Errorf("{%s} is no field of a record (allowed: {%s})", name, strings.Join(SayFields, "}, {"))
		}
		rest = rest[i+j+1:]
	}
}

func nameList(ms []Moment) string {
	var names []string
	for _, m := range ms {
		if m.Name != "" {
			names = append(names, m.Name)
		}
	}
	if len(names) == 0 {
		return "none is named"
	}
	return strings.Join(names, ", ")
}
