package cpucost

import (
	"os"
	"testing"
)

// TestPrintCosts measures every figure and prints the table: run it
// with -v to re-measure docs/lifecycle.md's figures (-reps sets the
// repetitions). It checks only what holds on any machine, with room for
// a busy one: a resumed handshake skips the certificate's signature, so
// it costs less than a full RSA-2048 one, whose signature is several
// times the rest of the handshake, and RSA-2048 signing costs more than
// ECDSA P-256 (docs/lifecycle.md). (A resumed TLS 1.3 handshake still
// makes its key exchange, so against a full ECDSA one, whose signature
// is cheap, the two are close: measured 473 and 571 µs.) The race
// detector slows each by different factors, so there only the figures'
// presence is checked.
func TestPrintCosts(t *testing.T) {
	if testing.Short() {
		t.Skip("measures handshakes; not in -short")
	}
	f, err := Measure(*reps)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Verbose() {
		if err := f.Write(os.Stdout); err != nil {
			t.Fatal(err)
		}
	}
	if f.Accept <= 0 || f.EncryptPerKiB <= 0 {
		t.Errorf("accept %v, encryption %v per KiB: want both > 0", f.Accept, f.EncryptPerKiB)
	}
	if raceDetector {
		return
	}
	for v := range 2 {
		if f.Resumed[v] >= f.Full[RSA2048][v] {
			t.Errorf("version %d: resumed %v ≥ full RSA-2048 %v", v, f.Resumed[v], f.Full[RSA2048][v])
		}
		if f.Full[RSA2048][v] <= f.Full[ECDSAP256][v] {
			t.Errorf("version %d: full RSA-2048 %v ≤ full ECDSA P-256 %v", v, f.Full[RSA2048][v], f.Full[ECDSAP256][v])
		}
	}
}
