package sweep_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/keepalive-sim/keepalive/scenarios/sweep"
)

// svgText returns the text of every element of an SVG document, failing
// if it is not well-formed XML.
func svgText(t *testing.T, data []byte) string {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(data))
	var text strings.Builder
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
		case xml.CharData:
			text.Write(tok)
			text.WriteByte('\n')
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q, want svg", root)
	}
	return text.String()
}

func TestPlotFormats(t *testing.T) {
	dir := t.TempDir()
	spec := small()
	spec.Vary = spec.Vary[:1] // rtt only
	spec.Vary[0].Values = "20ms..80ms/step:20ms"
	for _, name := range []string{"chart.png", "chart.svg", "chart.pdf"} {
		path := filepath.Join(dir, name)
		_, err := sweep.Run(context.Background(), plan(t, spec), sweep.Options{Jobs: 2, W: io.Discard,
			Plot: &sweep.PlotSpec{Path: path, X: "rtt", Y: "page_load_ms", By: []string{"protocol"}}})
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(path)
		if err != nil || len(data) == 0 {
			t.Fatalf("%s: %v, %d bytes", name, err, len(data))
		}
		switch filepath.Ext(name) {
		case ".png":
			img, err := png.Decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
				t.Errorf("PNG is %v", b)
			}
		case ".svg":
			text := svgText(t, data)
			for _, want := range []string{"RTT (ms)", "page load (ms)", "HTTP/1.0", "HTTP/1.1 keep-alive",
				"HTTP/1.1 pipelined", "HTTP/2", "Page load vs RTT: webpage, mean and 95% CI of 3 runs"} {
				if !strings.Contains(text, want) {
					t.Errorf("SVG does not contain %q:\n%s", want, text)
				}
			}
		case ".pdf":
			if !bytes.HasPrefix(data, []byte("%PDF-")) {
				t.Errorf("not a PDF: %q", data[:10])
			}
			// No clock in it: two identical sweeps give identical PDFs.
			for _, want := range []string{"/CreationDate (D:19700101000000)", "/ModDate (D:19700101000000)"} {
				if !bytes.Contains(data, []byte(want)) {
					t.Errorf("the PDF has no %s: its date comes from the clock", want)
				}
			}
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("%d files, want the 3 charts and no temporary file", len(entries))
	}
}

// TestPlotFromTable: "keepalive plot" reads a parameter's unit from its
// column (vary.bandwidth_mbps), words as categories, and finds a log
// scale by itself; legends name values with their units.
func TestPlotFromTable(t *testing.T) {
	dir := t.TempDir()
	header := []string{"run", "runs_total", "vary.bandwidth_mbps", "vary.loss", "replicate", "protocol", "page_load_ms", "tcp_connections"}
	var rows [][]string
	for i, bw := range []string{"1", "10", "100"} {
		for j, proto := range []string{"http1.1", "http2"} {
			rows = append(rows, []string{"", "", bw, "0.01", "0", proto, []string{"300", "200", "100"}[i], []string{"6", "1"}[j]})
		}
	}
	table := &sweep.Table{Header: header, Rows: rows}
	// A file of an older version: the values as typed, with their units.
	older := &sweep.Table{Header: slices.Clone(header), Rows: rows[:0:0]}
	older.Header[2], older.Header[3] = "bandwidth", "vary.loss"
	for _, r := range rows {
		r = slices.Clone(r)
		r[2] += "Mbps"
		older.Rows = append(older.Rows, r)
	}
	// A numeric parameter with a word: numbers in order, then the word.
	withWord := &sweep.Table{Header: header}
	for _, bw := range []string{"", "10", "1"} {
		withWord.Rows = append(withWord.Rows, []string{"", "", bw, "0.01", "0", "http2", "100", "1"})
	}
	for _, tc := range []struct {
		name  string
		table *sweep.Table
		spec  sweep.PlotSpec
		want  []string // in this order
	}{
		{"rate", table, sweep.PlotSpec{X: "bandwidth"}, []string{"bandwidth (Mbit/s)", "page load (ms)", "HTTP/2"}},
		{"by its column", table, sweep.PlotSpec{X: "vary.bandwidth_mbps"}, []string{"bandwidth (Mbit/s)", "HTTP/2"}},
		{"by a parameter", table, sweep.PlotSpec{X: "bandwidth", Y: "tcp_connections", By: []string{"protocol", "loss"}},
			[]string{"TCP connections", "HTTP/2, loss 1%"}},
		{"words", table, sweep.PlotSpec{X: "protocol", By: []string{"loss", "bandwidth"}}, []string{"http1.1", "http2", "loss 1%, bandwidth 10 Mbit/s"}},
		{"title", table, sweep.PlotSpec{Title: "My chart"}, []string{"My chart"}},
		{"older file", older, sweep.PlotSpec{X: "bandwidth", By: []string{"protocol", "loss"}}, []string{"bandwidth (Mbit/s)", "HTTP/2, loss 1%"}},
		{"unlimited last", withWord, sweep.PlotSpec{X: "bandwidth"}, []string{"1 Mbit/s", "10 Mbit/s", "unlimited"}},
	} {
		tc.spec.Path = filepath.Join(dir, "c.svg")
		if err := tc.spec.Write(tc.table); err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		data, _ := os.ReadFile(tc.spec.Path)
		text := svgText(t, data)
		at := 0
		for _, want := range tc.want {
			i := strings.Index(text[at:], want)
			if i < 0 {
				t.Errorf("%s: SVG does not contain %q after %q:\n%s", tc.name, want, text[:at], text)
				break
			}
			at += i + len(want)
		}
	}
	// Errors name the flag.
	for _, tc := range []struct {
		spec sweep.PlotSpec
		want string
	}{
		{sweep.PlotSpec{Path: "c.png", X: "rtt"}, "--x rtt"},
		{sweep.PlotSpec{Path: "c.png", Y: "speed"}, "--y speed"},
		{sweep.PlotSpec{Path: "c.png", By: []string{"bandwidth"}}, "already the x axis"},
		{sweep.PlotSpec{Path: "c.jpg"}, "unknown chart type"},
	} {
		err := tc.spec.Write(table)
		var ie *sweep.InputError
		if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: error %v, want %q", tc.spec, err, tc.want)
		}
	}
}
