package tui

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// fieldError says which form field holds a value out of range or
// unreadable.
type fieldError struct {
	Field, Value, Want string
}

func (e *fieldError) Error() string {
	return fmt.Sprintf("%s: %q is not %s", e.Field, e.Value, e.Want)
}

// parseRTT reads a round-trip time: "100ms", "1.5s", or a bare number of
// milliseconds.
func parseRTT(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	d, err := time.ParseDuration(s)
	if err != nil {
		ms, err2 := strconv.ParseFloat(s, 64)
		if err2 != nil {
			return 0, &fieldError{"RTT", s, "a duration (e.g. 100ms, 1.5s)"}
		}
		d = time.Duration(ms * float64(time.Millisecond))
	}
	if d <= 0 || d > time.Minute {
		return 0, &fieldError{"RTT", s, "between 0 and 1m"}
	}
	return d, nil
}

// parseRate reads a bandwidth in bits per second: "10 Mbit/s", "10Mbps",
// "500k", "1G", "56000".
func parseRate(s string) (int64, error) {
	in := s
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	for _, suffix := range []string{"bit/s", "bits/s", "bps", "b/s", "bit"} {
		if strings.HasSuffix(s, suffix) {
			s = strings.TrimSuffix(s, suffix)
			break
		}
	}
	mult := 1.0
	if n := len(s); n > 0 {
		switch s[n-1] {
		case 'k':
			mult, s = 1e3, s[:n-1]
		case 'm':
			mult, s = 1e6, s[:n-1]
		case 'g':
			mult, s = 1e9, s[:n-1]
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v*mult < 1 || v*mult > 1e12 {
		return 0, &fieldError{"Bandwidth", in, "a rate from 1 bit/s to 1 Tbit/s (e.g. 10Mbit/s, 500k)"}
	}
	return int64(v*mult + 0.5), nil
}

// parseLoss reads a loss rate: "0.01" or "1%".
func parseLoss(s string) (float64, error) {
	in := strings.TrimSpace(s)
	t, pct := strings.CutSuffix(in, "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(t), 64)
	if pct {
		v /= 100
	}
	if err != nil || v < 0 || v >= 1 {
		return 0, &fieldError{"Loss", in, "a rate in [0, 1) or a percentage (e.g. 0.01, 1%)"}
	}
	return v, nil
}

// parseCount reads a whole number in [lo, hi]; with unlimited, the word
// "unlimited" (or ∞) reads as -1.
func parseCount(field, s string, lo, hi int, unlimited bool) (int, error) {
	in := strings.TrimSpace(s)
	if unlimited && (strings.EqualFold(in, "unlimited") || in == "∞" || in == "-1") {
		return -1, nil
	}
	n, err := strconv.Atoi(in)
	if err != nil || n < lo || n > hi {
		want := fmt.Sprintf("a whole number from %d to %d", lo, hi)
		if unlimited {
			want += " or unlimited"
		}
		return 0, &fieldError{field, in, want}
	}
	return n, nil
}

// formValues are the form's texts, one per field.
type formValues struct {
	RTT, Bandwidth, Loss, Objects, InitialWindow, Parallel, TLS string
}

// values writes p as the form shows it.
func values(p Params) formValues {
	iw := strconv.Itoa(p.InitialWindow)
	if p.InitialWindow < 0 {
		iw = "unlimited"
	}
	return formValues{
		RTT: p.RTT.String(), Bandwidth: fmtRate(p.Bandwidth), Loss: fmtLoss(p.Loss),
		Objects: strconv.Itoa(p.Objects), InitialWindow: iw, Parallel: strconv.Itoa(p.Parallel),
		TLS: orWord(p.TLS, "none"),
	}
}

// parse reads the form; the error names the first bad field.
func (v formValues) parse() (Params, error) {
	var p Params
	var err error
	if p.RTT, err = parseRTT(v.RTT); err != nil {
		return p, err
	}
	if p.Bandwidth, err = parseRate(v.Bandwidth); err != nil {
		return p, err
	}
	if p.Loss, err = parseLoss(v.Loss); err != nil {
		return p, err
	}
	if p.Objects, err = parseCount("Objects", v.Objects, -1, 1000, false); err != nil {
		return p, err
	}
	if p.InitialWindow, err = parseCount("Initial window", v.InitialWindow, 1, 1000, true); err != nil {
		return p, err
	}
	if p.Parallel, err = parseCount("Parallel", v.Parallel, 1, 100, false); err != nil {
		return p, err
	}
	switch v.TLS {
	case "none", "1.2", "1.3":
		p.TLS = v.TLS
	default:
		return p, &fieldError{"TLS", v.TLS, "none, 1.2 or 1.3"}
	}
	return p, nil
}
