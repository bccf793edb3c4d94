package trace

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// RunInfo is what a saved trace says about the run that follows it, so
// that it can be replayed as it was shown: the scenario, the protocol and
// the settings a header line shows.
type RunInfo struct {
	Protocol    Protocol      `json:"protocol"` // NoProtocol ("") when not known
	Scenario    string        `json:"scenario"`
	Description string        `json:"description,omitempty"`
	Narrative   string        `json:"narrative,omitempty"`
	RTT         time.Duration `json:"rtt_ns"`
	Bandwidth   int64         `json:"bandwidth_bps"` // -1 for unlimited
	Loss        float64       `json:"loss"`
	IW          int           `json:"iw"` // -1 for unlimited
	Parallel    int           `json:"parallel"`
	TLS         string        `json:"tls"`
	ServerSlots int           `json:"server_slots,omitempty"`
	// BrowserIdle and ServerIdle are how long each side keeps an idle
	// keep-alive connection before closing it (0: no limit), which the
	// terminal UI names while connections sit idle.
	BrowserIdle time.Duration `json:"browser_idle_ns,omitempty"`
	// Seed is the run's seed, from which a packet inspector or an
	// export draws each connection's ports and ISNs (AddressesOf); nil
	// in a file that does not say.
	Seed       *uint64       `json:"seed,omitempty"`
	ServerIdle time.Duration `json:"server_idle_ns,omitempty"`
	// Moments are the lesson's key moments, which a replay jumps to as
	// the live lesson does; none: the generic ones.
	Moments []Moment `json:"moments,omitempty"`
}

// SavedRun is one run of a saved trace.
type SavedRun struct {
	Info    RunInfo
	Records []Record
}

// savedHeader is the line that starts a run in a saved trace:
// {"run": {...}}. Record lines have "kind" and never "run".
type savedHeader struct {
	Run *RunInfo `json:"run"`
}

// JSONLWriter is a Recorder that writes a saved trace as the records
// arrive: for each run, a {"run": ...} line (StartRun), then its records
// as WriteJSONL writes them. "keepalive run --trace FILE.jsonl" writes
// one; "keepalive tui --trace FILE.jsonl" replays it.
type JSONLWriter struct {
	w   *bufio.Writer
	enc *json.Encoder
	err error
}

// NewJSONLWriter writes to w.
func NewJSONLWriter(w io.Writer) *JSONLWriter {
	bw := bufio.NewWriter(w)
	return &JSONLWriter{w: bw, enc: json.NewEncoder(bw)}
}

// StartRun writes the line that starts a run.
func (j *JSONLWriter) StartRun(info RunInfo) {
	if j.err == nil {
		j.err = j.enc.Encode(savedHeader{Run: &info})
	}
}

// Record writes r as one line. The first error is kept for Flush.
func (j *JSONLWriter) Record(r Record) {
	if j.err == nil {
		j.err = j.enc.Encode(toJSON(&r))
	}
}

// Flush writes out what is buffered and returns the first error.
func (j *JSONLWriter) Flush() error {
	if j.err != nil {
		return j.err
	}
	j.err = j.w.Flush()
	return j.err
}

// checkRecords checks what a replay relies on, since a saved trace may
// have been edited by hand: times never go backwards, durations are not
// negative, and the numbers
// that index connections, resources, pages and clients are ≥ 0 and no
// larger than the run's record count (each has records of its own; a
// resource numbered 300,000,000 would make the summary allocate that
// many timings). The line numbers are the file's, from first.
// maxServerMemory bounds a saved server-memory record's total: a PiB,
// far past what any run's budget (limits.max_memory) lets a server hold,
// so that sums of them cannot overflow.
const maxServerMemory = 1 << 50

func checkRecords(recs []Record, first int) error {
	n := len(recs)
	var last time.Duration
	for i := range recs {
		r := &recs[i]
		where := func(what string) error {
			return fmt.Errorf("record %d of the run whose records start at line %d: %s", i+1, first, what)
		}
		switch {
		case r.At < last:
			return where(fmt.Sprintf("at_ns %d is before the record above it (%d): records are in time order", r.At, last))
		case r.At < 0:
			return where("at_ns is negative")
		case r.Queued < 0 || r.Serialized < 0:
			return where("queue_ns and tx_ns are durations: they cannot be negative")
		case r.Kind == ServerMemory && (r.Len < 0 || r.Len > maxServerMemory):
			return where(fmt.Sprintf("a server-memory record's len is the bytes the server holds: %d is out of range, 0 to %d", r.Len, maxServerMemory))
		}
		last = r.At
		for _, f := range []struct {
			name string
			v    int
		}{{"conn", r.Conn}, {"resource", r.Resource}, {"page", r.Page}, {"client", r.Client}, {"stream", r.Stream}} {
			if f.v < 0 || f.v > n && f.name != "stream" {
				return where(fmt.Sprintf("%s %d is out of range: 0 to %d (the run's records)", f.name, f.v, n))
			}
		}
	}
	return nil
}

// ReadSaved reads a saved trace (see JSONLWriter): its runs, each with
// its records. A file of bare records (WriteJSONL) is one run with an
// empty RunInfo. Errors name the line.
func ReadSaved(r io.Reader) ([]SavedRun, error) {
	var runs []SavedRun
	var body bytes.Buffer // the current run's record lines
	first := 1            // the line number of body's first line
	flush := func() error {
		if body.Len() == 0 {
			return nil
		}
		recs, err := readJSONL(&body, first)
		if err != nil {
			return err
		}
		if err := checkRecords(recs, first); err != nil {
			return err
		}
		if len(runs) == 0 {
			runs = append(runs, SavedRun{})
		}
		runs[len(runs)-1].Records = append(runs[len(runs)-1].Records, recs...)
		body.Reset()
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for line := 1; sc.Scan(); line++ {
		b := sc.Bytes()
		if bytes.HasPrefix(bytes.TrimSpace(b), []byte(`{"run"`)) {
			if err := flush(); err != nil {
				return nil, err
			}
			var h savedHeader
			if err := json.Unmarshal(b, &h); err != nil || h.Run == nil {
				return nil, fmt.Errorf("line %d: not a run's header: %v", line, err)
			}
			runs = append(runs, SavedRun{Info: *h.Run})
			first = line + 1
			continue
		}
		if body.Len() == 0 {
			first = line
		}
		body.Write(b)
		body.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		return nil, scanError(err)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return nil, errors.New("no runs: the file is empty")
	}
	return runs, nil
}
