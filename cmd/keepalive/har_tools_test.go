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
	"github.com/keepalive-sim/keepalive/scenarios"
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
	for _, name := range []string{"webpage", "real-page"} {
		t.Run(name, func(t *testing.T) { checkHARWithRealTools(t, node, modules, name) })
	}
}

// checkHARWithRealTools is TestHARWithRealTools for one lesson, whose
// pages have one domain per host.
func checkHARWithRealTools(t *testing.T, node, modules, name string) {
	sc, err := scenarios.Builtin(name)
	if err != nil {
		t.Fatal(err)
	}
	domains := 1 + len(sc.Config.Origins)
	dir := t.TempDir()
	file := filepath.Join(dir, name+".har")
	var out, errb bytes.Buffer
	traceFile := filepath.Join(dir, name+".trace.csv")
	if st := cli.Main([]string{"run", "--scenario", name, "--format", "csv", "--har-out", file, "--trace", traceFile}, &out, &errb); st != 0 {
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
	used := connectionsUsed(t, traceFile)
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
		if len(p.Domains) != domains {
			t.Errorf("%s: pagexray reads %d domains, the page has %d hosts", proto, len(p.Domains), domains)
		}
		ids := map[string]bool{}
		for _, e := range har.Log.Entries {
			if e.Pageref == proto+"_page_1" {
				ids[e.Connection] = true
			}
		}
		// A connection the browser opened for a request that another,
		// ready first, then took carries no entry: the HAR cannot show
		// it (nor does Chrome's). The others must all be there.
		if len(ids) != used[proto] || len(ids) > conns {
			t.Errorf("%s: the HAR's entries use %d connections; %d carried a request, tcp_connections is %d", proto, len(ids), used[proto], conns)
		}
	}
}

// connectionsUsed counts, per protocol, the connections on which a
// trace file (run --trace, CSV) records a request.
func connectionsUsed(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range rows[0] {
		col[c] = i
	}
	seen := map[[2]string]bool{}
	used := map[string]int{}
	for _, r := range rows[1:] {
		k := [2]string{r[col["protocol"]], r[col["conn"]]}
		if r[col["kind"]] == "request" && !seen[k] {
			seen[k] = true
			used[k[0]]++
		}
	}
	return used
}
