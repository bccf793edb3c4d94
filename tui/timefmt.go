package tui

import (
	"strconv"
	"strings"
	"time"
)

// fmtTime writes a virtual time for the clock and the explanations:
// "1.234s", "120.5ms", "850µs", "0ms".
func fmtTime(d time.Duration) string {
	neg := ""
	if d < 0 {
		neg, d = "-", -d
	}
	switch {
	case d == 0:
		return "0ms"
	case d >= time.Second:
		return neg + strconv.FormatFloat(d.Seconds(), 'f', 3, 64) + "s"
	case d >= time.Millisecond:
		return neg + strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 1, 64) + "ms"
	}
	return neg + strconv.FormatInt(int64(d/time.Microsecond), 10) + "µs"
}

// fitTime writes d in at most w cells: as fmtTime does when it fits, else
// with fewer decimals, else in minutes or hours, dropping precision but
// never a leading digit: "120.948s", "120.95s", "121s", "2m01s".
func fitTime(d time.Duration, w int) string {
	s := fmtTime(d)
	if width(s) <= w || d < time.Second {
		return s
	}
	for dec := 2; dec >= 0; dec-- {
		if s = strconv.FormatFloat(d.Seconds(), 'f', dec, 64) + "s"; width(s) <= w {
			return s
		}
	}
	r := d.Round(time.Second)
	if r < time.Hour {
		return strconv.Itoa(int(r/time.Minute)) + "m" + fmt2(int(r%time.Minute/time.Second)) + "s"
	}
	r = d.Round(time.Minute)
	return strconv.Itoa(int(r/time.Hour)) + "h" + fmt2(int(r%time.Hour/time.Minute)) + "m"
}

// fmt2 writes n (0 to 99) in two digits.
func fmt2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// fmtTick writes an axis tick, as short as it can be: "0", "50ms",
// "1.5s", "2s".
func fmtTick(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d >= time.Second:
		return trimZeros(strconv.FormatFloat(d.Seconds(), 'f', 3, 64)) + "s"
	case d >= time.Millisecond:
		return trimZeros(strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 3, 64)) + "ms"
	}
	return strconv.FormatInt(int64(d/time.Microsecond), 10) + "µs"
}

func trimZeros(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(s, "0")
		s = strings.TrimSuffix(s, ".")
	}
	return s
}

// niceStep returns the smallest 1, 2 or 5 × 10ⁿ nanoseconds at least d.
func niceStep(d time.Duration) time.Duration {
	if d <= 1 {
		return 1
	}
	for p := time.Duration(1); ; p *= 10 {
		for _, m := range []time.Duration{1, 2, 5} {
			if m*p >= d {
				return m * p
			}
		}
	}
}

// fmtRate writes a bandwidth: "10 Mbit/s", "1.5 Gbit/s", "56 kbit/s".
func fmtRate(bps int64) string {
	switch {
	case bps <= 0:
		return "unlimited"
	case bps >= 1e9:
		return trimZeros(strconv.FormatFloat(float64(bps)/1e9, 'f', 3, 64)) + " Gbit/s"
	case bps >= 1e6:
		return trimZeros(strconv.FormatFloat(float64(bps)/1e6, 'f', 3, 64)) + " Mbit/s"
	case bps >= 1e3:
		return trimZeros(strconv.FormatFloat(float64(bps)/1e3, 'f', 3, 64)) + " kbit/s"
	}
	return strconv.FormatInt(bps, 10) + " bit/s"
}

// fmtLoss writes a loss rate as a percentage: "0%", "1%", "0.5%".
func fmtLoss(p float64) string {
	return trimZeros(strconv.FormatFloat(p*100, 'f', 3, 64)) + "%"
}
