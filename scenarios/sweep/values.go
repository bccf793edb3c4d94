package sweep

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// maxValues bounds the values of one parameter, against typos such as
// 1ms..1h/step:1ms.
const maxValues = 100_000

// kind is what a value is, as read from its unit.
type kind int

const (
	word     kind = iota // not a quantity: http2, fair, true, unlimited
	number               // a plain decimal number: 10, 0.02
	percent              // a number with %: 2%
	duration             // with a time unit: 100ms
	rate                 // with a rate unit: 10Mbps
	size                 // with a size unit: 10KB
)

func (k kind) String() string {
	return [...]string{"a word", "a number", "a percentage", "a duration", "a rate", "a size"}[k]
}

// quantity is one parsed value. Durations, rates and sizes are exact
// integers of their base unit (ns, bit/s, bytes) in n; numbers and
// percentages are in f, with the count of decimals written.
type quantity struct {
	kind     kind
	n        int64
	f        float64
	decimals int
}

// plainNumber is how a number is written: no sign, exponent or
// thousands separator (as in scenario files).
var plainNumber = regexp.MustCompile(`^[0-9]+(\.[0-9]+)?$`)

// parseQuantity reads s by its unit. Anything else is a word.
func parseQuantity(s string) quantity {
	num, pct := strings.CutSuffix(s, "%")
	if plainNumber.MatchString(num) {
		f, _ := strconv.ParseFloat(num, 64)
		dec := 0
		if i := strings.IndexByte(num, '.'); i >= 0 {
			dec = len(num) - i - 1
		}
		k := number
		if pct {
			k = percent
		}
		return quantity{kind: k, f: f, decimals: dec}
	}
	if d, err := units.ParseDuration(s); err == nil {
		return quantity{kind: duration, n: int64(d)}
	}
	if !strings.EqualFold(s, "unlimited") {
		if r, err := units.ParseRate(s); err == nil {
			return quantity{kind: rate, n: int64(r)}
		}
		if n, err := units.ParseSize(s); err == nil {
			return quantity{kind: size, n: int64(n)}
		}
	}
	return quantity{kind: word}
}

// value returns q as a float in its base unit (for a percentage, the
// fraction).
func (q quantity) value() float64 {
	switch q.kind {
	case number:
		return q.f
	case percent:
		return q.f / 100
	case duration, rate, size:
		return float64(q.n)
	}
	return math.NaN()
}

// format writes n (base units) of kind k in the form the scenario
// parser reads: Go durations ("25ms", "1.5s"), the shortest exact rate
// or size ("2.512Mbps", "25KB").
func format(k kind, n int64) string {
	switch k {
	case duration:
		return time.Duration(n).String()
	case rate:
		return units.FormatRate(n)
	case size:
		return units.FormatSize(int(n))
	}
	return strconv.FormatInt(n, 10)
}

// values is what one --vary flag gives: the values in order, and whether
// any came from a log-spaced range.
type values struct {
	list []string
	log  bool
}

// parseValues reads the values of --vary NAME=LIST: comma-separated
// items, each a value or a range a..b/step:s or a..b/log:n.
func parseValues(spec string) (values, error) {
	var v values
	if strings.TrimSpace(spec) == "" {
		return v, errors.New("no values; give a list (10ms,50ms) or a range (10ms..100ms/step:10ms, 1Mbps..100Mbps/log:5)")
	}
	seen := map[string]string{}
	for _, item := range strings.Split(spec, ",") {
		item = strings.TrimSpace(item)
		var got []string
		switch {
		case item == "":
			return v, fmt.Errorf("empty value in the list %q", spec)
		case strings.Contains(item, ".."):
			r, log, err := parseRange(item)
			if err != nil {
				return v, err
			}
			got, v.log = r, v.log || log
		default:
			got = []string{item}
		}
		for _, s := range got {
			key := s
			if q := parseQuantity(s); q.kind != word {
				key = fmt.Sprint(q.kind, q.value())
			}
			if prev, dup := seen[key]; dup {
				return v, fmt.Errorf("%s is listed twice (as %s)", s, prev)
			}
			seen[key] = s
			v.list = append(v.list, s)
		}
		if len(v.list) > maxValues {
			return v, fmt.Errorf("more than %d values", maxValues)
		}
	}
	return v, nil
}

