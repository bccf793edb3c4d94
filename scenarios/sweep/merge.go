package sweep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Merge reads the tidy CSVs of a sweep's shards (in any order) and
// returns the whole sweep's rows in canonical order. Every file must
// have the same header, starting with run and runs_total; every run
// index from 0 to runs_total-1 must appear exactly once. Problems are
// *InputError naming the file and line.
func Merge(files []string) (*Table, error) {
	if len(files) == 0 {
		return nil, inputErrorf("", "no files; give the shards' CSV files, e.g. shard-*.csv")
	}
	var out *Table
	var from []string // file and line of each run, for duplicates
	total := -1
	for _, path := range files {
		t, err := ReadTable(path, false)
		if err != nil {
			return nil, err
		}
		if len(t.Header) < 2 || t.Header[0] != "run" || t.Header[1] != "runs_total" {
			return nil, &InputError{Where: path, Err: errNotSweep}
		}
		if out == nil {
			out = &Table{Header: t.Header}
		} else if !slices.Equal(t.Header, out.Header) {
			return nil, inputErrorf(path, "its header differs from %s's (%s); were the shards made by the same sweep command?",
				files[0], firstDifference(t.Header, out.Header))
		}
		for n, row := range t.Rows {
			line := fmt.Sprintf("%s line %d", path, n+2)
			i, err1 := strconv.Atoi(row[0])
			tot, err2 := strconv.Atoi(row[1])
			switch {
			case err1 != nil || err2 != nil || i < 0 || tot < 1 || i >= tot:
				return nil, inputErrorf(line, "run %q of runs_total %q is not a run index from 0 to runs_total-1", row[0], row[1])
			case total < 0:
				total = tot
				out.Rows = make([][]string, total)
				from = make([]string, total)
			case tot != total:
				return nil, inputErrorf(line, "runs_total is %d, but %s says %d; were the shards made by the same sweep command?", tot, from[firstSet(from)], total)
			}
			if out.Rows[i] != nil {
				return nil, inputErrorf(line, "run %d is also in %s; is a shard given twice?", i, from[i])
			}
			out.Rows[i], from[i] = row, line
		}
	}
	if err := sameSweep(out); err != nil {
		return nil, err
	}
	var missing []string
	count := 0
	for i, r := range out.Rows {
		if r == nil {
			count++
			if len(missing) < 10 {
				missing = append(missing, strconv.Itoa(i))
			}
		}
	}
	if count > 0 {
		more := ""
		if count > len(missing) {
			more = ", …"
		}
		return nil, inputErrorf("", "%d of %d runs are missing (runs %s%s); is a shard missing or unfinished? "+
			"Finish a shard with its sweep command and --resume", count, total, strings.Join(missing, ", "), more)
	}
	return out, nil
}

func firstSet(from []string) int {
	for i, f := range from {
		if f != "" {
			return i
		}
	}
	return 0
}

// sameSweep checks what the rows of one sweep share: the sweep's id (of
// its whole specification), the scenario, and the first seed (seed -
// replicate).
func sameSweep(t *Table) error {
	sc, seed, rep, id := t.Column("scenario"), t.Column("seed"), t.Column("replicate"), t.Column("sweep")
	var first []string
	firstSeed := uint64(0)
	for _, row := range t.Rows {
		if row == nil {
			continue
		}
		var s0 uint64
		if seed >= 0 && rep >= 0 {
			s, err1 := strconv.ParseUint(row[seed], 10, 64)
			r, err2 := strconv.ParseUint(row[rep], 10, 64)
			if err1 != nil || err2 != nil {
				return inputErrorf("", "run %s: seed %q or replicate %q is not a number", row[0], row[seed], row[rep])
			}
			s0 = s - r
		}
		if first == nil {
			first, firstSeed = row, s0
			continue
		}
		if sc >= 0 && row[sc] != first[sc] {
			return inputErrorf("", "run %s is of scenario %s, run %s of %s; were the shards made by the same sweep command?", row[0], row[sc], first[0], first[sc])
		}
		if s0 != firstSeed {
			return inputErrorf("", "run %s was made with --seed %d, run %s with --seed %d; were the shards made by the same sweep command?", row[0], s0, first[0], firstSeed)
		}
		if id >= 0 && row[id] != first[id] {
			return inputErrorf("", "run %s is of sweep %s, run %s of sweep %s: the shards were made by different sweep commands "+
				"(a fixed setting, a --vary value, the scenario, the protocols, --replicates or --seed differ)", row[0], row[id], first[0], first[id])
		}
	}
	return nil
}
