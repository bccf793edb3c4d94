package scenarios_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios"
)

// TestFieldsDoc: docs/scenarios.md's field tables are the table's
// (scenarios.Fields), defaults included (go test ./scenarios -run
// TestFieldsDoc -update rewrites them).
func TestFieldsDoc(t *testing.T) {
	const path = "../docs/scenarios.md"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	table := regexp.MustCompile("(?s)(<!-- begin fields: ([^;]*); go test ./scenarios -run TestFieldsDoc -update -->\n)(.*?)(<!-- end fields -->\n)")
	found := map[string]bool{}
	got := table.ReplaceAllStringFunc(doc, func(m string) string {
		sub := table.FindStringSubmatch(m)
		section := sub[2]
		if section == "top level" {
			section = ""
		}
		found[section] = true
		md, err := scenarios.FieldsMarkdown(section)
		if err != nil {
			t.Error(err)
			return m
		}
		return sub[1] + md + sub[4]
	})
	for _, s := range scenarios.DocSections() {
		if !found[s] {
			t.Errorf("%s: no field table for section %q between <!-- begin fields: … --> and <!-- end fields -->", path, s)
		}
	}
	if !t.Failed() {
		rewriteDoc(t, path, doc, got, "the field tables differ from scenarios.Fields")
	}
}

// rewriteDoc rewrites the generated parts of the doc at path, with
// -update, or fails saying what differs.
func rewriteDoc(t *testing.T, path, doc, got, differs string) {
	t.Helper()
	switch {
	case got == doc:
	case *update:
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	default:
		t.Errorf("%s: %s; rerun with -update and review the diff", path, differs)
	}
}
