package tui

import "strconv"

// Speed is a replay rate: virtual time runs at 1/Speed of wall-clock
// time, so Speed 50 shows a 100 ms round trip in 5 s.
type Speed int

// Replay rates at the ends and in the middle of the table.
const (
	SlowestSpeed   Speed = 1000 // 1/1000 of real time
	ClassroomSpeed Speed = 50   // 1/50: a 100 ms RTT takes 5 s
	RealTime       Speed = 1
)

// speedSteps is the table + and − move through, slowest first.
func speedSteps() [10]Speed {
	return [10]Speed{1000, 500, 200, 100, 50, 20, 10, 5, 2, 1}
}

// String returns "×1/50", or "×1" at real time.
func (s Speed) String() string {
	if s <= 1 {
		return "×1"
	}
	return "×1/" + strconv.Itoa(int(s))
}

// clamp limits s to [RealTime, SlowestSpeed].
func (s Speed) clamp() Speed {
	return min(max(s, RealTime), SlowestSpeed)
}

// Faster returns the next faster rate of the table, or s at real time.
func (s Speed) Faster() Speed {
	s = s.clamp()
	for _, t := range speedSteps() {
		if t < s {
			return t
		}
	}
	return RealTime
}

// Slower returns the next slower rate of the table, or s at the slowest.
func (s Speed) Slower() Speed {
	s = s.clamp()
	steps := speedSteps()
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i] > s {
			return steps[i]
		}
	}
	return SlowestSpeed
}
