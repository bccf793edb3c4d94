package cpucost

import (
	"flag"
	"testing"
)

var reps = flag.Int("reps", 51, "repetitions of each measurement in TestPrintCosts")

// BenchmarkServerCPU reports each figure as a metric (server-ns/op) of
// its own sub-benchmark, for benchstat comparisons between machines or
// Go versions.
func BenchmarkServerCPU(b *testing.B) {
	f, err := Measure(*reps)
	if err != nil {
		b.Fatal(err)
	}
	report := func(name string, ns float64) {
		b.Run(name, func(b *testing.B) {
			for range b.N {
			}
			b.ReportMetric(ns, "server-ns/op")
		})
	}
	for _, k := range Keys {
		report("full/"+k.String()+"/tls1.2", float64(f.Full[k][0]))
		report("full/"+k.String()+"/tls1.3", float64(f.Full[k][1]))
	}
	report("resumed/tls1.2", float64(f.Resumed[0]))
	report("resumed/tls1.3", float64(f.Resumed[1]))
	report("accept", float64(f.Accept))
	report("aes-128-gcm/KiB", float64(f.EncryptPerKiB))
}
