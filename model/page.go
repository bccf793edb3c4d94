package model

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/keepalive-sim/keepalive/sim"
)

// ResourceType is what kind of file a resource is; it sets the
// Content-Type and Accept headers.
type ResourceType string

// Resource types.
const (
	HTML  ResourceType = "html"
	CSS   ResourceType = "css"
	JS    ResourceType = "js"
	Image ResourceType = "img"
	Font  ResourceType = "font"
	JSON  ResourceType = "json"
	Other ResourceType = "other"
)

// ResourceTypes lists the valid types, for messages and documentation.
var ResourceTypes = []ResourceType{HTML, CSS, JS, Image, Font, JSON, Other}

// Resource is one file of a page.
type Resource struct {
	Path  string       // URL path, e.g. "/img3.png"
	Type  ResourceType //
	Size  int          // body bytes
	Think sim.Time     // server time between the request and the response
	// Parent is the index of the resource whose body references this one;
	// -1 for the base document, which must be Resources[0].
	Parent int
	// Offset is how many body bytes of the parent must have arrived for
	// the reference to be found; 0 means when the parent is complete.
	Offset int
	// Origin is the host it comes from: 0 for HTTP.Host, i for
	// Config.Origins[i-1].
	Origin int
}

// Page is a base document and the resources it references, directly or
// through other resources (css → font, js → json). Resources[0] is the
// base document; a resource's parent comes before it.
type Page struct {
	Resources []Resource
}

// SyntheticPage returns a base document of htmlSize bytes referencing
// objects images, all found when the document has arrived. sizes gives the
// object sizes in order, repeated when there are more objects than sizes;
// it panics if objects > 0 and sizes is empty.
func SyntheticPage(htmlSize, objects int, sizes []int) Page {
	if objects > 0 && len(sizes) == 0 {
		panic("model: SyntheticPage: objects without sizes")
	}
	p := Page{Resources: []Resource{{Path: "/index.html", Type: HTML, Size: htmlSize, Parent: -1}}}
	for i := 0; i < objects; i++ {
		p.Resources = append(p.Resources, Resource{
			Path: fmt.Sprintf("/img%d.png", i+1), Type: Image, Size: sizes[i%len(sizes)], Parent: 0,
		})
	}
	return p
}

// Validate checks the page's structure; field names are scenario paths.
// MaxObjects bounds the resources a page references besides its base
// document, whether synthetic (page.objects) or listed (page.resources):
// real pages have tens to a few hundred (the HTTP Archive's median page
// makes about 70 requests), and the cost of a run grows with them.
const MaxObjects = 10_000

// MaxResourceSize bounds a resource's size, so that no sum of sequence
// numbers, windows or header bytes in a run can overflow: 1 TiB.
const MaxResourceSize = 1 << 40

func (p Page) Validate() error {
	if len(p.Resources) == 0 {
		return &ConfigError{Field: "page.resources", Value: "none", Allowed: "at least the base document"}
	}
	if len(p.Resources) > MaxObjects+1 {
		return &ConfigError{Field: "page.resources", Value: strconv.Itoa(len(p.Resources)) + " resources",
			Allowed: "the base document and up to " + strconv.Itoa(MaxObjects) + " more, as for page.objects"}
	}
	// A path names one resource of a host: two hosts may both have
	// /app.js.
	type url struct {
		origin int
		path   string
	}
	paths := make(map[url]int, len(p.Resources))
	for i := range p.Resources {
		r := &p.Resources[i]
		if err := r.check(i, p.Resources); err != nil {
			return err
		}
		if j, dup := paths[url{r.Origin, r.Path}]; dup {
			return &ConfigError{Field: resourceField(i, ".path"), Value: fmt.Sprintf("%q", r.Path), Allowed: fmt.Sprintf("a path not used before on its host (resource %d has it)", j)}
		}
		paths[url{r.Origin, r.Path}] = i
	}
	return nil
}

// check reports the first field of resource i of all out of range. It
// builds no name unless there is an error: a sweep validates the same
// page on every load (docs/performance.md).
func (r *Resource) check(i int, all []Resource) error {
	bad := func(field, value, allowed string) error {
		return &ConfigError{Field: resourceField(i, field), Value: value, Allowed: allowed}
	}
	switch {
	case i == 0 && r.Parent != -1:
		return bad(".parent", fmt.Sprint(r.Parent), "none: the first resource is the base document")
	case i > 0 && (r.Parent < 0 || r.Parent >= i):
		return bad(".parent", fmt.Sprint(r.Parent), fmt.Sprintf("the index of an earlier resource, 0 to %d", i-1))
	case r.Size < 0 || r.Size > MaxResourceSize:
		return bad(".size", fmt.Sprint(r.Size), "0 to 1024GiB")
	case r.Think < 0:
		return bad(".think", r.Think.String(), "a duration ≥ 0")
	case r.Offset < 0 || i > 0 && r.Offset > all[r.Parent].Size:
		return bad(".offset", fmt.Sprint(r.Offset), "0 (when the parent is complete) up to the parent's size")
	case !slices.Contains(ResourceTypes, r.Type):
		return bad(".type", string(r.Type), fmt.Sprint(ResourceTypes))
	case r.Path == "" || r.Path[0] != '/':
		return bad(".path", fmt.Sprintf("%q", r.Path), "a path starting with /")
	}
	return nil
}

// resourceField names field of page.resources[i].
func resourceField(i int, field string) string {
	return "page.resources[" + strconv.Itoa(i) + "]" + field
}

// Resource is resource id of the session's pages, as the trace numbers
// them (Record.Resource: from 1, the first page's base document first,
// then each visit's), and the page it is on; nil, nil when none is.
func (c *Config) Resource(id int) (*Resource, *Page) {
	i := id - 1
	for k := -1; k < len(c.Visits); k++ {
		p := &c.Page
		if k >= 0 {
			p = &c.Visits[k].Page
		}
		if i >= 0 && i < len(p.Resources) {
			return &p.Resources[i], p
		}
		i -= len(p.Resources)
	}
	return nil, nil
}
