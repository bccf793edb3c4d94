package units

import (
	"math"
	"strings"
)

// sizeUnits are the size units, in the order error messages list them
// and the order in which a unit differing only in case is suggested.
var sizeUnits = []struct {
	name string
	n    int64
}{
	{"B", 1},
	{"KB", 1000},
	{"kB", 1000},
	{"MB", 1000 * 1000},
	{"GB", 1000 * 1000 * 1000},
	{"KiB", 1 << 10},
	{"MiB", 1 << 20},
	{"GiB", 1 << 30},
}

const sizeAllowed = "B, kB or KB, MB, GB, KiB, MiB, GiB; a bare number is bytes"

// ParseSize parses a size in bytes such as "15KB" (15,000), "15KiB"
// (15,360), "1.5KB" (1,500), "1MiB", "536B" or a bare "536". Units are
// case-sensitive (see the package documentation). The size must be ≥ 0
// and a whole number of bytes.
func ParseSize(s string) (int, error) {
	in := s
	q, rest, err := lex(in, strings.TrimSpace(s))
	if err != nil {
		return 0, err
	}
	unit := int64(0)
	names := make([]string, len(sizeUnits))
	for i, u := range sizeUnits {
		if q.unit+rest == u.name {
			unit = u.n
		}
		names[i] = u.name
	}
	if q.unit == "" && rest == "" {
		unit = 1
	}
	switch {
	case unit == 0:
		return 0, syntaxError(in, "unknown size unit "+quote(q.unit+rest)+" (allowed: "+sizeAllowed+")"+suggest(q.unit+rest, names))
	case q.neg && !isZero(q.num):
		return 0, rangeError(in, "a size must be ≥ 0")
	}
	v, whole, fits := scale(q.num, unit, math.MaxInt)
	switch {
	case !fits:
		return 0, rangeError(in, "too large")
	case !whole:
		return 0, rangeError(in, "not a whole number of bytes")
	}
	return int(v), nil
}
