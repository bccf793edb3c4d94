// Package sweep runs batches of page loads: a grid of settings, every
// protocol at each point, each run a number of times with its own seed,
// and writes one tidy CSV row per page load, a summary of each metric
// per grid point and protocol, and charts.
//
// # Overview
//
//   - [Spec] is a sweep as the user gives it: a scenario, fixed settings
//     ([Set]), varied parameters ([Vary]), protocols, replicates, a first
//     seed and a [Shard]. [NewPlan] checks it and builds every grid
//     point's configuration before anything runs.
//   - [Run] runs a [Plan] with a pool of workers and writes its rows in
//     canonical order whatever the number of workers, stops cleanly when
//     its context is cancelled ([Interrupted]) and can resume a file.
//   - [Merge] recombines the CSVs of a sweep's shards; [Summarize] and
//     [Describe] compute n, mean, sd, the 95% confidence interval of the
//     mean (Student's t), median, p5 and p95; [PlotSpec] draws a metric
//     against a parameter with gonum/plot.
//
// # Parameters and values
//
// A parameter is a "keepalive run" flag (rtt, bandwidth, loss, mss, iw,
// parallel, tls, tls-resume, objects, object-size, html-size, ideal,
// protocol) or a scenario field section.key (link.queue,
// tcp.initial_window, tcp.min_rto, http.parallel, proxy.link.rtt, …;
// docs/scenarios.md).
// Values are written as in a scenario file; a parameter's values are a
// comma-separated list of values and ranges:
//
//	rtt=10ms,50ms,100ms
//	rtt=10ms..100ms/step:10ms      10ms, 20ms, …, 100ms (inclusive)
//	bandwidth=1Mbps..100Mbps/log:5 1Mbps, 3162278bps, 10Mbps, 31622777bps, 100Mbps
//	objects=10..100/step:10
//
// Log-spaced values are rounded to whole nanoseconds, bits per second
// and bytes, and plain numbers to whole numbers when both ends are.
//
// Each grid point's configuration is the scenario, then ideal (--ideal
// or a varied ideal), then every other setting, written into the
// scenario as YAML and read back by package scenarios, so that every
// value is checked as in a scenario file. As in "keepalive run", any of
// objects, object-size and html-size replaces the page with a synthetic
// one, the others taking run's defaults (10 objects of 10KB, a 20KB
// document).
//
// # Order, seeds and shards
//
// Runs are numbered in canonical order: the grid (the first parameter
// outermost), then the protocols, then the replicates. Replicate r runs
// with seed Seed + r, whatever the grid point and protocol, so that the
// protocols are compared on the same random draws, and any row can be
// reproduced by "keepalive run" with its settings and its seed column.
// Shard K/N is the runs i with i mod N = K-1.
//
// # Tidy CSV
//
// The header is run (the canonical index, from 0), runs_total, one column
// per varied parameter, replicate (from 0), sweep (the sweep's id), then
// report.Columns: the columns of "keepalive run --format csv", in that
// order. A parameter's column is "vary.", its run flag (or else its
// scenario field) and its unit, and holds its values in that one unit
// whatever units they were typed in (vary.rtt_ms, vary.loss as a
// fraction, vary.object_size_bytes): fields.go builds them from
// scenarios.Settable (the unit follows the field's kind) and
// scenarios.RunFlags (the flag names).
//
// # Pages
//
// [Options.Pages] adds one row per page load of every run, streamed in
// canonical order to a file put in place when the sweep is complete; its
// first columns are the run's (see [Plan.PagesHeader]).
//
// See docs/batch.md for the command line.
package sweep
