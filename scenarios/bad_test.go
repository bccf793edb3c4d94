package scenarios_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

// TestBadFiles loads each testdata/bad-*.yaml and checks that the error
// names the right field and line, keeps its cause reachable, and says
// what is allowed.
func TestBadFiles(t *testing.T) {
	tests := []struct {
		file  string
		field string
		line  int
		is    error  // a cause reachable with errors.Is, or nil
		msg   string // part of the message
	}{
		{"bad-unknown-field.yaml", "colour", 3, nil, `unknown field "colour" (allowed: browser, clients, description, dns, http, ideal, limits, link, moments, name, narrative, origins, page, protocols, proxy, quic, seed, server, tcp, tls, visits)`},
		{"bad-unknown-nested.yaml", "link.rttt", 4, nil, `did you mean "rtt"?`},
		{"bad-loss.yaml", "link.loss", 4, model.ErrConfig, "bad-loss.yaml:4: link.loss: 1.5 is out of range; allowed: a probability in [0, 1)"},
		{"bad-negative-rtt.yaml", "link.rtt", 3, units.ErrRange, `"-5ms": a duration must be ≥ 0`},
		{"bad-zero-bandwidth.yaml", "link.bandwidth", 4, units.ErrRange, "must be > 0"},
		{"bad-protocol.yaml", "http.protocol", 4, model.ErrUnknownProtocol, "http1.0, http1.1, http1.1-pipelined, http2, http3"},
		{"bad-unit.yaml", "link.bandwidth", 4, units.ErrSyntax, `unknown rate unit "Mbs" (allowed: bps, kbps, Mbps, Gbps)`},
		{"bad-parent-missing.yaml", "page.resources[2].parent", 6, nil, `no resource has the path "/styles.css" (earlier resources: /index.html, /style.css)`},
		{"bad-parent-order.yaml", "page.resources[1].parent", 5, nil, "listed after this resource"},
		{"bad-initial-window.yaml", "tcp.initial_window", 4, model.ErrConfig, "0 is out of range; allowed: 1 to 1000000 or unlimited"},
		{"bad-header-bytes.yaml", "tcp.header_bytes", 4, model.ErrConfig, "allowed: 0 to 65535 bytes"},
		{"bad-resource-size.yaml", "page.resources[0].size", 4, model.ErrConfig, "allowed: 0 to 1024GiB"},
		{"bad-early-data.yaml", "tls.early_data", 4, model.ErrConfig, "only with tls 1.3 and resume"},
		{"bad-yaml-syntax.yaml", "", 3, nil, "not valid YAML: did not find expected key"}, // the parser names the line of the mapping that line 4 breaks
		{"bad-duplicate-field.yaml", "link.rtt", 4, nil, "given twice (first on line 3)"},
		{"bad-offset.yaml", "page.resources[1].offset", 7, model.ErrConfig, "up to the parent's size"},
		{"bad-mixed-page.yaml", "page.objects", 3, nil, "cannot be combined with page.resources"},
		{"bad-rto.yaml", "tcp.max_rto", 4, model.ErrConfig, "≥ min_rto"},
		{"bad-size-case.yaml", "page.html_size", 3, units.ErrSyntax, `did you mean "KiB"?`},
		{"bad-second-document.yaml", "", 3, nil, "a second YAML document"},
		{"bad-after-end.yaml", "", 3, nil, "content after the end of the document"},
		{"bad-custom-tag.yaml", "", 3, nil, "YAML tag !weird is not supported"},
		{"bad-resume-without-tls.yaml", "tls.resume", 4, model.ErrConfig, "only with tls 1.2 or 1.3"},
		{"bad-keepalive-idle.yaml", "tcp.keepalive_idle", 4, model.ErrConfig, "1s to 32767s (Linux's TCP_KEEPIDLE range)"},
		{"bad-control-character.yaml", "name", 2, nil, `holds the control character '\x1b'`},
		{"bad-moment-after.yaml", "moments[0].after", 4, nil, `"fin" is no earlier moment's name (allowed: none is named)`},
		{"bad-moment-no-kind.yaml", "moments[0].kind", 4, nil, "missing; a moment needs the kind of record it is (allowed: packet-sent,"},
		{"bad-type.yaml", "page.resources[1].type", 5, units.ErrSyntax, `"video": unknown type (allowed: html, css, js, img, font, json, other)`},
	}
	files, _ := filepath.Glob("testdata/bad-*.yaml")
	if len(files) != len(tests) {
		t.Errorf("%d testdata/bad-*.yaml files but %d table rows; give each file a row", len(files), len(tests))
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := scenarios.Load(filepath.Join("testdata", tc.file))
			var fe *scenarios.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error %v (%T), want a *FieldError", err, err)
			}
			if fe.Field != tc.field || fe.Line != tc.line || fe.File != filepath.Join("testdata", tc.file) {
				t.Errorf("error at %s:%d field %q, want line %d field %q\n%v", fe.File, fe.Line, fe.Field, tc.line, tc.field, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("errors.Is(%v, %v) = false", err, tc.is)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("message %q\ndoes not contain %q", err, tc.msg)
			}
		})
	}
}

func TestFieldErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		err  *scenarios.FieldError
		want string
	}{
		{&scenarios.FieldError{File: "webpage.yaml", Line: 12, Field: "link.loss",
			Err: &model.ConfigError{Field: "link.loss", Value: "1.5", Allowed: "a probability in [0, 1)"}},
			"webpage.yaml:12: link.loss: 1.5 is out of range; allowed: a probability in [0, 1)"},
		// The scenario's field name replaces the model's.
		{&scenarios.FieldError{File: "a.yaml", Line: 3, Field: "link.rtt",
			Err: &model.ConfigError{Field: "link.delay", Value: "-1ns", Allowed: "a duration ≥ 0"}},
			"a.yaml:3: link.rtt: -1ns is out of range; allowed: a duration ≥ 0"},
		{&scenarios.FieldError{File: "a.yaml", Err: errors.New("boom")}, "a.yaml: boom"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q\nwant       %q", got, tc.want)
		}
	}
}

// TestTooManyResources: a listed page is bounded like a synthetic one
// (page.objects ≤ 10000); a 200,000-entry list used to be accepted. The
// file is generated: 10,002 lines are too many to keep in testdata.
func TestTooManyResources(t *testing.T) {
	var b strings.Builder
	b.WriteString("page:\n  resources:\n    - {path: /index.html, size: 20KB}\n")
	for i := range model.MaxObjects + 1 {
		fmt.Fprintf(&b, "    - {path: /i%d.png, size: 1KB}\n", i)
	}
	_, err := scenarios.Parse("big.yaml", []byte(b.String()))
	var fe *scenarios.FieldError
	if !errors.As(err, &fe) || fe.Field != "page.resources" || !strings.Contains(err.Error(), "10002 entries; a list holds at most 10001") {
		t.Errorf("error %v", err)
	}
	// The model refuses such a page too, when a program builds one.
	page := model.SyntheticPage(1000, model.MaxObjects+1, []int{1})
	if err := page.Validate(); !errors.Is(err, model.ErrConfig) || !strings.Contains(err.Error(), "up to 10000 more") {
		t.Errorf("Validate: %v", err)
	}
}

// TestCaseTypoSuggestion: a field written in capitals is suggested in
// lower case (a new user wrote RTT: and got no hint).
func TestCaseTypoSuggestion(t *testing.T) {
	_, err := scenarios.Parse("a.yaml", []byte("link: {RTT: 50ms}\n"))
	if err == nil || !strings.Contains(err.Error(), `did you mean "rtt"?`) {
		t.Errorf("error %v", err)
	}
}
