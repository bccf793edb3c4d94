package units

import (
	"math/big"
	"strings"
)

// ParseProbability parses a probability in [0, 1) written as a decimal
// fraction ("0.02") or a percentage ("2%", "0.5 %"). Like every quantity
// here it is a plain decimal number: no sign, exponent (1e-3), hex float
// or digit separator, which strconv.ParseFloat alone would accept. The
// upper end is open because a link that loses every packet never
// delivers anything, so nothing would load.
func ParseProbability(s string) (float64, error) {
	in := s
	num, pct := strings.CutSuffix(strings.TrimSpace(s), "%")
	num = strings.TrimSpace(num)
	if neg, ok := strings.CutPrefix(num, "-"); ok && validNumber(neg) {
		if !isZero(neg) { // -0 is 0, as for sizes and durations
			return 0, rangeError(in, "a probability must be ≥ 0")
		}
		num = neg
	}
	if !validNumber(num) {
		return 0, syntaxError(in, "not a decimal number (write a fraction such as 0.001 or a percentage such as 0.1%; no exponents)")
	}
	// Exact decimal arithmetic, so that 99.9% is the float nearest
	// 0.999 and not 99.9/100 = 0.9990000000000001.
	r, _ := new(big.Rat).SetString(num) // digits and one '.': always parses
	if pct {
		r.Quo(r, big.NewRat(100, 1))
	}
	p, _ := r.Float64()
	if p >= 1 {
		return 0, rangeError(in, "a probability must be < 1 (100%)")
	}
	return p, nil
}
