package sweep_test

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

// rows runs spec and returns its rows as maps from column to cell.
func rows(t *testing.T, spec sweep.Spec) []map[string]string {
	t.Helper()
	out := runTo(t, spec, sweep.Options{Jobs: 2})
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var maps []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		maps = append(maps, m)
	}
	return maps
}

// TestSettingsReachTheModel: run flags and scenario fields, fixed or
// varied, end up in the configuration that runs, with --ideal first.
func TestSettingsReachTheModel(t *testing.T) {
	got := rows(t, sweep.Spec{
		Ideal:      true,
		Set:        []sweep.Set{{Flag: "--set", Name: "tcp.min_rto", Value: "200ms"}, {Flag: "--bandwidth", Name: "bandwidth", Value: "2Mbps"}},
		Vary:       []sweep.Vary{{Name: "iw", Values: "1,unlimited"}, {Name: "tls", Values: "none,1.3"}, {Name: "page.objects", Values: "2"}},
		Protocols:  []model.Protocol{model.HTTP2},
		Replicates: 1,
	})
	if len(got) != 4 {
		t.Fatalf("%d rows, want 4", len(got))
	}
	for i, want := range []struct{ iw, iwCell, tls string }{{"1", "1", "none"}, {"1", "1", "1.3"}, {"", "", "none"}, {"", "", "1.3"}} {
		r := got[i]
		if r["vary.iw"] != want.iw || r["iw"] != want.iwCell || r["iw_unlimited"] != strconv.FormatBool(want.iwCell == "") ||
			r["vary.tls"] != want.tls || r["tls"] != want.tls {
			t.Errorf("row %d: iw %s/%s tls %s/%s, want %s and %s", i, r["vary.iw"], r["iw"], r["vary.tls"], r["tls"], want.iw, want.tls)
		}
		// page.objects is the field, not the page flag --objects (which
		// brings run's page): its own column.
		if r["ideal"] != "true" || r["bandwidth_mbps"] != "2" || r["objects"] != "2" || r["vary.page.objects"] != "2" || r["protocol"] != "http2" {
			t.Errorf("row %d: %v", i, r)
		}
	}
	if got[0]["tls_handshakes"] != "0" || got[1]["tls_handshakes"] != "1" {
		t.Errorf("TLS handshakes %s and %s, want 0 and 1", got[0]["tls_handshakes"], got[1]["tls_handshakes"])
	}
}

// TestPageFlags: objects, object-size and html-size replace the page with
// a synthetic one, the others taking run's defaults.
func TestPageFlags(t *testing.T) {
	got := rows(t, sweep.Spec{
		Vary:       []sweep.Vary{{Name: "object-size", Values: "1KB,100KB"}},
		Protocols:  []model.Protocol{model.HTTP11},
		Replicates: 1,
	})
	if got[0]["objects"] != "10" || got[1]["objects"] != "10" {
		t.Errorf("objects %s, %s; want run's default of 10", got[0]["objects"], got[1]["objects"])
	}
	small, _ := strconv.Atoi(got[0]["wire_bytes"])
	big, _ := strconv.Atoi(got[1]["wire_bytes"])
	if small < 10_000 || big < 1_000_000 {
		t.Errorf("1KB objects sent %s bytes, 100KB objects %s", got[0]["wire_bytes"], got[1]["wire_bytes"])
	}
}

// TestScenarioFile: a sweep over a scenario file varies its fields.
func TestScenarioFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "slow.yaml")
	if err := os.WriteFile(path, []byte("name: slow\nlink: {rtt: 300ms, up: 1Mbps, down: 5Mbps}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got := rows(t, sweep.Spec{
		Scenario:   path,
		Vary:       []sweep.Vary{{Name: "link.down", Values: "2Mbps"}, {Name: "link.queue", Values: "fifo,fair"}},
		Protocols:  []model.Protocol{model.HTTP10},
		Replicates: 1,
	})
	if len(got) != 2 || got[0]["scenario"] != "slow" || got[0]["rtt_ms"] != "300.000000" || got[0]["bandwidth_mbps"] != "2" || got[1]["vary.link.queue"] != "fair" {
		t.Errorf("rows %v", got)
	}
}

// TestListByFieldName: a list field takes its comma-separated list under
// its own name as under its run flag (--set page.object_size=1KB,2KB was
// read as one size, "1KB,2KB").
func TestListByFieldName(t *testing.T) {
	got := rows(t, sweep.Spec{
		Set:        []sweep.Set{{Flag: "--set", Name: "page.object_size", Value: "1KB, 100KB"}, {Flag: "--set", Name: "page.objects", Value: "2"}},
		Protocols:  []model.Protocol{model.HTTP11},
		Replicates: 1,
	})
	if n, _ := strconv.Atoi(got[0]["wire_bytes"]); len(got) != 1 || n < 100_000 || n > 200_000 {
		t.Errorf("objects of 1KB and 100KB: %v", got)
	}
}

// TestPlanKeepsNoConfigurations: a plan holds a digest per grid point,
// not its configuration, so that planning a large grid of a large page
// costs time, not memory (200 points of a 10,000-object page took 200 MB,
// 900,000 points GBs).
func TestPlanKeepsNoConfigurations(t *testing.T) {
	if testing.Short() {
		t.Skip("plans 200 points of a 10,000-object page")
	}
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	p, err := sweep.NewPlan(sweep.Spec{
		Set:        []sweep.Set{{Flag: "--objects", Name: "objects", Value: "10000"}, {Flag: "--object-size", Name: "object-size", Value: "1B"}},
		Vary:       []sweep.Vary{{Name: "rtt", Values: "1ms..200ms/step:1ms"}},
		Protocols:  []model.Protocol{model.HTTP2},
		Replicates: 1,
	})
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if grown := int64(after.HeapAlloc) - int64(before.HeapAlloc); grown > 40<<20 {
		t.Errorf("the plan of %d runs holds %d MB", p.Runs(), grown>>20)
	}
	runtime.KeepAlive(p)
}
