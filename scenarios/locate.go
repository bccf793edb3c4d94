package scenarios

import (
	"errors"
	"regexp"
	"strings"

	"github.com/keepalive-sim/keepalive/model"
)

// configError places an error of model.Config.Validate in the file: the
// line of the field's key if the file sets it, else the line of the
// closest enclosing section or list item that it does set.
func (d *decoder) configError(err error, c *model.Config) error {
	var ce *model.ConfigError
	if !errors.As(err, &ce) {
		return &FieldError{File: d.file, Err: err}
	}
	fields := candidates(ce.Field, c)
	for _, f := range fields {
		if line, ok := d.lines[f]; ok {
			return &FieldError{File: d.file, Line: line, Field: f, Err: err}
		}
	}
	for p := ce.Field; p != ""; p = enclosing(p) {
		if line, ok := d.lines[p]; ok {
			return &FieldError{File: d.file, Line: line, Field: fields[0], Err: err}
		}
	}
	return &FieldError{File: d.file, Field: fields[0], Err: err}
}

// candidates returns the scenario fields that may have set the model
// field, most likely first. Most model fields have the same dotted name
// in a scenario file.
func candidates(field string, c *model.Config) []string {
	switch field {
	case "link.delay":
		return []string{"link.rtt"}
	case "link.up":
		return []string{"link.up", "link.bandwidth"}
	case "link.down":
		return []string{"link.down", "link.bandwidth"}
	}
	// A synthetic page's sizes are the model's resource sizes: the base
	// document's is html_size, the objects' object_size.
	if m := resourceSize.FindStringSubmatch(field); m != nil {
		key := "object_size"
		if m[2] == "0" {
			key = "html_size"
		}
		return []string{m[1] + "." + key, field}
	}
	return []string{field}
}

// resourceSize matches the size of a page's resource: "page.resources[0].size",
// "visits[1].page.resources[3].size".
var resourceSize = regexp.MustCompile(`^(.*page)\.resources\[(\d+)\]\.size$`)

// enclosing returns the section or list item around a dotted field:
// "page.resources[3].offset" → "page.resources[3]" → "page.resources" →
// "page" → "".
func enclosing(field string) string {
	if strings.HasSuffix(field, "]") {
		return field[:strings.LastIndexByte(field, '[')]
	}
	if i := strings.LastIndexByte(field, '.'); i >= 0 {
		return field[:i]
	}
	return ""
}
