package trace

import (
	"encoding/json"
	"fmt"
)

// jsonMoment is a Moment as a saved trace's run header writes it: words,
// as a record's are, so that the file does not depend on the numbering.
type jsonMoment struct {
	Name      string     `json:"name,omitempty"`
	Say       string     `json:"say"`
	Protocols []Protocol `json:"protocols,omitempty"`
	Kind      string     `json:"kind"`
	Dir       string     `json:"dir,omitempty"`
	Flags     string     `json:"flags,omitempty"`
	State     string     `json:"state,omitempty"`
	From      string     `json:"from,omitempty"`
	Label     string     `json:"label,omitempty"`
	Note      string     `json:"note,omitempty"`
	Page      int        `json:"page,omitempty"`
	Client    int        `json:"client,omitempty"`
	Conn      string     `json:"conn,omitempty"`
	After     string     `json:"after,omitempty"`
	Nth       int        `json:"nth"`
}

// MarshalJSON writes the moment with the words of a saved record.
func (m Moment) MarshalJSON() ([]byte, error) {
	j := jsonMoment{
		Name: m.Name, Say: m.Say, Protocols: m.Protocols, Kind: m.Kind.String(), Dir: m.Dir.String(),
		State: m.State.String(), From: m.From.String(), Label: m.Label, Note: m.Note,
		Page: m.Page, Client: m.Client, After: m.After, Nth: m.Nth,
	}
	if m.Flags != 0 {
		j.Flags = m.Flags.String()
	}
	if m.Conn != AnyConn {
		j.Conn = m.Conn.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a moment as MarshalJSON writes it, refusing a word
// it does not know.
func (m *Moment) UnmarshalJSON(b []byte) error {
	var j jsonMoment
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	k, err := ParseKind(j.Kind)
	if err != nil {
		return fmt.Errorf("moment %q: %w", j.Say, err)
	}
	v := Moment{Name: j.Name, Say: j.Say, Protocols: j.Protocols, Kind: k, Label: j.Label, Note: j.Note,
		Page: j.Page, Client: j.Client, After: j.After, Nth: j.Nth}
	if v.Dir, err = parseDir(j.Dir); err == nil {
		if v.Flags, err = ParseFlags(j.Flags); err == nil {
			if j.State != "" {
				v.State, err = ParseState(k, j.State)
			}
			if err == nil && j.From != "" {
				v.From, err = ParseState(StateChanged, j.From)
			}
		}
	}
	if err == nil {
		v.Conn, err = ParseConnRule(j.Conn)
	}
	if err != nil {
		return fmt.Errorf("moment %q: %w", j.Say, err)
	}
	*m = v
	return nil
}
