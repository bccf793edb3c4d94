//go:build race

package cpucost

// raceDetector is true in a "go test -race" build, which slows each
// measured operation by its own factor: comparisons between them mean
// nothing there.
const raceDetector = true
