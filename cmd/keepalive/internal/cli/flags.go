package cli

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/sim"
)

// maxObjects bounds --objects, as it bounds a scenario's page.
const maxObjects = model.MaxObjects

// parseProtocols parses --protocol: a comma-separated list, or "all".
func parseProtocols(s string) ([]model.Protocol, error) {
	if strings.EqualFold(strings.TrimSpace(s), "all") {
		return append([]model.Protocol(nil), model.Protocols...), nil
	}
	allowed := "http1.0, http1.1, http1.1-pipelined, http2 (comma-separated) or all"
	var ps []model.Protocol
	seen := map[model.Protocol]bool{}
	for _, name := range strings.Split(s, ",") {
		name = strings.TrimSpace(name)
		if name == "" {
			return nil, usageErrorf("--protocol %q: empty protocol name; allowed: %s", s, allowed)
		}
		p, err := model.ParseProtocol(name)
		if err != nil {
			return nil, usageErrorf("--protocol: unknown protocol %q; allowed: %s", name, allowed)
		}
		if seen[p] {
			return nil, usageErrorf("--protocol: %s is listed twice", p)
		}
		seen[p] = true
		ps = append(ps, p)
	}
	return ps, nil
}

func parseSeed(s string) (uint64, error) {
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, usageErrorf("--seed %q: not a seed; allowed: an integer from 0 to %d", s, uint64(1<<64-1))
	}
	return n, nil
}

// parseRTT parses --rtt: a duration ≥ 0 with a unit (units.ParseDuration
// rejects a bare number other than 0, and negative durations).
func parseRTT(s string) (sim.Time, error) {
	d, err := units.ParseDuration(s)
	if err != nil {
		return 0, usageErrorf("--rtt: %v", err)
	}
	if d%2 != 0 { // two equal one-way delays: 3ns would silently become 2ns
		return 0, usageErrorf("--rtt %q: an odd number of nanoseconds cannot be split into two equal one-way delays", s)
	}
	return d, nil
}

// parseBandwidth parses --bandwidth: a rate > 0 in bits per second, or
// unlimited.
func parseBandwidth(s string) (model.Rate, error) {
	r, err := units.ParseRate(s)
	if err != nil {
		return 0, usageErrorf("--bandwidth: %v", err)
	}
	if r <= 0 { // units.ParseRate already refuses this
		return 0, usageErrorf("--bandwidth %q: a rate must be > 0", s)
	}
	return r, nil
}

// parseLoss parses --loss: a probability in [0, 1), as a fraction or a
// percentage ("1%"), with the scenario files' grammar.
func parseLoss(s string) (float64, error) {
	const allowed = "a probability 0 ≤ P < 1, e.g. 0.01 or 1%"
	p, err := units.ParseProbability(s)
	switch {
	case errors.Is(err, units.ErrRange):
		return 0, usageErrorf("--loss %q: out of range; allowed: %s", s, allowed)
	case err != nil:
		return 0, usageErrorf("--loss %q: not a decimal number; allowed: %s (no exponents)", s, allowed)
	}
	return p, nil
}

// parseCount parses an integer flag in [lo, hi].
func parseCount(name, s string, lo, hi int, allowed string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || strings.HasPrefix(strings.TrimSpace(s), "+") { // no + sign, as in scenario files
		return 0, usageErrorf("--%s %q: not a whole number; allowed: %s", name, s, allowed)
	}
	if n < lo || n > hi {
		return 0, usageErrorf("--%s %d: out of range; allowed: %s", name, n, allowed)
	}
	return n, nil
}

// parseIW parses --iw: segments ≥ 1 or "unlimited".
func parseIW(s string) (int, error) {
	if strings.EqualFold(strings.TrimSpace(s), "unlimited") {
		return model.Unlimited, nil
	}
	return parseCount("iw", s, 1, model.MaxWindowSegments, fmt.Sprintf("1 to %d segments, or unlimited, as tcp.initial_window", model.MaxWindowSegments))
}

// parseSize parses one size: bytes ≥ 0, with or without a unit.
func parseSize(name, s string) (int, error) {
	n, err := units.ParseSize(strings.TrimSpace(s))
	if err != nil {
		return 0, usageErrorf("--%s: %v", name, err)
	}
	if n < 0 || n > model.MaxResourceSize { // units.ParseSize already refuses < 0
		return 0, usageErrorf("--%s %q: out of range; allowed: 0 to 1TiB", name, s)
	}
	return n, nil
}

// parsePage builds the synthetic page of --html-size, --objects and
// --object-size (each with its default when not given).
func parsePage(f *runFlags) (model.Page, error) {
	html, err := parseSize("html-size", f.htmlSize)
	if err != nil {
		return model.Page{}, err
	}
	objects, err := parseCount("objects", f.objects, 0, maxObjects, "0 to 10000 objects")
	if err != nil {
		return model.Page{}, err
	}
	var sizes []int
	for _, part := range strings.Split(f.objectSize, ",") {
		n, err := parseSize("object-size", part)
		if err != nil {
			return model.Page{}, err
		}
		sizes = append(sizes, n)
	}
	return model.SyntheticPage(html, objects, sizes), nil
}
