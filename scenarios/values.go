package scenarios

import (
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/sim"
)

// The value readers: each decodes one scalar field into *dst, does
// nothing if the field was not given (n == nil) or an error is already
// recorded, and records a *FieldError if the value is bad.

// parse decodes the scalar n with fn into *dst; nothing happens if n is nil.
func parse[T any](d *decoder, n *yaml.Node, field string, fn func(string) (T, error), dst *T) {
	s, ok := d.scalar(n, field)
	if !ok {
		return
	}
	v, err := fn(s)
	if err != nil {
		d.fail(n, field, err)
		return
	}
	*dst = v
}

func (d *decoder) str(n *yaml.Node, field string, dst *string) {
	parse(d, n, field, func(s string) (string, error) { return s, nil }, dst)
}

func (d *decoder) duration(n *yaml.Node, field string, dst *sim.Time) {
	parse(d, n, field, units.ParseDuration, dst)
}

func (d *decoder) rate(n *yaml.Node, field string, dst *model.Rate) {
	parse(d, n, field, func(s string) (model.Rate, error) {
		r, err := units.ParseRate(s)
		return model.Rate(r), err
	}, dst)
}

func (d *decoder) size(n *yaml.Node, field string, dst *int) {
	parse(d, n, field, units.ParseSize, dst)
}

func (d *decoder) boolean(n *yaml.Node, field string, dst *bool) {
	parse(d, n, field, parseBool, dst)
}

func (d *decoder) uinteger(n *yaml.Node, field string, dst *uint64) {
	parse(d, n, field, func(s string) (uint64, error) {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, valueError(s, "not a whole number from 0 to 18446744073709551615", units.ErrSyntax)
		}
		return v, nil
	}, dst)
}

// sizeOrUnlimited reads a size in bytes or "unlimited" (model.Unlimited).
func (d *decoder) sizeOrUnlimited(n *yaml.Node, field string, dst *int) {
	parse(d, n, field, func(s string) (int, error) {
		if strings.EqualFold(s, "unlimited") {
			return model.Unlimited, nil
		}
		return units.ParseSize(s)
	}, dst)
}

// countOrUnlimited reads a count in the row's range or "unlimited"
// (model.Unlimited). The range check comes before the model's: -1 would
// otherwise be read as the sentinel, unlimited.
func (d *decoder) countOrUnlimited(n *yaml.Node, field string, row Field, dst *int) {
	parse(d, n, field, func(s string) (int, error) {
		if strings.EqualFold(s, "unlimited") {
			return model.Unlimited, nil
		}
		return countIn(s, field, row)
	}, dst)
}

// count reads a whole number in the row's range, with the row's allowed
// text as the message.
func (d *decoder) count(n *yaml.Node, field string, row Field, dst *int) {
	parse(d, n, field, func(s string) (int, error) { return countIn(s, field, row) }, dst)
}

func countIn(s, field string, row Field) (int, error) {
	v, err := parseInt(s)
	switch lo, hi := countRange(row); {
	case err != nil: // say what is allowed, as a value out of range does
		return 0, valueError(s, "not a whole number (allowed: "+row.plainAllowed()+")", units.ErrSyntax)
	case v < lo || v > hi:
		return 0, &model.ConfigError{Field: field, Value: s, Allowed: row.plainAllowed()}
	}
	return v, nil
}

// option is one allowed word of an enumerated field.
type option[T comparable] struct {
	name string
	v    T
}

// choose reads one of the words of opts.
func choose[T comparable](d *decoder, n *yaml.Node, field string, opts []option[T], dst *T) {
	parse(d, n, field, func(s string) (T, error) {
		names := make([]string, len(opts))
		for i, o := range opts {
			if o.name == s {
				return o.v, nil
			}
			names[i] = o.name
		}
		var zero T
		return zero, valueError(s, "unknown value (allowed: "+strings.Join(names, ", ")+")", units.ErrSyntax)
	}, dst)
}

// nameOf returns the word for v in opts.
func nameOf[T comparable](opts []option[T], v T) string {
	for _, o := range opts {
		if o.v == v {
			return o.name
		}
	}
	return fmt.Sprint(v)
}

func parseBool(s string) (bool, error) {
	switch s {
	case "true", "True", "TRUE":
		return true, nil
	case "false", "False", "FALSE":
		return false, nil
	}
	return false, valueError(s, "want true or false", units.ErrSyntax)
}

func parseInt(s string) (int, error) {
	v, err := strconv.Atoi(s)
	if err != nil || strings.HasPrefix(s, "+") { // no + sign, as for every quantity
		return 0, valueError(s, "not a whole number", units.ErrSyntax)
	}
	return v, nil
}

// valueErr is a bad scalar value: it quotes the value, says what is
// wrong, and unwraps to units.ErrSyntax or units.ErrRange like the errors
// of package units.
type valueErr struct {
	value, msg string
	kind       error
}

func valueError(value, msg string, kind error) error { return &valueErr{value, msg, kind} }

func (e *valueErr) Error() string { return units.Quote(e.value) + ": " + e.msg }

func (e *valueErr) Unwrap() error { return e.kind }
