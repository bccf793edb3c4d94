package units

import (
	"math"
	"strings"
)

// Rates in bits per second. They are the model's (model.Kbps, …, and
// model.UnlimitedRate, checked by a test in package scenarios), written
// again here so that units depends on nothing of the simulator.
const (
	Kbps int64 = 1000
	Mbps       = 1000 * Kbps
	Gbps       = 1000 * Mbps
	// Unlimited is the rate of a link with no serialization delay.
	Unlimited int64 = math.MaxInt64
)

// rateUnits are the rate units, largest first, as printed.
var rateUnits = []struct {
	name string
	r    int64
}{
	{"Gbps", Gbps},
	{"Mbps", Mbps},
	{"kbps", Kbps},
	{"bps", 1},
}

const rateAllowed = "bps, kbps, Mbps, Gbps"

// ParseRate parses a link rate in bits per second such as "10Mbps",
// "512kbps", "1.5Mbps" or "800bps"; the unit is case-insensitive. The
// rate must be > 0 and a whole number of bit/s. "unlimited" (any case)
// returns [Unlimited].
func ParseRate(s string) (int64, error) {
	in := s
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "unlimited") {
		return Unlimited, nil
	}
	q, rest, err := lex(in, s)
	if err != nil {
		return 0, err
	}
	var unit int64
	for _, u := range rateUnits {
		if strings.EqualFold(q.unit+rest, u.name) {
			unit = u.r
		}
	}
	switch {
	case isZero(q.num) && (unit != 0 || q.unit == "" && rest == ""):
		return 0, rangeError(in, "a rate must be > 0 (write unlimited for no limit)")
	case q.unit == "" && rest == "":
		return 0, syntaxError(in, "missing unit; write e.g. "+quote(q.num+"Mbps")+" (allowed: "+rateAllowed+")")
	case unit == 0:
		return 0, syntaxError(in, "unknown rate unit "+quote(q.unit+rest)+" (allowed: "+rateAllowed+")")
	case q.neg:
		return 0, rangeError(in, "a rate must be > 0")
	}
	v, whole, fits := scale(q.num, unit, math.MaxInt64)
	switch {
	case !fits:
		return 0, rangeError(in, "too fast (write unlimited for no limit)")
	case !whole:
		return 0, rangeError(in, "not a whole number of bits per second")
	}
	return v, nil
}
