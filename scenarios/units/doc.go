// Package units parses and prints the quantities of a scenario file as
// people write them: durations ("100ms", "1.5s"), link rates ("10Mbps")
// and sizes in bytes ("15KB", "15KiB").
//
// # Rules
//
//   - A quantity is a decimal number, optionally a space, then a unit:
//     "1.5s", "10 Mbps". Exponents ("1e3"), signs other than a leading
//     "-" and thousands separators are not numbers here.
//   - Values are exact: "1.1Mbps" is 1,100,000 bit/s, with no rounding.
//     A value that is not a whole number of the base unit ("1.5B",
//     "0.5bps", "0.1ns") is an [ErrRange] error.
//   - Durations ([ParseDuration]) use Go's unit names, case-sensitive:
//     ns, us (or µs), ms, s, m, h; parts may be chained as in "1m30s". A
//     bare number is rejected (is "100" milliseconds or seconds?), except
//     "0".
//   - Rates ([ParseRate]) are bits per second with decimal prefixes:
//     bps, kbps, Mbps, Gbps. The unit is case-insensitive, so "10mbps",
//     "10MBPS" and even "10MBps" are 10 Mbit/s: a rate is never bytes per
//     second.
//     "unlimited" means no serialization delay.
//   - Sizes ([ParseSize]) are bytes. The unit is case-sensitive, because
//     b is a bit and m is milli in SI: B; decimal kB or KB (1000), MB,
//     GB; binary KiB (1024), MiB, GiB. A bare number is bytes. A unit
//     that differs only in case ("15kib") is rejected with a suggestion
//     ("did you mean KiB?").
//
// Errors wrap [ErrSyntax] (not a quantity) or [ErrRange] (a quantity out
// of range) and quote the input, the offending part and what is allowed:
//
//	"10Mbs": unknown rate unit "Mbs" (allowed: bps, kbps, Mbps, Gbps)
//
// The package imports only the standard library: durations are
// time.Duration (the simulator's clock is one), rates are bits per second
// in an int64 ([Unlimited] for no limit).
//
// [FormatSize] and [FormatRate] print the shortest exact form, which the
// parsers read back to the same value.
package units
