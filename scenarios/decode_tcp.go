package scenarios

import (
	"fmt"

	"go.yaml.in/yaml/v3"

	"github.com/keepalive-sim/keepalive/model"
	"github.com/keepalive-sim/keepalive/scenarios/units"
	"github.com/keepalive-sim/keepalive/sim"
)

var (
	tcpKeys = []string{
		"mss", "header_bytes", "initial_window", "initial_ssthresh", "recv_window",
		"slow_start", "avoidance", "restart", "delayed_ack", "delayed_ack_delay", "ack_with_data",
		"initial_rto", "min_rto", "max_rto", "syn_retries", "synack_retries", "data_retries", "time_wait",
		"keepalive", "keepalive_idle", "keepalive_interval", "keepalive_probes",
	}
	growths    = []option[model.SlowStart]{{"rfc5681", model.SlowStartRFC5681}, {"abc", model.SlowStartABC}, {"linux", model.SlowStartLinux}}
	avoidances = []option[model.CongestionAvoidance]{{"reno", model.RenoPerAck}, {"byte-counting", model.ByteCounting}}
	restarts   = []option[model.Restart]{{"rfc5681", model.RestartRFC5681}, {"halving", model.RestartHalving}, {"off", model.RestartOff}}
)

// Retransmission counts; with exponential backoff 100 retries outlast
// any run.
const (
	maxRetries     = 100
	retriesAllowed = "a count from 0 to 100"
)

// tcp decodes the tcp section; the model checks the ranges.
func (d *decoder) tcp(n *yaml.Node, c *model.TCPConfig) {
	f := d.fields(n, "tcp", tcpKeys...)
	d.size(f["mss"], "tcp.mss", &c.MSS)
	d.size(f["header_bytes"], "tcp.header_bytes", &c.HeaderBytes)
	d.segmentsOrUnlimited(f["initial_window"], "tcp.initial_window", &c.InitialWindow)
	d.sizeOrUnlimited(f["initial_ssthresh"], "tcp.initial_ssthresh", &c.InitialSsthresh)
	d.sizeOrUnlimited(f["recv_window"], "tcp.recv_window", &c.RecvWindow)
	choose(d, f["slow_start"], "tcp.slow_start", growths, &c.Growth)
	choose(d, f["avoidance"], "tcp.avoidance", avoidances, &c.Avoidance)
	choose(d, f["restart"], "tcp.restart", restarts, &c.Restart)
	d.boolean(f["delayed_ack"], "tcp.delayed_ack", &c.DelayedAck)
	d.duration(f["delayed_ack_delay"], "tcp.delayed_ack_delay", &c.DelayedAckDelay)
	d.boolean(f["ack_with_data"], "tcp.ack_with_data", &c.AckWithData)
	d.initialRTO(f["initial_rto"], c)
	d.duration(f["min_rto"], "tcp.min_rto", &c.MinRTO)
	d.duration(f["max_rto"], "tcp.max_rto", &c.MaxRTO)
	d.count(f["syn_retries"], "tcp.syn_retries", 0, maxRetries, retriesAllowed, &c.SynRetries)
	d.count(f["synack_retries"], "tcp.synack_retries", 0, maxRetries, retriesAllowed, &c.SynAckRetries)
	d.count(f["data_retries"], "tcp.data_retries", 0, maxRetries, retriesAllowed, &c.DataRetries)
	d.duration(f["time_wait"], "tcp.time_wait", &c.TimeWait)
	d.boolean(f["keepalive"], "tcp.keepalive", &c.KeepAlive)
	d.duration(f["keepalive_idle"], "tcp.keepalive_idle", &c.KeepAliveIdle)
	d.duration(f["keepalive_interval"], "tcp.keepalive_interval", &c.KeepAliveInterval)
	d.count(f["keepalive_probes"], "tcp.keepalive_probes", 1, 100, "1 to 100 probes", &c.KeepAliveProbes)
}

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