// parseRange expands a..b/step:s (inclusive: a, a+s, … up to b) or
// a..b/log:n (n values from a to b, equally spaced on a log scale).
func parseRange(item string) ([]string, bool, error) {
	lo, rest, _ := strings.Cut(item, "..")
	hi, how, ok := strings.Cut(rest, "/")
	if !ok {
		return nil, false, fmt.Errorf("range %q needs a spacing: %s/step:S (linear) or %s/log:N (N points, log-spaced)", item, item, item)
	}
	a, b := parseQuantity(strings.TrimSpace(lo)), parseQuantity(strings.TrimSpace(hi))
	switch {
	case a.kind == word || b.kind == word:
		return nil, false, fmt.Errorf("range %q: both ends must be quantities (10ms, 1Mbps, 10KB, 0.01, 5)", item)
	case a.kind != b.kind:
		return nil, false, fmt.Errorf("range %q: the ends are %s and %s; give both in the same kind of unit", item, a.kind, b.kind)
	case a.value() > b.value():
		return nil, false, fmt.Errorf("empty range %q: the start is above the end", item)
	}
	if s, ok := strings.CutPrefix(how, "step:"); ok {
		list, err := stepRange(item, a, b, parseQuantity(strings.TrimSpace(s)))
		return list, false, err
	}
	if s, ok := strings.CutPrefix(how, "log:"); ok {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil {
			return nil, false, fmt.Errorf("range %q: log:%s is not a whole number of points", item, s)
		}
		list, err := logRange(item, a, b, n)
		return list, true, err
	}
	return nil, false, fmt.Errorf("range %q: unknown spacing %q; allowed: step:S (linear) or log:N (N points, log-spaced)", item, how)
}

func stepRange(item string, a, b, s quantity) ([]string, error) {
	if strings.HasPrefix(item[strings.LastIndex(item, ":")+1:], "-") {
		return nil, fmt.Errorf("range %q: the step must be > 0", item)
	}
	if s.kind != a.kind {
		return nil, fmt.Errorf("range %q: the step must be %s, like the ends", item, a.kind)
	}
	if s.value() <= 0 {
		return nil, fmt.Errorf("range %q: the step must be > 0", item)
	}
	var list []string
	switch a.kind {
	case number, percent:
		// Exact decimal arithmetic: scale everything to whole numbers.
		dec := max(a.decimals, b.decimals, s.decimals)
		if dec > 9 {
			return nil, fmt.Errorf("range %q: at most 9 decimals", item)
		}
		scale := math.Pow10(dec)
		// Above 2^53 a float64 no longer holds every whole number, so
		// the scaled ends could not be exact; no field takes such values.
		const exact = 1 << 53
		if a.f*scale >= exact || b.f*scale >= exact || s.f*scale >= exact {
			return nil, fmt.Errorf("range %q: the ends and step must be below %d", item, int64(exact/scale))
		}
		ai, bi, si := int64(math.Round(a.f*scale)), int64(math.Round(b.f*scale)), int64(math.Round(s.f*scale))
		suffix := ""
		if a.kind == percent {
			suffix = "%"
		}
		n, err := stepCount(item, ai, bi, si)
		if err != nil {
			return nil, err
		}
		for i := range n {
			list = append(list, strconv.FormatFloat(float64(ai+i*si)/scale, 'f', dec, 64)+suffix)
		}
	default:
		n, err := stepCount(item, a.n, b.n, s.n)
		if err != nil {
			return nil, err
		}
		for i := range n {
			list = append(list, format(a.kind, a.n+i*s.n))
		}
	}
	return list, nil
}

// stepCount is how many of a, a+s, a+2s, … are at most b (s > 0),
// counted by division rather than by stepping, so that ends near the
// int64 limits cannot overflow into a wrong or empty list.
func stepCount(item string, a, b, s int64) (int64, error) {
	if b < a {
		return 0, nil
	}
	n := (uint64(b)-uint64(a))/uint64(s) + 1 // exact in uint64 for any a ≤ b
	if n > maxValues {
		return 0, fmt.Errorf("range %q gives more than %d values", item, maxValues)
	}
	return int64(n), nil
}

// logRange rounds to whole base units (ns, bit/s, bytes), and plain
// numbers to whole numbers when both ends are whole, else to 6
// significant digits.
func logRange(item string, a, b quantity, n int) ([]string, error) {
	switch {
	case n < 2:
		return nil, fmt.Errorf("range %q: a log range needs at least 2 points", item)
	case n > maxValues:
		return nil, fmt.Errorf("range %q gives more than %d values", item, maxValues)
	case a.value() <= 0:
		return nil, fmt.Errorf("range %q: a log range cannot include 0; start above 0", item)
	case a.value() == b.value():
		return nil, fmt.Errorf("range %q: a log range needs two different ends", item)
	}
	la, lb := math.Log(a.value()), math.Log(b.value())
	list := make([]string, 0, n)
	for i := range n {
		x := math.Exp(la + (lb-la)*float64(i)/float64(n-1))
		var s string
		switch a.kind {
		case number, percent:
			scale := 1.0
			if a.kind == percent {
				scale = 100
			}
			x *= scale
			switch {
			case i == 0:
				x = a.f
			case i == n-1:
				x = b.f
			case a.decimals == 0 && b.decimals == 0:
				x = math.Round(x)
			default:
				x, _ = strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
			}
			s = strconv.FormatFloat(x, 'f', -1, 64)
			if a.kind == percent {
				s += "%"
			}
		default:
			v := int64(math.Round(x))
			switch i {
			case 0:
				v = a.n
			case n - 1:
				v = b.n
			}
			s = format(a.kind, v)
		}
		if len(list) > 0 && list[len(list)-1] == s {
			return nil, fmt.Errorf("range %q: %d points are too many; rounding makes %s appear twice", item, n, s)
		}
		list = append(list, s)
	}
	return list, nil
}
