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
	Protocol    string        `json:"protocol"`
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
		recs, err := ReadJSONL(&body)
		if err != nil {
			return fmt.Errorf("%w (the run starting at line %d)", err, first)
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
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(runs) == 0 {
		return nil, errors.New("no runs: the file is empty")
	}
	return runs, nil
}
