//go:build linux

package testbed

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/keepalive-sim/keepalive/model"
)

// Run measures Options.Config's page with real software and with the
// simulator. It builds the bed twice: once without delay or rate to
// measure the traversal cost of the kernel and the emulator, then with the
// scenario's link less that cost.
func Run(ctx context.Context, opt Options) (rep *Report, err error) {
	if opt.Loads < 1 || opt.Seeds < 1 {
		return nil, fmt.Errorf("testbed: loads and seeds must be at least 1")
	}
	cfg := opt.Config
	specs := make([]LoadSpec, len(opt.Protocols))
	for i, p := range opt.Protocols {
		c := cfg
		c.ForProtocol(p) // HTTP/3: TLS 1.3, QUIC's
		if specs[i], err = SpecOf(c); err != nil {
			return nil, err
		}
	}
	rtt, rate := 2*cfg.Link.Delay, int64(cfg.Link.Down)
	if cfg.Link.Down == model.UnlimitedRate {
		rate = 0
	}
	rep = &Report{}
	traversal, err := calibrate(ctx, opt.Self, opt.Kernel)
	if err != nil {
		return nil, err
	}
	rep.Accuracy.TraversalNS = traversal
	rep.Link = LinkSpec{Delay: max(0, int64(rtt)/2-traversal/2), Rate: rate, Buffer: cfg.Link.Buffer, Loss: cfg.Link.Loss, Seed: cfg.Seed}
	b, err := Setup(ctx, opt.Self, rep.Link, opt.Kernel)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	rep.Kernel = b.Kernel
	if err := rep.Accuracy.measure(ctx, b, rtt, rate, traversal); err != nil {
		return nil, err
	}
	done, total := 0, len(specs)*opt.Loads
	for i, spec := range specs {
		row := Row{Protocol: opt.Protocols[i]}
		srv, err := b.startServer(ctx, spec)
		if err != nil {
			return nil, err
		}
		var conns, packets []int
		for range opt.Loads {
			res, err := b.load(ctx, spec)
			if err != nil {
				srv.stop()
				return nil, fmt.Errorf("%s: %w", row.Protocol, err)
			}
			row.Real = append(row.Real, res.PageLoad)
			conns, packets = append(conns, res.Connections), append(packets, res.Packets)
			done++
			if opt.Progress != nil {
				opt.Progress(done, total)
			}
		}
		srv.stop()
		row.RealMedian, row.RealMin, row.RealMax = medianDuration(row.Real), slices.Min(row.Real), slices.Max(row.Real)
		row.RealConnections, row.RealPackets = medianInt(conns), medianInt(packets)
		if err := row.simulate(cfg, opt.Seeds); err != nil {
			return nil, err
		}
		rep.Rows = append(rep.Rows, row)
	}
	return rep, nil
}

// calibrate measures the round trip through the kernel and an emulator
// with no delay and no rate: the cost a bed adds to every round trip.
func calibrate(ctx context.Context, self string, k Kernel) (int64, error) {
	b, err := Setup(ctx, self, LinkSpec{}, k)
	if err != nil {
		return 0, err
	}
	defer b.Close()
	rtts, err := b.measureRTT(ctx, 30)
	if err != nil {
		return 0, err
	}
	return quantile(rtts, 50), nil
}

// measure checks the bed against the link it should be: the handshake
// round trips against the RTT plus the SYN and SYN-ACK's serialization,
// and a UDP stream's rate against the link's.
func (a *Accuracy) measure(ctx context.Context, b *Bed, rtt time.Duration, rate, traversal int64) error {
	rtts, err := b.measureRTT(ctx, 30)
	if err != nil {
		return err
	}
	want := int64(rtt)
	if rate > 0 {
		want += 2 * (60 * 8 * 1e9 / rate) // a SYN and a SYN-ACK with options: 60 IP bytes each
	}
	errs := make([]int64, len(rtts))
	for i, r := range rtts {
		d := r - want
		if d < 0 {
			d = -d
		}
		errs[i] = d
	}
	a.RTTErrP50NS, a.RTTErrP90NS = quantile(errs, 50), quantile(errs, 90)
	if rate > 0 {
		got, err := b.measureGoodput(ctx, rate, 1)
		if err != nil {
			return err
		}
		a.Goodput = got / float64(rate)
	}
	return nil
}

// simulate runs the simulator's load over seeds 1…n from the scenario's
// seed, and takes the median.
func (r *Row) simulate(cfg model.Config, n int) error {
	cfg.ForProtocol(r.Protocol)
	var conns, packets []int
	for k := range n {
		c := cfg
		c.Seed = cfg.Seed + uint64(k)
		res, err := model.Run(c, nil)
		if err != nil {
			return err
		}
		if !res.Complete {
			return fmt.Errorf("testbed: the simulated %s load of seed %d did not complete", r.Protocol, c.Seed)
		}
		r.SimLoads = append(r.SimLoads, res.PageLoad)
		conns, packets = append(conns, res.Connections), append(packets, res.PacketsToLoad)
	}
	r.Sim = medianDuration(r.SimLoads)
	r.SimConnections, r.SimPackets = medianInt(conns), medianInt(packets)
	return nil
}

func medianDuration(xs []time.Duration) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func medianInt(xs []int) int {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
