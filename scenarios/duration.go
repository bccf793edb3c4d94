package scenarios

import (
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/sim"
)

// formatDuration prints d as people write it and units.ParseDuration reads
// it back: in whole hours ("24h"), or else in the largest of s, ms and us
// that needs at most three decimals and is at least 1 ("60s", "1.5s",
// "40ms", "250us"), or else in ns. Unlike time.Duration's String there is
// no "1m0s".
func formatDuration(d sim.Time) string {
	const hour = 3600 * sim.Second
	if d == 0 {
		return "0s"
	}
	if d >= hour && d%hour == 0 {
		return strconv.FormatInt(int64(d/hour), 10) + "h"
	}
	for _, u := range []struct {
		name string
		d    sim.Time
	}{{"s", sim.Second}, {"ms", sim.Millisecond}, {"us", sim.Microsecond}} {
		milli := u.d / 1000 // a thousandth of the unit
		if d >= u.d && d%milli == 0 {
			t := int64(d / milli)
			frac := strings.TrimRight(strconv.FormatInt(1000+t%1000, 10)[1:], "0")
			if frac != "" {
				frac = "." + frac
			}
			return strconv.FormatInt(t/1000, 10) + frac + u.name
		}
	}
	return strconv.FormatInt(int64(d), 10) + "ns"
}
