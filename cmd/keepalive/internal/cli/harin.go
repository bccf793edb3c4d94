package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/har"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// harInput is --har FILE [--har-page N]: a recorded page as the
// scenario, read once and kept for every run of the command (the
// terminal UI loads it again after each edit).
type harInput struct {
	file string
	page int // from 1
	// rttBy and bandwidthBy name the flag that gave the link's RTT and
	// bandwidth ("--rtt", "--vary rtt"), "" when they are estimated, so
	// the note says which were.
	rttBy, bandwidthBy string
	tls                *model.TLSConfig // from --tls and --tls-resume, for every https origin

	loaded  map[bool]*harLoaded // by --ideal, made on first use
	printed bool                // the notes are written once
}

// harLoaded is what the HAR made: the scenario to run and what the
// recording measured, for the row "recorded".
type harLoaded struct {
	sc       *scenarios.Scenario
	sim      *har.Simulated
	recorded har.Recorded
	pages    int
}

// harFlags checks --har FILE and --har-page N against the other flags
// of a command that takes run's: set says which were given, tls and
// resume are --tls's text and --tls-resume's value.
func harFlags(file, page string, set map[string]bool, tls string, resume bool) (*harInput, error) {
	if !set["har"] {
		if set["har-page"] {
			return nil, usageErrorf("--har-page %s: only with --har FILE, which has the pages to choose from", page)
		}
		return nil, nil
	}
	if file == "" {
		return nil, usageErrorf("--har: needs a file name (a HAR 1.2 file, as browsers' developer tools save it)")
	}
	if set["scenario"] {
		return nil, usageErrorf("--har and --scenario: give one; the HAR file is the scenario")
	}
	for _, fl := range scenarios.RunFlags() {
		if fl.Page && set[fl.Name] {
			return nil, usageErrorf("--%s: not with --har, whose page is the recording's", fl.Name)
		}
	}
	h := &harInput{file: file, page: 1}
	if set["rtt"] {
		h.rttBy = "--rtt"
	}
	if set["bandwidth"] {
		h.bandwidthBy = "--bandwidth"
	}
	if set["har-page"] {
		n, err := strconv.Atoi(strings.TrimSpace(page))
		if err != nil || n < 1 {
			return nil, usageErrorf("--har-page %q: not a page number; allowed: 1 to the number of pages in %s", page, file)
		}
		h.page = n
	}
	if set["tls"] || set["tls-resume"] {
		// --tls sets tls.version, which is the main host's: it is given to
		// every https origin of the page as well.
		t := model.TLSConfig{Version: model.TLS13, Resume: resume}
		if set["tls"] {
			v, err := model.ParseTLS(tls)
			if err != nil {
				return nil, usageErrorf("--tls %q: %v", tls, err)
			}
			t.Version = v
		}
		h.tls = &t
	}
	return h, nil
}

// load reads the file and simulates its page on the default browser and
// server (with the textbook's assumptions if ideal); errors are bad
// input, naming the flag, the file and, for the file's content, the
// entry and field.
func (h *harInput) load(ideal bool) (*harLoaded, error) {
	if l := h.loaded[ideal]; l != nil {
		return l, nil
	}
	f, err := os.Open(h.file)
	if err != nil {
		return nil, usageErrorf("--har %s: %v", h.file, unwrapPathError(err))
	}
	defer f.Close()
	rec, err := har.Read(f)
	if err != nil {
		msg := strings.TrimPrefix(err.Error(), "har: ")
		if strings.HasPrefix(msg, "not JSON") {
			// A scenario file or a page given by mistake: say what --har
			// takes, and what takes the file instead.
			msg += " (a HAR file is JSON, as browsers' developer tools save it; a scenario file goes to --scenario)"
		}
		return nil, usageErrorf("--har %s: %s", h.file, msg)
	}
	if h.page > len(rec.Pages) {
		return nil, usageErrorf("--har-page %d: out of range; allowed: 1 to %d (the pages of %s)", h.page, len(rec.Pages), h.file)
	}
	p := &rec.Pages[h.page-1]
	base := model.DefaultConfig()
	if ideal {
		base.ApplyIdeal()
	}
	sim, err := p.Simulate(base, har.PageOptions{TLS: h.tls})
	if err != nil {
		return nil, usageErrorf("--har %s: %s", h.file, strings.TrimPrefix(err.Error(), "har: "))
	}
	if err := sim.Config.Validate(); err != nil {
		return nil, usageErrorf("--har %s: the page does not make a valid configuration: %v", h.file, err)
	}
	name := filepath.Base(h.file)
	if len(rec.Pages) > 1 {
		name += "#" + strconv.Itoa(h.page)
	}
	desc := fmt.Sprintf("page %d of %d of %s", h.page, len(rec.Pages), h.file)
	if p.Title != "" {
		desc += ", " + p.Title
	}
	if rec.Creator != "" {
		desc += ", recorded by " + rec.Creator
	}
	l := &harLoaded{
		sc:       &scenarios.Scenario{Name: name, Description: desc, Config: sim.Config},
		sim:      sim,
		recorded: p.Recorded(),
		pages:    len(rec.Pages),
	}
	// The story the terminal UI's help shows: what the file recorded,
	// which the compare view has no row for, and how the page was made,
	// which the note on standard error says before the UI takes the
	// screen.
	r := l.recorded
	l.sc.Narrative = fmt.Sprintf("Recorded in the file: the page loaded in %s ms over %s, %s.\n\nSimulated from it: %s.",
		ms1(r.PageLoad), versionsText(r), plural(r.Connections, "connection", "connections"), h.linkNote(l))
	if len(sim.Skipped) > 0 {
		l.sc.Narrative += "\n\n" + skippedNote(sim.Skipped) + "."
	}
	if h.loaded == nil {
		h.loaded = map[bool]*harLoaded{}
	}
	h.loaded[ideal] = l
	return l, nil
}

