package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/keepalive-sim/keepalive/model"
	csvrow "github.com/keepalive-sim/keepalive/scenarios/report"
)

// provenance is what every output says about how it was made, so that
// a result found later can be traced to its program and settings: in
// --format json as the meta object, beside a CSV file as FILE.meta.json.
// It holds no time or host, so that an output stays a pure function of
// its inputs.
type provenance struct {
	Program  string   `json:"program"`            // "keepalive"
	Version  string   `json:"version"`            // the module's version, or (devel)
	Revision string   `json:"revision,omitempty"` // the VCS revision it was built from
	Modified bool     `json:"modified,omitempty"` // built with uncommitted changes
	Go       string   `json:"go"`
	Command  []string `json:"command"` // the arguments, after the program's name
	Scenario string   `json:"scenario"`
	// Settings is a SHA-256 of every configuration run (in JSON), so that
	// two outputs with the same hash ran the same settings.
	Settings string `json:"settings_sha256,omitempty"`
	// Sweep is a sweep's id, the sweep column of its rows.
	Sweep string `json:"sweep,omitempty"`
	// HAR is where a --har page came from and what was made of it.
	HAR *harMeta `json:"har,omitempty"`
}

// newProvenance describes a command with args about scenario.
func newProvenance(args []string, scenario string) provenance {
	p := provenance{Program: "keepalive", Version: "(devel)", Command: append([]string{}, args...), Scenario: scenario}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			p.Version = bi.Main.Version
		}
		p.Go = bi.GoVersion
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				p.Revision = s.Value
			case "vcs.modified":
				p.Modified = s.Value == "true"
			}
		}
	}
	return p
}

// settingsHash is the SHA-256 of the configurations, as JSON.
func settingsHash(cfgs []model.Config) string {
	h := sha256.New()
	_ = json.NewEncoder(h).Encode(cfgs) // plain data: cannot fail
	return hex.EncodeToString(h.Sum(nil))
}

// writeMeta writes p as the sidecar of a CSV file, indented JSON.
func writeMeta(w io.Writer, p provenance) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// metaPath is the sidecar of a CSV output.
func metaPath(path string) string { return path + csvrow.MetaSuffix }

// wantsSidecar reports whether the output at path gets a sidecar: a
// regular file does (or one not created yet); a device, a pipe or
// standard output does not (--out /dev/null must not create
// /dev/null.meta.json).
func wantsSidecar(path string) bool {
	fi, err := os.Stat(path)
	return err != nil || fi.Mode().IsRegular()
}

// writeSidecars writes p beside each of the files that exists as a
// regular file (a device, a pipe or a file never written gets none).
func writeSidecars(p provenance, files ...string) error {
	for _, f := range files {
		if fi, err := os.Stat(f); f == "" || err != nil || !fi.Mode().IsRegular() {
			continue
		}
		if err := csvrow.WriteAtomic(metaPath(f), func(w io.Writer) error { return writeMeta(w, p) }); err != nil {
			return fmt.Errorf("%s: %w", metaPath(f), err)
		}
	}
	return nil
}
