//go:build !race

package testbed

// raceDetector: see race_test.go.
const raceDetector = false
