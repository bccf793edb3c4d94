package model

import (
	"errors"
	"fmt"
	"math"

	"github.com/keepalive-sim/keepalive/sim"
)

// Rate is a link rate in bits per second.
type Rate int64

// UnlimitedRate is a link direction with no serialization delay.
const UnlimitedRate Rate = math.MaxInt64

// Common rates.
const (
	Kbps Rate = 1000
	Mbps Rate = 1000 * Kbps
	Gbps Rate = 1000 * Mbps
)

func (r Rate) String() string {
	switch {
	case r == UnlimitedRate:
		return "unlimited"
	case r%Gbps == 0:
		return fmt.Sprintf("%dGbps", r/Gbps)
	case r%Mbps == 0:
		return fmt.Sprintf("%dMbps", r/Mbps)
	case r%Kbps == 0:
		return fmt.Sprintf("%dkbps", r/Kbps)
	}
	return fmt.Sprintf("%dbps", int64(r))
}

// Unlimited, in a window or threshold field of [TCPConfig], means "no
// limit": the textbook's infinite initial window, ssthresh or receive
// window.
const Unlimited = -1

// unlimitedBytes stands for an unlimited window in arithmetic: far more
// than any run sends, small enough that sums cannot overflow.
const unlimitedBytes int64 = 1 << 50

// QueueDiscipline says how a link direction shares its rate among
// connections.
type QueueDiscipline uint8

const (
	// FIFO serves packets in arrival order from one drop-tail queue, as a
	// plain router interface does.
	FIFO QueueDiscipline = iota
	// Fair shares the rate equally among the connections that have packets
	// waiting (ideal fluid fair queuing, i.e. processor sharing): with X
	// busy connections each gets exactly R/X, the textbook's assumption for
	// parallel connections.
	Fair
)

func (q QueueDiscipline) String() string {
	if q == Fair {
		return "fair"
	}
	return "fifo"
}

// Drop names one packet for the link to lose, for exact loss tests: the
// Nth packet (from 1, retransmissions included) that connection Conn sends
// in direction Dir (trace.Up or trace.Down).
type Drop struct {
	Conn int
	Dir  uint8 // trace.Dir; kept as a number so model/config stays plain data
	Nth  int
}

// LinkConfig describes the one point-to-point, full-duplex link between
// the client and the server.
type LinkConfig struct {
	// Delay is the one-way propagation delay; the round-trip time of an
	// empty packet is 2·Delay.
	Delay sim.Time
	// Up and Down are the rates client→server and server→client;
	// serialization takes bits/rate.
	Up, Down Rate
	// Buffer is how many packets may wait in each direction's transmit
	// queue besides the one being sent (drop-tail); 0 means unlimited.
	Buffer int
	// Queue is the queue discipline of both directions.
	Queue QueueDiscipline
	// Loss is the probability that a packet is lost on the wire, drawn per
	// packet from a seeded stream per direction; in [0, 1] (1 loses
	// everything, which shows how a connection gives up).
	Loss float64
	// Drops lists exact packets to lose, on top of Loss.
	Drops []Drop
}

// Validate reports the first field out of range.
func (c LinkConfig) Validate() error {
	switch {
	case c.Delay < 0:
		return &ConfigError{Field: "link.delay", Value: c.Delay.String(), Allowed: "a duration ≥ 0"}
	case c.Up <= 0:
		return &ConfigError{Field: "link.up", Value: c.Up.String(), Allowed: "a rate > 0"}
	case c.Down <= 0:
		return &ConfigError{Field: "link.down", Value: c.Down.String(), Allowed: "a rate > 0"}
	case c.Buffer < 0:
		return &ConfigError{Field: "link.buffer", Value: fmt.Sprint(c.Buffer), Allowed: "packets ≥ 0 (0 = unlimited)"}
	case !(c.Loss >= 0 && c.Loss <= 1):
		return &ConfigError{Field: "link.loss", Value: fmt.Sprint(c.Loss), Allowed: "a probability in [0, 1]"}
	}
	for i, d := range c.Drops {
		f := fmt.Sprintf("link.drops[%d]", i)
		switch {
		case d.Conn < 1:
			return &ConfigError{Field: f + ".conn", Value: fmt.Sprint(d.Conn), Allowed: "a connection number ≥ 1"}
		case d.Dir != 1 && d.Dir != 2:
			return &ConfigError{Field: f + ".dir", Value: fmt.Sprint(d.Dir), Allowed: "up (1) or down (2)"}
		case d.Nth < 1:
			return &ConfigError{Field: f + ".nth", Value: fmt.Sprint(d.Nth), Allowed: "a packet number ≥ 1"}
		}
	}
	return nil
}

// ErrConfig is matched (errors.Is) by every *ConfigError.
var ErrConfig = errors.New("invalid configuration")

// ConfigError names a configuration field whose value is out of range.
type ConfigError struct {
	Field   string // dotted scenario path, e.g. "link.loss"
	Value   string
	Allowed string
}

func (e *ConfigError) Error() string {
	return fmt.Sprintf("%s: %s is out of range; allowed: %s", e.Field, e.Value, e.Allowed)
}

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }
