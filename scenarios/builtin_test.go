package scenarios_test

import (
	"errors"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
)

// The built-ins the documentation and the CLI promise.
var promised = []string{"hol-blocking", "lossy", "textbook", "tls", "webpage"}

func TestBuiltinsLoadAndValidate(t *testing.T) {
	infos := scenarios.Builtins()
	var names []string
	for _, in := range infos {
		names = append(names, in.Name)
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("Builtins() not sorted: %v", names)
	}
	for _, p := range promised {
		if !contains(names, p) {
			t.Errorf("no built-in %q; have %v", p, names)
		}
	}
	for _, in := range infos {
		t.Run(in.Name, func(t *testing.T) {
			s, err := scenarios.Builtin(in.Name)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Config.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
			if s.Name != in.Name || s.Description != in.Description {
				t.Errorf("Builtin(%q) is named %q, %q; Builtins says %q, %q", in.Name, s.Name, s.Description, in.Name, in.Description)
			}
			if s.Description == "" || strings.Contains(s.Description, "\n") {
				t.Errorf("description %q: want one line", s.Description)
			}
			if n := strings.Count(s.Narrative, ". ") + 1; s.Narrative == "" || n < 3 {
				t.Errorf("narrative has about %d sentences; want 3 to 5 for students", n)
			}
		})
	}
}

// TestBuiltinIsFresh: changing one copy does not change the next.
func TestBuiltinIsFresh(t *testing.T) {
	a, _ := scenarios.Builtin("webpage")
	a.Config.Page.Resources[0].Size = 1
	b, _ := scenarios.Builtin("webpage")
	if b.Config.Page.Resources[0].Size == 1 {
		t.Error("Builtin returned shared state")
	}
}

func TestBuiltinUnknown(t *testing.T) {
	_, err := scenarios.Builtin("nope")
	if !errors.Is(err, scenarios.ErrUnknownScenario) {
		t.Fatalf("error %v, want ErrUnknownScenario", err)
	}
	for _, p := range promised {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not list %q", err, p)
		}
	}
}

func TestWebpage(t *testing.T) {
	s, err := scenarios.Builtin("webpage")
	if err != nil {
		t.Fatal(err)
	}
	c := s.Config
	if c.Link.Delay != 50e6 || c.Link.Up != 10*model.Mbps || c.Link.Down != 10*model.Mbps {
		t.Errorf("link %+v, want 100ms RTT and 10 Mbit/s", c.Link)
	}
	if c.HTTP.Protocol != model.HTTP11 || c.HTTP.Parallel != 6 || c.TLS.Version != model.NoTLS {
		t.Errorf("http %+v, tls %+v; want http1.1, 6 connections, no TLS", c.HTTP, c.TLS)
	}
	rs := c.Page.Resources
	if len(rs) != 13 || rs[0].Path != "/index.html" || rs[0].Size != 30_000 ||
		rs[1].Path != "/style.css" || rs[1].Size != 25_000 || rs[2].Path != "/app.js" || rs[2].Size != 60_000 {
		t.Fatalf("resources %+v", rs)
	}
	for i, r := range rs[3:] {
		if r.Type != model.Image || r.Parent != 0 || r.Size < 8_000 || r.Size > 60_000 || r.Path != "/img"+strconv.Itoa(i+1)+".jpg" {
			t.Errorf("image %d: %+v; want /img%d.jpg of 8KB to 60KB, referenced by the document", i+1, r, i+1)
		}
	}
}

// TestVariantsOfWebpage: tls and lossy are the webpage scenario with one
// change each, so their files must not drift apart.
func TestVariantsOfWebpage(t *testing.T) {
	base, _ := scenarios.Builtin("webpage")
	for _, tc := range []struct {
		name   string
		change func(*model.Config)
	}{
		{"tls", func(c *model.Config) { c.TLS.Version = model.TLS13 }},
		{"lossy", func(c *model.Config) { c.Link.Loss = 0.02 }},
	} {
		s, err := scenarios.Builtin(tc.name)
		if err != nil {
			t.Fatal(err)
		}
		want := base.Config
		tc.change(&want)
		if !reflect.DeepEqual(s.Config, want) {
			t.Errorf("%s differs from webpage in more than its one change:\n got %+v\nwant %+v", tc.name, s.Config, want)
		}
	}
}

func TestTextbookIsIdeal(t *testing.T) {
	s, _ := scenarios.Builtin("textbook")
	c := s.Config
	if !c.Ideal || c.TCP.HeaderBytes != 0 || c.TCP.DelayedAck || len(c.Page.Resources) != 11 || 2*c.Link.Delay != 100e6 {
		t.Errorf("textbook config %+v: want ideal, 1 + 10 objects, 100ms RTT", c)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
