//go:build race

package model

// raceDetector is true in a "go test -race" build, which takes several
// times the memory and time of a normal one: the memory budget test,
// which measures the heap, skips.
const raceDetector = true
