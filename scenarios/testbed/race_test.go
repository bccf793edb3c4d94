//go:build race

package testbed

// raceDetector is true in a "go test -race" build: the detector slows
// the real servers and clients several times over, so real timings say
// nothing about the model and the tests that compare them skip.
const raceDetector = true
