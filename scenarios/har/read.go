package har

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Limits on what Read accepts, so that a hostile file cannot take all
// memory: a real page's HAR is a few MB with a few hundred entries.
const (
	MaxBytes   = 100 << 20 // 100 MiB of JSON
	MaxEntries = 100_000   // log.entries
)

// ErrTooLarge is the cause of a ReadError for a file past MaxBytes or
// MaxEntries.
var ErrTooLarge = errors.New("too large")

// ReadError is a HAR that cannot be used: the JSON path of the value at
// fault (log.entries[12].response.bodySize) and why, as strconv.NumError
// names its function and input.
type ReadError struct {
	Path string // JSON path; "" for the file as a whole
	Err  error
}

func (e *ReadError) Error() string {
	if e.Path == "" {
		return "har: " + e.Err.Error()
	}
	return "har: " + e.Path + ": " + e.Err.Error()
}

func (e *ReadError) Unwrap() error { return e.Err }

func errorf(path, format string, args ...any) *ReadError {
	return &ReadError{Path: path, Err: fmt.Errorf(format, args...)}
}

// Recording is a HAR file as read: its pages, each with its entries.
type Recording struct {
	Version string // log.version: "1.2" or "1.1"
	Creator string // log.creator.name, as written
	Pages   []RecordedPage
}

// RecordedPage is one page of a recording and the requests it made, in
// the order of their start, each parent before its children.
type RecordedPage struct {
	ID, Title string
	Started   time.Time     // the page's startedDateTime, else its first entry's
	OnLoad    time.Duration // pageTimings.onLoad; -1 when not recorded
	Entries   []RecordedEntry
}

type rawFile struct {
	Log *rawLog `json:"log"`
}

type rawLog struct {
	Version json.RawMessage `json:"version"`
	Creator json.RawMessage `json:"creator"`
	Pages   json.RawMessage `json:"pages"`
	Entries json.RawMessage `json:"entries"`
}

type rawPage struct {
	StartedDateTime json.RawMessage `json:"startedDateTime"`
	ID              json.RawMessage `json:"id"`
	Title           json.RawMessage `json:"title"`
	PageTimings     struct {
		OnLoad json.RawMessage `json:"onLoad"`
	} `json:"pageTimings"`
}

// Read parses a HAR 1.2 (or 1.1) file: Chrome's and Firefox's exports,
// WebPageTest's, sitespeed.io's (chrome-har) and Fiddler's. A UTF-8 BOM,
// "pages": null, entries without a pageref and unknown (-1) sizes and
// timings are tolerated; entries without a page go to the first page (a
// page is made when there is none). Anything unusable is one *ReadError
// naming its JSON path.
func Read(r io.Reader) (*Recording, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, &ReadError{Err: fmt.Errorf("reading: %w", err)}
	}
	if len(data) > MaxBytes {
		return nil, &ReadError{Err: fmt.Errorf("the file is over %d MiB: %w", MaxBytes>>20, ErrTooLarge)}
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var f rawFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, jsonError("", err)
	}
	if f.Log == nil {
		return nil, errorf("log", "missing: a HAR file is {\"log\": {...}}")
	}
	rec := &Recording{}
	if err := readHeader(f.Log, rec); err != nil {
		return nil, err
	}
	pages, err := readPages(f.Log.Pages)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if isNull(f.Log.Entries) {
		return nil, errorf("log.entries", "missing: a HAR has a list of entries")
	}
	if err := json.Unmarshal(f.Log.Entries, &raws); err != nil {
		return nil, errorf("log.entries", "not a list")
	}
	if len(raws) == 0 {
		return nil, errorf("log.entries", "empty: nothing was recorded")
	}
	if len(raws) > MaxEntries {
		return nil, &ReadError{Path: "log.entries", Err: fmt.Errorf("%d entries, more than %d: %w", len(raws), MaxEntries, ErrTooLarge)}
	}
	byID := map[string]int{}
	for i, p := range pages {
		byID[p.ID] = i
	}
	type placed struct {
		e     RecordedEntry
		start time.Time
	}
	per := make([][]placed, len(pages))
	for i, raw := range raws {
		path := "log.entries[" + strconv.Itoa(i) + "]"
		e, start, pageref, err := readEntry(path, raw)
		if err != nil {
			return nil, err
		}
		e.Index = i
		p := 0
		if pageref != "" {
			var ok bool
			if p, ok = byID[pageref]; !ok {
				return nil, errorf(path+".pageref", "%q is not the id of any of log.pages", pageref)
			}
		} else if len(pages) == 0 {
			pages = append(pages, RecordedPage{ID: "page_1", OnLoad: -1})
			per = append(per, nil)
		}
		per[p] = append(per[p], placed{e, start})
	}
	for i := range pages {
		if len(per[i]) == 0 {
			continue
		}
		first := per[i][0].start
		for _, pe := range per[i] {
			if pe.start.Before(first) {
				first = pe.start
			}
		}
		if pages[i].Started.IsZero() || first.Before(pages[i].Started) {
			pages[i].Started = first
		}
		es := make([]RecordedEntry, len(per[i]))
		for j, pe := range per[i] {
			es[j] = pe.e
			es[j].Start = pe.start.Sub(pages[i].Started)
		}
		if es, err = link(es); err != nil {
			return nil, err
		}
		pages[i].Entries = es
	}
	kept := pages[:0]
	for _, p := range pages {
		if len(p.Entries) > 0 {
			kept = append(kept, p)
		}
	}
	rec.Pages = kept
	return rec, nil
}

