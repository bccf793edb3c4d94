package units

import (
	"math/big"
	"strconv"
	"strings"
)

// quantity is one number and the unit written after it.
type quantity struct {
	neg  bool
	num  string // digits with at most one '.'
	unit string // may be empty
}

// lex splits s ("-1.5 ms") into a sign, a number and the unit text after
// it; rest is whatever follows the unit's letters (for chained durations).
func lex(input, s string) (q quantity, rest string, err error) {
	if strings.HasPrefix(s, "-") {
		q.neg, s = true, s[1:]
	}
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	q.num = s[:i]
	if !validNumber(q.num) {
		if q.num == "" {
			return q, "", syntaxError(input, "not a number followed by a unit")
		}
		return q, "", syntaxError(input, "malformed number "+quote(q.num))
	}
	s = strings.TrimLeft(s[i:], " ")
	j := strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || r == '.' || r == ' ' })
	if j < 0 {
		j = len(s)
	}
	q.unit, rest = s[:j], s[j:]
	return q, rest, nil
}

// validNumber reports whether num is digits with at most one '.' and at
// least one digit.
func validNumber(num string) bool {
	return strings.Count(num, ".") <= 1 && strings.Trim(num, ".") != "" && strings.Trim(num, "0123456789.") == ""
}

// scale returns num·factor exactly, with whole false if that is not an
// integer, and fits false if it exceeds max.
func scale(num string, factor, max int64) (v int64, whole, fits bool) {
	frac := 0
	if i := strings.IndexByte(num, '.'); i >= 0 {
		frac = len(num) - i - 1
		num = num[:i] + num[i+1:]
	}
	m, _ := new(big.Int).SetString(num, 10) // validNumber vouched for the digits
	m.Mul(m, big.NewInt(factor))
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(frac)), nil)
	q, r := new(big.Int).QuoRem(m, den, new(big.Int))
	if !q.IsInt64() || q.Int64() > max {
		return 0, r.Sign() == 0, false
	}
	return q.Int64(), r.Sign() == 0, true
}

// isZero reports whether num is a zero such as "0" or "0.00".
func isZero(num string) bool { return strings.Trim(num, "0.") == "" }

// suggest returns ` (did you mean "X"?)` for the first allowed unit that
// differs from unit only in case, or "".
func suggest(unit string, allowed []string) string {
	for _, a := range allowed {
		if strings.EqualFold(unit, a) {
			return "; did you mean " + quote(a) + "?"
		}
	}
	return ""
}

func quote(s string) string { return Quote(s) }

// Quote quotes a value for a message, cut to a line's worth: a 100 KB
// value would make a 100 KB message.
func Quote(s string) string {
	const most = 60
	if r := []rune(s); len(r) > most {
		return strconv.Quote(string(r[:most])) + "…"
	}
	return strconv.Quote(s)
}
