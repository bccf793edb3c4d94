package model_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/sim"
)

// TestFailedPageIsNotLoaded: when the close race fails a request and the
// browser does not retry, page 2 fails: it is not a 42.9 ms load, and the
// mean page load is page 1's alone.
func TestFailedPageIsNotLoaded(t *testing.T) {
	think := 5*sim.Second - tOb - kRTT/2 // the race of TestCloseRace
	cfg := twoPages(think)
	cfg.Browser.Retry = false
	res, recs := mustRun(t, cfg)
	if res.Complete || res.PagesLoaded != 1 || res.PagesFailed != 1 || res.Pages != 2 {
		t.Fatalf("complete %v, %d of %d pages loaded, %d failed; want incomplete, 1 of 2 loaded, 1 failed",
			res.Complete, res.PagesLoaded, res.Pages, res.PagesFailed)
	}
	if len(res.PageLoads) != 1 || res.PageLoad != res.PageLoads[0] || res.PageLoad != 2*kRTT+tOb {
		t.Errorf("page loads %v (mean %v), want page 1's alone, 2·RTT + Ob/R", res.PageLoads, res.PageLoad)
	}
	var failed *trace.Record
	for i := range recs {
		if recs[i].Kind == trace.PageLoaded && recs[i].Page == 2 {
			t.Errorf("page 2 recorded as loaded at %v", recs[i].At)
		}
		if recs[i].Kind == trace.PageFailed {
			failed = &recs[i]
		}
	}
	if failed == nil || failed.Page != 2 || !strings.Contains(failed.Note, "/page2.html") {
		t.Fatalf("no PageFailed record for page 2 naming its request: %+v", failed)
	}
	if o := res.Outcomes[1]; o.Outcome != trace.Failed || o.Page != 2 || o.Why != failed.Note {
		t.Errorf("outcome of page 2: %+v", o)
	}
}

// TestUnreachableServerFailsThePage: every SYN lost, the connection gives
// up after its SYN retries (Linux tcp_syn_retries = 6, 127 s): the page
// failed, and no page load time is reported.
func TestUnreachableServerFailsThePage(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Link.Loss = 1
	res, _ := mustRun(t, cfg)
	if res.PageLoad != -1 || res.PagesFailed != 1 || res.Complete {
		t.Fatalf("page load %v, failed %d, complete %v; want none, 1, false", res.PageLoad, res.PagesFailed, res.Complete)
	}
	if why := res.Outcomes[0].Why; !strings.Contains(why, "SYN retransmissions") {
		t.Errorf("why %q does not say the SYNs went unanswered", why)
	}
}

// TestNothingCutsARunShort: a run goes on as long as something is left
// to happen: a second page after two hours of reading, and clients that
// arrive hours apart, all load. (An hour without progress used to end a
// run silently.)
func TestNothingCutsARunShort(t *testing.T) {
	cfg := twoPages(2 * sim.Hour)
	res, _ := mustRun(t, cfg)
	if !res.Complete || res.PagesLoaded != 2 {
		t.Errorf("two pages two hours apart: complete %v, %d loaded", res.Complete, res.PagesLoaded)
	}
	cfg = model.DefaultConfig()
	cfg.Clients = model.ClientsConfig{Count: 5, Rate: 0.0001} // one every 10,000 s on average
	res, _ = mustRun(t, cfg)
	if !res.Complete || res.PagesLoaded != 5 || res.Pages != 5 {
		t.Errorf("five clients hours apart: complete %v, %d of %d loaded", res.Complete, res.PagesLoaded, res.Pages)
	}
}

// TestLimitsMarkPagesUnfinished: a limit ends the run with a RunStopped
// record; the pages without an outcome are unfinished, say why, and count
// neither as loaded nor in the mean.
func TestLimitsMarkPagesUnfinished(t *testing.T) {
	t.Run("max_time before page 2", func(t *testing.T) {
		cfg := twoPages(20 * sim.Second)
		cfg.MaxTime = 10 * sim.Second
		res, recs := mustRun(t, cfg)
		if res.Stopped != trace.StopMaxTime || res.Complete || res.PagesLoaded != 1 || res.PagesUnfinished != 1 || res.Pages != 2 {
			t.Fatalf("stopped %q, complete %v, loaded %d, unfinished %d of %d", res.Stopped, res.Complete, res.PagesLoaded, res.PagesUnfinished, res.Pages)
		}
		if res.PageLoad != 2*kRTT+tOb {
			t.Errorf("mean page load %v, want page 1's %v", res.PageLoad, 2*kRTT+tOb)
		}
		last := recs[len(recs)-1]
		if last.Kind != trace.PageUnfinished || last.Page != 2 || !strings.Contains(last.Note, "never started") || !strings.Contains(last.Note, "limits.max_time") {
			t.Errorf("last record %v %q, want page 2 unfinished, never started, naming limits.max_time", last.Kind, last.Note)
		}
	})
	t.Run("max_events while loading", func(t *testing.T) {
		cfg := model.DefaultConfig()
		cfg.MaxEvents = 20
		res, recs := mustRun(t, cfg)
		if res.Stopped != trace.StopMaxEvents || res.PagesUnfinished != 1 || res.PageLoad != -1 {
			t.Fatalf("stopped %q, unfinished %d, page load %v", res.Stopped, res.PagesUnfinished, res.PageLoad)
		}
		var stopped bool
		for _, r := range recs {
			stopped = stopped || r.Kind == trace.RunStopped && r.State == trace.StopMaxEvents
		}
		if !stopped || !strings.Contains(res.Outcomes[0].Why, "still loading") {
			t.Errorf("RunStopped recorded %v; why %q", stopped, res.Outcomes[0].Why)
		}
	})
}

