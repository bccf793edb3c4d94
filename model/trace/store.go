package trace

import (
	"math/bits"
	"time"
)

// Store is a Recorder that keeps every record, as [Log] does, in a
// quarter of the memory and out of the garbage collector's sight: a
// terminal UI lesson of a large page keeps millions of records, and a
// [Record] (184 bytes, three strings) made the collector scan them all on
// every cycle and the log's growth copy them all again.
//
// A record is stored in StoredRecordBytes: its time, its one-byte fields,
// a mask of which of its other fields are not zero, and those fields in
// order, each in 32 bits (strings as numbers in the store's table of the
// distinct strings it has seen). The few records that do not fit (more
// than storedSlots non-zero fields, a value outside 32 bits: a sequence
// number past 4 GiB, a wait over 4.29 s, a negative count) are kept whole
// beside the others.
// The storage grows by blocks, so appending never copies what is stored.
//
// Records come back equal to what was recorded ([Store.At]), so a
// reader cannot tell a Store from a Log but by its speed.
type Store struct {
	blocks []*[storeBlock]stored
	n      int
	wide   []Record // the records that do not fit in a stored
	strs   []string // the strings, by number; 0 is ""
	ids    map[string]uint32
	// Max, if above 0, is how many records the store takes before
	// Full reports true (see [Bounded]).
	Max int
}

// StoredRecordBytes is the memory a Store keeps per record.
const StoredRecordBytes = 64

// storeBlock is how many records a block of storage holds (512 KiB).
const storeBlock = 1 << 13

// storedSlots is how many non-zero fields a stored record holds: a
// packet's (connection, id, sequence, acknowledgement, length, wire
// bytes, window, SACK blocks, queue wait, serialization, label) at most.
const storedSlots = 11

// stored is one record of a Store. mask has bit f set when field f (the
// fields of storedFields, in order) is not zero; its value is then the
// next of v. mask's top bit marks a record kept whole, in wide[v[0]].
type stored struct {
	at    time.Duration
	mask  uint32
	kind  Kind
	dir   Dir
	flags Flags
	retx  bool
	state State
	v     [storedSlots]uint32
}

const storedWide = 1 << 31

// The fields of a Record a stored record holds in its slots, numbered by
// their bit in the mask. encode and decode list them in this order.
const (
	fConn = iota
	fPacket
	fSeq
	fAck
	fLen
	fWire
	fWnd
	fSack
	fQueued
	fSerialized
	fCwnd
	fSsthresh
	fLabel
	fResource
	fStream
	fClient
	fPage
	fNote
	storedFields
)

// Record stores r.
func (s *Store) Record(r Record) {
	i := s.n
	if i%storeBlock == 0 && i/storeBlock == len(s.blocks) {
		s.blocks = append(s.blocks, new([storeBlock]stored))
	}
	p := &s.blocks[i/storeBlock][i%storeBlock]
	s.n++
	if s.encode(p, &r) {
		return
	}
	*p = stored{at: r.At, mask: storedWide, kind: r.Kind}
	p.v[0] = uint32(len(s.wide))
	s.wide = append(s.wide, r)
}

// encode fills p from r and reports whether r fits.
func (s *Store) encode(p *stored, r *Record) bool {
	*p = stored{at: r.At, kind: r.Kind, dir: r.Dir, flags: r.Flags, retx: r.Retx, state: r.State}
	w := slotWriter{p: p, ok: true}
	w.unsigned(fConn, int64(r.Conn))
	if r.Packet != 0 {
		w.put(fPacket, r.Packet)
	}
	w.unsigned(fSeq, r.Seq)
	w.unsigned(fAck, r.Ack)
	w.unsigned(fLen, int64(r.Len))
	w.unsigned(fWire, int64(r.Wire))
	w.unsigned(fWnd, int64(r.Wnd))
	if r.Sack != "" {
		w.put(fSack, s.id(r.Sack))
	}
	w.unsigned(fQueued, int64(r.Queued))
	w.unsigned(fSerialized, int64(r.Serialized))
	w.signed(fCwnd, int64(r.Cwnd))
	w.signed(fSsthresh, int64(r.Ssthresh))
	if r.Label != "" {
		w.put(fLabel, s.id(r.Label))
	}
	w.unsigned(fResource, int64(r.Resource))
	w.unsigned(fStream, int64(r.Stream))
	w.unsigned(fClient, int64(r.Client))
	w.unsigned(fPage, int64(r.Page))
	if r.Note != "" {
		w.put(fNote, s.id(r.Note))
	}
	return w.ok
}

// slotWriter fills a stored record's slots in field order.
type slotWriter struct {
	p  *stored
	n  int
	ok bool // every field so far fitted
}

