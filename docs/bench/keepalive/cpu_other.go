//go:build !unix

package main

// cpuSeconds is 0 where getrusage is not available: run.sh measures
// the process from outside anyway.
func cpuSeconds() float64 { return 0 }
