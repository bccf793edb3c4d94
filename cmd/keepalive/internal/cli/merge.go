package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

// mergeCommand is "keepalive merge shard-*.csv --out results.csv".
func mergeCommand(args []string, stdout, stderr io.Writer) int {
	const who = "keepalive merge"
	var out, summary string
	fs := newMergeFlagSet(&out, &summary)
	files, set, err := parseInterleaved(fs, "merge", args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, mergeUsage)
		return exitOK
	}
	if err != nil {
		return fail(stderr, who, err)
	}
	if len(files) == 0 {
		return fail(stderr, who, usageErrorf("give the shards' CSV files, e.g. keepalive merge shard-*.csv --out results.csv"))
	}
	for _, name := range []string{"out", "summary"} {
		if set[name] && (name == "summary" && summary == "" || name == "out" && out == "") {
			return fail(stderr, who, usageErrorf("--%s: needs a file name", name))
		}
	}
	if out == "-" {
		out = ""
	}
	if err := sweep.CheckPaths(sweep.Output{Flag: "--out", Path: out}, sweep.Output{Flag: "--summary", Path: summary}); err != nil {
		return failSweep(stderr, who, err)
	}
	for _, f := range files {
		if f == out {
			return fail(stderr, who, usageErrorf("--out %s: is also a file to merge; write the result to a new file", out))
		}
	}
	t, err := sweep.Merge(files)
	if err != nil {
		return failSweep(stderr, who, err)
	}
	if out == "" {
		err = t.WriteCSV(stdout)
	} else {
		err = t.WriteFile(out)
	}
	if err != nil {
		return fail(stderr, who, fmt.Errorf("--out: %w", err))
	}
	if summary != "" {
		if err := sweep.WriteSummary(summary, t); err != nil {
			return fail(stderr, who, fmt.Errorf("--summary: %w", err))
		}
	}
	// The provenance of the merged files: this command, and the sweep the
	// shards share (Merge checked that they do).
	meta := newProvenance(append([]string{"merge"}, args...), "")
	if len(t.Rows) > 0 {
		if c := t.Column("scenario"); c >= 0 {
			meta.Scenario = t.Rows[0][c]
		}
		if c := t.Column("sweep"); c >= 0 {
			meta.Sweep = t.Rows[0][c]
		}
	}
	if err := writeSidecars(meta, out, summary); err != nil {
		return fail(stderr, who, err)
	}
	return exitOK
}

func newMergeFlagSet(out, summary *string) *flag.FlagSet {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(out, "out", "", "")
	fs.StringVar(summary, "summary", "", "")
	return fs
}