func (w *slotWriter) put(f int, v uint64) {
	if v > 1<<32-1 || w.n == storedSlots {
		w.ok = false
		return
	}
	w.p.mask |= 1 << f
	w.p.v[w.n] = uint32(v)
	w.n++
}

// unsigned puts a field that is never negative but in a record kept
// whole: 32 bits hold a sequence number to 4 GiB, a wait to 4.29 s.
func (w *slotWriter) unsigned(f int, v int64) {
	if v < 0 {
		w.ok = false
		return
	}
	if v != 0 {
		w.put(f, uint64(v))
	}
}

// signed puts a window field, zigzag-coded so that -1 (unlimited) fits
// as well as a small positive.
func (w *slotWriter) signed(f int, v int64) {
	if v != 0 {
		w.put(f, uint64(v<<1^v>>63))
	}
}

func unzigzag(v uint32) int64 { return int64(v>>1) ^ -int64(v&1) }

// id is the number of str in the store's table, added if new.
func (s *Store) id(str string) uint64 {
	if id, ok := s.ids[str]; ok {
		return uint64(id)
	}
	if s.ids == nil {
		s.ids = map[string]uint32{}
		s.strs = append(s.strs[:0], "")
	}
	id := uint32(len(s.strs))
	s.ids[str] = id
	s.strs = append(s.strs, str)
	return uint64(id)
}

// Len is how many records the store holds.
func (s *Store) Len() int { return s.n }

// Time is when record i happened: At(i).At, without decoding the rest.
func (s *Store) Time(i int) time.Duration { return s.blocks[i/storeBlock][i%storeBlock].at }

// Kind is record i's kind, without decoding the rest.
func (s *Store) Kind(i int) Kind { return s.blocks[i/storeBlock][i%storeBlock].kind }

// At returns record i, from 0, equal to the record stored.
func (s *Store) At(i int) Record {
	p := &s.blocks[i/storeBlock][i%storeBlock]
	if p.mask == storedWide {
		return s.wide[p.v[0]]
	}
	r := Record{At: p.at, Kind: p.kind, Dir: p.dir, Flags: p.flags, Retx: p.retx, State: p.state}
	m := p.mask
	for k := 0; m != 0; k++ {
		f := bits.TrailingZeros32(m)
		m &= m - 1
		v := p.v[k]
		switch f {
		case fConn:
			r.Conn = int(v)
		case fPacket:
			r.Packet = uint64(v)
		case fSeq:
			r.Seq = int64(v)
		case fAck:
			r.Ack = int64(v)
		case fLen:
			r.Len = int(v)
		case fWire:
			r.Wire = int(v)
		case fWnd:
			r.Wnd = int(v)
		case fSack:
			r.Sack = s.strs[v]
		case fQueued:
			r.Queued = time.Duration(v)
		case fSerialized:
			r.Serialized = time.Duration(v)
		case fCwnd:
			r.Cwnd = int(unzigzag(v))
		case fSsthresh:
			r.Ssthresh = int(unzigzag(v))
		case fLabel:
			r.Label = s.strs[v]
		case fResource:
			r.Resource = int(v)
		case fStream:
			r.Stream = int(v)
		case fClient:
			r.Client = int(v)
		case fPage:
			r.Page = int(v)
		case fNote:
			r.Note = s.strs[v]
		}
	}
	return r
}

// Records returns every record, in order: a Log's worth of memory, for
// a reader that needs them as a slice (an export, a test).
func (s *Store) Records() []Record {
	out := make([]Record, s.n)
	for i := range out {
		out[i] = s.At(i)
	}
	return out
}

// Full reports whether the store holds Max records or more.
func (s *Store) Full() bool { return s.Max > 0 && s.n >= s.Max }

// Reset empties the store but keeps its blocks and its strings, for a
// batch of runs recording one after another.
func (s *Store) Reset() {
	s.n = 0
	s.wide = s.wide[:0]
}

// StoreOf returns a store holding recs.
func StoreOf(recs []Record) *Store {
	s := &Store{}
	for i := range recs {
		s.Record(recs[i])
	}
	return s
}

// Records is a run's records in order, however they are kept: in a
// [Store], or in a slice ([List]).
type Records interface {
	Len() int
	At(i int) Record
	Time(i int) time.Duration // At(i).At
}

// List is a slice of records as [Records].
type List []Record

// Len is len(l).
func (l List) Len() int { return len(l) }

// At is l[i].
func (l List) At(i int) Record { return l[i] }

// Time is l[i].At.
func (l List) Time(i int) time.Duration { return l[i].At }
