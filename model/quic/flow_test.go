package quic

import "testing"

// TestReceiveWindow: quic-go's receive window on a 512 KiB stream
// window (DefaultInitialMaxStreamData) at a 100 ms RTT: no update before
// a quarter is read; at a quarter, a window beyond what was read, not
// tuned (half a window not yet read in the epoch); after 300,000 bytes
// read within 80 ms, well under 4 · 0.57 RTT, the window doubles; read
// as slowly, it does not; and never past the maximum or what allow lets.
func TestReceiveWindow(t *testing.T) {
	const size, rtt = 512 << 10, 100 * ms
	w := NewReceiveWindow(size, 6<<20, 0)
	w.OnRead(131071)
	if _, ok := w.Update(10*ms, rtt, nil); ok {
		t.Error("an update before a quarter of the window was read")
	}
	w.OnRead(1)
	if limit, ok := w.Update(50*ms, rtt, nil); !ok || limit != 131072+size || w.Size != size {
		t.Errorf("at a quarter read: limit %d (%v), size %d; want %d, not tuned", limit, ok, w.Size, 131072+size)
	}
	fast := *w
	fast.OnRead(300000 - 131072)
	if limit, ok := fast.Update(80*ms, rtt, nil); !ok || fast.Size != 2*size || limit != 300000+2*size {
		t.Errorf("read fast: limit %d, size %d; want the window doubled", limit, fast.Size)
	}
	slow := *w
	slow.OnRead(300000 - 131072)
	if limit, ok := slow.Update(300*ms, rtt, nil); !ok || slow.Size != size || limit != 300000+size {
		t.Errorf("read slowly: limit %d, size %d; want the same window", limit, slow.Size)
	}
	capped := *w
	capped.MaxSize = size + 1000
	capped.OnRead(300000 - 131072)
	if capped.Update(80*ms, rtt, nil); capped.Size != size+1000 {
		t.Errorf("capped: size %d, want the maximum %d", capped.Size, size+1000)
	}
	refused := *w
	refused.OnRead(300000 - 131072)
	if refused.Update(80*ms, rtt, func(uint64) bool { return false }); refused.Size != size {
		t.Errorf("growth not allowed: size %d", refused.Size)
	}
}

// TestSendWindow: a sender sends up to its peer's limit, which only
// goes up.
func TestSendWindow(t *testing.T) {
	w := SendWindow{Limit: 1000}
	w.Sent = 600
	if w.Available() != 400 {
		t.Errorf("available %d, want 400", w.Available())
	}
	w.OnMax(900) // lower than the limit: ignored
	w.Sent = 1000
	if w.Limit != 1000 || w.Available() != 0 {
		t.Errorf("limit %d, available %d", w.Limit, w.Available())
	}
	w.OnMax(5000)
	if w.Available() != 4000 {
		t.Errorf("after MAX_DATA 5000: available %d", w.Available())
	}
}