// scenario is the HAR's scenario, a copy the caller may change.
func (h *harInput) scenario(ideal bool) (*scenarios.Scenario, error) {
	l, err := h.load(ideal)
	if err != nil {
		return nil, err
	}
	sc := *l.sc
	return &sc, nil
}

// notes writes, once, what the command made of the recording: the link
// and where it came from, DNS, and the entries left out.
func (h *harInput) notes(w io.Writer, who string, l *harLoaded) {
	if h.printed {
		return
	}
	h.printed = true
	fmt.Fprintf(w, "%s: --har %s: %s\n", who, h.file, h.linkNote(l))
	if len(l.sim.Skipped) > 0 {
		fmt.Fprintf(w, "%s: --har %s: %s\n", who, h.file, skippedNote(l.sim.Skipped))
	}
}

// linkNote says which of the link's RTT and bandwidth were estimated
// from the recording, from how many entries, and what DNS does.
func (h *harInput) linkNote(l *harLoaded) string {
	s, c := l.sim, l.sc.Config
	var rtt, bw string
	switch {
	case h.rttBy != "":
		rtt = "RTT as given (" + h.rttBy + ")"
	case s.Link.RTTSamples > 0:
		rtt = fmt.Sprintf("RTT %s estimated (median connect less ssl of %s)", formatMs(s.Link.RTT), plural(s.Link.RTTSamples, "entry", "entries"))
	default:
		rtt = fmt.Sprintf("RTT %s, the default (no entry opened a connection to estimate it from; give --rtt)", formatMs(2*c.Link.Delay))
	}
	switch {
	case h.bandwidthBy != "":
		bw = "bandwidth as given (" + h.bandwidthBy + ")"
	case s.Link.BandwidthFrom == "page":
		bw = fmt.Sprintf("bandwidth %s estimated (the page's throughput while its %s arrived: a lower bound; give --bandwidth if you know the link's)", units.FormatRate(s.Link.Bandwidth), plural(s.Link.BandwidthSamples, "body", "bodies"))
	case s.Link.BandwidthSamples > 0:
		bw = fmt.Sprintf("bandwidth %s estimated (0.75 quantile of %s of 64 KiB or more: a lower bound; give --bandwidth if you know the link's)", units.FormatRate(s.Link.Bandwidth), plural(s.Link.BandwidthSamples, "transfer", "transfers"))
	default:
		bw = fmt.Sprintf("bandwidth %s, the default (no transfer of 64 KiB or more, and under 512 KiB in all, to estimate it from; give --bandwidth)", units.FormatRate(int64(c.Link.Down)))
	}
	dns := "DNS off (no dns times recorded)"
	if c.DNS.Enabled {
		dns = fmt.Sprintf("DNS %s a lookup (median of %s)", formatMs(c.DNS.RTT), plural(s.DNSSamples, "dns time", "dns times"))
	}
	return fmt.Sprintf("page %d of %d, %s on %s; %s, %s; server think time is wait less %s; %s",
		h.page, l.pages, plural(len(c.Page.Resources), "request", "requests"), plural(1+len(c.Origins), "host", "hosts"),
		rtt, bw, formatMs(s.ThinkRTT), dns)
}

// skippedNote lists the entries left out, the first few by name.
func skippedNote(ks []har.Skipped) string {
	const most = 5
	var parts []string
	for i, k := range ks {
		if i == most {
			parts = append(parts, fmt.Sprintf("and %d more (--format json lists them all)", len(ks)-most))
			break
		}
		parts = append(parts, k.String())
	}
	return fmt.Sprintf("%s not simulated: %s", plural(len(ks), "entry", "entries"), strings.Join(parts, "; "))
}

