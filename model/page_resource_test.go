package model_test

import (
	"testing"

	"github.com/keepalive-sim/keepalive/model"
)

// TestConfigResource: resources are numbered from 1 across the session's
// pages, the first page's then each visit's, as the trace numbers them.
func TestConfigResource(t *testing.T) {
	c := model.DefaultConfig()
	c.Page = model.SyntheticPage(1, 2, []int{1})
	c.Visits = []model.Visit{{Page: model.SyntheticPage(1, 1, []int{1})}}
	c.Visits[0].Page.Resources[0].Path = "/next.html"
	for _, tc := range []struct {
		id   int
		path string
		page *model.Page
	}{
		{1, "/index.html", &c.Page}, {3, "/img2.png", &c.Page},
		{4, "/next.html", &c.Visits[0].Page}, {5, "/img1.png", &c.Visits[0].Page},
		{0, "", nil}, {6, "", nil},
	} {
		res, page := c.Resource(tc.id)
		if page != tc.page || (res == nil) != (tc.path == "") || res != nil && res.Path != tc.path {
			t.Errorf("resource %d: %v on %p, want %q on %p", tc.id, res, page, tc.path, tc.page)
		}
	}
}