func readHeader(l *rawLog, rec *Recording) error {
	v, ok := str(l.Version)
	switch {
	case isNull(l.Version):
		v = "1.2" // Fiddler and hand-made files leave it out; read as 1.2
	case !ok:
		return errorf("log.version", "%s is not a string; HAR versions are \"1.1\" and \"1.2\"", clip(l.Version))
	case v != "1.1" && v != "1.2":
		return errorf("log.version", "%q: only HAR 1.1 and 1.2 are read", v)
	}
	rec.Version = v
	var c struct {
		Name json.RawMessage `json:"name"`
	}
	if json.Unmarshal(l.Creator, &c) == nil {
		rec.Creator, _ = str(c.Name)
	}
	return nil
}

func readPages(raw json.RawMessage) ([]RecordedPage, error) {
	if isNull(raw) {
		return nil, nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(raw, &raws); err != nil {
		return nil, errorf("log.pages", "not a list")
	}
	var pages []RecordedPage
	seen := map[string]bool{}
	for i, r := range raws {
		path := "log.pages[" + strconv.Itoa(i) + "]"
		var p rawPage
		if err := json.Unmarshal(r, &p); err != nil {
			return nil, jsonError(path, err)
		}
		id, ok := str(p.ID)
		if !ok {
			if n, err := number(path+".id", p.ID); err == nil && n.set {
				id = strconv.FormatFloat(n.v, 'f', -1, 64)
			} else {
				return nil, errorf(path+".id", "missing or not a string")
			}
		}
		if seen[id] {
			return nil, errorf(path+".id", "%q is the id of an earlier page too", id)
		}
		seen[id] = true
		pg := RecordedPage{ID: id, OnLoad: -1}
		pg.Title, _ = str(p.Title)
		if !isNull(p.StartedDateTime) {
			t, err := stampOf(path+".startedDateTime", p.StartedDateTime)
			if err != nil {
				return nil, err
			}
			pg.Started = t
		}
		if d, err := millisOf(path+".pageTimings.onLoad", p.PageTimings.OnLoad); err != nil {
			return nil, err
		} else if d > 0 {
			pg.OnLoad = d
		}
		pages = append(pages, pg)
	}
	return pages, nil
}

// jsonError turns encoding/json's errors into a ReadError with the path.
func jsonError(path string, err error) *ReadError {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return &ReadError{Path: path, Err: fmt.Errorf("not JSON: %v at byte %d", syn, syn.Offset)}
	case errors.As(err, &typ):
		p := path
		if typ.Field != "" {
			p = joinPath(path, typ.Field)
		}
		want := typ.Type.String()
		if want == "har.rawLog" || strings.HasPrefix(want, "har.raw") || strings.HasPrefix(want, "struct") {
			want = "object"
		}
		return &ReadError{Path: p, Err: fmt.Errorf("a JSON %s where a %s belongs", typ.Value, want)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &ReadError{Path: path, Err: errors.New("not JSON: the file ends early (truncated?)")}
	}
	return &ReadError{Path: path, Err: err}
}

func joinPath(a, b string) string {
	if a == "" {
		return b
	}
	return a + "." + b
}

func isNull(raw json.RawMessage) bool {
	s := bytes.TrimSpace(raw)
	return len(s) == 0 || string(s) == "null"
}

// str is raw as a string; ok is false when it is not one.
func str(raw json.RawMessage) (string, bool) {
	var s string
	if isNull(raw) || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// clip is raw for a message, cut to a readable length.
func clip(raw json.RawMessage) string {
	s := string(bytes.TrimSpace(raw))
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}
