package http3

import (
	"io"
	"slices"
	"testing"

	"github.com/quic-go/qpack"
)

// TestFrameSizes: RFC 9114 §7.1's type and length before each payload,
// at the variable-length integer's boundaries (RFC 9000 §16).
func TestFrameSizes(t *testing.T) {
	for _, tc := range []struct {
		name      string
		got, want int
	}{
		{"DATA of 63", DataFrame(63), 1 + 1 + 63},
		{"DATA of 64", DataFrame(64), 1 + 2 + 64},
		{"DATA of 16383", DataFrame(16383), 1 + 2 + 16383},
		{"DATA of 16384", DataFrame(16384), 1 + 4 + 16384},
		{"HEADERS of 30", HeadersFrame(30), 1 + 1 + 30},
		{"empty SETTINGS", SettingsFrame(nil), 1 + 1},
		// QPACK's three: ids 1, 6, 7; values 0, 2^16 (4 bytes), 0.
		{"SETTINGS", SettingsFrame([]Setting{{SettingQPACKMaxTableCapacity, 0}, {SettingMaxFieldSectionSize, 1 << 16}, {SettingQPACKBlockedStreams, 0}}), 1 + 1 + (1 + 1) + (1 + 4) + (1 + 1)},
		{"GOAWAY of stream 400", GoAwayFrame(400), 1 + 1 + 2},
		{"control stream", ControlStream(nil), 1 + 2},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %d bytes, want %d", tc.name, tc.got, tc.want)
		}
	}
}

// TestFieldSection: a request's fields as quic-go's QPACK encoder writes
// them, read back by its decoder: the two-byte prefix, one byte for
// each field the static table holds whole (RFC 9204 Appendix A: :method
// GET is 17, :scheme https 23, :path / 1), and literals after a
// static name reference for the rest.
func TestFieldSection(t *testing.T) {
	static := []qpack.HeaderField{{Name: ":method", Value: "GET"}, {Name: ":scheme", Value: "https"}, {Name: ":path", Value: "/"}}
	if got := FieldSection(static); len(got) != 2+3 {
		t.Errorf("three static fields: %d bytes (%x), want 5", len(got), got)
	}
	req := append(static[:2:2],
		qpack.HeaderField{Name: ":authority", Value: "www.example.com"},
		qpack.HeaderField{Name: ":path", Value: "/img1.jpg"},
		qpack.HeaderField{Name: "user-agent", Value: "keepalive"},
		qpack.HeaderField{Name: "x-custom", Value: "1"})
	b := FieldSection(req)
	var back []qpack.HeaderField
	dec := qpack.NewDecoder().Decode(b)
	for {
		f, err := dec()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the field section does not decode: %v (%x)", err, b)
		}
		back = append(back, f)
	}
	if !slices.Equal(back, req) {
		t.Errorf("decoded %v, want %v", back, req)
	}
	// Each literal is shorter than its text: Huffman coded.
	text := 0
	for _, f := range req[2:] {
		text += len(f.Name) + len(f.Value)
	}
	if len(b) >= 2+2+text {
		t.Errorf("the field section is %d bytes, not shorter than its literals' %d", len(b), text)
	}
}
