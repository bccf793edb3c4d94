package scenarios

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/model/trace"
	"github.com/keepalive-sim/keepalive/scenarios/units"
)

var (
	linkKeys = keysOf("link")
	dropKeys = keysOf("link.drops[]")
	queues   = []option[model.QueueDiscipline]{{"fifo", model.FIFO}, {"fair", model.Fair}}
	dirs     = []option[uint8]{{"up", uint8(trace.Up)}, {"down", uint8(trace.Down)}}
)

// lossAllowed states link.loss's range, the table's row: stricter than
// the model, which accepts 1 (every packet lost) for its own tests; a
// scenario that loses everything teaches nothing.
func lossAllowed() string { return "a probability in " + row("link.loss").plainAllowed() }

// link decodes the link section. rtt sets the one-way delay to rtt/2;
// bandwidth sets both directions, and up or down then override one.
func (d *decoder) link(n *yaml.Node, c *model.LinkConfig) { d.linkAt(n, "link", c) }

// linkAt decodes a link section found at path ("link", "proxy.link").
func (d *decoder) linkAt(n *yaml.Node, path string, c *model.LinkConfig) {
	f := d.fields(n, path, linkKeys...)
	if v := f["rtt"]; v != nil {
		rtt := 2 * c.Delay
		d.duration(v, path+".rtt", &rtt)
		if rtt%2 != 0 && d.err == nil {
			// Two equal one-way delays: 3ns would silently become 2ns.
			d.fail(v, path+".rtt", valueError(formatDuration(rtt), "an odd number of nanoseconds cannot be split into two equal one-way delays", units.ErrRange))
		}
		c.Delay = rtt / 2
	}
	if v := f["bandwidth"]; v != nil {
		d.rate(v, path+".bandwidth", &c.Up)
		c.Down = c.Up
	}
	d.rate(f["up"], path+".up", &c.Up)
	d.rate(f["down"], path+".down", &c.Down)
	d.count(f["buffer"], path+".buffer", row("link.buffer"), &c.Buffer)
	choose(d, f["queue"], path+".queue", queues, &c.Queue)
	parse(d, f["loss"], path+".loss", parseLoss, &c.Loss)
	d.drops(f["drops"], path, c)
}

// parseLoss reads a probability as a fraction ("0.02") or a percentage
// ("2%"); units.ParseProbability is the grammar the command line shares.
func parseLoss(s string) (float64, error) {
	p, err := units.ParseProbability(s)
	switch {
	case errors.Is(err, units.ErrRange):
		return 0, &model.ConfigError{Field: "link.loss", Value: s, Allowed: lossAllowed()}
	case err != nil:
		return 0, valueError(s, "not a decimal number (allowed: "+lossAllowed()+", such as 0.02 or 2%; no exponents)", units.ErrSyntax)
	}
	return p, nil
}

// drops decodes link.drops, a list of {conn, dir, nth}: exact packets to
// lose.
func (d *decoder) drops(n *yaml.Node, at string, c *model.LinkConfig) {
	if n == nil {
		return
	}
	c.Drops = nil
	for i, item := range d.sequence(n, at+".drops") {
		path := fmt.Sprintf("%s.drops[%d]", at, i)
		f := d.fields(item, path, dropKeys...)
		drop := newDrop()
		d.count(f["conn"], path+".conn", row("link.drops[].conn"), &drop.Conn)
		choose(d, f["dir"], path+".dir", dirs, &drop.Dir)
		d.count(f["nth"], path+".nth", row("link.drops[].nth"), &drop.Nth)
		for _, k := range requiredKeys("link.drops[]") {
			if d.err == nil && f[k] == nil {
				d.fail(item, path+"."+k, fmt.Errorf("missing; a drop needs conn, dir and nth"))
			}
		}
		c.Drops = append(c.Drops, drop)
	}
}

// newDrop is a drop before its fields are read: dir defaults to down,
// the direction of the responses.
func newDrop() model.Drop { return model.Drop{Conn: 1, Dir: uint8(trace.Down), Nth: 1} }
