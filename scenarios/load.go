package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
)

// Load reads the scenario file at path; see [Parse].
func Load(path string) (*Scenario, error) { return load(path, false) }

// MaxFileSize bounds a scenario file. The largest page the model accepts
// (10,000 listed resources) takes about 400 KB of YAML, so 16 MiB is far
// more than any scenario needs, and reading stops there: --scenario
// /dev/zero would otherwise read until memory ran out.
const MaxFileSize = 16 << 20

func load(path string, ideal bool) (*Scenario, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// A pipe (--scenario <(generate)) is fine; a directory is not.
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, &FieldError{File: path, Err: errors.New("is a directory, not a scenario file")}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, &FieldError{File: path, Err: fmt.Errorf("reading it: %w", err)}
	}
	if len(data) > MaxFileSize {
		return nil, &FieldError{File: path, Err: fmt.Errorf("larger than %d MiB; a scenario file is YAML of at most that size", MaxFileSize>>20)}
	}
	return parseScenario(path, data, ideal)
}

// Parse reads a scenario from YAML data; file names it in errors and, if
// the data has no "name:", gives the scenario its name (the base name
// without extension). The configuration starts as model.DefaultConfig()
// and each field given overrides one setting; see docs/scenarios.md.
//
// Every error is a *FieldError naming the file, line and field. Unknown
// fields are rejected, and the result passes model.Config.Validate.
func Parse(file string, data []byte) (*Scenario, error) { return parseScenario(file, data, false) }

// parseScenario is Parse, with ideal applied first whatever the file says.
func parseScenario(file string, data []byte, ideal bool) (*Scenario, error) {
	doc, err := oneDocument(file, data)
	if err != nil {
		return nil, err
	}
	var root *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	s := &Scenario{Name: baseName(file), Config: model.DefaultConfig()}
	d := &decoder{file: file, lines: map[string]int{}, ideal: ideal}
	d.scenario(root, s)
	if d.err != nil {
		return nil, d.err
	}
	if err := s.Config.Validate(); err != nil {
		return nil, d.configError(err, &s.Config)
	}
	return s, nil
}

// oneDocument decodes data, which must hold one YAML document using only
// the standard tags. yaml.Unmarshal would read the first document and
// drop the rest (a second "---", anything after "..."), and would read a
// custom tag (!weird 50ms) as if it were absent: either is a file that
// does not say what the user thinks, so it is refused.
func oneDocument(file string, data []byte) (yaml.Node, error) {
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return doc, syntaxError(file, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			fe := syntaxError(file, err).(*FieldError)
			fe.Err = fmt.Errorf("content after the end of the document (--- or ...): %w", fe.Err)
			return doc, fe
		}
		if len(next.Content) == 1 && next.Content[0].Tag == "!!null" && next.Content[0].Value == "" {
			continue // a bare "---" at the end: no content
		}
		return doc, &FieldError{File: file, Line: next.Line, Err: errors.New("a second YAML document (after --- or ...); a scenario file holds one")}
	}
	if n := customTag(&doc); n != nil {
		return doc, &FieldError{File: file, Line: n.Line, Err: fmt.Errorf("YAML tag %s is not supported; write the value without it", n.Tag)}
	}
	return doc, nil
}

// standardTags are the tags a scenario's values resolve to (YAML 1.2
// core schema, plus merge keys and the timestamps go.yaml.in/yaml
// resolves dates to, which the field decoders then refuse by name).
var standardTags = []string{"!!str", "!!int", "!!float", "!!bool", "!!null", "!!map", "!!seq", "!!merge", "!!timestamp", ""}

// customTag returns the first node under n with a tag outside
// standardTags.
func customTag(n *yaml.Node) *yaml.Node {
	if !slices.Contains(standardTags, n.Tag) {
		return n
	}
	for _, c := range n.Content {
		if bad := customTag(c); bad != nil {
			return bad
		}
	}
	return nil
}

func baseName(file string) string {
	if file == "" {
		return ""
	}
	base := filepath.Base(file)
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// yamlLine matches the line number that go.yaml.in/yaml puts in its
// syntax errors: "yaml: line 3: mapping values are not allowed ...".
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// syntaxError turns an error of the YAML parser into a *FieldError.
func syntaxError(file string, err error) error {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	msg = strings.TrimPrefix(msg, "yaml: ")
	return &FieldError{File: file, Line: line, Err: errors.New("not valid YAML: " + msg)}
}