// TestStarvedClientIsUnfinished: a server with one worker slot and no
// idle timeouts never frees it, so the second client waits in the accept
// backlog until nothing is left to happen; its page is unfinished, and
// says it was waiting for a slot.
func TestStarvedClientIsUnfinished(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Clients.Count = 2
	cfg.Server.MaxConnections, cfg.Server.IdleTimeout = 1, 0
	cfg.Browser.IdleTimeout = 0
	res, _ := mustRun(t, cfg)
	if res.PagesLoaded != 1 || res.PagesUnfinished != 1 || res.Stopped != trace.NoState {
		t.Fatalf("loaded %d, unfinished %d, stopped %q", res.PagesLoaded, res.PagesUnfinished, res.Stopped)
	}
	for _, o := range res.Outcomes {
		if o.Outcome == trace.Unfinished && !strings.Contains(o.Why, "backlog") {
			t.Errorf("why %q does not name the backlog", o.Why)
		}
	}
}

// panicRecorder fails the way a bug would: by panicking mid-run.
type panicRecorder struct{}

func (panicRecorder) Record(trace.Record) { panic("boom") }

// TestPanicIsAnInternalError: a bug in a run reaches the caller as an
// *InternalError with its stack, not as a crash of the whole process, so
// that a sweep can name the run and the command give its own status.
func TestPanicIsAnInternalError(t *testing.T) {
	_, err := model.Run(model.DefaultConfig(), panicRecorder{})
	var ie *model.InternalError
	if !errors.As(err, &ie) || ie.Panic != "boom" || !strings.Contains(string(ie.Stack), "panicRecorder") {
		t.Fatalf("Run with a panicking recorder: %v", err)
	}
	if !strings.Contains(err.Error(), "a bug in keepalive") {
		t.Errorf("message %q does not say it is a bug", err)
	}
}

// TestFullTraceStopsTheRun: a run recording into a bounded log stops once
// it is full, at the same event every time, with a RunStopped record and
// its pages unfinished: a trace kept in memory cannot grow without bound.
func TestFullTraceStopsTheRun(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(20_000, 10, []int{10_000})
	var first []trace.Record
	for range 2 {
		log := &trace.Log{Max: 500}
		res, err := model.Run(cfg, log)
		if err != nil {
			t.Fatal(err)
		}
		last := log.Records[len(log.Records)-1]
		if res.Stopped != trace.StopTraceFull || res.Complete || res.PagesUnfinished != 1 || last.Kind != trace.PageUnfinished {
			t.Fatalf("stopped %q, complete %v, %d unfinished, last record %v", res.Stopped, res.Complete, res.PagesUnfinished, last.Kind)
		}
		if n := len(log.Records); n < 500 || n > 520 {
			t.Errorf("%d records for a log of 500", n)
		}
		if first == nil {
			first = log.Records
		} else if !slices.Equal(first, log.Records) {
			t.Error("two bounded runs stopped at different places")
		}
	}
	// The unbounded log gets the whole run.
	log := &trace.Log{}
	if res, _ := model.Run(cfg, log); !res.Complete || len(log.Records) <= 520 {
		t.Errorf("unbounded: complete %v, %d records", res.Complete, len(log.Records))
	}
}

// TestCachedDocumentHasNoTTFB: a page whose document comes from the
// browser's cache has no time to first byte, even though its new objects'
// first bytes arrive (found in a review: the first FirstByte of the page
// was taken as the document's).
func TestCachedDocumentHasNoTTFB(t *testing.T) {
	cfg := model.DefaultConfig()
	cfg.Page = model.SyntheticPage(10_000, 1, []int{5_000})
	next := model.SyntheticPage(10_000, 1, []int{5_000})
	next.Resources = append(next.Resources, model.Resource{Path: "/new.png", Type: "img", Size: 5_000, Parent: 0})
	cfg.Visits = []model.Visit{{Think: sim.Second, Page: next}}
	res, err := model.Run(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Outcomes) != 2 || res.Outcomes[0].TTFB <= 0 || res.Outcomes[1].TTFB != -1 {
		t.Errorf("outcomes %+v: want a TTFB for page 1 and none (-1) for page 2, whose document is cached", res.Outcomes)
	}
}
