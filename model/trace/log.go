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

// Discard is a Recorder that keeps nothing, for runs whose trace is not
// needed.
type Discard struct{}

// Record does nothing.
func (Discard) Record(Record) {}
