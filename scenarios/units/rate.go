package units

import (
	"math"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
)

// rateUnits are the rate units, largest first, as printed.
var rateUnits = []struct {
	name string
	r    model.Rate
}{
	{"Gbps", model.Gbps},
	{"Mbps", model.Mbps},
	{"kbps", model.Kbps},
	{"bps", 1},
}

const rateAllowed = "bps, kbps, Mbps, Gbps"

// ParseRate parses a link rate in bits per second such as "10Mbps",
// "512kbps", "1.5Mbps" or "800bps"; the unit is case-insensitive. The
// rate must be > 0 and a whole number of bit/s. "unlimited" (any case)
// returns [model.UnlimitedRate].
func ParseRate(s string) (model.Rate, error) {
	in := s
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "unlimited") {
		return model.UnlimitedRate, nil
	}
	q, rest, err := lex(in, s)
	if err != nil {
		return 0, err
	}
	var unit model.Rate
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
	v, whole, fits := scale(q.num, int64(unit), math.MaxInt64)
	switch {
	case !fits:
		return 0, rangeError(in, "too fast (write unlimited for no limit)")
	case !whole:
		return 0, rangeError(in, "not a whole number of bits per second")
	}
	return model.Rate(v), nil
}
