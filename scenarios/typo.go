package scenarios

import "strings"

// distance is the Levenshtein edit distance between a and b, used to
// suggest a field name for a typo.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// nearest are the names closest to key that a typo could have made of
// it (at most two edits, fewer for a short key), in the order given; none
// when no name is that close. Case differences count as nothing: names
// are lower case, and RTT or Loss mean rtt and loss.
func nearest(key string, names []string) []string {
	key = strings.ToLower(key)
	best, near := min(2, len(key)/2)+1, []string(nil)
	for _, n := range names {
		switch d := distance(key, n); {
		case d < best:
			best, near = d, []string{n}
		case d == best && near != nil:
			near = append(near, n)
		}
	}
	return near
}
