package cli

import (
	"strconv"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
)

// parseProtocols parses --protocol: a comma-separated list, or "all".
func parseProtocols(s string) ([]model.Protocol, error) {
	if strings.EqualFold(strings.TrimSpace(s), "all") {
		return append([]model.Protocol(nil), model.Protocols...), nil
	}
	allowed := "http1.0, http1.1, http1.1-pipelined, http2, http3 (comma-separated) or all (the four over TCP)"
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
