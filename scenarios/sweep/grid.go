package sweep

import "github.com/keepalive-sim/keepalive/model"

// Param is one varied parameter of a grid.
type Param struct {
	Name   string   // as given: "rtt", "link.queue"
	Column string   // its column in the tidy CSV (see [Plan.Header])
	Values []string // in the order given, ranges expanded
	Cells  []string // the values as the column writes them: 0.01 for 1%, 20.000000 for 20ms
	Log    bool     // some values came from a log-spaced range (a..b/log:n)
	field  string   // the scenario field it sets, or "ideal"
}

// Grid is what a sweep runs: the cross product of the parameters'
// values, each point with every protocol, each Replicates times.
//
// The canonical order of runs, which is the order of the rows, is the
// grid order (the first parameter outermost, the last one changing
// fastest), then the protocols in their order, then the replicates:
// run i is point i / (P·R), protocol (i / R) mod P, replicate i mod R.
type Grid struct {
	Params     []Param
	Protocols  []model.Protocol
	Replicates int
}

// Points is the number of grid points: the product of the numbers of
// values (1 with no parameter).
func (g *Grid) Points() int {
	n := 1
	for _, p := range g.Params {
		n *= len(p.Values)
	}
	return n
}

// Runs is the number of page loads: points × protocols × replicates.
func (g *Grid) Runs() int { return g.Points() * len(g.Protocols) * g.Replicates }

// split returns the grid point, protocol index and replicate of run i.
func (g *Grid) split(i int) (point, protocol, replicate int) {
	r, p := g.Replicates, len(g.Protocols)
	return i / (p * r), (i / r) % p, i % r
}

// values returns the index of each parameter's value at point, the last
// parameter changing fastest.
func (g *Grid) values(point int) []int {
	idx := make([]int, len(g.Params))
	for k := len(g.Params) - 1; k >= 0; k-- {
		n := len(g.Params[k].Values)
		idx[k] = point % n
		point /= n
	}
	return idx
}
