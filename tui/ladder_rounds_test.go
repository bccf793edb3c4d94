package tui

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keepalive-sim/keepalive/model/trace"
)

// TestFoldRounds: of consecutive rounds with the same key, the first is
// drawn and the rest fold into one row, but never the round the playhead
// is in, nor fewer than two rounds. Rounds here are tcp-keepalive's: an
// exchange of 100 ms every 45 s, keyed by the letter that names it.
func TestFoldRounds(t *testing.T) {
	const period = 45000 // ms
	// build lays out rounds keyed by the letters of keys: a busy 100 ms
	// then idle until the next round; "." is a leading idle stretch.
	build := func(keys string) ([]stretch, []round) {
		var st []stretch
		for k, c := range keys {
			from := ms(float64(k * period))
			if c == '.' {
				st = append(st, stretch{from: from, to: from + ms(period), idle: true})
				continue
			}
			st = append(st, stretch{from: from, to: from + ms(100)}, stretch{from: from + ms(100), to: from + ms(period), idle: true})
		}
		return st, splitRounds(st, func(time.Duration) int { return 0 })
	}
	// show writes the rounds drawn: a letter per round kept, "×N" per
	// row of N folded rounds, "." per leading idle stretch.
	show := func(st []stretch, keys string) string {
		var b strings.Builder
		for _, s := range st {
			switch k := int(s.from / ms(period)); {
			case s.fold > 0:
				fmt.Fprintf(&b, "×%d", s.fold)
			case keys[k] == '.':
				b.WriteByte('.')
			case !s.idle:
				b.WriteByte(keys[k])
			}
		}
		return b.String()
	}
	round := func(k int) time.Duration { return ms(float64(k*period) + 50) } // during round k's exchange
	for _, tc := range []struct {
		name string
		keys string
		at   time.Duration
		want string
	}{
		{"nothing repeats", "abcd", 0, "abcd"},
		{"two alike: nothing to fold", "aa", 0, "aa"},
		{"three alike: the first, then a row of two", "aaa", 0, "a×2"},
		{"ten probes after a page", "paaaaaaaaaa", 0, "pa×9"},
		{"a different last round stays", "paaaab", 0, "pa×3b"},
		{"two runs of repeats", "aaabbbb", 0, "a×2b×3"},
		{"the playhead's round is drawn", "aaaaaaa", round(3), "a×2a×3"},
		{"the playhead in the second round", "aaaa", round(1), "aa×2"},
		{"one round left either side of the playhead", "aaaa", round(2), "aaaa"},
		{"the playhead in the first round", "aaaa", round(0), "a×3"},
		{"the playhead during an idle stretch counts as its round", "aaaaaa", ms(3*period + 20000), "a×2a×2"},
		{"a run that begins idle", ".aaa", 0, ".a×2"},
		{"the playhead at the run's end is in the last round", "aaaa", ms(4 * period), "a×2a"},
		{"the playhead before the run", "aaaa", -1, "a×3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, rs := build(tc.keys)
			same := func(j, k int) bool { return tc.keys[j] != '.' && tc.keys[j] == tc.keys[k] }
			got := foldRounds(st, rs, same, tc.at)
			if s := show(got, tc.keys); s != tc.want {
				t.Errorf("%q at %v: %s, want %s", tc.keys, tc.at, s, tc.want)
			}
			// The stretches still tile the run, in order.
			for i := 1; i < len(got); i++ {
				if got[i].from != got[i-1].to {
					t.Errorf("a gap or an overlap between %v and %v", got[i-1], got[i])
				}
			}
			if got[0].from != st[0].from || got[len(got)-1].to != st[len(st)-1].to {
				t.Errorf("%v–%v, not the run's %v–%v", got[0].from, got[len(got)-1].to, st[0].from, st[len(st)-1].to)
			}
		})
	}
}

