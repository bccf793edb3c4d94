//go:build !race

package cpucost

const raceDetector = false
