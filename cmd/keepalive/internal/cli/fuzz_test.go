package cli

import (
	"strings"
	"testing"
)

// FuzzRunFlags: any command line for "keepalive run" is either refused
// with a one-line message or gives a configuration that validates; no
// flag value panics or overflows (seeded with the int64 and uint64
// limits the hostile-input run tried).
func FuzzRunFlags(f *testing.F) {
	for _, s := range []string{
		"", "--rtt 100ms", "--rtt 2562048h", "--bandwidth 9223372036854775807bps", "--bandwidth 0", "--loss 1e-3",
		"--loss 0x1p-3", "--loss -0", "--mss 9223372036854775807", "--iw 9223372036854775807", "--iw unlimited",
		"--parallel -1", "--objects 10001", "--object-size 9223372036854775807B", "--html-size 8EiB",
		"--seed 18446744073709551615", "--seed 18446744073709551616", "--tls 1.4 --tls-resume", "--tls none --tls-resume",
		"--scenario textbook --ideal --mss 1", "--protocol http2,http2", "--format xml", "-rtt=1ms -loss=50%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		plan, _, err := parseCommand("run", strings.Fields(line), nil)
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || msg == "" {
				t.Fatalf("%q: message %q is not one line", line, msg)
			}
			return
		}
		_, cfg, err := plan.config()
		if err != nil {
			if msg := err.Error(); strings.Contains(msg, "\n") || msg == "" {
				t.Fatalf("%q: message %q is not one line", line, msg)
			}
			return // a value the scenario's parser refuses, or a --scenario that is not there
		}
		_ = cfg.Validate() // the parser validated it; a panic is the failure
	})
}
