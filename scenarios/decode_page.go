package scenarios

import (
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

var (
	pageKeys      = keysOf("page")
	syntheticKeys = slices.DeleteFunc(keysOf("page"), func(k string) bool { return k == "resources" })
	resourceKeys  = keysOf("page.resources[]")
)

const (
	// defaultObjects and defaultObjectSize make a synthetic page's
	// objects when objects or object_size is left out.
	defaultObjects    = 0
	defaultObjectSize = 10_000
	// maxObjects bounds a synthetic page, as it bounds a listed one.
	maxObjects = model.MaxObjects
)

// page decodes the page section: either a synthetic page (html_size,
// objects, object_size) or an explicit list of resources.
func (d *decoder) page(n *yaml.Node, prefix string, p *model.Page) {
	f := d.fields(n, prefix, pageKeys...)
	if f["resources"] != nil {
		for _, k := range syntheticKeys {
			if f[k] != nil {
				d.fail(f[k], prefix+"."+k, errors.New("cannot be combined with "+prefix+".resources: describe the page one way or the other"))
			}
		}
		d.resources(f["resources"], prefix, p)
		return
	}
	if f["html_size"] == nil && f["objects"] == nil && f["object_size"] == nil {
		return // the default page
	}
	html := model.DefaultConfig().Page.Resources[0].Size
	objects, sizes := defaultObjects, []int{defaultObjectSize}
	d.size(f["html_size"], prefix+".html_size", &html)
	d.count(f["objects"], prefix+".objects", row("page.objects"), &objects)
	if v := deref(f["object_size"]); v != nil && v.Kind == yaml.SequenceNode {
		items := d.sequence(v, prefix+".object_size")
		sizes = make([]int, len(items))
		for i, item := range items {
			d.size(item, fmt.Sprintf("%s.object_size[%d]", prefix, i), &sizes[i])
		}
		if len(sizes) == 0 && d.err == nil {
			d.fail(v, prefix+".object_size", errors.New("an empty list; give at least one size"))
		}
	} else {
		d.size(v, prefix+".object_size", &sizes[0])
	}
	if d.err == nil {
		*p = model.SyntheticPage(html, objects, sizes)
	}
}

// resources decodes page.resources. Parents are named by path and must
// be listed before the resources that reference them.
func (d *decoder) resources(n *yaml.Node, prefix string, p *model.Page) {
	items := d.sequence(n, prefix+".resources")
	rs := make([]model.Resource, len(items))
	parents := make([]*yaml.Node, len(items))
	first := map[resourceAt]int{} // → index
	for i, item := range items {
		field := fmt.Sprintf("%s.resources[%d]", prefix, i)
		f := d.fields(item, field, resourceKeys...)
		r := &rs[i]
		for _, k := range requiredKeys("page.resources[]") {
			if d.err == nil && f[k] == nil {
				d.fail(item, field+"."+k, fmt.Errorf("missing; every resource needs a path and a size, e.g. {path: /style.css, size: 30KB}"))
			}
		}
		var written string
		d.str(f["path"], field+".path", &written)
		if d.err == nil {
			var err error
			if r.Origin, r.Path, err = d.location(written); err != nil {
				d.fail(f["path"], field+".path", err)
			}
		}
		key := resourceAt{r.Origin, r.Path}
		if j, dup := first[key]; dup && d.err == nil {
			d.fail(f["path"], field+".path", fmt.Errorf("%q is already the path of resources[%d]; each path may appear once", written, j))
		}
		first[key] = i
		r.Type = typeOf(r.Path)
		parse(d, f["type"], field+".type", parseType, &r.Type)
		d.size(f["size"], field+".size", &r.Size)
		d.duration(f["think"], field+".think", &r.Think)
		d.size(f["offset"], field+".offset", &r.Offset)
		parents[i] = f["parent"]
	}
	for i := range rs {
		rs[i].Parent = d.parent(parents[i], prefix, i, rs, first)
	}
	if d.err == nil {
		p.Resources = rs
	}
}

// parent resolves the parent path of resource i to an index: the base
// document (0) when not given, -1 for the base document itself.
func (d *decoder) parent(n *yaml.Node, prefix string, i int, rs []model.Resource, first map[resourceAt]int) int {
	field := fmt.Sprintf("%s.resources[%d].parent", prefix, i)
	if i == 0 {
		if n != nil {
			d.fail(n, field, errors.New("the first resource is the base document, which has no parent"))
		}
		return -1
	}
	if n == nil {
		return 0
	}
	var path string
	d.str(n, field, &path)
	o, p, err := d.location(path)
	if err != nil {
		d.fail(n, field, err)
	}
	j, ok := first[resourceAt{o, p}]
	switch {
	case d.err != nil:
	case !ok:
		d.fail(n, field, fmt.Errorf("no resource has the path %q (earlier resources: %s)", path, paths(rs[:i])))
	case j == i:
		d.fail(n, field, fmt.Errorf("%q is this resource itself; a parent is an earlier resource that references it", path))
	case j > i:
		d.fail(n, field, fmt.Errorf("%q is listed after this resource (as resources[%d]); list a parent before the resources it references", path, j))
	}
	return j
}

func paths(rs []model.Resource) string {
	ps := make([]string, len(rs))
	for i, r := range rs {
		ps[i] = r.Path
	}
	return strings.Join(ps, ", ")
}

func parseType(s string) (model.ResourceType, error) {
	names := make([]string, len(model.ResourceTypes))
	for i, t := range model.ResourceTypes {
		if string(t) == s {
			return t, nil
		}
		names[i] = string(t)
	}
	return "", valueError(s, "unknown type (allowed: "+strings.Join(names, ", ")+")", units.ErrSyntax)
}

// typeOf guesses a resource's type from its path's extension, for
// resources whose type is left out.
func typeOf(p string) model.ResourceType {
	switch strings.ToLower(path.Ext(p)) {
	case ".html", ".htm", "":
		return model.HTML
	case ".css":
		return model.CSS
	case ".js", ".mjs":
		return model.JS
	case ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico":
		return model.Image
	case ".woff", ".woff2", ".ttf", ".otf":
		return model.Font
	case ".json":
		return model.JSON
	}
	return model.Other
}

// resourceAt names a resource of the file: its path on its origin.
type resourceAt struct {
	origin int
	path   string
}