// TestSameRounds: rounds are identical only if every record in them is,
// connection, kind, direction, flags, lengths, label and time from the
// round's start; packet ids and sequence numbers may count on.
func TestSameRounds(t *testing.T) {
	probe := func(k int) []trace.Record { // a probe and its ACK, 45.1 s apart
		at := time.Duration(k) * 45100 * time.Millisecond
		up := trace.Record{At: at, Kind: trace.PacketSent, Conn: 1, Dir: trace.Up, Packet: uint64(2*k + 1), Flags: trace.ACK, Seq: 371, Ack: 20286, Wire: 52, Label: trace.ProbeLabel}
		down := trace.Record{At: at + ms(50), Kind: trace.PacketSent, Conn: 1, Dir: trace.Down, Packet: uint64(2*k + 2), Flags: trace.ACK, Seq: 20286, Ack: 372, Wire: 52, Label: trace.ProbeAckLabel}
		upArr, downArr := up, down
		upArr.Kind, upArr.At = trace.PacketArrived, up.At+ms(50)
		downArr.Kind, downArr.At = trace.PacketArrived, down.At+ms(50)
		return []trace.Record{up, upArr, down, downArr}
	}
	for _, tc := range []struct {
		name   string
		change func(rs []trace.Record) // the third round's records
		same   bool
	}{
		{"unchanged", func([]trace.Record) {}, true},
		{"another sequence number", func(rs []trace.Record) { rs[0].Seq++ }, true},
		{"other packet ids", func(rs []trace.Record) { rs[2].Packet, rs[3].Packet = 100, 100 }, true},
		{"another connection", func(rs []trace.Record) { rs[0].Conn = 2 }, false},
		{"another direction", func(rs []trace.Record) { rs[0].Dir = trace.Down }, false},
		{"other flags", func(rs []trace.Record) { rs[0].Flags |= trace.PSH }, false},
		{"a byte of data", func(rs []trace.Record) { rs[0].Len, rs[0].Wire = 1, 53 }, false},
		{"another label", func(rs []trace.Record) { rs[0].Label = "ACK" }, false},
		{"a retransmission", func(rs []trace.Record) { rs[0].Retx = true }, false},
		{"another kind: the ACK lost", func(rs []trace.Record) { rs[3].Kind = trace.PacketDropped }, false},
		{"the ACK a nanosecond later", func(rs []trace.Record) { rs[2].At++; rs[3].At++ }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var recs []trace.Record
			for k := 0; k < 4; k++ {
				rs := probe(k)
				if k == 2 {
					tc.change(rs)
				}
				recs = append(recs, rs...)
			}
			ix := synthRun(trace.HTTP11, recs)
			if len(ix.rounds) != 4 {
				t.Fatalf("%d rounds, want the 4 probes", len(ix.rounds))
			}
			if !ix.sameRounds(ix.rounds[0], ix.rounds[1]) {
				t.Errorf("the first two rounds differ")
			}
			// The last round ends with the run, without the idle tail
			// of the others, so only the first three are compared.
			if same := ix.sameRounds(ix.rounds[1], ix.rounds[2]); same != tc.same {
				t.Errorf("the third round like the second: %v, want %v", same, tc.same)
			}
			if ix.sameRounds(ix.rounds[2], ix.rounds[3]) {
				t.Errorf("the last round, shorter, like the third")
			}
		})
	}
}

var foldRow = regexp.MustCompile(`× (\d+) identical rounds \(([0-9.]+s) … ([0-9.]+s)\)`)

// TestWholeKeepaliveFits: at 100×30 the whole tcp-keepalive run fits on
// the ladder, from the page to the end of TIME-WAIT, once its identical
// probe rounds fold: every probe the trace sends is drawn or counted in
// a folded row, and each folded row's times are those of the probes it
// stands for.
func TestWholeKeepaliveFits(t *testing.T) {
	l := keepaliveLesson(t)
	var probes []time.Duration
	for _, r := range l.Runs[0].Records {
		if r.Kind == trace.PacketSent && r.Label == trace.ProbeLabel {
			probes = append(probes, r.At)
		}
	}
	for _, at := range []time.Duration{probes[len(probes)-1] + time.Second, 200 * time.Second, 700 * time.Second} {
		s := newState(l, Options{NoColor: true})
		press(s, 'w')
		s.player.Seek(at)
		at = s.player.At()
		screen := string(render(t, newFrame(s), 100, 30))
		drawn, folded := 0, 0
		for _, row := range strings.Split(screen, "\n") {
			drawn += strings.Count(row, trace.ProbeLabel)
			if m := foldRow.FindStringSubmatch(row); m != nil {
				n, _ := strconv.Atoi(m[1])
				folded += n
				secs := func(s string) time.Duration {
					f, _ := strconv.ParseFloat(strings.TrimSuffix(s, "s"), 64)
					return time.Duration(f * float64(time.Second))
				}
				// fmtTime rounds to the millisecond: the row's times are
				// its first probe's and its last round's end, to within one.
				from, to := secs(m[2]), secs(m[3])
				in := 0
				for _, p := range probes {
					if p > from-time.Millisecond && p < to-time.Millisecond {
						in++
						if in == 1 && (p-from).Abs() > time.Millisecond {
							t.Errorf("at %v: %q begins at %s, its first probe at %s", at, m[0], m[2], fmtTime(p))
						}
					}
				}
				if in != n {
					t.Errorf("at %v: %q, but %d probes are sent from %s to %s", at, m[0], in, m[2], m[3])
				}
			}
		}
		sent := 0
		for _, p := range probes {
			if p <= at {
				sent++
			}
		}
		if at >= probes[len(probes)-1] && drawn+folded != sent {
			t.Errorf("at %v: %d probes drawn and %d folded, want the %d sent:\n%s", at, drawn, folded, sent, screen)
		}
		if !strings.Contains(screen, "59.9 s idle") || !strings.Contains(screen, "      0◆│") {
			t.Errorf("at %v: the run does not fit, from its start to TIME-WAIT's end:\n%s", at, screen)
		}
	}
}
