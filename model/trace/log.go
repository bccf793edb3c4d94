package trace

// Recorder receives the records of a run as they happen.
type Recorder interface {
	Record(Record)
}

// Log is a Recorder that keeps every record in order, up to Max records
// if Max > 0: a run recording into a full Log stops (see [Bounded]).
type Log struct {
	Records []Record
	Max     int
}

// Record appends r.
func (l *Log) Record(r Record) { l.Records = append(l.Records, r) }

// Full reports whether the log holds Max records or more.
func (l *Log) Full() bool { return l.Max > 0 && len(l.Records) >= l.Max }

// Bounded is a Recorder with room for only so many records, such as a
// trace kept in memory: a run recording into it stops, with a RunStopped
// record, once Full reports true (the event being fired completes, so a
// few records more arrive).
type Bounded interface {
	Recorder
	Full() bool
}

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
