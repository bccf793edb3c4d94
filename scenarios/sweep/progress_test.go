package sweep_test

import (
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

func TestBar(t *testing.T) {
	var out strings.Builder
	now := time.Unix(0, 0)
	bar := sweep.NewBar(&out, func() time.Time { return now })
	now = now.Add(time.Second)
	bar.Update(1, 100) // drawn: the first update
	now = now.Add(50 * time.Millisecond)
	bar.Update(2, 100) // not drawn: too soon
	now = now.Add(950 * time.Millisecond)
	bar.Update(50, 100) // 50 runs in 2 s: 25 runs/s, 50 left: 2 s
	now = now.Add(2 * time.Second)
	bar.Update(100, 100) // the last update is always drawn
	bar.Done()
	frames := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\r")[1:]
	if len(frames) != 3 {
		t.Fatalf("%d redraws, want 3:\n%q", len(frames), out.String())
	}
	for i, want := range []string{
		"[>                             ]   1/100 runs  1 runs/s  ETA 1m39s\x1b[K",
		"[===============>              ]  50/100 runs  25 runs/s  ETA 2s\x1b[K",
		"[==============================] 100/100 runs  25 runs/s\x1b[K",
	} {
		if frames[i] != want {
			t.Errorf("frame %d:\n got %q\nwant %q", i, frames[i], want)
		}
	}
}
