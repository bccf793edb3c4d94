package trace

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Millis formats d as milliseconds with six decimals, exactly (no
// floating point): 1.5ms is "1.500000", 2.003s is "2003.000000".
func Millis(d time.Duration) string {
	neg := d < 0
	if neg {
		d = -d
	}
	s := strconv.FormatInt(int64(d/time.Millisecond), 10) + "." + fmt.Sprintf("%06d", int64(d%time.Millisecond))
	if neg {
		s = "-" + s
	}
	return s
}

// CSVHeader is the header row written by WriteCSV.
var CSVHeader = []string{
	"at_ms", "kind", "conn", "dir", "packet", "flags", "seq", "ack", "len", "wire", "wnd",
	"retx", "cwnd", "ssthresh", "state", "label", "resource", "stream", "note", "client", "page", "sack",
	"queue_ms", "tx_ms",
}

// WriteCSV writes recs as CSV with a header row, one record per row.
// Windows recorded as Unlimited (-1) are written as "unlimited".
func WriteCSV(w io.Writer, recs []Record) error {
	cw := NewCSVWriter(w)
	if err := cw.WriteHeader(); err != nil {
		return err
	}
	for i := range recs {
		cw.Record(recs[i])
	}
	return cw.Flush()
}

// CSVWriter is a Recorder that writes each record as a CSV row as it
// arrives, so that a trace file costs no memory however long the run:
// the rows of [WriteCSV], after the values of any leading columns.
type CSVWriter struct {
	cw      *csv.Writer
	leading []string // names of the leading columns
	row     []string
	err     error
}

// NewCSVWriter writes to w, with leading columns named leading before
// the trace's own (e.g. "protocol"), whose values SetLeading gives.
func NewCSVWriter(w io.Writer, leading ...string) *CSVWriter {
	return &CSVWriter{cw: csv.NewWriter(w), leading: leading, row: make([]string, len(leading)+len(CSVHeader))}
}

// WriteHeader writes the header row: the leading columns, then CSVHeader.
func (c *CSVWriter) WriteHeader() error {
	if c.err == nil {
		c.err = c.cw.Write(append(append([]string(nil), c.leading...), CSVHeader...))
	}
	return c.err
}

// SetLeading sets the values of the leading columns of the rows to come.
func (c *CSVWriter) SetLeading(values ...string) { copy(c.row, values) }

// Record writes r as one row. The first write error is kept, and
// returned by Flush; after it nothing more is written.
func (c *CSVWriter) Record(rec Record) {
	if c.err != nil {
		return
	}
	r := &rec
	row := c.row[len(c.leading):]
	row[0] = Millis(r.At)
	row[1] = r.Kind.String()
	row[2] = strconv.Itoa(r.Conn)
	row[3] = r.Dir.String()
	row[4] = strconv.FormatUint(r.Packet, 10)
	row[5] = r.Flags.String()
	row[6] = strconv.FormatInt(r.Seq, 10)
	row[7] = strconv.FormatInt(r.Ack, 10)
	row[8] = strconv.Itoa(r.Len)
	row[9] = strconv.Itoa(r.Wire)
	row[10] = strconv.Itoa(r.Wnd)
	row[11] = strconv.FormatBool(r.Retx)
	row[12] = window(r.Cwnd)
	row[13] = window(r.Ssthresh)
	row[14] = r.State.String()
	row[15] = r.label()
	row[16] = strconv.Itoa(r.Resource)
	row[17] = strconv.Itoa(r.Stream)
	row[18] = r.Note
	row[19] = strconv.Itoa(r.Client)
	row[20] = strconv.Itoa(r.Page)
	row[21] = r.Sack
	row[22] = Millis(r.Queued)
	row[23] = Millis(r.Serialized)
	c.err = c.cw.Write(c.row)
}

// Flush writes out what is buffered and returns the first error.
func (c *CSVWriter) Flush() error {
	if c.err != nil {
		return c.err
	}
	c.cw.Flush()
	c.err = c.cw.Error()
	return c.err
}

func window(b int) string {
	if b < 0 {
		return "unlimited"
	}
	return strconv.Itoa(b)
}

// jsonRecord is the JSON Lines shape of a Record: times in nanoseconds,
// names instead of numbers, zero fields left out.
type jsonRecord struct {
	AtNS     int64  `json:"at_ns"`
	Kind     string `json:"kind"`
	Conn     int    `json:"conn,omitempty"`
	Dir      string `json:"dir,omitempty"`
	Packet   uint64 `json:"packet,omitempty"`
	Flags    string `json:"flags,omitempty"`
	Seq      int64  `json:"seq,omitempty"`
	Ack      int64  `json:"ack,omitempty"`
	Len      int    `json:"len,omitempty"`
	Wire     int    `json:"wire,omitempty"`
	Wnd      int    `json:"wnd,omitempty"`
	Retx     bool   `json:"retx,omitempty"`
	Cwnd     int    `json:"cwnd,omitempty"`
	Ssthresh int    `json:"ssthresh,omitempty"`
	State    string `json:"state,omitempty"`
	Label    string `json:"label,omitempty"`
	Resource int    `json:"resource,omitempty"`
	Stream   int    `json:"stream,omitempty"`
	Note     string `json:"note,omitempty"`
	Client   int    `json:"client,omitempty"`
	Page     int    `json:"page,omitempty"`
	Sack     string `json:"sack,omitempty"`
	QueueNS  int64  `json:"queue_ns,omitempty"`
	TxNS     int64  `json:"tx_ns,omitempty"`
}

// WriteJSONL writes recs as JSON Lines, one object per record.
func WriteJSONL(w io.Writer, recs []Record) error {
	enc := json.NewEncoder(w)
	for i := range recs {
		if err := enc.Encode(toJSON(&recs[i])); err != nil {
			return err
		}
	}
	return nil
}

// toJSON is r's JSON Lines shape.
func toJSON(r *Record) *jsonRecord {
	return &jsonRecord{
		AtNS: int64(r.At), Kind: r.Kind.String(), Conn: r.Conn, Dir: r.Dir.String(), Packet: r.Packet,
		Flags: r.Flags.String(), Seq: r.Seq, Ack: r.Ack, Len: r.Len, Wire: r.Wire, Wnd: r.Wnd,
		Retx: r.Retx, Cwnd: r.Cwnd, Ssthresh: r.Ssthresh, State: r.State.String(), Label: r.label(),
		Resource: r.Resource, Stream: r.Stream, Note: r.Note, Client: r.Client, Page: r.Page, Sack: r.Sack,
		QueueNS: int64(r.Queued), TxNS: int64(r.Serialized),
	}
}

// label is the Label column: packets are described, other records keep
// their Label.
func (r *Record) label() string {
	switch r.Kind {
	case PacketSent, PacketArrived, PacketDropped:
		return r.Describe()
	}
	return r.Label
}
