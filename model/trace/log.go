package trace

// Recorder receives the records of a run as they happen.
type Recorder interface {
	Record(Record)
}

// Log is a Recorder that keeps every record in order.
type Log struct {
	Records []Record
}

// Record appends r.
func (l *Log) Record(r Record) { l.Records = append(l.Records, r) }

// Reset empties the log but keeps its storage, so that a batch of runs
// recording one after another does not allocate a trace each time.
func (l *Log) Reset() { l.Records = l.Records[:0] }

// Discard is a Recorder that keeps nothing, for runs whose trace is not
// needed.
type Discard struct{}

// Record does nothing.
func (Discard) Record(Record) {}

// Tee is a Recorder that hands every record to each of its recorders in
// turn.
type Tee []Recorder

// Record hands r to every recorder.
func (t Tee) Record(r Record) {
	for _, rec := range t {
		rec.Record(r)
	}
}
