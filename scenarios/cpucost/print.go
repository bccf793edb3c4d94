package cpucost

import (
	"fmt"
	"io"
	"time"
)

// Write prints f as the Markdown table docs/lifecycle.md records.
func (f Figures) Write(w io.Writer) error {
	us := func(d time.Duration) string { return fmt.Sprintf("%.1f µs", float64(d)/1e3) }
	_, err := fmt.Fprintf(w, "Measured with %s on %s/%s, %d CPUs; %s, median of %d.\n\n"+
		"| work | TLS 1.2 | TLS 1.3 |\n|---|---|---|\n", f.Go, f.OS, f.Arch, f.CPUs, f.Clock, f.Reps)
	if err != nil {
		return err
	}
	for _, k := range Keys {
		fmt.Fprintf(w, "| full handshake, %s | %s | %s |\n", k, us(f.Full[k][0]), us(f.Full[k][1]))
	}
	fmt.Fprintf(w, "| resumed handshake | %s | %s |\n", us(f.Resumed[0]), us(f.Resumed[1]))
	fmt.Fprintf(w, "| accept | %s | |\n", us(f.Accept))
	_, err = fmt.Fprintf(w, "| AES-128-GCM, per KiB | %.0f ns | |\n", float64(f.EncryptPerKiB))
	return err
}
