package sim

// HeapLen is the number of entries in s's heap, cancelled ones included.
func HeapLen(s *Simulator) int { return len(s.heap) }

// CompactMin exposes compactMin to the external tests.
const CompactMin = compactMin
