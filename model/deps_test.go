package model_test

import (
	"os/exec"
	"strings"
	"testing"
)

// nonStandardDeps lists the packages outside the standard library that pkg
// depends on, directly or not.
func nonStandardDeps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pkg, err)
	}
	return strings.Fields(string(out))
}

// TestDependenciesPointOneWay keeps the design card's arrows honest:
// sim and model/trace use only the standard library, and model reaches
// nothing of ours but sim, model/trace, model/quic and model/http3 (and
// HPACK and QPACK for header sizes).
func TestDependenciesPointOneWay(t *testing.T) {
	const mod = "github.com/keepalive-sim/keepalive"
	for _, tc := range []struct {
		pkg     string
		allowed []string // prefixes besides the package itself
	}{
		{mod + "/sim", nil},
		{mod + "/model/trace", nil},
		// HTTP/3's transport and sizes are model/quic and model/http3's.
		{mod + "/model", []string{mod + "/sim", mod + "/model/trace", mod + "/model/quic", mod + "/model/http3", "golang.org/x/net/http2/hpack", "github.com/quic-go/qpack"}},
		// The bytes of messages: from their records alone, not the model.
		{mod + "/model/wire", []string{mod + "/model/trace"}},
		// qlog files: from the records alone, as the captures.
		{mod + "/model/trace/qlog", []string{mod + "/model/trace"}},
		// QUIC's recovery rules: state and arithmetic on sim's time.
		{mod + "/model/quic", []string{mod + "/sim"}},
		// HTTP/3's sizes: QUIC's varints and quic-go's QPACK encoder.
		{mod + "/model/http3", []string{mod + "/model/quic", mod + "/sim", "github.com/quic-go/qpack", "golang.org/x/net/http2/hpack"}},
	} {
		for _, dep := range nonStandardDeps(t, tc.pkg) {
			ok := dep == tc.pkg
			for _, a := range tc.allowed {
				ok = ok || dep == a
			}
			if !ok {
				t.Errorf("%s depends on %s; allowed: the standard library and %v", tc.pkg, dep, tc.allowed)
			}
		}
	}
}
