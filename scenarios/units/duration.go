package units

import (
	"math"
	"strings"
	"time"
)

// durationUnits are Go's duration units (time.ParseDuration), in the
// order error messages list them.
var durationUnits = []struct {
	name string
	d    time.Duration
}{
	{"ns", time.Nanosecond},
	{"us", time.Microsecond},
	{"µs", time.Microsecond}, // U+00B5 MICRO SIGN, as time.Duration prints
	{"μs", time.Microsecond}, // U+03BC GREEK SMALL LETTER MU
	{"ms", time.Millisecond},
	{"s", time.Second},
	{"m", 60 * time.Second},
	{"h", 3600 * time.Second},
}

const durationAllowed = "ns, us, ms, s, m, h"

// MaxDuration bounds every duration a user writes: a year, far beyond
// any timeout, round trip or think time a lesson needs, and small
// enough that a run's clock plus any of them cannot overflow int64
// (which made sim.At see a time before now).
const MaxDuration = 8760 * 3600 * time.Second

// ParseDuration parses a duration such as "100ms", "1.5s", "250us", "2m"
// or "1m30s". Units are case-sensitive, as in Go. The result must be ≥ 0
// and a whole number of nanoseconds. A bare number other than "0" is an
// [ErrSyntax] error that suggests a unit.
func ParseDuration(s string) (time.Duration, error) {
	in := s
	s = strings.TrimSpace(s)
	if s == "0" || s == "-0" {
		return 0, nil
	}
	var total int64
	neg := false
	for first := true; first || s != ""; first = false {
		if !first && strings.HasPrefix(s, "-") {
			return 0, syntaxError(in, "a sign may only start the duration")
		}
		q, rest, err := lex(in, s)
		if err != nil {
			return 0, err
		}
		neg = neg || q.neg
		d, err := durationUnit(in, q)
		if err != nil {
			return 0, err
		}
		v, whole, fits := scale(q.num, int64(d), math.MaxInt64-total)
		switch {
		case !fits:
			return 0, rangeError(in, "too long (at most about 292 years)")
		case !whole:
			return 0, rangeError(in, "not a whole number of nanoseconds")
		}
		total += v
		s = strings.TrimLeft(rest, " ")
	}
	if neg && total != 0 {
		return 0, rangeError(in, "a duration must be ≥ 0")
	}
	if time.Duration(total) > MaxDuration {
		return 0, rangeError(in, "too long: at most 8760h (a year)")
	}
	return time.Duration(total), nil
}

func durationUnit(in string, q quantity) (time.Duration, error) {
	if q.unit == "" {
		return 0, syntaxError(in, "missing unit; write e.g. "+quote(q.num+"ms")+" or "+quote(q.num+"s")+" (allowed: "+durationAllowed+")")
	}
	names := make([]string, len(durationUnits))
	for i, u := range durationUnits {
		if u.name == q.unit {
			return u.d, nil
		}
		names[i] = u.name
	}
	return 0, syntaxError(in, "unknown duration unit "+quote(q.unit)+" (allowed: "+durationAllowed+")"+suggest(q.unit, names))
}
