package har

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
)

// maxStack bounds how deep initiatorURL follows a stack's parents.
const maxStack = 32

// initiatorURL is the URL an _initiator or _initiator_detail names:
//
//	"https://a.example/app.js"                     chrome-har, WebPageTest, sitespeed.io
//	{"type": "parser", "url": …, "lineNumber": 3}  Chrome's own export
//	{"type": "script", "stack": {"callFrames": [{"url": …}], "parent": {…}}}
//	"{\"type\": \"script\", …}"                    WebPageTest's _initiator_detail: JSON in a string
//
// "" when none is recorded (type "other", an empty string, junk).
func initiatorURL(raw json.RawMessage) string {
	if isNull(raw) {
		return ""
	}
	if s, ok := str(raw); ok {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "{") {
			return initiatorURL(json.RawMessage(s))
		}
		if _, ok := OriginOf(s); ok {
			return s
		}
		return ""
	}
	type stack struct {
		CallFrames []struct {
			URL string `json:"url"`
		} `json:"callFrames"`
		Parent json.RawMessage `json:"parent"`
	}
	var obj struct {
		URL   string          `json:"url"`
		Stack json.RawMessage `json:"stack"`
	}
	if json.Unmarshal(raw, &obj) != nil {
		return ""
	}
	if obj.URL != "" {
		return obj.URL
	}
	next := obj.Stack
	for range maxStack {
		var s stack
		if isNull(next) || json.Unmarshal(next, &s) != nil {
			return ""
		}
		for _, f := range s.CallFrames {
			if f.URL != "" {
				return f.URL
			}
		}
		next = s.Parent
	}
	return ""
}

// link orders a page's entries by start and gives each its parent:
//
//   - the 3xx whose Location is its URL (the latest such before it), so
//     a redirect chain comes before its target;
//   - else the entry with its initiator's URL: the latest one that
//     started before it, else the first after it (the entries are then
//     reordered so that the parent comes first);
//   - else the document, the page's first HTML response, or, before the
//     document or without one, the page's first entry.
//
// The page's first entry is the root (Parent -1). Parents that form a
// cycle (a initiated by b, b by a) are refused.
func link(es []RecordedEntry) ([]RecordedEntry, error) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	byURL := map[string][]int{}
	for i, e := range es {
		byURL[e.URL] = append(byURL[e.URL], i)
	}
	// pick is the latest index before i among is, else the first after.
	pick := func(is []int, i int) int {
		best := -1
		for _, j := range is {
			if j < i {
				best = j
			} else if j > i && best < 0 {
				return j
			}
		}
		return best
	}
	doc := 0
	for i, e := range es {
		if e.Type == model.HTML && e.Status >= 200 && e.Status < 300 {
			doc = i
			break
		}
	}
	redirects := map[string][]int{}
	for i, e := range es {
		if e.Status >= 300 && e.Status < 400 && e.RedirectURL != "" {
			redirects[e.RedirectURL] = append(redirects[e.RedirectURL], i)
		}
	}
	for i := range es {
		e := &es[i]
		switch {
		case i == 0:
			e.Parent, e.ParentBy = -1, "document"
		case pick(redirects[e.URL], i) >= 0:
			e.Parent, e.ParentBy = pick(redirects[e.URL], i), "redirect"
		case e.Initiator != "" && e.Initiator != e.URL && pick(byURL[e.Initiator], i) >= 0:
			e.Parent, e.ParentBy = pick(byURL[e.Initiator], i), "initiator"
		case i > doc:
			e.Parent, e.ParentBy = doc, "document"
		default:
			e.Parent, e.ParentBy = 0, "document"
		}
	}
	return parentsFirst(es)
}

// parentsFirst reorders es so that each parent comes before its
// children, keeping the start order otherwise, and renumbers Parent.
func parentsFirst(es []RecordedEntry) ([]RecordedEntry, error) {
	const (
		todo = iota
		visiting
		done
	)
	state := make([]int, len(es))
	order := make([]int, 0, len(es))
	for i := range es {
		// Walk up to the first ancestor not yet placed, then place the
		// chain from the top down.
		var chain []int
		for j := i; j >= 0 && state[j] != done; j = es[j].Parent {
			if state[j] == visiting {
				return nil, cycle(es, j)
			}
			state[j] = visiting
			chain = append(chain, j)
		}
		for k := len(chain) - 1; k >= 0; k-- {
			state[chain[k]] = done
			order = append(order, chain[k])
		}
	}
	at := make([]int, len(es))
	for n, i := range order {
		at[i] = n
	}
	out := make([]RecordedEntry, len(es))
	for n, i := range order {
		out[n] = es[i]
		if p := es[i].Parent; p >= 0 {
			out[n].Parent = at[p]
		}
	}
	return out, nil
}

func cycle(es []RecordedEntry, start int) error {
	path := []string{es[start].URL}
	for j := es[start].Parent; j != start && j >= 0 && len(path) < 8; j = es[j].Parent {
		path = append(path, es[j].URL)
	}
	path = append(path, es[start].URL)
	return &ReadError{
		Path: "log.entries[" + strconv.Itoa(es[start].Index) + "]._initiator",
		Err:  fmt.Errorf("the initiators form a cycle (%s); a request cannot lead to itself", strings.Join(path, " → ")),
	}
}

// ParentByTiming gives each entry whose parent was not recorded (its
// ParentBy is "document") the timing rule's parent instead: the entry
// that finished last among those that finished before it started, as
// if its reference were found when that one arrived. An entry that
// started before any finished keeps the document. Order is kept: a
// parent that finished before its child started also started before.
func ParentByTiming(p *RecordedPage) {
	for i := range p.Entries {
		e := &p.Entries[i]
		if e.ParentBy != "document" || e.Parent < 0 {
			continue
		}
		best := -1
		for j := range i {
			if end := p.Entries[j].End(); end <= e.Start && (best < 0 || end > p.Entries[best].End()) {
				best = j
			}
		}
		if best >= 0 {
			e.Parent, e.ParentBy = best, "timing"
		}
	}
}
