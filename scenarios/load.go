package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
)

// Load reads the scenario file at path; see [Parse].
func Load(path string) (*Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse reads a scenario from YAML data; file names it in errors and, if
// the data has no "name:", gives the scenario its name (the base name
// without extension). The configuration starts as model.DefaultConfig()
// and each field given overrides one setting; see docs/scenarios.md.
//
// Every error is a *FieldError naming the file, line and field. Unknown
// fields are rejected, and the result passes model.Config.Validate.
func Parse(file string, data []byte) (*Scenario, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, syntaxError(file, err)
	}
	var root *yaml.Node
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		root = doc.Content[0]
	}
	s := &Scenario{Name: baseName(file), Config: model.DefaultConfig()}
	d := &decoder{file: file, lines: map[string]int{}}
	d.scenario(root, s)
	if d.err != nil {
		return nil, d.err
	}
	if err := s.Config.Validate(); err != nil {
		return nil, d.configError(err, &s.Config)
	}
	return s, nil
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
