package cpucost

import (
	"os"
	"testing"
)

// TestPrintCosts measures every figure and prints the table: run it
// with -v to re-measure docs/lifecycle.md's figures (-reps sets the
// repetitions). It checks only what holds on any machine: a resumed
// handshake skips the signature and the certificate, so it costs less
// than either full one, and RSA-2048 signing costs more than ECDSA P-256
// (docs/lifecycle.md).
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
	for v := range 2 {
		if f.Resumed[v] >= f.Full[ECDSAP256][v] {
			t.Errorf("version %d: resumed %v ≥ full ECDSA %v", v, f.Resumed[v], f.Full[ECDSAP256][v])
		}
		if f.Full[RSA2048][v] <= f.Full[ECDSAP256][v] {
			t.Errorf("version %d: full RSA-2048 %v ≤ full ECDSA P-256 %v", v, f.Full[RSA2048][v], f.Full[ECDSAP256][v])
		}
	}
	if f.Accept <= 0 || f.EncryptPerKiB <= 0 {
		t.Errorf("accept %v, encryption %v per KiB: want both > 0", f.Accept, f.EncryptPerKiB)
	}
}