// formatMs writes a duration in milliseconds, to the microsecond.
func formatMs(d time.Duration) string {
	v := math.Round(float64(d)/1e3) / 1e3
	return strconv.FormatFloat(v, 'f', -1, 64) + "ms"
}

// versionsText is the recording's HTTP versions, for the table.
func versionsText(r har.Recorded) string { return strings.Join(r.Versions, ", ") }

// harMeta is what the outputs' provenance says of a --har page: the
// file and page, the note on the link, the recording's HTTP versions
// (which the CSV has no column for) and every entry left out.
type harMeta struct {
	File         string        `json:"file"`
	Page         int           `json:"page"`
	Pages        int           `json:"pages"`
	Note         string        `json:"note"`
	HTTPVersions []string      `json:"http_versions"`
	Skipped      []jsonSkipped `json:"skipped"`
}

// jsonSkipped is an entry left out of the simulated page.
type jsonSkipped struct {
	Index int    `json:"index"` // in log.entries, from 0
	URL   string `json:"url"`
	Why   string `json:"why"`
}

func harMetaOf(h *harInput, l *harLoaded) *harMeta {
	m := &harMeta{File: h.file, Page: h.page, Pages: l.pages, Note: h.linkNote(l),
		HTTPVersions: l.recorded.Versions, Skipped: []jsonSkipped{}}
	for _, k := range l.sim.Skipped {
		m.Skipped = append(m.Skipped, jsonSkipped{k.Index, k.URL, k.Why})
	}
	return m
}

// jsonRecorded is --format json's "recorded": the recording's own
// load, beside the simulated runs, with the names of their columns.
type jsonRecorded struct {
	Protocol        string      `json:"protocol"` // "recorded"
	PageLoadMs      json.Number `json:"page_load_ms"`
	PageLoadFrom    string      `json:"page_load_from"` // "onLoad" or "entries"
	Requests        int         `json:"requests"`
	Bytes           int64       `json:"bytes"` // the entries' body sizes
	TCPConnections  int         `json:"tcp_connections"`
	ConnectionsFrom string      `json:"connections_from"` // "connection" ids or "connect" times
	HTTPVersions    []string    `json:"http_versions"`
	Hosts           []string    `json:"hosts"`
}

func jsonRecordedOf(r har.Recorded) jsonRecorded {
	return jsonRecorded{Protocol: recordedProtocol, PageLoadMs: json.Number(trace.Millis(r.PageLoad)), PageLoadFrom: r.PageLoadFrom,
		Requests: r.Requests, Bytes: r.Bytes, TCPConnections: r.Connections, ConnectionsFrom: r.ConnectionsFrom,
		HTTPVersions: r.Versions, Hosts: r.Hosts}
}

// recordedProtocol is the protocol cell of the row "recorded".
const recordedProtocol = "recorded"

// recordedCSV is the row "recorded" of --format csv: the scenario, the
// protocol "recorded", the requests besides the document (objects), the
// page load time and the connections; every other column is the
// simulator's, and empty.
func recordedCSV(scenario string, r har.Recorded) []string {
	row := make([]string, len(csvrow.Columns))
	for i, col := range csvrow.Columns {
		switch col {
		case "scenario":
			row[i] = scenario
		case "protocol":
			row[i] = recordedProtocol
		case "objects":
			row[i] = strconv.Itoa(max(r.Requests-1, 0))
		case "page_load_ms":
			row[i] = trace.Millis(r.PageLoad)
		case "tcp_connections":
			row[i] = strconv.Itoa(r.Connections)
		}
	}
	return row
}

// recordedTable is the table's row "recorded": the HTTP versions in the
// first cell, the page load and connections; the simulator's columns
// empty.
func recordedTable(r har.Recorded, columns int) []string {
	row := make([]string, columns)
	row[0] = recordedProtocol + " (" + versionsText(r) + ")"
	row[1] = ms1(r.PageLoad) + " ms "
	row[3] = strconv.Itoa(r.Connections)
	return row
}

// replacesRecording reports whether a setting, named by its field or
// its run flag, would replace what --har made: the page (a page flag,
// page or page.*), its visits or its hosts. The command line, a sweep
// and the terminal UI's edit form refuse such settings alike.
func replacesRecording(name string) bool {
	if fl, ok := scenarios.FlagNamed(name); ok {
		name = fl.Field
	}
	for _, f := range []string{"page", "visits", "origins"} {
		if name == f || strings.HasPrefix(name, f+".") || strings.HasPrefix(name, f+"[") {
			return true
		}
	}
	return false
}
