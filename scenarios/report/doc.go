// Package report formats the result of one page load as a row of the
// CSV that "keepalive run --format csv" writes and that every row of a
// batch sweep ends with, so that the two can never disagree.
//
// [Columns] is the header, [Row] one page load's row. The columns are of
// two kinds: [Settings] echo the configuration that was run (scenario,
// protocol, seed, link, TCP, TLS and HTTP settings) and [Metrics] are
// what the run measured. Every column is exactly one of the two; package
// sweep summarises the metrics (mean, confidence interval, quantiles)
// per grid point and protocol.
//
// Times are milliseconds with six decimals, exact to the nanosecond
// ([trace.Millis]); an empty cell means "did not happen" (ttfb_ms of a
// page of which no byte arrived). Booleans are true and false.
//
// Every column is one row of [Table]: its name, unit, kind, one-line
// doc and cell. [Columns], [Settings], [Metrics] and [Words] are derived
// from it, and so is the column list of "keepalive help run". To add a
// column, add its row.
package report
