package scenarios_test

import (
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios"
)

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		arg      string
		wantName string
		wantErr  []error // all reachable with errors.Is
	}{
		{"webpage", "webpage", nil},
		{"textbook", "textbook", nil},
		{"testdata/good.yaml", "good-page", nil},
		{"no-such-scenario", "", []error{scenarios.ErrUnknownScenario, fs.ErrNotExist}},
		{"testdata/missing.yaml", "", []error{scenarios.ErrUnknownScenario, fs.ErrNotExist}},
	} {
		t.Run(tc.arg, func(t *testing.T) {
			s, err := scenarios.Resolve(tc.arg)
			if tc.wantErr == nil {
				if err != nil || s.Name != tc.wantName {
					t.Fatalf("Resolve(%q) = %v, %v; want scenario %q", tc.arg, s, err, tc.wantName)
				}
				return
			}
			for _, want := range tc.wantErr {
				if !errors.Is(err, want) {
					t.Errorf("Resolve(%q) error %v; want one wrapping %v", tc.arg, err, want)
				}
			}
			// The message names both possibilities and lists the built-ins.
			if err != nil && !(strings.Contains(err.Error(), "built-in") && strings.Contains(err.Error(), "webpage") && strings.Contains(err.Error(), "file")) {
				t.Errorf("message %q should say it is neither a built-in (listing them) nor a file", err)
			}
		})
	}
}

// TestResolveBadFile: a file that exists but is wrong reports its own
// error, not "unknown scenario".
func TestResolveBadFile(t *testing.T) {
	_, err := scenarios.Resolve("testdata/bad-loss.yaml")
	var fe *scenarios.FieldError
	if !errors.As(err, &fe) || errors.Is(err, scenarios.ErrUnknownScenario) {
		t.Errorf("error %v, want the file's *FieldError", err)
	}
}

// TestLoadStopsAtMaxFileSize: a file that never ends (/dev/zero) is
// refused once it passes MaxFileSize instead of being read until memory
// runs out; a directory is refused by name.
func TestLoadStopsAtMaxFileSize(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, err := scenarios.Load("/dev/zero")
	var fe *scenarios.FieldError
	if !errors.As(err, &fe) || !strings.Contains(err.Error(), "larger than 16 MiB") {
		t.Errorf("Load(/dev/zero): %v", err)
	}
	if _, err := scenarios.Load(t.TempDir()); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("Load(a directory): %v", err)
	}
}
