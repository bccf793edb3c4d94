package trace

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// ReadJSONL reads a trace written by WriteJSONL, so that a saved run can be
// replayed: every record comes back as it was recorded. A packet's label
// that WriteJSONL computed from its sequence numbers or flags (Describe)
// is left empty again. An unknown kind, direction, flag or state (a state
// outside its kind's group: a TCP state on a StateChanged record, …) is an
// error that names the line.
func ReadJSONL(r io.Reader) ([]Record, error) { return readJSONL(r, 1) }

// readJSONL is ReadJSONL for lines numbered from first.
func readJSONL(r io.Reader, first int) ([]Record, error) {
	kinds := map[string]Kind{}
	for k := range Kind(len(kindNames)) {
		if n := kindNames[k]; n != "" {
			kinds[n] = k
		}
	}
	var recs []Record
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for line := first; sc.Scan(); line++ {
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		var j jsonRecord
		if err := json.Unmarshal(sc.Bytes(), &j); err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		k, ok := kinds[j.Kind]
		if !ok {
			return nil, fmt.Errorf("line %d: unknown kind %q", line, j.Kind)
		}
		d, err := parseDir(j.Dir)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		f, err := ParseFlags(j.Flags)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		st, err := ParseState(k, j.State)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		rec := Record{
			At: time.Duration(j.AtNS), Kind: k, Conn: j.Conn, Dir: d, Packet: j.Packet, Flags: f,
			Seq: j.Seq, Ack: j.Ack, Len: j.Len, Wire: j.Wire, Wnd: j.Wnd, Retx: j.Retx, Cwnd: j.Cwnd,
			Ssthresh: j.Ssthresh, State: st, Label: j.Label, Resource: j.Resource, Stream: j.Stream,
			Note: j.Note, Client: j.Client, Page: j.Page, Sack: j.Sack,
			Queued: time.Duration(j.QueueNS), Serialized: time.Duration(j.TxNS),
		}
		switch k {
		case PacketSent, PacketArrived, PacketDropped:
			computed := rec
			computed.Label = ""
			if computed.Describe() == rec.Label {
				rec.Label = ""
			}
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		return nil, scanError(err)
	}
	return recs, nil
}

// scanError words a scanner's error for a person.
func scanError(err error) error {
	if errors.Is(err, bufio.ErrTooLong) {
		return errors.New("a line is longer than 16 MiB: not a trace")
	}
	return err
}

func parseDir(s string) (Dir, error) {
	switch s {
	case "":
		return NoDir, nil
	case "up":
		return Up, nil
	case "down":
		return Down, nil
	}
	return NoDir, fmt.Errorf("unknown direction %q (allowed: up, down)", s)
}

// ParseFlags reads flags as Flags.String writes them: "SYN, ACK".
func ParseFlags(s string) (Flags, error) {
	var f Flags
	if s == "" {
		return 0, nil
	}
	for _, name := range strings.Split(s, ", ") {
		switch name {
		case "FIN":
			f |= FIN
		case "SYN":
			f |= SYN
		case "RST":
			f |= RST
		case "PSH":
			f |= PSH
		case "ACK":
			f |= ACK
		default:
			return 0, fmt.Errorf("unknown TCP flag %q in %q (allowed: FIN, SYN, RST, PSH, ACK)", name, s)
		}
	}
	return f, nil
}
