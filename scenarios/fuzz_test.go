package scenarios_test

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// The fuzz targets below run their seeds in every "go test"; CI fuzzes
// each for a few seconds (.ci/run), and docs/reliability.md says how to
// fuzz for longer.

// fuzzEvents bounds the run a fuzzed scenario gets: enough to open
// connections, send and lose packets, not enough to make one input slow.
const fuzzEvents = 3_000

// runBriefly runs cfg for at most fuzzEvents events, with at most a few
// clients, and fails on a panic in the model.
func runBriefly(t *testing.T, cfg model.Config) {
	t.Helper()
	cfg.MaxEvents = fuzzEvents
	cfg.Clients.Count = min(cfg.Clients.Count, 5) // setting up 100,000 clients is slow, not interesting
	if _, err := model.Run(cfg, nil); err != nil {
		var ie *model.InternalError
		if errors.As(err, &ie) {
			t.Fatalf("the model panicked: %v\n%s", ie.Panic, ie.Stack)
		}
	}
}

// FuzzParse: any bytes as a scenario file are either refused with a
// *FieldError naming the place, or give a configuration that validates
// and runs without a panic.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	builtins, _ := filepath.Glob("builtin/*.yaml")
	for _, file := range append(files, builtins...) {
		if data, err := os.ReadFile(file); err == nil {
			f.Add(data)
		}
	}
	for _, s := range []string{"", "---", "...", "link: {rtt: !weird 5ms}", "link:\n  rtt: 1ms\n---\n", "a: &x [*x]",
		"page: {objects: 10000, object_size: 1TiB}", "tcp: {header_bytes: 65535, mss: 1}", "clients: {count: 100000, rate: 1000000}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenarios.Parse("fuzz.yaml", data)
		if err != nil {
			var fe *scenarios.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T) is not a *FieldError", err, err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("the message is not one line: %q", err)
			}
			return
		}
		if err := s.Config.Validate(); err != nil {
			t.Fatalf("Parse accepted a configuration that does not validate: %v", err)
		}
		runBriefly(t, s.Config)
	})
}

// numericFields are the scalar fields of a scenario written out in full
// (testdata/webpage.golden.yaml), as dotted paths to their nodes.
func numericFields(t testing.TB) (*yaml.Node, []*yaml.Node, []string) {
	data, err := os.ReadFile("testdata/webpage.golden.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var nodes []*yaml.Node
	var paths []string
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], strings.TrimPrefix(path+"."+n.Content[i].Value, "."))
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, path+"["+strconv.Itoa(i)+"]")
			}
		case yaml.ScalarNode:
			nodes, paths = append(nodes, n), append(paths, path)
		}
	}
	walk(doc.Content[0], "")
	return &doc, nodes, paths
}

// FuzzField sets one field of a full scenario to any text, seeded with
// the values that overflowed before (2^63−1, 2^60 bytes, 2^64−1): the
// result is an error naming a field or a configuration that runs.
func FuzzField(f *testing.F) {
	_, nodes, _ := numericFields(f)
	// Every field gets the int64 and uint64 limits; the values that broke
	// the fields the hostile-input run named go everywhere else in the
	// fuzzer's own time (seeds cost a parse each, in every go test).
	for i := range nodes {
		for _, v := range []string{"9223372036854775807", "18446744073709551615", "1152921504606846976B", "-1", "1e308"} {
			f.Add(uint(i), v)
		}
	}
	for _, v := range []string{"9223372036854775808", "-9223372036854775808", "8EiB", "9223372036854775807B", "2562047h",
		"2562048h", "0x1p-3", "-0", "0", "unlimited", "auto", "1.5", "100%", "99.9999999999%", "1ns", "0.000000001s"} {
		for i := range nodes {
			if i%7 == 0 {
				f.Add(uint(i), v)
			}
		}
	}
	f.Fuzz(func(t *testing.T, field uint, value string) {
		doc, nodes, paths := numericFields(t)
		i := int(field % uint(len(nodes)))
		nodes[i].Value, nodes[i].Tag, nodes[i].Style = value, "", 0
		data, err := yaml.Marshal(doc)
		if err != nil {
			return // not representable as YAML text
		}
		s, err := scenarios.Parse("fuzz.yaml", data)
		if err != nil {
			var fe *scenarios.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("%s = %q: error %v (%T) is not a *FieldError", paths[i], value, err, err)
			}
			return
		}
		if err := s.Config.Validate(); err != nil {
			t.Fatalf("%s = %q: accepted but does not validate: %v", paths[i], value, err)
		}
		runBriefly(t, s.Config)
	})
}
