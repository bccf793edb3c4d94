package scenarios

import (
	"errors"
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/sim"
)

var (
	tcpKeys     = keysOf("tcp")
	profiles    = []option[model.Profile]{{"linux", model.ProfileLinux}, {"rfc", model.ProfileRFC}}
	windowUnits = []option[model.WindowUnit]{{"packets", model.Packets}, {"bytes", model.Bytes}}
	growths     = []option[model.SlowStart]{{"rfc5681", model.SlowStartRFC5681}, {"abc", model.SlowStartABC}, {"linux", model.SlowStartLinux}}
	avoidances  = []option[model.CongestionAvoidance]{{"cubic", model.Cubic}, {"reno", model.RenoPerAck}, {"byte-counting", model.ByteCounting}}
	restarts    = []option[model.Restart]{{"linux", model.RestartLinux}, {"rfc5681", model.RestartRFC5681}, {"halving", model.RestartHalving}, {"off", model.RestartOff}}
	ackPolicies = []option[model.AckPolicy]{{"linux", model.AckLinux}, {"rfc5681", model.AckRFC5681}}
	estimators  = []option[model.RTTEstimator]{{"linux", model.EstimatorLinux}, {"rfc6298", model.EstimatorRFC6298}}
	recoveries  = []option[model.Recovery]{{"rack", model.RecoveryRACK}, {"newreno", model.RecoveryNewReno}}
)

// maxRetries bounds the retransmission counts: with exponential backoff
// 100 retries outlast any run.
const maxRetries = 100

// tcp decodes the tcp section; the model checks the ranges.
//
// tcp.profile comes first, whatever its place in the file: it sets every
// other knob to the profile's value, and the fields beside it override
// single knobs. Ideal mode has its own TCP, so a profile is refused there.
func (d *decoder) tcp(n *yaml.Node, c *model.TCPConfig, ideal bool) {
	f := d.fields(n, "tcp", tcpKeys...)
	if p := f["profile"]; p != nil {
		if ideal {
			d.fail(p, "tcp.profile", errors.New("not with ideal: true, which sets the textbook's own TCP (remove one of them)"))
		} else {
			prof := c.Profile
			choose(d, p, "tcp.profile", profiles, &prof)
			keep := *c
			*c = model.ProfileTCP(prof)
			// Keep-alive is the browser's choice, not the stack's.
			c.KeepAlive, c.KeepAliveIdle, c.KeepAliveInterval, c.KeepAliveProbes = keep.KeepAlive, keep.KeepAliveIdle, keep.KeepAliveInterval, keep.KeepAliveProbes
		}
	}
	d.size(f["mss"], "tcp.mss", &c.MSS)
	d.size(f["header_bytes"], "tcp.header_bytes", &c.HeaderBytes)
	d.size(f["syn_header_bytes"], "tcp.syn_header_bytes", &c.SynHeaderBytes)
	d.countOrUnlimited(f["initial_window"], "tcp.initial_window", row("tcp.initial_window"), &c.InitialWindow)
	d.sizeOrUnlimited(f["initial_ssthresh"], "tcp.initial_ssthresh", &c.InitialSsthresh)
	d.recvWindow(f["recv_window"], &c.RecvWindow)
	choose(d, f["window_unit"], "tcp.window_unit", windowUnits, &c.Unit)
	choose(d, f["slow_start"], "tcp.slow_start", growths, &c.Growth)
	choose(d, f["avoidance"], "tcp.avoidance", avoidances, &c.Avoidance)
	d.boolean(f["hystart"], "tcp.hystart", &c.HyStart)
	choose(d, f["restart"], "tcp.restart", restarts, &c.Restart)
	d.boolean(f["delayed_ack"], "tcp.delayed_ack", &c.DelayedAck)
	d.duration(f["delayed_ack_delay"], "tcp.delayed_ack_delay", &c.DelayedAckDelay)
	choose(d, f["ack_policy"], "tcp.ack_policy", ackPolicies, &c.Acks)
	d.boolean(f["ack_with_data"], "tcp.ack_with_data", &c.AckWithData)
	d.initialRTO(f["initial_rto"], c)
	d.duration(f["min_rto"], "tcp.min_rto", &c.MinRTO)
	parse(d, f["max_rto"], "tcp.max_rto", func(s string) (sim.Time, error) {
		if strings.EqualFold(s, "unlimited") { // ideal mode's: the backoff is never capped
			return sim.Forever, nil
		}
		return units.ParseDuration(s)
	}, &c.MaxRTO)
	choose(d, f["rtt_estimator"], "tcp.rtt_estimator", estimators, &c.Estimator)
	choose(d, f["recovery"], "tcp.recovery", recoveries, &c.Recovery)
	d.count(f["syn_retries"], "tcp.syn_retries", row("tcp.syn_retries"), &c.SynRetries)
	d.count(f["synack_retries"], "tcp.synack_retries", row("tcp.synack_retries"), &c.SynAckRetries)
	d.count(f["data_retries"], "tcp.data_retries", row("tcp.data_retries"), &c.DataRetries)
	d.duration(f["time_wait"], "tcp.time_wait", &c.TimeWait)
	d.boolean(f["keepalive"], "tcp.keepalive", &c.KeepAlive)
	d.duration(f["keepalive_idle"], "tcp.keepalive_idle", &c.KeepAliveIdle)
	d.duration(f["keepalive_interval"], "tcp.keepalive_interval", &c.KeepAliveInterval)
	d.count(f["keepalive_probes"], "tcp.keepalive_probes", row("tcp.keepalive_probes"), &c.KeepAliveProbes)
}

// recvWindow decodes tcp.recv_window: a size, unlimited, or auto
// (Linux's auto-tuning, model.AutoWindow).
func (d *decoder) recvWindow(n *yaml.Node, dst *int) {
	parse(d, n, "tcp.recv_window", func(s string) (int, error) {
		switch strings.ToLower(s) {
		case "unlimited":
			return model.Unlimited, nil
		case recvWindowAuto:
			return model.AutoWindow, nil
		}
		v, err := units.ParseSize(s)
		if err != nil {
			return 0, fmt.Errorf("%w; or unlimited, or %q: Linux's auto-tuning from 64 KB", err, recvWindowAuto)
		}
		return v, nil
	}, dst)
}

// recvWindowAuto is how a scenario writes model.AutoWindow.
const recvWindowAuto = "auto"

// initialRTO decodes tcp.initial_rto: a duration, or "path" for an
// estimator that starts from the path's round trip (ideal mode's choice).
func (d *decoder) initialRTO(n *yaml.Node, c *model.TCPConfig) {
	type rto struct {
		fromPath bool
		t        sim.Time
	}
	v := rto{c.RTOFromPath, c.InitialRTO}
	parse(d, n, "tcp.initial_rto", func(s string) (rto, error) {
		if s == rtoFromPath {
			return rto{true, c.InitialRTO}, nil
		}
		t, err := units.ParseDuration(s)
		if err != nil {
			return rto{}, fmt.Errorf("%w; or %q: start from the path's round trip", err, rtoFromPath)
		}
		return rto{false, t}, nil
	}, &v)
	c.RTOFromPath, c.InitialRTO = v.fromPath, v.t
}

// rtoFromPath is how a scenario writes model.TCPConfig.RTOFromPath.
const rtoFromPath = "path"
