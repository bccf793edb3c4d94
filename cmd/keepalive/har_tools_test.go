package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/keepalive-sim/keepalive/cmd/keepalive/internal/cli"
)

// harTools finds har-validator and pagexray where .ci/run installs them
// (npm install --prefix .ci/npm), skipping without them, or failing in CI,
// where .ci/run should have installed them.
func harTools(t *testing.T) (node, modules string) {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is missing; .ci/run should have installed it", what)
		}
		t.Skipf("%s is missing (install: npm install --prefix .ci/npm har-validator pagexray)", what)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node")
	}
	modules, err = filepath.Abs("../../.ci/npm/node_modules")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"har-validator/package.json", "pagexray/bin/index.js"} {
		if _, err := os.Stat(filepath.Join(modules, p)); err != nil {
			missing("the npm package " + filepath.Dir(p))
		}
	}
	return node, modules
}

// TestHARWithRealTools writes the default lesson's loads as HAR, checks
// it against the HAR 1.2 schema with har-validator, and reads it with
// pagexray, whose counts must be the simulator's: a page per protocol,
// its requests (the base document and the objects), its HTTP version.
// pagexray does not count connections, so those are counted from the
// entries' connection ids and compared with tcp_connections.
func TestHARWithRealTools(t *testing.T) {
	node, modules := harTools(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "webpage.har")
	var out, errb bytes.Buffer
	if st := cli.Main([]string{"run", "--scenario", "webpage", "--format", "csv", "--har-out", file}, &out, &errb); st != 0 {
		t.Fatalf("keepalive run: status %d: %s", st, errb.String())
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}

	validate := exec.Command(node, "testdata/validate-har.js", file)
	validate.Env = append(os.Environ(), "NODE_PATH="+modules)
	if b, err := validate.CombinedOutput(); err != nil {
		t.Fatalf("har-validator: %v\n%s", err, b)
	}

	b, err := exec.Command(node, filepath.Join(modules, "pagexray/bin/index.js"), file).Output()
	if err != nil {
		t.Fatalf("pagexray: %v", err)
	}
	var pages []struct {
		Requests    int                        `json:"requests"`
		HTTPVersion string                     `json:"httpVersion"`
		Domains     map[string]json.RawMessage `json:"domains"`
	}
	if err := json.Unmarshal(b, &pages); err != nil {
		t.Fatalf("pagexray's output: %v\n%s", err, b)
	}
	if len(pages) != len(rows)-1 {
		t.Fatalf("pagexray read %d pages, the run had %d protocols", len(pages), len(rows)-1)
	}
	var har struct {
		Log struct {
			Entries []struct {
				Pageref    string `json:"pageref"`
				Connection string `json:"connection"`
			} `json:"entries"`
		} `json:"log"`
	}
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &har); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"http1.0": "HTTP/1.0", "http1.1": "HTTP/1.1", "http1.1-pipelined": "HTTP/1.1", "http2": "HTTP/2.0"}
	for i, row := range rows[1:] {
		proto, p := row[col["protocol"]], pages[i]
		objects, _ := strconv.Atoi(row[col["objects"]])
		conns, _ := strconv.Atoi(row[col["tcp_connections"]])
		if p.Requests != objects+1 {
			t.Errorf("%s: pagexray counts %d requests, the run %d objects and the base document", proto, p.Requests, objects)
		}
		if p.HTTPVersion != want[proto] {
			t.Errorf("%s: pagexray reads HTTP version %q, want %q", proto, p.HTTPVersion, want[proto])
		}
		if len(p.Domains) != 1 {
			t.Errorf("%s: pagexray reads %d domains, the page has one origin", proto, len(p.Domains))
		}
		ids := map[string]bool{}
		for _, e := range har.Log.Entries {
			if e.Pageref == proto+"_page_1" {
				ids[e.Connection] = true
			}
		}
		if len(ids) != conns {
			t.Errorf("%s: the HAR's entries use %d connections, tcp_connections is %d", proto, len(ids), conns)
		}
	}
}
